import RevgraphCore

/// A database URL in SQLAlchemy's form: `dialect[+driver]://[user[:password]@][host][:port][/database][?k=v&…]`.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public enum Dialect: Sendable, Equatable { case sqlite, postgresql }

    public var dialect: Dialect
    /// The URL exactly as given (never printed: it may hold a password).
    let raw: String
    /// For SQLite: the file path (nil for an in-memory database).
    public var sqlitePath: String?
    /// For PostgreSQL: a libpq connection URI (the driver part removed).
    var libpqURI: String
    /// The password, percent-decoded, for scrubbing error messages.
    let password: String?

    /// Parses `url`.
    /// - Throws: ``DatabaseError/unsupportedDialect(_:)`` or ``DatabaseError/badURL(_:)`` (both masked).
    public init(_ url: String) throws(DatabaseError) {
        raw = url
        guard let schemeEnd = url.firstRange(of: "://") else { throw .badURL(Self.mask(url)) }
        let scheme = String(url[..<schemeEnd.lowerBound]).lowercased()
        let rest = String(url[schemeEnd.upperBound...])
        let base = scheme.split(separator: "+").first.map(String.init) ?? scheme
        var pw: String?
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            pw = Self.percentDecode(String(rest[rest.index(after: colon)..<at]))
        }
        password = pw
        switch base {
        case "sqlite":
            dialect = .sqlite
            libpqURI = ""
            // sqlite:///relative.db, sqlite:////absolute.db, sqlite:// (memory), sqlite:///:memory:
            var path = rest
            if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
            if path.isEmpty || path == "/" || path == "/:memory:" {
                sqlitePath = nil
            } else if path.hasPrefix("/") {
                sqlitePath = Self.percentDecode(String(path.dropFirst()))
            } else {
                throw .badURL(Self.mask(url))
            }
        case "postgresql", "postgres":
            dialect = .postgresql
            sqlitePath = nil
            libpqURI = "postgresql://" + rest
        default:
            throw .unsupportedDialect(base)
        }
    }

    /// The URL with its password replaced by `***`.
    public var description: String { Self.mask(raw) }

    /// Removes the password from any text (libpq messages, for instance).
    public func scrub(_ text: String) -> String {
        var out = text.replacingAll(raw, with: description)
        if let password, !password.isEmpty { out = out.replacingAll(password, with: "***") }
        return out
    }

    /// Masks the password of a URL-like string.
    public static func mask(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else {
            return maskQuery(url)
        }
        return maskQuery(String(url[..<rest.index(after: colon)]) + "***" + String(rest[at...]))
    }

    /// `?password=…` in the query is masked too.
    static func maskQuery(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let params = url[url.index(after: q)...].split(separator: "&").map { p -> String in
            p.lowercased().hasPrefix("password=") ? "password=***" : String(p)
        }
        return String(url[...q]) + params.joined(separator: "&")
    }

    static func percentDecode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
