import ArgumentParser
import RevgraphCore
import RevgraphDatabase
import RevgraphLedger

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

    func validate() throws {
        for (name, value) in [("--db", url), ("--version-table", versionTable), ("--version-table-schema", versionTableSchema),
                              ("--ledger-table", ledgerTable)] where value?.isEmpty == true {
            throw ValidationError("'\(name)' needs a value; it was given an empty one")
        }
    }

    var request: DatabaseTarget.Request {
        var r = DatabaseTarget.Request()
        r.url = url
        r.versionTable = versionTable
        r.versionTableSchema = versionTableSchema
        r.ledgerTable = ledgerTable
        return r
    }

    /// The database and tables, resolved for `config` (throws when there is no URL).
    func target(_ config: ProjectConfig?) throws -> DatabaseTarget { try DatabaseTarget(request, config: config) }

    /// Whether the user named a database (`--db` or `$REVGRAPH_DATABASE_URL`).
    var isExplicit: Bool { DatabaseTarget.isExplicit(request) }
}

extension DatabaseOptionGroup {
    /// The target, or nil when no source gives a URL (a bad URL is still an error).
    func targetIfConfigured(_ config: ProjectConfig?) throws -> DatabaseTarget? {
        do { return try DatabaseTarget(request, config: config) } catch {
            if case .noDatabaseURL = error { return nil }
            throw error
        }
    }
}

extension DatabaseOptionGroup {
    /// The target for a Django project: `--db` or `$REVGRAPH_DATABASE_URL` (settings are never imported).
    func djangoTarget() throws -> DatabaseTarget {
        do { return try DatabaseTarget(request, config: nil) } catch {
            if case .noDatabaseURL = error {
                throw CLIError.couldNotRun("no database URL: pass --db URL or set REVGRAPH_DATABASE_URL (revgraph never imports Django's settings, so DATABASES is not read)")
            }
            throw error
        }
    }
}
