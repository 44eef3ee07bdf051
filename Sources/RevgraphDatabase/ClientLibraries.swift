import CLibPQ
import CSQLite3

/// The versions of the database client libraries this binary runs with.
public enum ClientLibraries {
    /// SQLite's version (`3.40.1`).
    public static var sqlite: String { String(cString: sqlite3_libversion()) }

    /// libpq's version (`15.18`; `PQlibVersion` gives major * 10000 + minor from PostgreSQL 10 on).
    public static var libpq: String {
        let v = Int(PQlibVersion())
        return v >= 100_000 ? "\(v / 10_000).\(v % 10_000)" : "\(v / 10_000).\(v / 100 % 100).\(v % 100)"
    }
}
