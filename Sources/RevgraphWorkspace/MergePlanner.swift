import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphGit

/// Why a merge revision could not be planned or written.
public enum MergeError: Error, Sendable {
    case noConfig
    case graph(RevisionGraphError)
    case duplicateHead(String)
    case notAHead(String)
    case illegalCharacters(id: String, characters: String)
    case unusableID(String)
    case revisionExists(String)
    case notAVersionLocation(path: String, locations: [String])
    case multipleVersionLocations
    case badDate(String)
    case unknownTimezone(String)
    case templateUnreadable(path: String)
    /// The template is a FIFO or device, or larger than a template can be.
    case templateRefused(path: String, WorkspaceError)
    case templateUnsupported(path: String, MakoTemplate.Unsupported)
    case fileName(RevisionFileName.TemplateError)
    case leavesVersions(String)
    case write(AtomicFile.WriteError)
    case stageOutside(String)
    case stage(path: String, GitError)

    /// True for errors in what the user asked (exit 64), false for what could not be done (exit 2).
    public var isUsage: Bool {
        switch self {
        case .duplicateHead, .notAHead, .illegalCharacters, .unusableID, .revisionExists, .notAVersionLocation,
             .multipleVersionLocations, .badDate:
            return true
        case .graph(let e): if case .cycle = e { return false } else { return true }
        default: return false
        }
    }
}

extension MergeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .noConfig: return "'merge' needs the project's config (script_location, file_template)"
        case .graph(let e): return e.description + (e.advice.map { "; \($0)" } ?? "")
        case .duplicateHead(let id): return "Duplicate head revisions specified ('\(id)')"
        case .notAHead(let id): return "Revision \(id) is not a head revision"
        case .illegalCharacters(let id, let c): return "Character(s) '\(c)' not allowed in revision identifier '\(id)'"
        case .unusableID(let id): return "revision identifier '\(id)' cannot be used in a file name"
        case .revisionExists(let id): return "revision '\(id)' already exists"
        case .notAVersionLocation(let p, let ls):
            return "Path \(p) is not represented in current version locations (\(ls.joined(separator: ", ")))"
        case .multipleVersionLocations: return "Multiple version locations present"
        case .badDate(let d): return "'\(d)' is not a date and time of the form 'YYYY-MM-DD HH:MM:SS[.ffffff]'"
        case .unknownTimezone(let tz): return "Can't locate timezone: \(tz)"
        case .templateUnreadable(let p):
            return "cannot read '\(p)'"
        case .templateRefused(_, let e):
            return e.description
        case .templateUnsupported(let p, let u):
            return "\(p):\(u.line): unsupported template construct \(u.construct)"
        case .fileName(let e): return e.description
        case .leavesVersions(let n): return "file_template produced '\(n)', which leaves the versions directory"
        case .write(let e): return e.description
        case .stageOutside(let p): return "wrote '\(p)' but cannot stage it: it is outside the repository's work tree"
        case .stage(_, let e): return "wrote the file but could not stage it: \(e)"
        }
    }
}

/// Plans and writes merge revisions: which heads, which directory, which file name, and the
/// rendered `script.py.mako`, as `alembic merge` would write them.
public struct MergePlanner {
    /// What the user asked for.
    public struct Request: Sendable {
        /// Revisions to merge (default: heads).
        public var revisions: [String] = []
        /// One merge revision per group of conflicting heads.
        public var auto = false
        public var message: String?
        public var revID: String?
        public var branchLabel: String?
        public var versionPath: String?
        public var splice = false
        public var builtinTemplate = false
        /// `--date`, as given.
        public var date: String?
        /// Overrides the config's max heads for `auto`.
        public var maxHeads: Int?
        public init() {}
    }

    /// One file to write.
    public struct PlannedFile: Sendable {
        public var id: String
        public var heads: [String]
        /// As the config names the directory (relative to the base directory, or absolute).
        public var path: String
        public var text: String
    }

    let workspace: Workspace
    let project: LoadedProject

    public init(workspace: Workspace, project: LoadedProject) {
        self.workspace = workspace
        self.project = project
    }

    /// The files the request would write; empty when `auto` finds no conflicting heads.
    public func plan(_ request: Request) throws(MergeError) -> [PlannedFile] {
        let g = project.graph
        guard let config = project.config else { throw .noConfig }
        let groups = try headGroups(request, config: config)
        guard !groups.isEmpty else { return [] }
        let template = try loadTemplate(config, builtin: request.builtinTemplate)
        let date = try createDate(request.date, config: config)
        var rng = SystemRandomNumberGenerator()
        var out: [PlannedFile] = []
        for heads in groups {
            let id = request.revID ?? RevisionFileName.newRevisionID(using: &rng)
            try checkID(id)
            let dir = try directory(request.versionPath, heads: heads, config: config)
            let fileName: String
            do {
                fileName = try RevisionFileName.fileName(template: config.fileTemplate, rev: id, message: request.message,
                                                         date: date, truncateLength: config.truncateSlugLength)
            } catch { throw .fileName(error) }
            guard !fileName.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !fileName.hasPrefix("/") else {
                throw .leavesVersions(fileName)
            }
            let context: [String: PythonValue] = [
                "up_revision": .string(id),
                "down_revision": .revisions(heads.map { g.id($0) }),
                "branch_labels": request.branchLabel.map { .tuple([$0]) } ?? .none,
                "depends_on": .none,
                "create_date": .datetime(date.pythonString),
                "message": .string(request.message ?? "empty message"),
            ]
            let text: String
            do { text = try template.render(context, mainOptions: config.mainOptions) } catch {
                throw .templateUnsupported(path: templatePath(config, builtin: request.builtinTemplate), error)
            }
            out.append(PlannedFile(id: id, heads: heads.map { g.id($0) }, path: dir.joiningPath(fileName), text: text))
        }
        return out
    }

    /// Writes a planned file (never over an existing one) and, with `stage`, adds it to the index.
    /// - Returns: the absolute path written.
    public func write(_ file: PlannedFile, stage: Bool) throws(MergeError) -> String {
        try Self.write(file, stage: stage, workspace: workspace)
    }

    /// Creates the file (never over an existing one), and stages it when asked.
    public static func write(_ file: PlannedFile, stage: Bool, workspace: Workspace) throws(MergeError) -> String {
        let abs = workspace.absolutePath(file.path)
        do { try AtomicFile.createNew(abs, contents: Array(file.text.utf8)) } catch { throw .write(error) }
        if stage {
            let repository: GitRepository
            do { repository = try workspace.repository() } catch {
                if case .git(let e) = error { throw .stage(path: abs, e) }
                throw .stageOutside(abs)
            }
            guard let root = repository.workdir.map(normalizePath), abs.hasPrefix(root + "/") else { throw .stageOutside(abs) }
            do { try repository.stage(String(abs.dropFirst(root.count + 1))) } catch { throw .stage(path: abs, error) }
        }
        return abs
    }

    func headGroups(_ request: Request, config: ProjectConfig) throws(MergeError) -> [[Int]] {
        let g = project.graph
        if request.auto {
            return g.headConflicts(maxHeads: request.maxHeads ?? config.maxHeads).compactMap { p in
                let ids = p.revisions.compactMap { g.index[$0] }
                return ids.count > 1 ? ids : nil
            }
        }
        var heads: [Int] = []
        for r in request.revisions.isEmpty ? ["heads"] : request.revisions {
            let resolved: [Int]
            do { resolved = try g.resolveRevisions(r) } catch { throw .graph(error) }
            for i in resolved {
                if heads.contains(i) { throw .duplicateHead(g.id(i)) }
                heads.append(i)
            }
        }
        if !request.splice, let notHead = heads.first(where: { !g.isHead($0) }) { throw .notAHead(g.id(notHead)) }
        return [heads]
    }

    func checkID(_ id: String) throws(MergeError) {
        if let bad = Revision.illegalCharacters(in: id) { throw .illegalCharacters(id: id, characters: bad) }
        if id.isEmpty || id.contains("/") || id.contains("\\") || id == "." || id == ".." { throw .unusableID(id) }
        if project.graph.index[id] != nil { throw .revisionExists(id) }
    }

    /// `--version-path` (must be a version location), the first head's directory, or the only location.
    func directory(_ versionPath: String?, heads: [Int], config: ProjectConfig) throws(MergeError) -> String {
        // The project's own directories (revgraph.toml's versions, when it gives them with a config).
        let locations = !workspace.selection.versionDirectories.isEmpty ? workspace.selection.versionDirectories
            : project.versionLocations.isEmpty ? config.versionLocations : project.versionLocations
        if let versionPath {
            let wanted = workspace.selection.absolute(versionPath)
            guard let match = locations.first(where: { workspace.absolutePath($0) == wanted }) else {
                throw .notAVersionLocation(path: versionPath, locations: locations)
            }
            return match
        }
        if locations.count > 1 {
            guard let first = heads.first else { throw .multipleVersionLocations }
            return project.graph.revision(first).path.deletingLastPathComponent
        }
        return locations[0]
    }

    func templatePath(_ config: ProjectConfig, builtin: Bool) -> String {
        builtin ? "built-in template" : config.scriptLocation.joiningPath("script.py.mako")
    }

    func loadTemplate(_ config: ProjectConfig, builtin: Bool) throws(MergeError) -> MakoTemplate {
        let path = templatePath(config, builtin: builtin)
        let text: String
        if builtin {
            text = BuiltinTemplate.generic
        } else {
            // Never blocks on a FIFO, never reads more than a source file may be (16 MiB).
            let bytes: [UInt8]?
            do { bytes = try FileSystemTree(currentDirectory: "/").read(workspace.absolutePath(path)) } catch {
                throw .templateRefused(path: path, error)
            }
            guard let bytes else { throw .templateUnreadable(path: path) }
            text = String(decoding: bytes, as: UTF8.self)
        }
        do { return try MakoTemplate(text) } catch { throw .templateUnsupported(path: path, error) }
    }

    /// The Create Date: `--date` in the config's timezone (else local), or now. With a timezone,
    /// the date carries the UTC offset in effect at that instant (`+01:00`, as Python prints an
    /// aware datetime; seconds only when the offset has them). Zones come from the system's tz
    /// database (ZoneInfoFiles), as Python's zoneinfo takes them.
    func createDate(_ given: String?, config: ProjectConfig) throws(MergeError) -> RevisionFileName.Date {
        var zone = ZoneInfoFiles.local()
        var named = false
        if let tz = config.timezone {
            guard let z = ZoneInfoFiles.zone(named: tz) ?? ZoneInfoFiles.zone(named: tz.uppercased()) else { throw .unknownTimezone(tz) }
            zone = z
            named = true
        }
        func offsetText(_ secs: Int) -> String? {
            guard named else { return nil }
            let a = abs(secs)
            return (secs < 0 ? "-" : "+") + CivilTime.padded(a / 3600) + ":" + CivilTime.padded(a % 3600 / 60)
                + (a % 60 == 0 ? "" : ":" + CivilTime.padded(a % 60))
        }
        if let given {
            guard let d = CreateDate(parsing: given) else { throw .badDate(given) }
            let local = CivilTime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second).seconds
            let instant = zone.utc(fromLocal: local)
            return RevisionFileName.Date(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute,
                                         second: d.second, microsecond: d.microsecond,
                                         utcOffset: offsetText(zone.offset(atUTC: instant)), epoch: Int(instant))
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let offset = zone.offset(atUTC: Int64(now.tv_sec))
        let c = CivilTime(seconds: Int64(now.tv_sec) + Int64(offset))
        return RevisionFileName.Date(year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second,
                                     microsecond: Int(now.tv_nsec) / 1000, utcOffset: offsetText(offset), epoch: Int(now.tv_sec))
    }
}
