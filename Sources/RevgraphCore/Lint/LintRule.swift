/// A lint rule: a stable name, a default severity, and what its findings tell.
public enum LintRule: String, Sendable, CaseIterable, Comparable {
    case dropTable = "drop-table"
    case dropColumn = "drop-column"
    case renameAsDropAdd = "rename-as-drop-add"
    case addNotNullWithoutDefault = "add-not-null-without-default"
    case setNotNull = "set-not-null"
    case columnTypeChange = "column-type-change"
    case indexWithoutConcurrently = "index-without-concurrently"
    case concurrentlyInTransaction = "concurrently-in-transaction"
    case foreignKeyWithoutNotValid = "foreign-key-without-not-valid"
    case uniqueOnExistingTable = "unique-on-existing-table"
    case missingDowngrade = "missing-downgrade"
    case unboundedDataChange = "unbounded-data-change"
    case modelImport = "model-import"
    case sqliteBatchForeignKeys = "sqlite-batch-foreign-keys"
    /// A `# revgraph:` comment that is not a suppression (a typo silences nothing), or names no rule.
    case suppression = "suppression"

    public static func < (a: LintRule, b: LintRule) -> Bool { a.rawValue < b.rawValue }

    /// Errors are what fails in production for certain (or loses data silently); warnings need a look.
    public var defaultSeverity: GraphProblem.Severity {
        switch self {
        case .renameAsDropAdd, .addNotNullWithoutDefault, .concurrentlyInTransaction: .error
        default: .warning
        }
    }

    /// The database the rule is about; nil for every dialect.
    public var dialect: LintDialect? {
        switch self {
        case .indexWithoutConcurrently, .concurrentlyInTransaction, .foreignKeyWithoutNotValid: .postgresql
        case .sqliteBatchForeignKeys: .sqlite
        default: nil
        }
    }

    /// One line for `revgraph lint --list-rules` and the README.
    public var summary: String {
        switch self {
        case .dropTable: "op.drop_table in upgrade(): the table's data is deleted"
        case .dropColumn: "op.drop_column in upgrade(): the column's data is deleted"
        case .renameAsDropAdd: "drop_column and add_column on one table in one upgrade(): autogenerate's rename, which deletes the data"
        case .addNotNullWithoutDefault: "add_column(nullable=False) without server_default on an existing table"
        case .setNotNull: "alter_column(nullable=False) on an existing table with no backfill or server_default"
        case .columnTypeChange: "alter_column(type_=...) on an existing table"
        case .indexWithoutConcurrently: "create_index on an existing table without postgresql_concurrently=True (PostgreSQL)"
        case .concurrentlyInTransaction: "postgresql_concurrently=True outside op.get_context().autocommit_block() (PostgreSQL)"
        case .foreignKeyWithoutNotValid: "create_foreign_key on an existing table without postgresql_not_valid=True (PostgreSQL)"
        case .uniqueOnExistingTable: "a unique constraint or unique index on an existing table"
        case .missingDowngrade: "downgrade() is empty, pass or only raises while upgrade() changes the schema"
        case .unboundedDataChange: "op.execute of an UPDATE or DELETE without WHERE"
        case .modelImport: "the migration imports the application's own modules"
        case .sqliteBatchForeignKeys: "batch_alter_table on a table other tables reference (SQLite)"
        case .suppression: "a '# revgraph:' comment that is not '# revgraph: ignore[rule, …]' or 'ignore-file[rule, …]', or names an unknown rule"
        }
    }
}

/// The database a project migrates, as far as lint needs to know.
public enum LintDialect: String, Sendable, CaseIterable {
    case postgresql, sqlite, mysql, other

    /// From an SQLAlchemy URL's scheme (`postgresql+psycopg2://…` → postgresql); nil when unknown.
    public init?(url: String?) {
        guard let url, let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon].split(separator: "+").first.map { $0.lowercased() } ?? ""
        switch scheme {
        case "postgresql", "postgres", "postgresql_psycopg2": self = .postgresql
        case "sqlite": self = .sqlite
        case "mysql", "mariadb": self = .mysql
        case "": return nil
        default:
            // `driver://user:pass@localhost/dbname`, alembic init's placeholder, says nothing.
            if scheme == "driver" { return nil }
            self = .other
        }
    }
}

/// One lint finding: a rule, where, what happens in production, and what to write instead.
public struct LintFinding: Sendable, Equatable {
    public var rule: LintRule
    public var severity: GraphProblem.Severity
    public var revision: String
    public var path: String
    public var line: Int
    public var message: String
    public var fix: String

    /// `path:line: warning[rule]: message` and the fix.
    public var text: String {
        "\(path):\(line): \(severity.rawValue)[\(rule.rawValue)]: \(message)\n  fix: \(fix)\n"
    }
}
