import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

/// Options every read command shares: where the project is and which tree to read.
struct ProjectOptionGroup: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "Alembic config file (alembic.ini or pyproject.toml); repeatable.")
    var config: [String] = []

    @Option(name: [.short, .customLong("name")], help: "Section of the ini file.")
    var name = "alembic"

    @Option(name: .customLong("versions"), help: "Read this versions directory with no config; repeatable.")
    var versions: [String] = []

    @Option(name: .customLong("at"), help: "Read the project at this git revision (sha, branch, tag, HEAD~3), with no checkout.")
    var at: String?

    @Flag(name: .customLong("staged"), help: "Read the project from the git index (what a commit would contain).")
    var staged = false

    @Option(name: .customLong("repo"), help: "The git repository (default: discovered from the current directory).")
    var repo: String?

    @Flag(name: .customLong("no-owner-check"), help: "Read a repository owned by another user.")
    var noOwnerCheck = false

    @Option(name: .customLong("max-heads"), help: "Allow up to N heads in total instead of one per branch.")
    var maxHeads: Int?

    func validate() throws {
        if at != nil && staged { throw ValidationError("'--at' and '--staged' cannot be used together") }
        if let m = maxHeads, m < 1 { throw ValidationError("'--max-heads' must be at least 1") }
    }

    /// Loads the project, or prints why not and exits 2.
    func load() throws -> LoadedProject {
        do {
            var options = ProjectOptions()
            options.configPaths = config
            options.section = name
            options.versionDirectories = versions
            options.maxHeads = maxHeads
            options.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
            let tree: SourceTree
            if at != nil || staged {
                let cwd = FileManager.default.currentDirectoryPath
                let repository: GitRepository
                do {
                    repository = try GitRepository(discovering: repo ?? cwd, ownerCheck: !noOwnerCheck)
                } catch {
                    throw WorkspaceError.git(error)
                }
                if let workdir = repository.workdir, repo == nil {
                    // Default discovery starts from the current directory's place in the repository.
                    let root = normalizePath(workdir)
                    let here = normalizePath(cwd)
                    if here.hasPrefix(root + "/") { options.baseDirectory = String(here.dropFirst(root.count + 1)) }
                }
                if let at {
                    let id: GitObjectID
                    do { id = try repository.commit(at) } catch { throw WorkspaceError.git(error) }
                    tree = try GitSourceTree(repository: repository, kind: .commit(id, spec: at))
                } else {
                    tree = try GitSourceTree(repository: repository, kind: .index)
                }
            } else {
                if let repo { _ = FileManager.default.changeCurrentDirectoryPath(repo) }
                tree = FileSystemTree()
            }
            return try ProjectLoader(options: options, cache: ParseCache()).load(from: tree)
        } catch let error as WorkspaceError {
            Output.error(error.description)
            throw Exit.couldNotRun
        }
    }
}

/// `--format` for read commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
