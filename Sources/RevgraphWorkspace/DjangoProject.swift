import Glibc
import RevgraphCore

/// One Django project read from a tree: its apps, their migration files and the graph.
public struct DjangoProject {
    /// An app with a migrations package.
    public struct App: Sendable, Equatable {
        public var label: String
        /// The migrations package's directory, as the tree names it.
        public var directory: String
    }

    /// The directory of `manage.py` (or `[django] root`), as the tree names it.
    public var root: String
    /// How findings and `--project` name it: its directory relative to the repository root.
    public var name: String
    public var apps: [App]
    public var settings: DjangoSettings
    /// Every migration file read, with its blob id or stat data.
    public var files: [SourceFile]
    /// File bytes' checksums by migration key (for the ledger and published checks; empty unless
    /// the load asked for them).
    public var checksums: [DjangoKey: String]
    public var graph: DjangoGraph
    /// Reading problems, then the graph's.
    public var problems: [GraphProblem]

    /// The app's migrations directory.
    public func app(_ label: String) -> App? { apps.first { $0.label == label } }
}

/// Finds and reads Django projects in a tree, never importing them.
public struct DjangoProjectLoader {
    public let tree: SourceTree
    /// Where discovery starts ("" for a git tree, the repository root in the work tree).
    public let discoveryRoot: String
    /// Readings kept between runs (by blob id, or by work-tree stat data), when there is one.
    let parseCache: ParseCache?

    public init(tree: SourceTree, discoveryRoot: String, parseCache: ParseCache? = nil) {
        self.tree = tree
        self.discoveryRoot = discoveryRoot
        self.parseCache = parseCache
    }

    func path(_ relative: String) -> String {
        discoveryRoot.isEmpty ? normalizePath(relative) : normalizePath(discoveryRoot.joiningPath(relative))
    }

    /// The settings `revgraph.toml` or `pyproject.toml` gives, else the defaults.
    public func settings() throws(WorkspaceError) -> DjangoSettings {
        for (file, prefix) in [("revgraph.toml", "django"), ("pyproject.toml", "tool.revgraph.django")] {
            guard let bytes = try tree.read(path(file)) else { continue }
            do {
                if let s = try DjangoSettings.parse(String(decoding: bytes, as: UTF8.self), path: file, prefix: prefix) {
                    return s
                }
            } catch { throw .config(error) }
        }
        return DjangoSettings()
    }

    /// The directories holding `manage.py` (or the configured root), sorted; empty when the tree
    /// has no Django project.
    /// - Parameter strict: only Django's `manage.py` (``isDjangoManage(_:)``) with Django
    ///   migrations under it; false (`--django`) takes every `manage.py`.
    public func roots(_ settings: DjangoSettings, strict: Bool = true) throws(WorkspaceError) -> [String] {
        if let r = settings.root {
            let dir = path(r)
            // The repository's root is there by definition (and holds .git, which files(in:) takes for a submodule).
            if normalizePath(r) == "." { return [discoveryRoot.isEmpty ? "" : dir] }
            guard try tree.files(in: dir, recursive: false) != nil else {
                throw .projectPathMissing(project: "django", path: r, file: settings.declaredIn ?? "revgraph.toml")
            }
            return [dir]
        }
        let found = try tree.find(under: discoveryRoot, skipping: Workspace.skippedDirectories) { $0 == "manage.py" }
        if !strict { return Array(Set(found.map { tree.directory(of: $0) })).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        // Only Django's manage.py makes a project (a Flask or sqlalchemy-migrate script of the
        // same name does not), and only with a migrations package of Django migrations under it.
        var roots: [String] = []
        let inits = try tree.find(under: discoveryRoot, skipping: Workspace.skippedDirectories) { $0 == "__init__.py" }
        let packages = inits.map { tree.directory(of: $0) }.filter { $0.split(separator: "/").last == "migrations" }
        for file in found {
            guard let bytes = try tree.read(file), Self.isDjangoManage(bytes) else { continue }
            let dir = tree.directory(of: file)
            let under = packages.filter { dir.isEmpty || dir == "." || $0.hasPrefix(dir + "/") }
            for package in under where try hasDjangoMigration(in: package) {
                roots.append(dir)
                break
            }
        }
        return Array(Set(roots)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether a `manage.py` is Django's: it sets `DJANGO_SETTINGS_MODULE` or calls
    /// `django.core.management` (every generated one does both).
    static func isDjangoManage(_ bytes: [UInt8]) -> Bool {
        bytes.firstRange(of: Array("DJANGO_SETTINGS_MODULE".utf8)) != nil
            || bytes.firstRange(of: Array("django.core.management".utf8)) != nil
    }

    /// Whether a migrations package holds a Django migration (a migration-named file that
    /// subclasses `migrations.Migration`); an empty package (an app before its first migration) does not.
    func hasDjangoMigration(in package: String) throws(WorkspaceError) -> Bool {
        guard let listed = try tree.files(in: package, recursive: false) else { return false }
        for f in listed {
            let name = String(f.path.split(separator: "/").last ?? "")
            guard DjangoMigrationReader.isMigrationFileName(name), let bytes = try? tree.read(f.path) else { continue }
            if bytes.firstRange(of: Array("Migration(".utf8)) != nil, bytes.firstRange(of: Array("migrations".utf8)) != nil { return true }
        }
        return false
    }

    /// Files read already, by blob id and path (a history walk reads each version once).
    public final class Cache {
        var outcomes: [String: DjangoMigrationReader.Outcome] = [:]
        var checksums: [String: String] = [:]
        public init() {}
    }

    /// Reads the project rooted at `root`.
    /// - Parameter known: the apps, when already found (a history walk finds them once, at its tip).
    /// - Parameter withChecksums: compute each file's checksum (the ledger, published checks).
    public func load(root: String, name: String, settings: DjangoSettings, known: [DjangoProject.App]? = nil,
                     cache: Cache? = nil, withChecksums: Bool = false) throws(WorkspaceError) -> DjangoProject {
        var problems: [GraphProblem] = []
        let apps: [DjangoProject.App]
        if let known { apps = known } else { apps = try findApps(root: root, settings: settings, problems: &problems) }
        var migrations: [DjangoMigration] = []
        var files: [SourceFile] = []
        var checksums: [DjangoKey: String] = [:]
        for app in apps {
            guard let listed = try tree.files(in: app.directory, recursive: false) else { continue }
            for f in listed {
                let fileName = String(f.path.split(separator: "/").last ?? "")
                guard DjangoMigrationReader.isMigrationFileName(fileName) else { continue }
                let key = DjangoKey(app.label, String(fileName.dropLast(3)))
                let cacheKey = f.blobID.map { $0 + "|" + app.label + "|" + f.path }
                var outcome = cacheKey.flatMap { cache?.outcomes[$0] }
                var sum = cacheKey.flatMap { cache?.checksums[$0] }
                let persistentKey = ParseCache.djangoKey(blobID: f.blobID, path: f.path, stat: f.stat, key: key)
                if outcome == nil || (withChecksums && sum == nil), let persistentKey,
                   let found = parseCache?.lookupDjango(key: persistentKey, migration: key, path: f.path, stat: f.stat),
                   !withChecksums || found.checksum != nil {
                    (outcome, sum) = (found.outcome, found.checksum)
                }
                if outcome == nil || (withChecksums && sum == nil) {
                    let read: [UInt8]?
                    do { read = try tree.read(f.path) } catch {
                        switch error {
                        case .notRegularFile, .tooLarge, .unreadable:
                            // Said, never skipped silently; the rest of the project is still read.
                            problems.append(GraphProblem(kind: .parseError, path: f.path, revisions: [key.description],
                                                         message: error.description, fix: "make it a regular migration file Python can import, or move it out of the migrations package"))
                            continue
                        default: throw error
                        }
                    }
                    guard let bytes = read else { continue }
                    outcome = DjangoMigrationReader.read(app: app.label, name: key.name, path: f.path, bytes: bytes)
                    if withChecksums { sum = Checksum.of(bytes) }
                    if let persistentKey {
                        parseCache?.storeDjango(key: persistentKey, path: f.path, stat: f.stat, outcome!, checksum: sum)
                    }
                }
                if let cacheKey, let cache {
                    cache.outcomes[cacheKey] = outcome
                    if let sum { cache.checksums[cacheKey] = sum }
                }
                files.append(f)
                problems += outcome!.problems
                if let m = outcome!.migration {
                    migrations.append(m)
                    checksums[m.key] = sum
                }
            }
        }
        var graphSettings = DjangoGraph.Settings()
        graphSettings.swappable = settings.swappable
        let graph = DjangoGraph(apps: apps.map(\.label), migrations: migrations, settings: graphSettings)
        return DjangoProject(root: root, name: name, apps: apps, settings: settings, files: files, checksums: checksums,
                             graph: graph, problems: problems + graph.problems + Self.conflicts(graph))
    }

    /// The apps with a migrations package under `root` (and those `[django.migration_modules]` places).
    func findApps(root: String, settings: DjangoSettings, problems: inout [GraphProblem]) throws(WorkspaceError)
        -> [DjangoProject.App]
    {
        let inits = try tree.find(under: root, skipping: Workspace.skippedDirectories) { $0 == "__init__.py" }
        var apps: [DjangoProject.App] = []
        var dirsByLabel: [String: [String]] = [:]
        for initFile in inits {
            let dir = tree.directory(of: initFile)
            guard dir.split(separator: "/").last == "migrations" else { continue }
            let appDir = tree.directory(of: dir)
            if isExcluded(appDir, settings.exclude) { continue }
            let label = try appLabel(appDirectory: appDir)
            dirsByLabel[label, default: []].append(dir)
        }
        for (label, module) in settings.migrationModules {
            let dir = root.isEmpty || root == "." ? module.replacingDots() : root.joiningPath(module.replacingDots())
            dirsByLabel[label] = [normalizePath(dir)]
        }
        for label in dirsByLabel.keys.sorted(by: DjangoKey.pythonPrecedes) {
            let dirs = dirsByLabel[label]!.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if dirs.count > 1 {
                problems.append(GraphProblem(
                    kind: .duplicateRevision, path: dirs[1], revisions: [label],
                    message: "Application labels aren't unique, duplicates: \(label) (\(dirs.joined(separator: ", ")))",
                    fix: "give one app another label (AppConfig.label in its apps.py), or list it in [django.migration_modules]"))
            }
            apps.append(DjangoProject.App(label: label, directory: dirs[0]))
        }
        return apps
    }

    /// Whether `[django] exclude` names the app directory (a path, a glob, or a directory above it).
    func isExcluded(_ appDirectory: String, _ patterns: [String]) -> Bool {
        guard !patterns.isEmpty else { return false }
        var relative = appDirectory
        if !discoveryRoot.isEmpty, relative.hasPrefix(discoveryRoot + "/") { relative = String(relative.dropFirst(discoveryRoot.count + 1)) }
        for p in patterns {
            let pattern = normalizePath(p)
            if relative == pattern || relative.hasPrefix(pattern + "/") || fnmatch(pattern, relative, FNM_PATHNAME) == 0 { return true }
        }
        return false
    }

    /// One error per app with several leaves, in Django's words, at the last leaf's file.
    static func conflicts(_ graph: DjangoGraph) -> [GraphProblem] {
        graph.conflicts.map { c in
            let last = graph.migrations[c.leaves.last!]!
            return GraphProblem(
                kind: .conflictingHeads, path: last.path, line: last.line, revisions: c.leaves.map(\.description),
                message: "Conflicting migrations detected; multiple leaf nodes in the migration graph: ("
                    + c.leaves.map(\.name).joined(separator: ", ") + " in \(c.app))",
                fix: Self.mergeFix(graph, app: c.app))
        }
    }

    /// The fix of an app with several leaves: the merge, unless a parent is missing first (the
    /// merge would find no common ancestor until it is back).
    static func mergeFix(_ graph: DjangoGraph, app: String) -> String {
        let missing = graph.missingParents(in: app)
        guard let first = missing.first else {
            return "run 'revgraph merge' (it writes the file 'python manage.py makemigrations --merge' would)"
        }
        return "first restore \(first.missing) (a parent \(first.from) names, which the app does not have\(missing.count > 1 ? "; \(missing.count - 1) more" : "")), or correct the dependency; then run 'revgraph merge'"
    }

    /// `AppConfig.label`: a `label = "…"` in a class of the app's `apps.py`, else the directory's name.
    func appLabel(appDirectory: String) throws(WorkspaceError) -> String {
        let fallback = String(appDirectory.split(separator: "/").last ?? Substring(appDirectory))
        guard let bytes = try tree.read(appDirectory.joiningPath("apps.py")),
              case .success(let text) = MigrationParser.decodeSource(bytes) else { return fallback }
        var lexer = PythonLexer(text)
        guard let lines = try? lexer.logicalLines(bodies: true) else { return fallback }
        // The AppConfig subclasses apps.py defines, each with its label and `default`.
        var configs: [(label: String?, isDefault: Bool?)] = []
        for (i, l) in lines.enumerated() where l.indent == 0 && l.tokens.first == .name("class") && l.tokens.count > 3 {
            guard let close = l.tokens.lastIndex(of: .op(")")), let open = l.tokens.firstIndex(of: .op("(")), open < close,
                  l.tokens[(open + 1)..<close].last == .name("AppConfig") else { continue }
            var label: String?
            var isDefault: Bool?
            for b in lines[(i + 1)...] {
                if b.indent == 0 { break }
                guard b.tokens.count == 3, b.tokens[1] == .op("=") else { continue }
                if b.tokens[0] == .name("label"), case .string(let s, false, false) = b.tokens[2], !s.isEmpty { label = s }
                if b.tokens[0] == .name("default") { isDefault = b.tokens[2] == .name("True") ? true : b.tokens[2] == .name("False") ? false : nil }
            }
            configs.append((label, isDefault))
        }
        // Django's choice (AppConfig.create): the only subclass not marked default = False; else
        // the one marked default = True; else the base AppConfig, labelled by the package's name.
        let candidates = configs.filter { $0.isDefault != false }
        if candidates.count == 1 { return candidates[0].label ?? fallback }
        let marked = candidates.filter { $0.isDefault == true }
        if marked.count == 1 { return marked[0].label ?? fallback }
        return fallback
    }
}

extension String {
    func replacingDots() -> String { split(separator: ".").joined(separator: "/") }
}
