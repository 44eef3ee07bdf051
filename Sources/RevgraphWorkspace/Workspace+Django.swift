import RevgraphCore
import RevgraphGit

extension Workspace {
    /// The Django projects of a tree, as (root, name), sorted by name.
    public func djangoProjects(in tree: SourceTree) throws(WorkspaceError) -> [(root: String, name: String)] {
        let loader = DjangoProjectLoader(tree: tree, discoveryRoot: root(of: tree))
        let settings = try loader.settings()
        return try loader.roots(settings, strict: !selection.djangoRequested).map { (root: $0, name: displayName(ofDirectory: $0, root: root(of: tree))) }
    }

    /// Loads the Django project of `tree` (default: the selected tree): `--project`, else the one
    /// whose directory holds the current directory, else the only one. Nil when there is none.
    /// - Throws: ``WorkspaceError/severalDjangoProjects(_:)`` when several fit.
    /// - Parameter withChecksums: also each file's checksum (ledger, published checks).
    public func loadDjango(from given: SourceTree? = nil, withChecksums: Bool = false) throws(WorkspaceError) -> DjangoProject? {
        let tree: SourceTree
        if let given { tree = given } else { tree = try sourceTree() }
        let loader = DjangoProjectLoader(tree: tree, discoveryRoot: root(of: tree), parseCache: cache)
        let settings = try loader.settings()
        let all = try djangoProjects(in: tree)
        guard !all.isEmpty else { return nil }
        var chosen = all.count == 1 ? all[0] : nil
        if let wanted = selection.projectName {
            guard let p = all.first(where: { $0.name == wanted || ($0.name == "." && (wanted == "root" || wanted.isEmpty)) }) else {
                throw .unknownProject(wanted, known: all.map(\.name))
            }
            chosen = p
        } else if chosen == nil {
            // The project the current directory is in, the deepest first.
            let here = tree is GitSourceTree ? relativePath(workTree: selection.currentDirectory) : selection.currentDirectory
            chosen = all.filter { p in p.root.isEmpty || p.root == "." || here == p.root || here.hasPrefix(p.root + "/") }
                .max { $0.root.count < $1.root.count }
        }
        guard let chosen else { throw .severalDjangoProjects(all.map(\.name)) }
        let project = try loader.load(root: chosen.root, name: chosen.name, settings: settings, withChecksums: withChecksums)
        cache.save()
        return project
    }

    /// The Django project at a commit.
    public func loadDjango(commit id: GitObjectID, name: String) throws(WorkspaceError) -> DjangoProject? {
        try loadDjango(from: gitTree(.commit(id, spec: name)))
    }

    /// `project` with display paths in its problems.
    public func forDisplay(_ project: DjangoProject) -> DjangoProject {
        var out = project
        out.problems = project.problems.map { p in
            var q = p
            q.path = q.path.map(displayPath)
            return q
        }
        return out
    }
}
