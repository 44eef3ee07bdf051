import RevgraphCore

/// What revgraph needs of a database: parameterised statements and transactions.
/// Values are always bound as parameters; identifiers are quoted by ``quote(_:)``.
public protocol DatabaseConnection: AnyObject {
    var dialect: DatabaseURL.Dialect { get }
    /// Runs a statement; returns its rows (text values, nil for NULL).
    @discardableResult
    func query(_ sql: String, _ params: [String?]) throws(DatabaseError) -> [[String?]]
    /// Whether `table` exists (in `schema`, when given).
    func tableExists(_ table: String, schema: String?) throws(DatabaseError) -> Bool
    /// Begins a transaction that holds the ledger's write lock until commit or rollback.
    func beginExclusive(lockName: String) throws(DatabaseError)
    /// Begins a read-only transaction.
    func beginReadOnly() throws(DatabaseError)
    func commit() throws(DatabaseError)
    func rollback()
}

extension DatabaseConnection {
    @discardableResult
    public func query(_ sql: String) throws(DatabaseError) -> [[String?]] { try query(sql, []) }

    /// A quoted identifier (`"name"`, doubled quotes inside).
    public func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingAll("\"", with: "\"\"") + "\""
    }

    /// `"schema"."table"` or `"table"`.
    public func qualified(_ table: String, schema: String?) -> String {
        schema.map { quote($0) + "." + quote(table) } ?? quote(table)
    }
}

/// Opens a connection for `url`.
/// - Parameter readOnly: SQLite opens the file read-only (and never creates it).
public func openDatabase(_ url: DatabaseURL, readOnly: Bool) throws(DatabaseError) -> DatabaseConnection {
    switch url.dialect {
    case .sqlite: return try SQLiteConnection(url: url, readOnly: readOnly)
    case .postgresql: return try PostgresConnection(url: url)
    }
}
