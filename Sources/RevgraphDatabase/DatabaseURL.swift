import RevgraphCore

/// A database URL in SQLAlchemy's form: `dialect[+driver]://[user[:password]@][host][:port][/database][?k=v&…]`.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public enum Dialect: Sendable, Equatable { case sqlite, postgresql }

    public var dialect: Dialect
    /// The URL exactly as given (never printed: it may hold a password).
    let raw: String
    /// For SQLite: the file path (nil for an in-memory database).
    public var sqlitePath: String?
    /// For PostgreSQL: libpq connection keywords built from the parsed parts (libpq never sees
    /// the URL text, so it can neither echo it nor split it differently).
    var libpqKeywords: [(String, String)] = []
    /// The password as written and decoded, for scrubbing messages.
    let passwordForms: [String]

    /// Parses `url`.
    /// - Throws: ``DatabaseError/unsupportedDialect(_:)`` or ``DatabaseError/badURL(_:)`` (both masked).
    public init(_ url: String) throws(DatabaseError) {
        raw = url
        guard let schemeEnd = url.firstRange(of: "://") else { throw .badURL(Self.mask(url)) }
        let scheme = String(url[..<schemeEnd.lowerBound]).lowercased()
        let rest = String(url[schemeEnd.upperBound...])
        let base = scheme.split(separator: "+").first.map(String.init) ?? scheme
        var forms: [String] = []
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            let written = String(rest[rest.index(after: colon)..<at])
            forms = [written, Self.percentDecode(written), Self.percentEncode(Self.percentDecode(written))]
        }
        for (k, v) in Self.queryItems(rest) where k.lowercased() == "password" {
            forms += [v, Self.percentDecode(v), Self.percentEncode(Self.percentDecode(v))]
        }
        passwordForms = Array(Set(forms.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
        switch base {
        case "sqlite":
            dialect = .sqlite
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
            guard let keywords = Self.postgresKeywords(rest) else { throw .badURL(Self.mask(url)) }
            libpqKeywords = keywords
        case "driver":
            throw .placeholderURL
        default:
            throw .unsupportedDialect(base)
        }
    }

    /// The URL with its password replaced by `***` (``SecretMask``).
    public var description: String { Self.mask(raw) }

    /// Removes the password from any text (libpq and SQLite messages): every secret the URL holds
    /// by ``SecretMask``'s rule (as written, decoded), the password as revgraph parsed it (decoded
    /// and re-encoded), and anything the text holds by the same rule.
    public func scrub(_ text: String) -> String {
        var out = text.replacingAll(raw, with: description)
        for form in passwordForms { out = out.replacingAll(form, with: "***") }
        return SecretMask.mask(out, sources: [raw])
    }

    /// `[user[:password]@]host[:port][/dbname][?k=v&…]`, split as revgraph masks it (userinfo
    /// ends at the last `@`), into libpq keywords; nil when it is not a URL of that form.
    static func postgresKeywords(_ rest: String) -> [(String, String)]? {
        var keywords: [(String, String)] = []
        var authority = Substring(rest)
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            authority = rest[rest.index(after: at)...]
            let user = userinfo.prefix { $0 != ":" }
            if !user.isEmpty { keywords.append(("user", percentDecode(String(user)))) }
            if user.count < userinfo.count {
                keywords.append(("password", percentDecode(String(userinfo.dropFirst(user.count + 1)))))
            }
        }
        var query = ""
        if let q = authority.firstIndex(of: "?") {
            query = String(authority[authority.index(after: q)...])
            authority = authority[..<q]
        }
        var dbname: Substring = ""
        if let slash = authority.firstIndex(of: "/") {
            dbname = authority[authority.index(after: slash)...]
            authority = authority[..<slash]
        }
        var host = authority
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), after.dropFirst().allSatisfy(\.isNumber), after.count > 1 else { return nil }
                keywords.append(("port", String(after.dropFirst())))
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            let port = authority[authority.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }), port.count <= 5 else { return nil }
            keywords.append(("port", String(port)))
        }
        if !host.isEmpty { keywords.append(("host", percentDecode(String(host)))) }
        if !dbname.isEmpty { keywords.append(("dbname", percentDecode(String(dbname)))) }
        for (k, v) in queryItems("?" + query) where !k.isEmpty {
            keywords.removeAll { $0.0 == k }
            keywords.append((k, percentDecode(v)))
        }
        return keywords
    }

    /// `k=v` pairs of the query, as written.
    static func queryItems(_ url: String) -> [(String, String)] {
        guard let q = url.lastIndex(of: "?") else { return [] }
        return url[url.index(after: q)...].split(separator: "&").map { item in
            let k = item.prefix { $0 != "=" }
            return (String(k), String(item.dropFirst(min(item.count, k.count + 1))))
        }
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Masks the secrets of a URL-like string, parsed or not (``SecretMask``).
    public static func mask(_ url: String) -> String { SecretMask.mask(url, sources: [url]) }

    static func percentDecode(_ s: String) -> String { SecretMask.percentDecoded(s) }
}
