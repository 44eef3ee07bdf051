/// revgraph's own settings, from `[revgraph]` in the ini or `[tool.revgraph]` in `pyproject.toml`,
/// parsed once. An unknown key or a malformed value is a ``ProjectConfig/ConfigError``.
public struct RevgraphSettings: Sendable, Equatable {
    /// What the post-merge hook does when a merge forked the graph.
    public enum PostMerge: String, Sendable, CaseIterable {
        case off, suggest, create
        case createAndStage = "create-and-stage"
    }

    /// What the hook scripts do when revgraph is not installed (read by the shell scripts).
    public enum OnMissing: String, Sendable, CaseIterable { case fail, pass }

    /// `published_refs`: refs whose revisions must never change (`verify --published-from-config`, release tags).
    public var publishedRefs: [String] = []
    /// `protected_refs`: what the pre-commit hook protects; nil means the default (upstream and origin/HEAD).
    public var protectedRefs: [String]?
    /// `push_target`: the branch a push will be merged into.
    public var pushTarget: String?
    public var postMerge: PostMerge = .suggest
    public var onMissing: OnMissing = .fail
    /// `release_pattern`: the glob of release tags.
    public var releasePattern = "v*"
    public var versionTable = "alembic_version"
    public var ledgerTable = "revgraph_ledger"
    public var versionTableSchema: String?
    /// `stale_fetch_hours`: pre-push suggests `git fetch` when the target was fetched longer ago.
    public var staleFetchHours = 24
    /// `max_heads`: the most heads allowed in total (default: one per branch).
    public var maxHeads: Int?
    /// `name.<dotted.name> = value`: values for names the migration files do not bind.
    public var names: [String: String] = [:]
    /// `[revgraph.lint]` / `[tool.revgraph.lint]`, read here as `lint.<key>`; `dialect` also in `[revgraph]`.
    public var lint = LintSettings()

    /// Every key revgraph reads (besides `name.*`).
    public static let keys = [
        "ledger_table", "max_heads", "on_missing", "post_merge", "protected_refs", "published_refs", "push_target",
        "release_pattern", "stale_fetch_hours", "version_table", "version_table_schema", "dialect",
    ]

    public init() {}

    /// Parses raw key/value pairs read from `path`.
    public init(raw: [String: String], path: String) throws(ProjectConfig.ConfigError) {
        try self.init(raw: raw.mapValues { (value: $0, path: path) })
    }

    /// Parses raw key/value pairs, each with the file it was read from.
    public init(raw: [String: (value: String, path: String)]) throws(ProjectConfig.ConfigError) {
        for key in raw.keys.sorted() {
            let (value, path) = raw[key]!
            let trimmed = value.trimmingPythonWhitespace()
            func expected(_ what: String) -> ProjectConfig.ConfigError {
                .badSetting(path: path, key: key, value: value, expected: what)
            }
            if key.hasPrefix("name.") {
                let name = String(key.dropFirst(5))
                guard !name.isEmpty else { throw expected("a dotted Python name after 'name.'") }
                names[name] = value
                continue
            }
            if key.hasPrefix("lint.") {
                try lint.set(String(key.dropFirst(5)), value, path: path)
                continue
            }
            let normal = key.replacingAll("-", with: "_")
            switch normal {
            case "published_refs": publishedRefs = Self.list(value)
            case "protected_refs": protectedRefs = Self.list(value)
            case "push_target": pushTarget = trimmed.isEmpty ? nil : trimmed
            case "post_merge":
                guard let mode = PostMerge(rawValue: trimmed) else {
                    throw expected(PostMerge.allCases.map(\.rawValue).joined(separator: ", "))
                }
                postMerge = mode
            case "on_missing":
                guard let mode = OnMissing(rawValue: trimmed) else {
                    throw expected(OnMissing.allCases.map(\.rawValue).joined(separator: ", "))
                }
                onMissing = mode
            case "release_pattern":
                guard !trimmed.isEmpty else { throw expected("a tag glob such as v*") }
                releasePattern = trimmed
            case "version_table", "ledger_table", "version_table_schema":
                guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "\n" || $0 == "\0" }) else {
                    throw expected("a table or schema name")
                }
                switch normal {
                case "version_table": versionTable = trimmed
                case "ledger_table": ledgerTable = trimmed
                default: versionTableSchema = trimmed
                }
            case "stale_fetch_hours":
                guard let n = Int(trimmed), n >= 0 else { throw expected("a whole number of hours") }
                staleFetchHours = n
            case "dialect": try lint.set("dialect", value, path: path)
            case "max_heads":
                guard let n = Int(trimmed), n >= 1 else { throw expected("a whole number of at least 1") }
                maxHeads = n
            default:
                throw .unknownSetting(path: path, key: key, known: Self.keys)
            }
        }
    }

    /// A list setting: items separated by newlines, spaces or commas.
    public static func list(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
    }
}
