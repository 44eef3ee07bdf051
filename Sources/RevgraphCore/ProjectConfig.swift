/// Alembic's settings for one project, read from `alembic.ini` (a section, `[alembic]` by default)
/// and `[tool.alembic]` in `pyproject.toml`: the ini wins, as in `Config.get_alembic_option`.
/// revgraph's own settings come from `[revgraph]` or `[tool.revgraph]`.
public struct ProjectConfig: Sendable, Equatable {
    public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
        case ini(path: String, IniFile.ParseError)
        case toml(path: String, detail: String)
        case missingSection(path: String, section: String)
        case missingScriptLocation(path: String)
        case packageResource(path: String, value: String)
        case badSeparator(path: String, key: String, value: String)
        case badBoolean(path: String, key: String)
        case badInteger(path: String, key: String, value: String)
        case badSetting(path: String, key: String, value: String, expected: String)
        case unknownSetting(path: String, key: String, known: [String])
        /// A `[projects.<name>]` table with neither `config` nor `versions`.
        case missingProjectPaths(path: String, table: String)

        public var description: String {
            switch self {
            case .ini(let p, let e): return "cannot read '\(p)': \(e)"
            case .toml(let p, let d): return "cannot read '\(p)': \(d)"
            case .missingSection(let p, let s):
                return "'\(p)' has no [\(s)] section"
            case .missingScriptLocation(let p):
                return "No 'script_location' key found in configuration '\(p)'; add script_location = %(here)s/<dir>"
            case .packageResource(let p, let v):
                let package = v.split(separator: ":").first.map(String.init) ?? v
                return "script_location '\(v)' in '\(p)' is a package resource (pkg:dir), and the package '\(package)' is not in this repository (looked beside the config and above it, under src/, and where pyproject.toml or setup.cfg place packages); write script_location as a path, or describe the project in revgraph.toml (config = the ini, versions = its versions directories)"
            case .badSeparator(let p, let k, let v):
                return "'\(v)' is not a valid value for \(k) in '\(p)'; expected 'space', 'newline', 'os', ':', ';'"
            case .badBoolean(let p, let k): return "boolean value expected for TOML parameter '\(k)' in '\(p)'"
            case .badInteger(let p, let k, let v): return "\(k) in '\(p)' must be an integer, found '\(v)'"
            case .badSetting(let p, let k, let v, let e):
                return "revgraph setting '\(k)' in '\(p)' has the value '\(v)'; expected \(e)"
            case .missingProjectPaths(let p, let t):
                return "[\(t)] in '\(p)' names no files; set config = \"<path to alembic.ini>\", versions = \"<versions directory>\" (or a list), or both (config for the template and settings, versions for where the revision files are)"
            case .unknownSetting(let p, let k, let known):
                return "unknown revgraph setting '\(k)' in '\(p)'; known settings: \(known.joined(separator: ", ")), name.<dotted.name>"
            }
        }
    }

    /// Where `env.py` and `script.py.mako` live.
    public var scriptLocation: String
    /// The directories revision files are read from, in order.
    public var versionLocations: [String]
    public var recursiveVersionLocations = false
    public var fileTemplate = "%(rev)s_%(slug)s"
    public var truncateSlugLength = 40
    public var timezone: String?
    public var sqlalchemyURL: String?
    /// revgraph's own settings (`[revgraph]`, `[tool.revgraph]`), typed.
    public var settings = RevgraphSettings()
    /// `[revgraph] max_heads`: the most heads allowed in total (default: one per branch).
    public var maxHeads: Int? { settings.maxHeads }
    /// The ini section's values, interpolated (what a template's `config.get_main_option` reads).
    public var mainOptions: [String: String] = [:]

    public init(scriptLocation: String, versionLocations: [String]) {
        self.scriptLocation = scriptLocation
        self.versionLocations = versionLocations
    }

    /// Reads the settings.
    /// - Parameters:
    ///   - ini: the text, path and directory of `alembic.ini`, when present.
    ///   - toml: the text, path and directory of `pyproject.toml`, when present.
    ///   - section: the ini section (`-n/--name`).
    ///   - flaskMigrateDirectory: the directory to use as script location when the ini has none
    ///     (Flask-Migrate keeps `alembic.ini` inside the script directory and sets it in code).
    public static func read(
        ini: (text: String, path: String, here: String)?,
        toml: (text: String, path: String, here: String)?,
        section: String = "alembic",
        flaskMigrateDirectory: String? = nil,
        packageDirectory: (PackageResource) -> String? = { _ in nil }
    ) throws(ConfigError) -> ProjectConfig {
        let src = try Sources(ini: ini, toml: toml, section: section, flaskMigrateDirectory: flaskMigrateDirectory)
        let scriptLocation = try src.scriptLocation(flaskMigrateDirectory: flaskMigrateDirectory, packageDirectory: packageDirectory)
        var config = ProjectConfig(
            scriptLocation: scriptLocation,
            versionLocations: try src.versionLocations() ?? [scriptLocation.joiningPath("versions")])
        config.recursiveVersionLocations = try src.boolean("recursive_version_locations")
        if let t = try src.option("file_template") { config.fileTemplate = t }
        if let t = try src.option("truncate_slug_length") {
            guard let n = Int(t) else { throw .badInteger(path: src.path, key: "truncate_slug_length", value: t) }
            config.truncateSlugLength = n == 0 ? 40 : n
        }
        config.timezone = try src.option("timezone")
        config.sqlalchemyURL = try src.iniValue("sqlalchemy.url")
        if let iniFile = src.iniFile, let keys = iniFile.sections[section]?.keys {
            for key in keys { config.mainOptions[key] = try? iniFile.value(section, key) }
        }
        config.settings = try RevgraphSettings(raw: try src.revgraphSettings())
        return config
    }
}

extension ProjectConfig {
    /// The parsed ini and TOML files, and Alembic's lookup rules over them (the ini wins).
    struct Sources {
        var iniFile: IniFile?
        var iniPath: String?
        var tool: [String: TomlTables.Value] = [:]
        var revgraphTool: [String: TomlTables.Value] = [:]
        var tomlPath: String?
        var tomlHere = ""
        let section: String
        /// The file named in messages about a value.
        var path: String { iniPath ?? tomlPath ?? "configuration" }

        init(ini: (text: String, path: String, here: String)?, toml: (text: String, path: String, here: String)?,
             section: String, flaskMigrateDirectory: String?) throws(ConfigError)
        {
            self.section = section
            if let ini {
                do { iniFile = try IniFile(text: ini.text, defaults: ["here": ini.here]) } catch { throw .ini(path: ini.path, error) }
                iniPath = ini.path
                if !iniFile!.hasSection(section), toml == nil, flaskMigrateDirectory == nil {
                    throw .missingSection(path: ini.path, section: section)
                }
            }
            if let toml {
                do {
                    let tables = try TomlTables(text: toml.text)
                    tool = tables.table("tool.alembic") ?? [:]
                    revgraphTool = tables.table("tool.revgraph") ?? [:]
                    for (k, v) in tables.table("tool.revgraph.lint") ?? [:] { revgraphTool["lint." + k] = v }
                } catch {
                    throw .toml(path: toml.path, detail: error.description)
                }
                tomlPath = toml.path
                tomlHere = toml.here
            }
        }

        func iniValue(_ key: String, section s: String? = nil) throws(ConfigError) -> String? {
            guard let iniFile else { return nil }
            do { return try iniFile.value(s ?? section, key) } catch { throw .ini(path: iniPath!, error) }
        }

        func tomlString(_ v: TomlTables.Value) -> String? {
            if case .string(let s) = v { return s.replacingHere(tomlHere) }
            return nil
        }

        /// `Config.get_alembic_option`: the ini section, then `[tool.alembic]`.
        func option(_ key: String) throws(ConfigError) -> String? {
            if let v = try iniValue(key) { return v }
            switch tool[key] {
            case .string?: return tomlString(tool[key]!)
            case .integer(let n)?: return String(n)
            case .bool(let b)?: return b ? "true" : "false"
            default: return nil
            }
        }

        func boolean(_ key: String) throws(ConfigError) -> Bool {
            if let v = try iniValue(key) { return v == "true" }
            if let v = tool[key] {
                guard case .bool(let b) = v else { throw .badBoolean(path: tomlPath!, key: key) }
                return b
            }
            return false
        }

        /// `script_location`: a path, or a `pkg:dir` resource that `packageDirectory` finds in the tree.
        func scriptLocation(flaskMigrateDirectory: String?, packageDirectory: (PackageResource) -> String?)
            throws(ConfigError) -> String
        {
            let configured = try option("script_location")
            guard let location = configured ?? flaskMigrateDirectory else {
                throw .missingScriptLocation(path: path)
            }
            let windowsDrive = location.count > 2 && location.dropFirst().first == ":"
            if location.contains(":"), !location.hasPrefix("/"), !windowsDrive {
                guard let resource = PackageResource(location), let dir = packageDirectory(resource) else {
                    throw .packageResource(path: path, value: location)
                }
                return dir
            }
            return location
        }

        /// `version_locations` split by `path_separator` (or the legacy comma/space rule), or TOML's list.
        func versionLocations() throws(ConfigError) -> [String]? {
            if let raw = try iniValue("version_locations"), !raw.isEmpty {
                var sepName = try iniValue("path_separator")
                if sepName == nil { sepName = try iniValue("version_path_separator") }
                guard let sepName else {
                    return raw.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
                }
                let table = ["space": " ", "newline": "\n", "os": ":", ":": ":", ";": ";"]
                guard let sep = table[sepName] else { throw .badSeparator(path: path, key: "path_separator", value: sepName) }
                return raw.split(separator: Character(sep), omittingEmptySubsequences: true)
                    .map { String($0).trimmingPythonWhitespace() }.filter { !$0.isEmpty }
            }
            if case .array(let items)? = tool["version_locations"] { return items.compactMap(tomlString) }
            return nil
        }

        /// `[revgraph]` of the ini, then `[tool.revgraph]`, raw, each with the file it came from.
        func revgraphSettings() throws(ConfigError) -> [String: (value: String, path: String)] {
            var raw: [String: (value: String, path: String)] = [:]
            if let iniFile, iniFile.hasSection("revgraph") {
                for key in (iniFile.sections["revgraph"] ?? [:]).keys.sorted() {
                    raw[key] = (try iniValue(key, section: "revgraph") ?? "", iniPath!)
                }
            }
            if let iniFile, iniFile.hasSection("revgraph.lint") {
                for key in (iniFile.sections["revgraph.lint"] ?? [:]).keys.sorted() {
                    raw["lint." + key] = (try iniValue(key, section: "revgraph.lint") ?? "", iniPath!)
                }
            }
            for (key, value) in revgraphTool where raw[key] == nil {
                let text: String?
                switch value {
                case .string(let s): text = s
                case .integer(let n): text = String(n)
                case .bool(let b): text = b ? "true" : "false"
                case .array(let items): text = items.compactMap(tomlString).joined(separator: "\n")
                case .other: text = nil
                }
                guard let text else {
                    throw .badSetting(path: tomlPath!, key: key, value: "(a table)", expected: "a string, number or list")
                }
                raw[key] = (text, tomlPath!)
            }
            return raw
        }
    }
}

extension String {
    /// The path without its last component, as Foundation's `NSString.deletingLastPathComponent`
    /// has it: trailing slashes ignored, "" for a bare name, "/" for a child of the root.
    public var deletingLastPathComponent: String {
        var bytes = Array(utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == 0 ? "/" : String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Joins path components with one `/`.
    public func joiningPath(_ component: String) -> String {
        // Bytes, not Characters: '/' and '.' are tested as code points (a directory walk joins
        // every file name through here).
        if component.utf8.first == UInt8(ascii: "/") { return component }
        let utf8 = self.utf8
        if utf8.isEmpty || (utf8.count == 1 && utf8.first == UInt8(ascii: ".")) { return component }
        let slash = utf8.last == UInt8(ascii: "/")
        var joined = ""
        joined.reserveCapacity(utf8.count + component.utf8.count + 1)
        joined += self
        if !slash { joined += "/" }
        joined += component
        return joined
    }

    /// Whether two strings hold the same code points (Python's `==`; Swift's compares canonical
    /// equivalence), compared as UTF-8 bytes.
    public func sameCodePoints(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] { return false }
                return true
            }
        }
    }

    /// TOML values format `%(here)s` with Python's `%` operator.
    func replacingHere(_ here: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstIndex(of: "%") {
            out += rest[..<r]
            let after = rest[r...]
            if after.hasPrefix("%(here)s") {
                out += here
                rest = after.dropFirst(8)
            } else if after.hasPrefix("%%") {
                out += "%"
                rest = after.dropFirst(2)
            } else {
                out += "%"
                rest = after.dropFirst()
            }
        }
        return out + rest
    }
}

/// A `package:path` script location (`myapp:migrations`, `myapp.db:migrations`): a directory
/// inside an importable package, which alembic finds through the package. revgraph finds the
/// package in the repository's own files instead of importing it.
public struct PackageResource: Sendable, Equatable {
    /// The package as path components (`myapp.db` -> `myapp/db`).
    public var package: String
    /// The path inside it; further colons are read as separators.
    public var path: String

    public init?(_ value: String) {
        guard let colon = value.firstIndex(of: ":") else { return nil }
        let pkg = value[..<colon], rest = value[value.index(after: colon)...]
        guard !pkg.isEmpty, pkg.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              !rest.contains("..") else { return nil }
        package = pkg.split(separator: ".").joined(separator: "/")
        path = rest.split(separator: ":").joined(separator: "/")
    }

    /// The resource's path below a directory that holds the package.
    public var relativePath: String { path.isEmpty ? package : package + "/" + path }
}
