/// How revgraph reads a Django project: `[django]` of `revgraph.toml` (or `[tool.revgraph.django]`
/// of `pyproject.toml`), since the project's settings module is never imported.
///
/// ```toml
/// [django]
/// root = "src"                 # the directory of manage.py (found when there is one)
/// exclude = ["lib/blocks"]      # app directories whose migrations package is not an app's
/// version = "5.2.19"           # Django's version, for the header of merge migrations
/// time_zone = "UTC"            # settings.TIME_ZONE
/// use_tz = true                # settings.USE_TZ
///
/// [django.settings]
/// AUTH_USER_MODEL = "accounts.User"   # swappable settings named by swappable_dependency()
///
/// [django.migration_modules]
/// blog = "blog.db_migrations"  # settings.MIGRATION_MODULES
/// ```
public struct DjangoSettings: Sendable, Equatable {
    public static let keys = ["exclude", "migration_modules", "root", "settings", "time_zone", "use_tz", "version"]

    public var root: String?
    /// App directories (or globs) whose migrations packages are not apps' (a library's helper
    /// package named `migrations`, an app not in INSTALLED_APPS), relative to the repository root.
    public var exclude: [String] = []
    public var version: String?
    public var timeZone = "UTC"
    public var useTZ = true
    public var swappable: [String: String] = ["AUTH_USER_MODEL": "auth.User"]
    /// App label → dotted module of its migrations.
    public var migrationModules: [String: String] = [:]
    /// Where they were read from (nil: defaults).
    public var declaredIn: String?

    public init() {}

    /// Reads `[<prefix>]` and its `settings` / `migration_modules` subtables; nil when absent.
    public static func parse(_ text: String, path: String, prefix: String = "django")
        throws(ProjectConfig.ConfigError) -> DjangoSettings?
    {
        let tables: TomlTables
        do { tables = try TomlTables(text: text) } catch { throw .toml(path: path, detail: error.description) }
        let main = tables.tables[prefix], subSettings = tables.tables[prefix + ".settings"]
        let subModules = tables.tables[prefix + ".migration_modules"]
        guard main != nil || subSettings != nil || subModules != nil else { return nil }
        var s = DjangoSettings()
        s.declaredIn = path
        for (key, value) in (main ?? [:]).sorted(by: { $0.key < $1.key }) {
            func bad(_ expected: String) -> ProjectConfig.ConfigError {
                .badSetting(path: path, key: "\(prefix).\(key)", value: "\(value)", expected: expected)
            }
            switch (key, value) {
            case ("root", .string(let v)): s.root = v
            case ("exclude", .array(let items)):
                for i in items {
                    guard case .string(let v) = i, !v.isEmpty else { throw bad("a list of directories or globs") }
                    s.exclude.append(v)
                }
            case ("exclude", _): throw bad("a list of directories or globs")
            case ("version", .string(let v)) where !v.isEmpty && !v.contains(where: { $0.isWhitespace }): s.version = v
            case ("time_zone", .string(let v)) where !v.isEmpty: s.timeZone = v
            case ("use_tz", .bool(let b)): s.useTZ = b
            case ("root", _): throw bad("a directory")
            case ("version", _): throw bad("a version string such as \"5.2.19\"")
            case ("time_zone", _): throw bad("a time zone name such as \"UTC\" or \"Europe/Paris\"")
            case ("use_tz", _): throw bad("true or false")
            default: throw .unknownSetting(path: path, key: "\(prefix).\(key)", known: keys)
            }
        }
        for (key, value) in (subSettings ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard case .string(let v) = value, v.split(separator: ".").count == 2 else {
                throw .badSetting(path: path, key: "\(prefix).settings.\(key)", value: "\(value)",
                                  expected: "\"app_label.ModelName\"")
            }
            s.swappable[key] = v
        }
        for (key, value) in (subModules ?? [:]).sorted(by: { $0.key < $1.key }) {
            // A module, as settings.MIGRATION_MODULES names it (a path would be read as no migrations).
            guard case .string(let v) = value, !v.isEmpty,
                  v.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(DjangoMigrationReader.isIdentifierLike) else {
                throw .badSetting(path: path, key: "\(prefix).migration_modules.\(key)", value: "\(value)",
                                  expected: "a dotted module name such as \"blog.db_migrations\" (not a path)")
            }
            s.migrationModules[key] = v
        }
        return s
    }

    /// The version a requirements file or `pyproject.toml` pins with `django==X` (case-insensitive).
    public static func pinnedVersion(in text: String) -> String? {
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "[" || $0 == "\"" || $0 == "'" }) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            guard line.lowercased().hasPrefix("django") else { continue }
            var rest = line.dropFirst(6).drop { $0 == " " }
            guard rest.hasPrefix("==") else { continue }
            rest = rest.dropFirst(2).drop { $0 == " " }
            let v = rest.prefix { $0.isNumber || $0.isLetter || $0 == "." }
            if let f = v.first, f.isNumber { return String(v) }
        }
        return nil
    }
}
