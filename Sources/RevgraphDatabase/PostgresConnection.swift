import CLibPQ
import Glibc

/// A PostgreSQL connection through libpq. Owns the `PGconn` and finishes it in `deinit`.
public final class PostgresConnection: DatabaseConnection {
    private let conn: OpaquePointer
    private let url: DatabaseURL
    private let pq: revgraph_libpq
    public var dialect: DatabaseURL.Dialect { .postgresql }

    init(url: DatabaseURL) throws(DatabaseError) {
        self.url = url
        let pq = try LibPQ.get()
        self.pq = pq
        let keys: [UnsafeMutablePointer<CChar>?] = url.libpqKeywords.map { strdup($0.0) } + [nil]
        let values: [UnsafeMutablePointer<CChar>?] = url.libpqKeywords.map { strdup($0.1) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let connection = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in pq.connectdbParams(k.baseAddress, v.baseAddress, 0) }
        }
        guard let c = connection else { throw .connect(url: url.description, message: "out of memory") }
        guard pq.status(c) == CONNECTION_OK else {
            let message = url.scrub(Self.text(pq.errorMessage(c)).trimmingCharacters())
            pq.finish(c)
            throw .connect(url: url.description, message: message)
        }
        conn = c
        // Server notices ("relation already exists, skipping") would go to stderr; silence them.
        _ = pq.setNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { pq.finish(conn) }

    /// libpq's text (its messages, a value); empty where libpq returns none.
    private static func text(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws(DatabaseError) -> [[String?]] {
        let owned: [UnsafeMutablePointer<CChar>?] = params.map { $0.flatMap { strdup($0) } }
        defer { owned.forEach { free($0) } }
        let values: [UnsafePointer<CChar>?] = owned.map { UnsafePointer($0) }
        guard let res = pq.execParams(conn, sql, Int32(values.count), nil, values, nil, nil, 0) else {
            throw .statement(sql: sql, message: url.scrub(Self.text(pq.errorMessage(conn))))
        }
        defer { pq.clear(res) }
        let status = pq.resultStatus(res)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw .statement(sql: sql, message: url.scrub(Self.text(pq.resultErrorMessage(res)).trimmingCharacters()))
        }
        var rows: [[String?]] = []
        for r in 0..<pq.ntuples(res) {
            var row: [String?] = []
            for c in 0..<pq.nfields(res) {
                row.append(pq.getisnull(res, r, c) == 1 ? nil : Self.text(pq.getvalue(res, r, c)))
            }
            rows.append(row)
        }
        return rows
    }

    public func tableExists(_ table: String, schema: String?) throws(DatabaseError) -> Bool {
        let rows = try query(
            "SELECT 1 FROM information_schema.tables WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())",
            [table, schema])
        return !rows.isEmpty
    }

    public func beginExclusive(lockName: String) throws(DatabaseError) {
        try query("BEGIN")
        // One recorder at a time, per ledger table; released at commit or rollback.
        try query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockName])
    }

    public func beginReadOnly() throws(DatabaseError) { try query("BEGIN READ ONLY") }
    public func commit() throws(DatabaseError) { try query("COMMIT") }
    public func rollback() { _ = try? query("ROLLBACK") }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let l = s.last, l.isWhitespace { s.removeLast() }
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        return String(s)
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}
