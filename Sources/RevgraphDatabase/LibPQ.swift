import CLibPQ
import Glibc

/// libpq, loaded on first use. revgraph does not link it: loading libpq loads about twenty
/// libraries (Kerberos, LDAP, GnuTLS, OpenSSL), some 4 ms of every start on this kind of machine,
/// and only the commands that reach a PostgreSQL database need it. The library is found as the
/// dynamic linker finds any: the binary's RPATH first (the packaged layout carries libpq in
/// `lib/revgraph`), then the system's.
enum LibPQ {
    /// The soname revgraph was built against (libpq's ABI has been stable at 5 since PostgreSQL 8.2).
    static let soname = "libpq.so.5"

    /// The entry points, or why libpq could not be loaded. Resolved once, on first use.
    static let entryPoints: Result<revgraph_libpq, DatabaseError> = load()

    /// The entry points, or the error that says libpq is missing.
    static func get() throws(DatabaseError) -> revgraph_libpq { try entryPoints.get() }

    private static func load() -> Result<revgraph_libpq, DatabaseError> {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(.clientLibrary(name: soname, message: dlerror().map { String(cString: $0) } ?? "not found"))
        }
        var missing: [String] = []
        func symbol<F>(_ name: String) -> F? {
            guard let p = dlsym(handle, name) else { missing.append(name); return nil }
            return unsafeBitCast(p, to: F.self)
        }
        var t = revgraph_libpq()
        t.connectdbParams = symbol("PQconnectdbParams")
        t.status = symbol("PQstatus")
        t.errorMessage = symbol("PQerrorMessage")
        t.finish = symbol("PQfinish")
        t.setNoticeProcessor = symbol("PQsetNoticeProcessor")
        t.execParams = symbol("PQexecParams")
        t.clear = symbol("PQclear")
        t.resultStatus = symbol("PQresultStatus")
        t.resultErrorMessage = symbol("PQresultErrorMessage")
        t.ntuples = symbol("PQntuples")
        t.nfields = symbol("PQnfields")
        t.getisnull = symbol("PQgetisnull")
        t.getvalue = symbol("PQgetvalue")
        t.libVersion = symbol("PQlibVersion")
        guard missing.isEmpty else {
            return .failure(.clientLibrary(name: soname, message: "it lacks \(missing.joined(separator: ", "))"))
        }
        return .success(t)
    }
}
