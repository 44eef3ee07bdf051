import RevgraphCore
import RevgraphGit

/// Why a project could not be read at all (exit code 2).
public enum WorkspaceError: Error, CustomStringConvertible {
    case noConfig(directory: String)
    case configNotFound(path: String)
    case config(ProjectConfig.ConfigError)
    case scriptLocationMissing(path: String, config: String)
    case noVersionLocation(paths: [String])
    case unreadable(path: String, reason: String)
    /// A FIFO, device or socket where a file was expected.
    case notRegularFile(path: String)
    case tooLarge(path: String, size: Int, limit: Int)
    case git(GitError)
    case notInRepository(path: String, reason: String)
    case submodule(path: String)
    /// A project `revgraph.toml` describes names a path the tree does not have.
    case projectPathMissing(project: String, path: String, file: String)
    /// Default discovery found several projects and the command reads one.
    case severalProjects([String])
    /// Several Django projects (Django's manage.py in several directories) and the command reads one.
    case severalDjangoProjects([String])
    case unknownProject(String, known: [String])
    /// Not a git repository (and none above it).
    case noRepository(path: String)
    /// The repository has no commit yet.
    case emptyRepository(path: String)
    /// A revision that names no commit (`--at`, a range, a ref).
    case unknownRevision(spec: String, detail: String)
    /// git's object database is damaged.
    case corruptRepository(detail: String)

    public var description: String {
        switch self {
        case .noConfig(let dir):
            return "no alembic.ini or pyproject.toml with [tool.alembic] in '\(dir)'"
        case .configNotFound(let p): return "config file '\(p)' does not exist"
        case .config(let e): return e.description
        case .scriptLocationMissing(let p, let c):
            return "Path doesn't exist: '\(p)' (script_location in '\(c)'); fix script_location or run from the directory it is relative to"
        case .noVersionLocation(let ps):
            return "none of the version locations exist: \(ps.map { "'\($0)'" }.joined(separator: ", "))"
        case .unreadable(let p, let r): return "cannot read '\(p)': \(r)"
        case .notRegularFile(let p): return "'\(p)' is not a regular file (a FIFO, device or socket); it was not read"
        case .tooLarge(let p, let size, let limit): return "'\(p)' is \(size) bytes, more than the \(limit) revgraph reads"
        case .git(let e): return e.description
        case .noRepository(let p): return "'\(p)' is not in a git repository"
        case .emptyRepository(let p): return "the repository at '\(p)' has no commit yet"
        case .unknownRevision(let s, let d): return "'\(s)' names no commit (\(d))"
        case .corruptRepository(let d): return "the repository's objects are damaged: \(d)"
        case .notInRepository(let p, let r): return "'\(p)' is not in a git repository (\(r))"
        case .submodule(let p):
            return "'\(p)' is a submodule: its files live in another repository"
        case .projectPathMissing(let name, let p, let f):
            return "project '\(name)' in '\(f)' names '\(p)', which does not exist in this tree"
        case .severalProjects(let names):
            return "this repository has \(names.count) Alembic projects (\(names.joined(separator: ", "))), and this command reads one"
        case .severalDjangoProjects(let names):
            return "this repository has \(names.count) Django projects (a Django manage.py in \(names.joined(separator: ", "))), and this command reads one"
        case .unknownProject(let n, let known):
            return "no project named '\(n)'; the projects are: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
        }
    }
}
