/// One Alembic project of a repository: found from its config file, or described in
/// `revgraph.toml` (`[projects.<name>]`) for layouts that exist only in code.
public struct ProjectSpec: Sendable, Equatable {
    /// How findings and `--project` name it: its directory relative to the repository root (`.` at the root),
    /// or the name `revgraph.toml` gives it.
    public var name: String
    /// Config files (an ini, a `pyproject.toml`, or both), relative to the repository root.
    public var configPaths: [String] = []
    /// Version directories read with no config, relative to the repository root.
    public var versionDirectories: [String] = []
    public var recursive = false
    /// The ini section.
    public var section: String?
    public var maxHeads: Int?
    /// Values for names the files do not bind (keys lower-case).
    public var names: [String: String] = [:]
    /// Where it was described (`revgraph.toml`), or nil when found by its config.
    public var declaredIn: String?

    public init(name: String) { self.name = name }

    /// Every path the spec names.
    public var paths: [String] { configPaths + versionDirectories }
}

/// The projects `revgraph.toml` (or `[tool.revgraph.projects.*]` of the root `pyproject.toml`) lists.
public enum ProjectList {
    public static let keys = ["config", "max_heads", "recursive", "section", "versions"]

    /// Parses `[projects.<name>]` tables (or `[tool.revgraph.projects.<name>]` when `prefix` says so).
    /// - Returns: nil when the file lists no project.
    public static func parse(_ text: String, path: String, prefix: String = "projects")
        throws(ProjectConfig.ConfigError) -> [ProjectSpec]?
    {
        let tables: TomlTables
        do { tables = try TomlTables(text: text) } catch { throw .toml(path: path, detail: error.description) }
        let start = prefix + "."
        var specs: [ProjectSpec] = []
        // `name.migration.EXPAND_BRANCH = "expand"` unquoted is a dotted key: TOML makes it the
        // table `projects.<name>.name.migration`; its keys are names all the same.
        var dottedNames: [String: [String: String]] = [:]
        for table in tables.tables.keys.sorted() where table.hasPrefix(start) {
            let parts = table.dropFirst(start.count).split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count > 1 else { continue }
            guard parts[1] == "name" else { throw .unknownSetting(path: path, key: table, known: keys) }
            let prefix = parts.count == 3 ? parts[2] + "." : ""
            for (key, value) in tables.tables[table]! {
                guard case .string(let v) = value else {
                    throw .badSetting(path: path, key: "\(table).\(key)", value: "\(value)", expected: "a string")
                }
                dottedNames[parts[0], default: [:]][(prefix + key).lowercased()] = v
            }
        }
        for table in tables.tables.keys.sorted() where table.hasPrefix(start) {
            let name = String(table.dropFirst(start.count))
            guard !name.isEmpty, !name.contains(".") else { continue }
            var spec = ProjectSpec(name: name)
            spec.names = dottedNames[name] ?? [:]
            spec.declaredIn = path
            for (key, value) in tables.tables[table]!.sorted(by: { $0.key < $1.key }) {
                func bad(_ expected: String) -> ProjectConfig.ConfigError {
                    .badSetting(path: path, key: "\(table).\(key)", value: "\(value)", expected: expected)
                }
                if key.hasPrefix("name.") {
                    guard case .string(let v) = value, key.count > 5 else { throw bad("a string") }
                    spec.names[String(key.dropFirst(5)).lowercased()] = v
                    continue
                }
                switch (key, value) {
                case ("config", .string(let s)): spec.configPaths = [s]
                case ("config", .array(let items)): spec.configPaths = try strings(items, bad)
                case ("versions", .string(let s)): spec.versionDirectories = [s]
                case ("versions", .array(let items)): spec.versionDirectories = try strings(items, bad)
                case ("recursive", .bool(let b)): spec.recursive = b
                case ("section", .string(let s)): spec.section = s
                case ("max_heads", .integer(let n)) where n >= 1: spec.maxHeads = n
                case ("config", _), ("versions", _): throw bad("a path or a list of paths")
                case ("recursive", _): throw bad("true or false")
                case ("section", _): throw bad("a section name")
                case ("max_heads", _): throw bad("a whole number of at least 1")
                default: throw .unknownSetting(path: path, key: "\(table).\(key)", known: keys)
                }
            }
            // Both: the config gives the template, file_template and settings; versions the layout.
            if spec.configPaths.isEmpty && spec.versionDirectories.isEmpty {
                throw .missingProjectPaths(path: path, table: table)
            }
            specs.append(spec)
        }
        return specs.isEmpty ? nil : specs
    }

    static func strings(_ items: [TomlTables.Value], _ bad: (String) -> ProjectConfig.ConfigError)
        throws(ProjectConfig.ConfigError) -> [String]
    {
        var out: [String] = []
        for i in items {
            guard case .string(let s) = i else { throw bad("a list of paths") }
            out.append(s)
        }
        return out
    }
}
