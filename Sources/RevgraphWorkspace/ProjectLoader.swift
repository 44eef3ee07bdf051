import RevgraphCore

/// What the user said about where the project is.
public struct ProjectOptions: Sendable {
    /// `-c/--config`: the ini (or pyproject.toml) to read.
    public var configPaths: [String] = []
    /// `-n/--name`: the ini section.
    public var section = "alembic"
    /// `--versions DIR`: read these directories with no config at all.
    public var versionDirectories: [String] = []
    /// `--max-heads N`: overrides `[revgraph] max_heads`.
    public var maxHeads: Int?
    /// Where default discovery looks (the current directory, or its place in the repository).
    public var baseDirectory = "."
    /// `$ALEMBIC_CONFIG`, honoured like Alembic when no `-c` is given.
    public var environmentConfig: String?
    /// `--recursive`: walk the `--versions` directories' subdirectories too.
    public var recursiveVersions = false
    /// Relative `script_location` and `version_locations` start from the config's directory (a
    /// project found below the current directory, as if alembic ran beside its config) instead of
    /// the current directory.
    public var pathsFromConfigDirectory = false
    /// `--define NAME=VALUE`: values for names the files do not bind (over the config's `name.*`).
    public var definedNames: [String: String] = [:]

    public init() {}
}

/// A project read from one tree: its settings, its graph and everything found wrong.
public struct LoadedProject: Sendable {
    public var config: ProjectConfig?
    /// The ini or toml file the settings came from, as a path in the tree.
    public var configPath: String?
    public var graph: RevisionGraph
    /// Parse problems, graph problems, then head conflicts, each in a deterministic order.
    public var problems: [GraphProblem]
    /// How many files were considered.
    public var fileCount: Int
    /// Each revision's file checksum (``Checksum``), by revision id: computed once, when the file is
    /// read, and kept in the parse cache with its parse.
    public var checksums: [String: String]
    /// The version directories read.
    public var versionLocations: [String]
    /// The project among the repository's projects, when it was loaded as one of them.
    public var spec: ProjectSpec?
    /// Every migration file read, as `path` and blob id, in load order: two git loads with the
    /// same fingerprint and config read the same revisions. Nil for the work tree.
    public var fingerprint: [String]?
    /// Its name, when loaded as one of the repository's projects.
    public var projectName: String? { spec?.name }
}

/// Whether the last component of `path` is a file Alembic loads (tested in place, no string made).
func isMigrationPath(_ path: String) -> Bool {
    var bytes = path
    return bytes.withUTF8 { b in
        let start = b.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        return MigrationParser.isMigrationFileName(bytes: UnsafeBufferPointer(rebasing: b[start...]))
    }
}

/// The last component of a `/`-separated path, found in its UTF-8 bytes.
func lastPathComponent(_ path: String) -> String {
    var bytes = path
    return bytes.withUTF8 { b in
        guard let slash = b.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(decoding: UnsafeBufferPointer(rebasing: b[(slash + 1)...]), as: UTF8.self)
    }
}

/// Finds the config, lists the revision files Alembic would load, parses them and builds the graph.
public struct ProjectLoader {
    public let options: ProjectOptions
    public let cache: ParseCache?
    /// A project loaded with the same options from another git tree: when this tree holds the
    /// same config and the same blobs at the same paths, it is the answer, and nothing is parsed
    /// or built again (the published-refs check of a hook compares the index with its refs).
    public let reusing: LoadedProject?

    public init(options: ProjectOptions, cache: ParseCache? = nil, reusing: LoadedProject? = nil) {
        self.options = options
        self.cache = cache
        self.reusing = reusing
    }

    /// `[revgraph] name.<dotted.name> = value` gives values to names the files do not bind; the
    /// suffix keeps parse-cache entries made with different values apart.
    static func names(_ config: ProjectConfig?, defined: [String: String] = [:])
        -> (names: [String: String], cacheKeySuffix: String)
    {
        let names = (config?.settings.names ?? [:]).merging(defined) { $1 }
        guard !names.isEmpty else { return ([:], "") }
        let digest = SHA256.hex(Array(names.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined().utf8))
        return (names, "|" + digest.prefix(16))
    }

    /// Finds and reads the configuration in `tree`.
    public func loadConfig(from tree: SourceTree) throws(WorkspaceError) -> (ProjectConfig, String) {
        var iniPath: String?
        var tomlPath: String?
        var texts: [String: String] = [:]
        func load(_ p: String) throws(WorkspaceError) -> Bool {
            guard let bytes = try tree.read(p) else { return false }
            texts[p] = String(decoding: bytes, as: UTF8.self)
            return true
        }
        var explicit = options.configPaths
        if explicit.isEmpty, let env = options.environmentConfig, !env.isEmpty { explicit = [env] }
        if !explicit.isEmpty {
            for p in explicit {
                guard try load(p) else { throw .configNotFound(path: p) }
                if p.hasSuffix("pyproject.toml") { tomlPath = p } else { iniPath = p }
            }
        } else {
            let base = options.baseDirectory
            let ini = base.joiningPath("alembic.ini")
            let toml = base.joiningPath("pyproject.toml")
            if try load(ini) { iniPath = ini }
            if try load(toml), TomlTables.mayHaveAlembicTable(texts[toml]!) { tomlPath = toml }
            if iniPath == nil && tomlPath == nil {
                // Flask-Migrate keeps alembic.ini inside migrations/.
                let flask = base.joiningPath("migrations/alembic.ini")
                if try load(flask) { iniPath = flask }
            }
        }
        guard iniPath != nil || tomlPath != nil else { throw .noConfig(directory: options.baseDirectory) }

        // A git tree read from a subdirectory (`--at`, `--staged` in `server/`): alembic resolves a
        // relative script_location against the current directory, as the work tree's reading
        // does. Paths the config builds from %(here)s, or revgraph finds, are marked absolute
        // (rooted at the repository) and made repository-relative again below.
        let base = options.baseDirectory
        let fromSubdirectory = tree is GitSourceTree && !options.pathsFromConfigDirectory && !base.isEmpty && base != "."
        func rooted(_ dir: String) -> String { fromSubdirectory ? "/" + (dir == "." ? "" : dir) : dir }
        func unrooted(_ path: String) -> String {
            guard fromSubdirectory else { return path }
            return path.hasPrefix("/") ? normalizePath(String(path.drop { $0 == "/" })) : normalizePath(base.joiningPath(path))
        }
        let ini = iniPath.map { (text: texts[$0]!, path: $0, here: rooted(tree.directory(of: $0))) }
        let toml = tomlPath.map { (text: texts[$0]!, path: $0, here: rooted(tree.directory(of: $0))) }
        // Flask-Migrate: the ini's own directory is the script location when it holds env.py.
        var flaskDirectory: String?
        if let iniPath {
            let dir = tree.directory(of: iniPath)
            if try tree.read(dir.joiningPath("env.py")) != nil { flaskDirectory = rooted(dir) }
        }
        do {
            let configDirectory = tree.directory(of: iniPath ?? tomlPath!)
            var config = try ProjectConfig.read(
                ini: ini, toml: toml, section: options.section, flaskMigrateDirectory: flaskDirectory,
                packageDirectory: { Self.packageDirectory($0, from: configDirectory, in: tree).map(rooted) })
            config.scriptLocation = unrooted(config.scriptLocation)
            config.versionLocations = config.versionLocations.map(unrooted)
            return (config, iniPath ?? tomlPath!)
        } catch {
            throw .config(error)
        }
    }

    /// Where a `package:path` script location is in `tree`: the package beside the config or in a
    /// directory above it (up to the repository's root), directly, under `src/` or `lib/`, or
    /// under the directory `pyproject.toml` (`package-dir`) or `setup.cfg` (`package_dir`) names.
    static func packageDirectory(_ resource: PackageResource, from configDirectory: String, in tree: SourceTree) -> String? {
        var dir = configDirectory
        for _ in 0..<16 {
            var bases = [dir, dir.joiningPath("src"), dir.joiningPath("lib")]
            for file in ["pyproject.toml", "setup.cfg"] {
                guard let bytes = try? tree.read(dir.joiningPath(file)) else { continue }
                bases += packageRoots(declaredIn: String(decoding: bytes, as: UTF8.self)).map { dir.joiningPath($0) }
            }
            for base in bases {
                let candidate = normalizePath(base.joiningPath(resource.relativePath))
                if (try? tree.files(in: candidate, recursive: false)) != nil { return candidate }
            }
            // The repository's root (a work tree's holds .git; a git tree's is "").
            if dir.isEmpty || dir == "." || dir == "/" || (try? tree.files(in: dir.joiningPath(".git"), recursive: false)) != nil {
                return nil
            }
            let parent = tree.directory(of: dir)
            if parent == dir { return nil }
            dir = parent
        }
        return nil
    }

    /// The package root directories a `pyproject.toml` (`"" = "src"` under package-dir) or a
    /// `setup.cfg` (`package_dir = =src`) declares.
    static func packageRoots(declaredIn text: String) -> [String] {
        var roots: [String] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.filter { $0 != " " && $0 != "\t" }
            for prefix in ["\"\"=\"", "''='", "=", "package_dir==", "package-dir={\"\"=\""] where line.hasPrefix(prefix) {
                let value = line.dropFirst(prefix.count).prefix { $0 != "\"" && $0 != "'" && $0 != "}" && $0 != "#" }
                if !value.isEmpty, !value.contains("="), !value.contains(".."), !value.hasPrefix("/") { roots.append(String(value)) }
            }
        }
        return roots
    }

    /// The config, its paths starting at its directory when the options say so (`%(here)s/…`
    /// already starts there; repository-relative in git).
    func loadAdjustedConfig(from tree: SourceTree) throws(WorkspaceError) -> (ProjectConfig, String) {
        var (c, p) = try loadConfig(from: tree)
        if options.pathsFromConfigDirectory {
            let dir = tree.directory(of: p)
            func fromConfig(_ path: String) -> String {
                dir == "." || path == dir || path.hasPrefix(dir + "/") ? path : dir.joiningPath(path)
            }
            c.scriptLocation = fromConfig(c.scriptLocation)
            c.versionLocations = c.versionLocations.map(fromConfig)
        }
        return (c, p)
    }

    /// Loads the project from `tree`.
    public func load(from tree: SourceTree) throws(WorkspaceError) -> LoadedProject {
        var config: ProjectConfig?
        var configPath: String?
        var locations = options.versionDirectories
        var recursive = options.recursiveVersions
        if !locations.isEmpty, !options.configPaths.isEmpty {
            // A config and directories together: the config's template, file_template and
            // settings; the directories (and `recursive`) are where the revision files are.
            let (c, p) = try loadAdjustedConfig(from: tree)
            config = c
            configPath = p
        } else if locations.isEmpty {
            let (c, p) = try loadAdjustedConfig(from: tree)
            config = c
            configPath = p
            locations = c.versionLocations
            recursive = c.recursiveVersionLocations
            var anyExists = try tree.files(in: c.scriptLocation, recursive: false) != nil
            for l in locations where !anyExists { anyExists = try tree.files(in: l, recursive: false) != nil }
            if !anyExists { throw .scriptLocationMissing(path: c.scriptLocation, config: p) }
        }
        let (names, keySuffix) = Self.names(config, defined: options.definedNames)
        var problems: [GraphProblem] = []
        var revisions: [Revision] = []
        var checksums: [String: String] = [:]
        var fileCount = 0
        var seenPaths = Set<String>()
        var anyLocation = false
        // 1. The migration files, in Alembic's order; then their parses from the project snapshot,
        //    or each from the parse cache by its key.
        let workTree = tree as? FileSystemTree
        // Only the work tree has snapshots (git trees are answered by blob id).
        let snapshotName = cache != nil && workTree != nil && !locations.isEmpty
            ? Self.snapshotProject(locations: locations, recursive: recursive, keySuffix: keySuffix) : nil
        // The work tree, its versions directories not walked recursively: while every directory's
        // stat data is as the snapshot has it, its listing is the stored one (no directory is read;
        // every stored file is still stat'ed and compared).
        if let cache, let workTree, let snapshotName, !recursive,
           let hit = cache.snapshot(project: snapshotName, .unchangedDirectories(
               directory: { workTree.directoryStat($0) }, files: { workTree.regularFileStats($0) }))
        {
            var checksums: [String: String] = [:]
            checksums.reserveCapacity(hit.parses.revisions.count)
            for (r, checksum) in zip(hit.parses.revisions, hit.parses.checksums) where checksum != nil { checksums[r.id] = checksum }
            return finish(config: config, configPath: configPath, revisions: hit.parses.revisions, problems: hit.parses.problems,
                          fileCount: hit.count, checksums: checksums, locations: locations, fingerprint: nil)
        }
        // Their stat data before they are read (stored with a snapshot: a change during the walk
        // then shows as a difference next time).
        let directories: [WorkTreeSnapshot.File] = workTree.map { t in
            recursive ? [] : locations.compactMap { l in t.directoryStat(l).map { WorkTreeSnapshot.File(path: l, stat: $0) } }
        } ?? []
        var pending: [SourceFile] = []
        for location in locations {
            guard let files = try tree.files(in: location, recursive: recursive) else { continue }
            anyLocation = true
            pending.reserveCapacity(pending.count + files.count)
            for file in files {
                guard isMigrationPath(file.path) else { continue }
                // One directory lists each file once; several locations may name the same one.
                if locations.count > 1 { guard seenPaths.insert(normalizePath(file.path)).inserted else { continue } }
                fileCount += 1
                pending.append(file)
            }
        }
        let fingerprint: [String]? = pending.allSatisfy({ $0.blobID != nil })
            ? pending.map { $0.path + "\t" + $0.blobID! } : nil
        if let previous = reusing, let fingerprint, previous.fingerprint == fingerprint,
           previous.config == config, previous.configPath == configPath, previous.versionLocations == locations
        {
            return previous
        }
        // The work tree: the project's snapshot answers for every file at once when none changed.
        var snapshotFiles: [WorkTreeSnapshot.File] = []
        if cache != nil, !pending.isEmpty {
            snapshotFiles.reserveCapacity(pending.count)
            for i in pending.indices {
                guard let st = pending[i].stat else { break }
                snapshotFiles.append(WorkTreeSnapshot.File(path: pending[i].path, stat: st))
            }
        }
        let snapshotProject = snapshotFiles.count == pending.count && !pending.isEmpty ? snapshotName : nil  // nil outside the work tree
        // The revisions are built from them as they are (no per-file keys or slots are made).
        let snapshotOutcomes = snapshotProject.flatMap { cache?.snapshot(project: $0, .listed(snapshotFiles))?.parses }
        let fromSnapshot = snapshotOutcomes != nil
        // Served from the listing: the snapshot's directories were not as now (or it kept none).
        if fromSnapshot, let project = snapshotProject, directories.count == locations.count {
            cache?.refreshSnapshotDirectories(project: project, directories: directories)
        }
        // Otherwise each file's cache key and cached parse, by position in `pending`.
        var keys: [String?] = []
        var outcomes: [MigrationParser.Outcome?] = []
        if !fromSnapshot {
            keys.reserveCapacity(pending.count)
            outcomes.reserveCapacity(pending.count)
            for file in pending {
                let name = lastPathComponent(file.path)
                let extra = keySuffix.isEmpty ? MigrationParser.cacheKeyPart(fileName: name)
                    : keySuffix + MigrationParser.cacheKeyPart(fileName: name)
                let key = file.blobID.map { extra.isEmpty ? $0 : $0 + extra }
                    ?? file.stat.map { ParseCache.workTreeKey(path: file.path, stat: $0, suffix: extra) }
                keys.append(key)
                outcomes.append(key.flatMap { cache?.lookup(key: $0, path: file.path, stat: file.stat) })
            }
        }
        // 2. The rest read and parsed: in parallel on the work tree (git handles are one thread's).
        let misses = outcomes.indices.filter { outcomes[$0] == nil }
        let parsed = Self.readAndParse(misses.map { (pending[$0].path, lastPathComponent(pending[$0].path)) }, from: tree, names: names)
        // 3. In file order: problems, cache entries, revisions.
        var snapshotable = snapshotProject != nil && !fromSnapshot
        for (k, i) in misses.enumerated() {
            switch parsed[k] {
            case .success(let outcome?):
                outcomes[i] = outcome
                if let key = keys[i] { cache?.store(key: key, path: pending[i].path, stat: pending[i].stat, outcome) }
            case .success(nil):
                snapshotable = false
                // Listed but not readable by that name (removed meanwhile, or a name that is not
                // UTF-8): said, never silently left out.
                outcomes[i] = MigrationParser.Outcome(revision: nil, problems: [
                    GraphProblem(kind: .parseError, severity: .warning, path: pending[i].path, line: 1,
                                 message: "'\(pending[i].path)' is listed in its directory but could not be read (removed meanwhile, or its name is not UTF-8); it was left out",
                                 fix: "rename it with a UTF-8 name, or run again"),
                ])
            case .failure(let error):
                // A file that cannot be read as a migration is reported, and the rest still load.
                switch error {
                case .notRegularFile, .tooLarge:
                    snapshotable = false
                    outcomes[i] = MigrationParser.Outcome(revision: nil, problems: [
                        GraphProblem(kind: .parseError, severity: .warning, path: pending[i].path, line: 1,
                                     message: error.description, fix: "move it out of the versions directory"),
                    ])
                default: throw error
                }
            }
        }
        if snapshotable, let project = snapshotProject {
            cache?.storeSnapshot(project: project, directories: directories.count == locations.count ? directories : [],
                                 files: snapshotFiles, outcomes: outcomes.map { $0! })
        }
        revisions.reserveCapacity(pending.count)
        checksums.reserveCapacity(pending.count)
        func collect(_ outcome: MigrationParser.Outcome) {
            if let r = outcome.revision {
                revisions.append(r)
                if let checksum = outcome.checksum { checksums[r.id] = checksum }
            }
            if !outcome.problems.isEmpty { problems.append(contentsOf: outcome.problems) }
        }
        if let snapshotOutcomes {
            revisions = snapshotOutcomes.revisions
            for (r, checksum) in zip(revisions, snapshotOutcomes.checksums) where checksum != nil { checksums[r.id] = checksum }
            problems.append(contentsOf: snapshotOutcomes.problems)
        } else {
            for outcome in outcomes { if let outcome { collect(outcome) } }
        }
        if !anyLocation && !options.versionDirectories.isEmpty {
            throw .noVersionLocation(paths: locations)
        }
        if revisions.isEmpty, !recursive { problems += try Self.nestedRevisionFiles(locations, in: tree) }
        return finish(config: config, configPath: configPath, revisions: revisions, problems: problems, fileCount: fileCount,
                      checksums: checksums, locations: locations, fingerprint: fingerprint)
    }

    /// Warnings for version locations that hold no revision file but whose subdirectories hold
    /// Python files: alembic reads none of them without `recursive_version_locations`.
    static func nestedRevisionFiles(_ locations: [String], in tree: SourceTree) throws(WorkspaceError) -> [GraphProblem] {
        var out: [GraphProblem] = []
        for location in locations {
            guard let all = try tree.files(in: location, recursive: true) else { continue }
            let prefix = location == "." || location.isEmpty ? "" : normalizePath(location) + "/"
            let nested = Set(all.compactMap { f -> String? in
                let rest = f.path.hasPrefix(prefix) ? String(f.path.dropFirst(prefix.count)) : f.path
                guard rest.hasSuffix(".py"), let slash = rest.firstIndex(of: "/") else { return nil }
                let dir = String(rest[..<slash])
                return dir == "__pycache__" ? nil : dir
            }).sorted()
            guard !nested.isEmpty else { continue }
            out.append(GraphProblem(
                kind: .emptyVersionLocation, severity: .warning, path: location, revisions: [],
                message: "no revision file in this version location, but its subdirectories \(nested.prefix(5).map { "'\($0)'" }.joined(separator: ", "))\(nested.count > 5 ? " and \(nested.count - 5) more" : "") hold Python files, which alembic reads only with recursive_version_locations = true",
                fix: "set recursive_version_locations = true, or describe the layout in revgraph.toml ([projects.<name>] config = the ini, versions = the directories, recursive = true)"))
        }
        return out
    }

    /// The graph of the loaded revisions, its problems after the files' own, and the project.
    private func finish(config: ProjectConfig?, configPath: String?, revisions: [Revision], problems: [GraphProblem],
                        fileCount: Int, checksums: [String: String], locations: [String], fingerprint: [String]?) -> LoadedProject
    {
        var problems = problems
        let graph = RevisionGraph(revisions: revisions)
        problems.append(contentsOf: graph.problems)
        problems.append(contentsOf: graph.identifierWarnings())
        if !graph.hasCycles {
            problems.append(contentsOf: graph.headConflicts(maxHeads: options.maxHeads ?? config?.maxHeads))
        }
        return LoadedProject(
            config: config, configPath: configPath, graph: graph, problems: problems, fileCount: fileCount,
            checksums: checksums, versionLocations: locations, spec: nil, fingerprint: fingerprint)
    }

    /// The name of a project's work-tree snapshot: a digest of what selects and shapes its files'
    /// parses (the version directories, whether they are walked, the defined names).
    static func snapshotProject(locations: [String], recursive: Bool, keySuffix: String) -> String {
        let text = locations.joined(separator: "\u{0}") + "\u{1}" + (recursive ? "r" : "-") + "\u{1}" + keySuffix
        return String(SHA256.hex(Array(text.utf8)).prefix(16))
    }

    /// Reads and parses `files` (path, file name), answers in the same order. On the work tree
    /// with more than a few dozen files, two workers share the list (this kind of machine has two
    /// cores); results never depend on the split.
    static func readAndParse(_ files: [(path: String, name: String)], from tree: SourceTree, names: [String: String])
        -> [Result<MigrationParser.Outcome?, WorkspaceError>]
    {
        guard let fsTree = tree as? FileSystemTree else { return files.map { readAndParseOne($0, tree, names) } }
        return TwoWorkers.map(files.count, minimum: 64) { readAndParseOne(files[$0], fsTree, names) }
    }

    private static func readAndParseOne(_ f: (path: String, name: String), _ tree: some SourceTree, _ names: [String: String])
        -> Result<MigrationParser.Outcome?, WorkspaceError>
    {
        do {
            guard let bytes = try tree.read(f.path) else { return .success(nil) }
            var outcome = MigrationParser.parse(path: f.path, fileName: f.name, bytes: bytes, names: names)
            outcome.checksum = Checksum.of(bytes)
            return .success(outcome)
        } catch {
            return .failure(error)
        }
    }
}
