/// Database failures. Every message is built from masked URLs and scrubbed driver text.
public enum DatabaseError: Error, Sendable, CustomStringConvertible {
    case badURL(String)
    case unsupportedDialect(String)
    /// `driver://user:pass@localhost/dbname`: the placeholder `alembic init` writes into sqlalchemy.url.
    case placeholderURL
    case connect(url: String, message: String)
    case statement(sql: String, message: String)
    case noDatabaseURL
    /// A client library loaded at run time (libpq) is missing or incomplete.
    case clientLibrary(name: String, message: String)

    public var description: String {
        switch self {
        case .badURL(let u): return "cannot parse the database URL '\(u)'; expected e.g. sqlite:///app.db or postgresql://user:pass@host/db"
        case .unsupportedDialect(let d):
            return "the '\(d)' dialect is not supported yet; revgraph reads SQLite and PostgreSQL databases"
        case .placeholderURL:
            return "sqlalchemy.url is still the placeholder 'alembic init' writes (driver://...), not a database; pass --db URL (sqlite:///app.db, postgresql://user@host/db), set REVGRAPH_DATABASE_URL, or set sqlalchemy.url in the config"
        case .connect(let u, let m): return "cannot connect to \(u): \(m)"
        case .statement(let sql, let m): return "\(m) (in: \(sql))"
        case .noDatabaseURL:
            return "no database URL"
        case .clientLibrary(let name, let m):
            return "cannot load \(name), PostgreSQL's client library: \(m)"
        }
    }
}
