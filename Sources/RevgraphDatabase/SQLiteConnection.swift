import CSQLite3
import Glibc

/// A SQLite database. Owns the `sqlite3` handle and closes it in `deinit`.
public final class SQLiteConnection: DatabaseConnection {
    private let db: OpaquePointer
    private let url: DatabaseURL
    public var dialect: DatabaseURL.Dialect { .sqlite }

    init(url: DatabaseURL, readOnly: Bool) throws(DatabaseError) {
        self.url = url
        var handle: OpaquePointer?
        // Never create a database: a typo in the URL must not become a new, empty file.
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        let path = url.sqlitePath ?? ":memory:"
        if url.sqlitePath != nil, access(path, F_OK) != 0 {
            throw .connect(url: url.description, message: "no database file '\(path)' (revgraph never creates one; check the URL)")
        }
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw .connect(url: url.description, message: "\(message) (file '\(path)')")
        }
        db = handle
        sqlite3_busy_timeout(db, 30_000)
    }

    deinit { sqlite3_close_v2(db) }

    private var transient: sqlite3_destructor_type { unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self) }

    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws(DatabaseError) -> [[String?]] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw .statement(sql: sql, message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(stmt) }
        for (i, p) in params.enumerated() {
            if let p { sqlite3_bind_text(stmt, Int32(i + 1), p, -1, transient) } else { sqlite3_bind_null(stmt, Int32(i + 1)) }
        }
        var rows: [[String?]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw .statement(sql: sql, message: String(cString: sqlite3_errmsg(db))) }
            var row: [String?] = []
            for c in 0..<sqlite3_column_count(stmt) {
                row.append(sqlite3_column_text(stmt, c).map { String(cString: $0) })
            }
            rows.append(row)
        }
        return rows
    }

    public func tableExists(_ table: String, schema: String?) throws(DatabaseError) -> Bool {
        let master = schema.map { quote($0) + ".sqlite_master" } ?? "sqlite_master"
        return !(try query("SELECT 1 FROM \(master) WHERE type = 'table' AND name = ?", [table])).isEmpty
    }

    public func beginExclusive(lockName: String) throws(DatabaseError) { try query("BEGIN IMMEDIATE") }
    public func beginReadOnly() throws(DatabaseError) { try query("BEGIN") }
    public func commit() throws(DatabaseError) { try query("COMMIT") }
    public func rollback() { _ = try? query("ROLLBACK") }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
