/// `[revgraph.lint]` (ini) or `[tool.revgraph.lint]` (pyproject.toml): which rules run, at what
/// severity, which imports are allowed, and what the pre-commit hook does with findings.
public struct LintSettings: Sendable, Equatable {
    /// What the pre-commit hook does with the findings of the revisions a commit adds or changes.
    public enum HookMode: String, Sendable, CaseIterable { case off, warn, block }

    /// `select`: only these rules (nil: every rule).
    public var select: Set<LintRule>?
    /// `ignore`: never these rules.
    public var ignore: Set<LintRule> = []
    /// `<rule> = error | warning | off`: a rule's severity changed, or the rule turned off.
    public var severities: [LintRule: GraphProblem.Severity?] = [:]
    /// `allowed_imports`: top-level packages that `model-import` accepts.
    public var allowedImports: Set<String> = []
    /// `hook`: off, warn (default) or block.
    public var hook: HookMode = .warn
    /// `dialect`: postgresql, sqlite, mysql (default: from sqlalchemy.url).
    public var dialect: LintDialect?

    public init() {}

    /// The severity a finding of `rule` gets; nil when the rule does not run.
    public func severity(of rule: LintRule) -> GraphProblem.Severity? {
        if let select, !select.contains(rule) { return nil }
        if ignore.contains(rule) { return nil }
        if let s = severities[rule] { return s }
        return rule.defaultSeverity
    }

    public static let keys = ["allowed_imports", "dialect", "hook", "ignore", "select", "<rule> (error, warning or off)"]

    /// Parses one `lint.<key>`; throws with what was expected.
    mutating func set(_ key: String, _ value: String, path: String) throws(ProjectConfig.ConfigError) {
        let trimmed = value.trimmingPythonWhitespace()
        func expected(_ what: String) -> ProjectConfig.ConfigError {
            .badSetting(path: path, key: "lint." + key, value: value, expected: what)
        }
        func rules(_ value: String) throws(ProjectConfig.ConfigError) -> Set<LintRule> {
            var out = Set<LintRule>()
            for name in RevgraphSettings.list(value) {
                guard let r = LintRule(rawValue: name) else { throw expected("rule names: " + LintRule.allCases.map(\.rawValue).joined(separator: ", ")) }
                out.insert(r)
            }
            return out
        }
        switch key.replacingAll("_", with: "-") {
        case "select": select = try rules(value)
        case "ignore": ignore = try rules(value)
        case "allowed-imports": allowedImports = Set(RevgraphSettings.list(value))
        case "hook":
            guard let m = HookMode(rawValue: trimmed) else { throw expected("off, warn or block") }
            hook = m
        case "dialect":
            guard let d = LintDialect(rawValue: trimmed) else { throw expected("postgresql, sqlite, mysql or other") }
            dialect = d
        default:
            guard let rule = LintRule(rawValue: key.replacingAll("_", with: "-")) else {
                throw .unknownSetting(path: path, key: "lint." + key, known: Self.keys.map { "lint." + $0 })
            }
            switch trimmed {
            case "error": severities[rule] = .error
            case "warning": severities[rule] = .warning
            case "off": severities[rule] = .some(nil)
            default: throw expected("error, warning or off")
            }
        }
    }
}
