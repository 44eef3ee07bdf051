import CLibPQ
import CSQLite3

/// The versions of the database client libraries this binary runs with.
public enum ClientLibraries {
    /// SQLite's version (`3.40.1`).
    public static var sqlite: String { String(cString: sqlite3_libversion()) }

    /// libpq's version (`15.18`; `PQlibVersion` gives major * 10000 + minor from PostgreSQL 10 on),
    /// or why it cannot be loaded.
    public static var libpq: String {
        guard let pq = try? LibPQ.get() else { return "not found (\(LibPQ.soname))" }
        let v = Int(pq.libVersion())
        return v >= 100_000 ? "\(v / 10_000).\(v % 10_000)" : "\(v / 10_000).\(v / 100 % 100).\(v % 100)"
    }
}
