import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphDatabase

/// Where the database is and which tables to use.
struct DatabaseOptionGroup: ParsableArguments {
    @Option(name: .customLong("db"), help: "Database URL in SQLAlchemy form (default: $REVGRAPH_DATABASE_URL, then sqlalchemy.url).")
    var url: String?
    @Option(name: .customLong("version-table"), help: "Alembic's version table (default alembic_version, or [revgraph] version_table).")
    var versionTable: String?
    @Option(name: .customLong("version-table-schema"), help: "Schema of the version table and the ledger.")
    var versionTableSchema: String?
    @Option(name: .customLong("ledger-table"), help: "revgraph's ledger table (default revgraph_ledger, or [revgraph] ledger_table).")
    var ledgerTable: String?

    /// Resolves the URL: --db, then REVGRAPH_DATABASE_URL, then sqlalchemy.url.
    func databaseURL(_ config: ProjectConfig?) throws -> DatabaseURL {
        let raw = url ?? ProcessInfo.processInfo.environment["REVGRAPH_DATABASE_URL"] ?? config?.sqlalchemyURL
        do {
            guard let raw, !raw.isEmpty else { throw DatabaseError.noDatabaseURL }
            return try DatabaseURL(raw)
        } catch let e as DatabaseError {
            Output.error(e.description)
            throw Exit.couldNotRun
        }
    }

    func tables(_ config: ProjectConfig?) -> (version: String, ledger: String, schema: String?) {
        let s = config?.revgraphSettings ?? [:]
        return (versionTable ?? s["version_table"] ?? "alembic_version",
                ledgerTable ?? s["ledger_table"] ?? "revgraph_ledger",
                versionTableSchema ?? s["version_table_schema"])
    }

    /// Opens the database or prints why not (masked) and exits 2.
    func open(_ url: DatabaseURL, readOnly: Bool) throws -> DatabaseConnection {
        do { return try openDatabase(url, readOnly: readOnly) } catch {
            Output.error(error.description)
            throw Exit.couldNotRun
        }
    }
}

extension DatabaseOptionGroup {
    /// The database's URL and the heads stored in its version table (none when the table is missing).
    func heads(_ config: ProjectConfig?) throws -> (url: DatabaseURL, heads: [String]) {
        let url = try databaseURL(config)
        let conn = try open(url, readOnly: true)
        let t = tables(config)
        let heads = try withDatabase { () throws(DatabaseError) in
            try VersionTable(connection: conn, table: t.version, schema: t.schema).heads() ?? []
        }
        return (url, heads)
    }
}

/// Runs database work, turning failures into a masked message and exit 2.
func withDatabase<T>(_ body: () throws(DatabaseError) -> T) throws -> T {
    do { return try body() } catch {
        Output.error(error.description)
        throw Exit.couldNotRun
    }
}
