import FoundationEssentials
import Glibc
import RevgraphCore

extension Workspace {
    /// Directories discovery never enters: vendored code and tool caches.
    public static let skippedDirectories: Set<String> = [
        ".git", "node_modules", ".venv", "venv", "site-packages", "__pycache__", ".tox", ".nox", ".mypy_cache",
    ]

    /// Where discovery starts: the repository root (the work tree's, when the base directory is in
    /// one), else the base directory.
    var discoveryRoot: String {
        guard selection.tree == .workTree else { return "" }
        if let root, selection.baseDirectory == root || selection.baseDirectory.hasPrefix(root + "/") { return root }
        return selection.baseDirectory
    }

    /// The discovery root of `tree`: "" for git trees.
    func root(of tree: SourceTree) -> String { tree is GitSourceTree ? "" : discoveryRoot }

    /// `path` (relative to the discovery root) as `tree` reads it.
    func treePath(_ path: String, in tree: SourceTree) -> String {
        let root = root(of: tree)
        return root.isEmpty ? normalizePath(path) : normalizePath(root.joiningPath(path))
    }

    /// The repository's projects in the selected tree: the ones `revgraph.toml` (or
    /// `[tool.revgraph.projects.*]` of the root `pyproject.toml`) lists, else every config found at
    /// any depth (`alembic.ini`, an `*.ini` with an `[alembic]` section that sets `script_location`,
    /// a `pyproject.toml` with `[tool.alembic]`), outside vendored directories. Sorted by name.
    /// - Throws: when a listed project names a path the tree does not have.
    public func projects() throws(WorkspaceError) -> [ProjectSpec] { try projects(in: sourceTree()) }

    /// The projects of another tree of the repository.
    public func projects(in tree: SourceTree) throws(WorkspaceError) -> [ProjectSpec] {
        if let listed = try listedProjects(tree) { return listed }
        let candidates = try tree.find(under: root(of: tree), skipping: Self.skippedDirectories) {
            $0.hasSuffix(".ini") || $0 == "pyproject.toml"
        }
        var byDirectory: [String: [String]] = [:]
        for path in candidates {
            guard let bytes = try tree.read(path) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let isProject: Bool
            if name == "pyproject.toml" {
                isProject = TomlTables.mayHaveAlembicTable(text)
            } else if name == "alembic.ini" {
                isProject = text.contains("[alembic]")
            } else {
                isProject = text.contains("[alembic]") && text.contains("script_location")
            }
            if isProject, let why = Self.templateReason(path: path, text: text) {
                let note = "'\(displayName(ofDirectory: path, root: root(of: tree)))' is not a project: \(why)"
                if !discoveryNotes.contains(note) { discoveryNotes.append(note) }
                continue
            }
            if isProject { byDirectory[tree.directory(of: path), default: []].append(path) }
        }
        return byDirectory.keys.sorted().map { dir in
            var spec = ProjectSpec(name: displayName(ofDirectory: dir, root: root(of: tree)))
            spec.configPaths = byDirectory[dir]!.sorted()
            return spec
        }.sorted { $0.name < $1.name }
    }

    /// Why a config is a template rather than a project, or nil: it sits in a directory of
    /// project scaffolding (`templates/`, `plugin_template/`, `scaffold/`, `skeleton/`,
    /// `cookiecutter-…`, a `{{…}}` directory), or its script_location is a template placeholder.
    static func templateReason(path: String, text: String) -> String? {
        let directories = path.split(separator: "/").dropLast().map { $0.lowercased() }
        if let d = directories.first(where: { d in
            d.contains("template") || d.contains("scaffold") || d.hasPrefix("skeleton") || d == "skel"
                || d.contains("cookiecutter") || d.contains("{{") || d.contains("{%") || d.contains("${")
        }) {
            return "it is in '\(d)', a directory of project scaffolding (list it in revgraph.toml if it is a real project)"
        }
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw).trimmingPythonWhitespace()
            guard line.hasPrefix("script_location") else { continue }
            let value = String(line.drop { $0 != "=" && $0 != ":" }.dropFirst()).trimmingPythonWhitespace()
            if ["{{", "{%", "${", "<%", "$("].contains(where: { value.contains($0) }) {
                return "its script_location (\(value)) is a template placeholder"
            }
        }
        return nil
    }

    /// The directory's path relative to the discovery root, `.` for the root itself.
    func displayName(ofDirectory dir: String, root: String) -> String {
        let d = normalizePath(dir)
        if root.isEmpty { return d.isEmpty ? "." : d }
        if d == root { return "." }
        return d.hasPrefix(root + "/") ? String(d.dropFirst(root.count + 1)) : d
    }

    /// Projects described explicitly, with their paths checked and globs expanded.
    func listedProjects(_ tree: SourceTree) throws(WorkspaceError) -> [ProjectSpec]? {
        var specs: [ProjectSpec]?
        do {
            if let bytes = try tree.read(treePath("revgraph.toml", in: tree)) {
                specs = try ProjectList.parse(String(decoding: bytes, as: UTF8.self), path: "revgraph.toml")
            } else if let bytes = try tree.read(treePath("pyproject.toml", in: tree)) {
                specs = try ProjectList.parse(String(decoding: bytes, as: UTF8.self), path: "pyproject.toml",
                                              prefix: "tool.revgraph.projects")
            }
        } catch let e as ProjectConfig.ConfigError {
            throw .config(e)
        } catch let e as WorkspaceError {
            throw e
        } catch {
            throw .unreadable(path: "revgraph.toml", reason: "\(error)")
        }
        guard var specs else { return nil }
        for k in specs.indices {
            let file = specs[k].declaredIn ?? "revgraph.toml"
            for p in specs[k].configPaths where try tree.read(treePath(p, in: tree)) == nil {
                throw .projectPathMissing(project: specs[k].name, path: p, file: file)
            }
            specs[k].configPaths = specs[k].configPaths.map { treePath($0, in: tree) }
            var directories: [String] = []
            for pattern in specs[k].versionDirectories {
                let found = try expand(pattern, in: tree)
                if found.isEmpty { throw .projectPathMissing(project: specs[k].name, path: pattern, file: file) }
                directories += found
            }
            specs[k].versionDirectories = directories
        }
        return specs
    }

    /// A directory path, or a glob (`releases/*/versions`) matched against the tree's directories.
    func expand(_ pattern: String, in tree: SourceTree) throws(WorkspaceError) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            let dir = treePath(pattern, in: tree)
            return try tree.files(in: dir, recursive: false) != nil ? [dir] : []
        }
        let parts = pattern.split(separator: "/")
        let fixed = parts.prefix { !$0.contains(where: { "*?[".contains($0) }) }.joined(separator: "/")
        let start = fixed.isEmpty ? "" : fixed
        let files = try tree.find(under: treePath(start, in: tree), skipping: Self.skippedDirectories) { _ in true }
        var dirs = Set<String>()
        let full = treePath(pattern, in: tree)
        for f in files {
            var d = tree.directory(of: f)
            while !d.isEmpty, d != ".", d != "/" {
                if fnmatch(full, d, FNM_PATHNAME) == 0 { dirs.insert(d) }
                let parent = tree.directory(of: d)
                if parent == d { break }
                d = parent
            }
        }
        return dirs.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The spec `--project` names, among ``projects()``.
    public func project(named name: String, in tree: SourceTree? = nil) throws(WorkspaceError) -> ProjectSpec {
        let source: SourceTree
        if let tree { source = tree } else { source = try sourceTree() }
        let all = try projects(in: source)
        guard let spec = all.first(where: { $0.name == name || ($0.name == "." && (name == "root" || name.isEmpty)) }) else {
            throw .unknownProject(name, known: all.map(\.name))
        }
        return spec
    }

    /// Loads one project of the repository from the selected tree.
    public func load(_ spec: ProjectSpec) throws(WorkspaceError) -> LoadedProject {
        try load(spec, from: sourceTree())
    }

    /// Loads one project from `tree` (another commit of the same repository, for instance).
    public func load(_ spec: ProjectSpec, from tree: SourceTree, reusing: LoadedProject? = nil) throws(WorkspaceError)
        -> LoadedProject
    {
        var loaded = try ProjectLoader(options: options(for: spec, git: tree is GitSourceTree), cache: cache, reusing: reusing)
            .load(from: tree)
        cache.save()
        loaded.spec = spec
        return loaded
    }

    /// Loader options for one of the repository's projects.
    public func options(for spec: ProjectSpec, git isGit: Bool) -> ProjectOptions {
        // Work-tree specs hold absolute paths; git trees want them repository-relative.
        func path(_ p: String) -> String { isGit && p.hasPrefix("/") ? relativePath(workTree: p) : p }
        var options = options(forGit: isGit)
        options.configPaths = spec.configPaths.map(path)
        options.environmentConfig = nil
        options.versionDirectories = spec.versionDirectories.map(path)
        options.recursiveVersions = spec.recursive
        options.pathsFromConfigDirectory = true
        options.definedNames = spec.names.merging(selection.definedNames) { $1 }
        if let s = spec.section { options.section = s }
        if let m = spec.maxHeads, selection.maxHeads == nil { options.maxHeads = m }
        return options
    }
}
