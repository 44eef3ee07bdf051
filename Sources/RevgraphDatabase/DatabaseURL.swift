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

    /// The URL with its password replaced by `***`.
    public var description: String { Self.mask(raw) }

    /// Removes the password from any text (libpq and SQLite messages): the URL, the password as
    /// written, decoded and re-encoded, and any `password=…`.
    public func scrub(_ text: String) -> String {
        var out = text.replacingAll(raw, with: description)
        for form in passwordForms { out = out.replacingAll(form, with: "***") }
        return Self.maskPasswordAssignments(out)
    }

    /// `password=secret` / `password='sec ret'` anywhere in a text, as `password=***`.
    static func maskPasswordAssignments(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if i + 9 <= chars.count, String(chars[i..<(i + 9)]).lowercased() == "password=" {
                out += String(chars[i..<(i + 9)]) + "***"
                i += 9
                if i < chars.count, chars[i] == "'" {
                    i += 1
                    while i < chars.count, chars[i] != "'" { i += 1 }
                    i += 1
                } else {
                    while i < chars.count, !" &\n\t\"')".contains(chars[i]) { i += 1 }
                }
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
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
