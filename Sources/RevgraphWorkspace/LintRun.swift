import Foundation
import RevgraphCore

/// Lint over a loaded project: the revision files read again from the tree they were loaded
/// from (the parse cache keeps graph data only), the dialect decided, the changed revisions found.
public enum LintRun {
    /// Each revision's script, by graph index; a file that cannot be read or lexed has none.
    public static func scripts(_ loaded: LoadedProject, in tree: SourceTree) throws(WorkspaceError) -> [Int: MigrationScript] {
        var out: [Int: MigrationScript] = [:]
        for i in 0..<loaded.graph.count {
            guard let bytes = try tree.read(loaded.graph.revision(i).path) else { continue }
            out[i] = MigrationScript.read(bytes)
        }
        return out
    }

    /// The revisions of `loaded` that are new or whose file changed since `base` (by checksum).
    public static func changed(_ loaded: LoadedProject, since base: LoadedProject?) -> Set<Int> {
        var out = Set<Int>()
        for i in 0..<loaded.graph.count {
            let id = loaded.graph.id(i)
            if base?.checksums[id] == nil || base?.checksums[id] != loaded.checksums[id] { out.insert(i) }
        }
        return out
    }

    /// `--dialect`, else the config's `dialect`, else `sqlalchemy.url`'s scheme; nil when unknown.
    public static func dialect(_ loaded: LoadedProject, override: LintDialect?) -> LintDialect? {
        override ?? loaded.config?.settings.lint.dialect ?? LintDialect(url: loaded.config?.sqlalchemyURL)
    }

    /// The findings for `selected` revisions (all when nil).
    public static func findings(_ loaded: LoadedProject, tree: SourceTree, selected: Set<Int>?, dialect override: LintDialect? = nil,
                                paths: (String) -> String) throws(WorkspaceError) -> [LintFinding]
    {
        let settings = loaded.config?.settings.lint ?? LintSettings()
        let scripts = try scripts(loaded, in: tree)
        let packages = try applicationPackages(importedBy: scripts.values, loaded: loaded, tree: tree)
        let linter = Linter(settings: settings, dialect: dialect(loaded, override: override), applicationPackages: packages)
        return linter.lint(loaded.graph, scripts: scripts, selected: selected, paths: paths)
    }

    /// The imported top-level names that are packages or modules of the project's own tree: a
    /// `<name>/__init__.py` or `<name>.py` in the config's directory or up to three directories above.
    static func applicationPackages(importedBy scripts: Dictionary<Int, MigrationScript>.Values, loaded: LoadedProject,
                                    tree: SourceTree) throws(WorkspaceError) -> Set<String>
    {
        let imported = Set(scripts.flatMap { $0.imports.map(\.module) }).filter { $0 != "." }
        guard !imported.isEmpty else { return [] }
        var dirs: [String] = []
        var dir = loaded.configPath.map { tree.directory(of: $0) } ?? ""
        for _ in 0..<4 {
            dirs.append(dir)
            guard !dir.isEmpty, dir != "/", dir != "." else { break }
            dir = (dir as NSString).deletingLastPathComponent
        }
        var found = Set<String>()
        for module in imported.sorted() {
            for d in dirs {
                let base = d.isEmpty || d == "." ? module : d + "/" + module
                let package = try tree.read(base + "/__init__.py")
                let file = package == nil ? try tree.read(base + ".py") : nil
                if package != nil || file != nil {
                    found.insert(module)
                    break
                }
            }
        }
        return found
    }
}
