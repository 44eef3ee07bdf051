import FoundationEssentials
import Glibc
import RevgraphCore

/// Why a Django merge migration could not be planned.
public enum DjangoMergeError: Error, Sendable, CustomStringConvertible {
    case noVersion
    case badName(String)
    case unknownTimeZone(String)
    case notConflicting(app: String, conflicting: [String])
    case noCommonAncestor(app: String, leaves: [String])
    /// The app's leaves need a parent the app does not have: named before any merge is tried.
    case missingParent(app: String, missing: String, from: String)
    case cycle
    case badDate(String)

    public var description: String {
        switch self {
        case .noVersion:
            return "the merge migration's header names Django's version, and revgraph does not know it: set [django] version = \"X.Y.Z\" in revgraph.toml, pin django==X.Y.Z in requirements.txt, pass --django-version, or pass --no-header"
        case .badName(let n): return "The migration name must be a valid Python identifier ('\(n)')"
        case .unknownTimeZone(let tz): return "unknown time zone '\(tz)' ([django] time_zone)"
        case .notConflicting(let app, let c):
            return "app '\(app)' has one leaf; apps with several: \(c.isEmpty ? "none" : c.joined(separator: ", "))"
        case .missingParent(let app, let missing, let from):
            return "app \(app) lacks \(missing), a parent \(from) names: restore it (or correct the dependency) before writing a merge"
        case .noCommonAncestor(let app, let leaves):
            return "Could not find common ancestor of [\(leaves.map(PythonValue.reprString).joined(separator: ", "))] in app \(app)"
        case .badDate(let d): return "'\(d)' is not a date and time of the form 'YYYY-MM-DD HH:MM[:SS]' (UTC)"
        case .cycle: return "the migration graph has a cycle; run 'revgraph check' and break it first"
        }
    }

    /// Errors in what the user asked (exit 64) rather than in what could be done (exit 2).
    public var isUsage: Bool {
        switch self {
        case .badName, .notConflicting, .badDate: return true
        default: return false
        }
    }
}

/// Plans the merge migrations `makemigrations --merge --noinput` would write: one per app with
/// several leaves (or per app named), in that app's migrations directory.
public struct DjangoMergePlanner {
    public struct Request: Sendable {
        /// Apps to merge (default: every app with several leaves).
        public var apps: [String] = []
        /// `makemigrations --name`.
        public var name: String?
        /// Overrides `[django] version` and the requirements pin.
        public var djangoVersion: String?
        /// `--no-header`.
        public var noHeader = false
        /// The instant to use, `YYYY-MM-DD HH:MM[:SS]` in UTC (default: now).
        public var date: String?
        public init() {}
    }

    public let workspace: Workspace
    public let project: DjangoProject

    public init(workspace: Workspace, project: DjangoProject) {
        self.workspace = workspace
        self.project = project
    }

    public func plan(_ request: Request) throws(DjangoMergeError) -> [MergePlanner.PlannedFile] {
        let graph = project.graph
        if graph.hasCycles { throw .cycle }
        if let n = request.name, !DjangoMigrationReader.isIdentifierLike(Substring(n)) { throw .badName(n) }
        let conflicting = graph.conflicts.map(\.app)
        for a in request.apps where !conflicting.contains(a) { throw .notConflicting(app: a, conflicting: conflicting) }
        let apps = request.apps.isEmpty ? conflicting : conflicting.filter(request.apps.contains)
        guard !apps.isEmpty else { return [] }
        var version: String?
        if !request.noHeader {
            version = request.djangoVersion ?? project.settings.version ?? pinnedVersion()
            guard version != nil else { throw .noVersion }
        }
        let (header, name) = try times(request.date)
        var files: [MergePlanner.PlannedFile] = []
        for app in apps {
            if let gap = graph.missingParents(in: app).first {
                throw .missingParent(app: app, missing: gap.missing.description, from: gap.from.description)
            }
            let merge: DjangoMerge
            do {
                merge = try DjangoMerge.plan(app: app, graph: graph, options: .init(
                    djangoVersion: version, headerTime: header, nameTime: name, name: request.name))
            } catch {
                switch error { case .noCommonAncestor(let a, let l): throw .noCommonAncestor(app: a, leaves: l) }
            }
            let dir = project.app(app)?.directory ?? app
            files.append(MergePlanner.PlannedFile(id: merge.name, heads: merge.leaves.map(\.description), path: dir.joiningPath(merge.name + ".py"), text: merge.text))
        }
        return files
    }

    /// A `django==X` pin in the project's or the repository's requirements files or pyproject.toml.
    func pinnedVersion() -> String? {
        let tree = FileSystemTree(currentDirectory: workspace.selection.baseDirectory)
        var dirs = [project.root]
        if let r = workspace.root, r != project.root { dirs.append(r) }
        for dir in dirs {
            var names = ["requirements.txt", "pyproject.toml", "setup.cfg"]
            if let listed = try? tree.files(in: dir, recursive: false) {
                names += listed.map { String($0.path.split(separator: "/").last ?? "") }
                    .filter { $0.hasPrefix("requirements") && $0.hasSuffix(".txt") && $0 != "requirements.txt" }
                if let sub = try? tree.files(in: dir.joiningPath("requirements"), recursive: false) {
                    names += sub.map { "requirements/" + ($0.path.split(separator: "/").last.map(String.init) ?? "") }
                }
            }
            for n in names {
                guard let bytes = try? tree.read(dir.joiningPath(n)) else { continue }
                if let v = DjangoSettings.pinnedVersion(in: String(decoding: bytes, as: UTF8.self)) { return v }
            }
        }
        return nil
    }

    /// The header's time (`timezone.now()`: UTC with USE_TZ, else local in TIME_ZONE) and the
    /// name's (`datetime.now()`: local in TIME_ZONE), from `--date` (UTC) or now.
    func times(_ given: String?) throws(DjangoMergeError) -> (header: String, name: String) {
        let name = project.settings.timeZone
        guard let zone = ZoneInfoFiles.zone(named: name) ?? (name == "UTC" ? .utc : nil) else { throw .unknownTimeZone(name) }
        var instant: Int64
        if let given {
            let text = given.count == 16 ? given + ":00" : given
            guard let d = CreateDate(parsing: text) else { throw .badDate(given) }
            instant = CivilTime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second).seconds
        } else {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            instant = Int64(now.tv_sec)
        }
        func parts(_ z: ZoneInfo) -> CivilTime { CivilTime(seconds: instant + Int64(z.offset(atUTC: instant))) }
        func two(_ v: Int) -> String { CivilTime.padded(v) }
        let h = parts(project.settings.useTZ ? .utc : zone)
        let l = parts(zone)
        return ("\(h.year)-\(two(h.month))-\(two(h.day)) \(two(h.hour)):\(two(h.minute))",
                "\(l.year)\(two(l.month))\(two(l.day))_\(two(l.hour))\(two(l.minute))")
    }

}
