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
        let linter = Linter(settings: settings, dialect: dialect(loaded, override: override))
        return linter.lint(loaded.graph, scripts: try scripts(loaded, in: tree), selected: selected, paths: paths)
    }
}
