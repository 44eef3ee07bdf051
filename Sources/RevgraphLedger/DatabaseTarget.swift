import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphDatabase

/// Which database and tables a command reads or writes, resolved one way for every command:
/// the URL from `--db`, else `$REVGRAPH_DATABASE_URL`, else the config's `sqlalchemy.url`;
/// the tables from the options, else the config's `[revgraph]` settings, else Alembic's defaults.
public struct DatabaseTarget {
    /// What the user gave on the command line.
    public struct Request: Sendable {
        public var url: String?
        public var versionTable: String?
        public var versionTableSchema: String?
        public var ledgerTable: String?
        public init() {}
    }

    public let url: DatabaseURL
    public let versionTable: String
    public let ledgerTable: String
    public let schema: String?

    /// Where the URL came from, for messages.
    public enum Source: String, Sendable { case option = "--db", environment = "REVGRAPH_DATABASE_URL", config = "sqlalchemy.url" }
    public let source: Source

    /// Whether a URL can be resolved without the config (an explicit request to use a database).
    public static func isExplicit(_ request: Request, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        request.url != nil || !(environment["REVGRAPH_DATABASE_URL"] ?? "").isEmpty
    }

    /// Resolves the target.
    /// - Throws: ``DatabaseError/noDatabaseURL`` when no source gives a URL, or a bad URL.
    public init(_ request: Request, config: ProjectConfig?,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(DatabaseError)
    {
        let env = environment["REVGRAPH_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let raw: String
        if let u = request.url { (raw, source) = (u, .option) }
        else if let env { (raw, source) = (env, .environment) }
        else if let u = config?.sqlalchemyURL, !u.isEmpty { (raw, source) = (u, .config) }
        else { throw .noDatabaseURL }
        url = try DatabaseURL(raw)
        let s = config?.settings ?? RevgraphSettings()
        versionTable = request.versionTable ?? s.versionTable
        ledgerTable = request.ledgerTable ?? s.ledgerTable
        schema = request.versionTableSchema ?? s.versionTableSchema
    }

    /// Opens a connection.
    /// - Parameter readOnly: SQLite opens the file read-only (and never creates it).
    public func open(readOnly: Bool) throws(DatabaseError) -> DatabaseConnection {
        try openDatabase(url, readOnly: readOnly)
    }

    /// The heads in the version table (none when the table is missing).
    public func heads(_ connection: DatabaseConnection) throws(DatabaseError) -> [String] {
        try VersionTable(connection: connection, table: versionTable, schema: schema).heads() ?? []
    }

    /// The heads, from a fresh read-only connection.
    public func heads() throws(DatabaseError) -> [String] { try heads(open(readOnly: true)) }

    public func ledger(_ connection: DatabaseConnection) -> Ledger {
        Ledger(connection: connection, table: ledgerTable, schema: schema)
    }
}
