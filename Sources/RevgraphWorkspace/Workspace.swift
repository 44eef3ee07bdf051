import RevgraphCore
import RevgraphGit

/// One command run's view of a project: owns the repository handle (opened on first use) and the
/// parse cache, and answers loads of any tree, commits and repository-relative paths. Never
/// changes the process's current directory. Confined to one thread.
public final class Workspace {
    public let selection: ProjectSelection
    public let cache: ParseCache
    private var opened: GitRepository?
    /// Commit-tree listings shared by the trees this workspace opens.
    private let listings = ListingCache()
    /// What discovery passed over and why (a template's ini), for `-v`.
    public internal(set) var discoveryNotes: [String] = []

    /// The parse cache is kept in the repository's git directory between runs (inside a
    /// repository, unless `REVGRAPH_NO_CACHE` is set).
    public init(_ selection: ProjectSelection) {
        self.selection = selection
        if let file = ParseCache.defaultFile(from: selection.baseDirectory) {
            cache = ParseCache(persistentAt: file)
        } else {
            cache = ParseCache()
        }
    }

    /// The repository (`--repo`, or discovered from the current directory).
    public func repository() throws(WorkspaceError) -> GitRepository {
        if let opened { return opened }
        do {
            let r = try GitRepository(discovering: selection.baseDirectory, ownerCheck: selection.ownerCheck)
            opened = r
            return r
        } catch {
            if error.code == -3, !error.isOwnership { throw .noRepository(path: selection.baseDirectory) }
            throw Self.translate(error)
        }
    }

    /// A libgit2 error a user can reach, in revgraph's words where it has them.
    static func translate(_ error: GitError) -> WorkspaceError {
        let m = error.message.lowercased()
        if m.contains("corrupt") || m.contains("inflate") || m.contains("object not found - no match for id")
            || m.contains("failed to parse") || m.contains("invalid object") {
            return .corruptRepository(detail: error.message)
        }
        return .git(error)
    }

    /// The repository, or nil outside one.
    public var repositoryIfAny: GitRepository? { try? repository() }

    /// The commit `spec` names.
    public func commit(_ spec: String) throws(WorkspaceError) -> GitObjectID {
        let r = try repository()
        do { return try r.commit(spec) } catch {
            if r.isEmpty { throw .emptyRepository(path: r.workdir ?? r.gitdir) }
            if error.function == "git_revparse_single" || error.message.contains("does not exist") {
                let detail = error.message.contains("parent") || error.message.contains("ancestor")
                    ? "the history is shorter than that" : "no branch, tag or commit of that name"
                throw .unknownRevision(spec: spec, detail: detail)
            }
            throw Self.translate(error)
        }
    }

    /// The checked commit: `--at`, else HEAD.
    public func tip() throws(WorkspaceError) -> GitObjectID { try commit(tipName) }

    /// How the checked commit is named: `--at`'s spec, else HEAD.
    public var tipName: String { selection.commitSpec ?? "HEAD" }

    /// The work tree's root, normalised, when in a non-bare repository.
    public var root: String? { repositoryIfAny?.workdir.map(normalizePath) }

    /// Loader options for the selection. Default discovery starts from the current directory's
    /// place in the repository for git trees, and from the base directory for the work tree.
    public func options(forGit: Bool) -> ProjectOptions {
        var options = ProjectOptions()
        options.configPaths = selection.configPaths
        options.section = selection.section
        options.versionDirectories = selection.versionDirectories
        options.maxHeads = selection.maxHeads
        options.environmentConfig = selection.environmentConfig
        options.recursiveVersions = selection.recursiveVersions
        options.definedNames = selection.definedNames
        if forGit, selection.repository == nil, let root {
            let here = selection.currentDirectory
            if here.hasPrefix(root + "/") { options.baseDirectory = String(here.dropFirst(root.count + 1)) }
        }
        return options
    }

    /// A tree of the repository.
    public func gitTree(_ kind: GitSourceTree.Kind) throws(WorkspaceError) -> GitSourceTree {
        try GitSourceTree(repository: repository(), kind: kind, listings: listings)
    }

    /// The selected tree.
    public func sourceTree() throws(WorkspaceError) -> SourceTree {
        switch selection.tree {
        case .workTree: return FileSystemTree(currentDirectory: selection.baseDirectory)
        case .index: return try gitTree(.index)
        case .commit(let spec): return try gitTree(.commit(try commit(spec), spec: spec))
        }
    }

    /// Whether the user said where the project is (`-c`, `--versions`, `$ALEMBIC_CONFIG`).
    var isExplicit: Bool {
        !selection.configPaths.isEmpty || !selection.versionDirectories.isEmpty
            || !(selection.environmentConfig ?? "").isEmpty
    }

    /// Loads the project from the selected tree: `--project`, else the one in the base directory
    /// (as Alembic finds it), else the repository's only project.
    /// - Throws: ``WorkspaceError/severalProjects(_:)`` when there is no project in the base
    ///   directory and the repository has several.
    public func load() throws(WorkspaceError) -> LoadedProject {
        try load(from: sourceTree())
    }

    /// Every project the command should check: the one the options name, else all of the
    /// repository's (``projects()``); empty when the tree has none.
    public func loadAll() throws(WorkspaceError) -> [LoadedProject] {
        // One tree for the search and every load (the index is read once, not once per project).
        let tree = try sourceTree()
        if isExplicit || selection.projectName != nil { return [try load(from: tree)] }
        let specs = try projects(in: tree)
        if specs.isEmpty {
            do { return [try load(from: tree)] } catch {
                if case .noConfig = error { return [] }
                throw error
            }
        }
        return try specs.map { spec throws(WorkspaceError) in try load(spec, from: tree) }
    }

    /// Loads the project, or nil when the tree has no Alembic config (a git hook in a repository
    /// without migrations passes).
    public func loadIfPresent() throws(WorkspaceError) -> LoadedProject? {
        do { return try load() } catch {
            if case .noConfig = error { return nil }
            throw error
        }
    }

    /// Loads the project from `tree` with the selection's options (`--project`, else the base
    /// directory's config, else the tree's only project).
    public func load(from tree: SourceTree, reusing: LoadedProject? = nil) throws(WorkspaceError) -> LoadedProject {
        if let name = selection.projectName { return try load(project(named: name, in: tree), from: tree, reusing: reusing) }
        do {
            let loaded = try ProjectLoader(options: options(forGit: tree is GitSourceTree), cache: cache, reusing: reusing)
                .load(from: tree)
            cache.save()
            return loaded
        } catch {
            // The repository's projects stand in for the base directory's; outside a repository
            // there is nothing to search (the current directory may be a home directory, or /).
            guard case .noConfig = error, !isExplicit, tree is GitSourceTree || root != nil else { throw error }
            let all = try projects(in: tree)
            if all.count == 1 { return try load(all[0], from: tree) }
            // The project the current directory is in (the deepest), before calling it ambiguous.
            if let enclosing = enclosingProject(all, in: tree) { return try load(enclosing, from: tree) }
            if all.count > 1 { throw .severalProjects(all.map(\.name)) }
            throw error
        }
    }

    /// The deepest of `specs` whose directory (its config's, else its first versions directory)
    /// holds the current directory, or nil.
    func enclosingProject(_ specs: [ProjectSpec], in tree: SourceTree) -> ProjectSpec? {
        let here = tree is GitSourceTree ? relativePath(workTree: selection.currentDirectory) : selection.currentDirectory
        func directory(_ spec: ProjectSpec) -> String? {
            spec.configPaths.first.map { tree.directory(of: $0) } ?? spec.versionDirectories.first
        }
        return specs.compactMap { spec in directory(spec).map { (spec, normalizePath($0)) } }
            .filter { _, d in d == "." || d.isEmpty || here == d || here.hasPrefix(d + "/") }
            .max { $0.1.count < $1.1.count }?.0
    }

    /// Loads the project at a commit: the same project as `like` when it is one of several.
    public func load(commit id: GitObjectID, name: String, like: LoadedProject? = nil) throws(WorkspaceError)
        -> LoadedProject
    {
        let tree = try gitTree(.commit(id, spec: name))
        if let spec = like?.spec { return try load(spec, from: tree, reusing: like) }
        return try load(from: tree, reusing: like)
    }

    /// `path` (as a loaded project names it) relative to the repository root. Git trees already
    /// give repository-relative paths; work-tree paths are absolute or relative to the base directory.
    public func relativePath(_ path: String) -> String {
        guard selection.tree == .workTree else { return path }
        return relativePath(workTree: path)
    }

    /// A work-tree path relative to the repository root (unchanged outside the repository).
    public func relativePath(workTree path: String) -> String {
        let abs = absolutePath(path)
        guard let root, abs.hasPrefix(root + "/") else { return path }
        return String(abs.dropFirst(root.count + 1))
    }

    /// A work-tree path made absolute against the base directory.
    public func absolutePath(_ path: String) -> String {
        normalizePath(path.hasPrefix("/") ? path : selection.baseDirectory.joiningPath(path))
    }

    /// Commits that changed a revision's file, for findings.
    public func blame() throws(WorkspaceError) -> RevisionBlame {
        RevisionBlame(repository: try repository(), options: options(forGit: true), cache: cache)
    }
}
