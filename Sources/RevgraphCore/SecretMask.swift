/// The one rule that takes secrets out of any text that came from a database URL, a DSN, a libpq
/// keyword string or the environment, before it reaches any output: parsed or not, well-formed or
/// not. What it masks, wherever it stands in the text:
/// - `password=VALUE` / `password = 'va lue'` (libpq keywords, query parameters), any case;
/// - URL user information: what follows the first `:` (or a percent-encoded `%3A`) of the text
///   before an `@`, back to the scheme's `//`, a `/`, whitespace or a quote;
/// - a URL with no `@` whose "port" is not a number (`postgresql://app:SECRET`).
/// Every value masked is also masked where it appears alone, as written and percent-decoded
/// (libpq and SQLite repeat values in their messages).
public enum SecretMask {
    public static let replacement = "***"

    /// `text` with every secret it holds, and every secret of the URLs it came from (`sources`,
    /// read by ``secrets(inURL:)``), replaced by `***`.
    public static func mask(_ text: String, sources: [String] = []) -> String {
        let values = Set(sources.flatMap(secrets(inURL:)) + secrets(in: text)).filter { !$0.isEmpty }
        var out = text
        // Longest first: a secret that contains another is replaced whole.
        for v in values.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }) where v != replacement {
            out = out.replacingAll(v, with: replacement)
        }
        return out
    }

    /// The secrets in `text` by the rules above, as written and percent-decoded.
    public static func secrets(in text: String) -> [String] {
        let chars = Array(text)
        var found: [String] = []
        // password=…, password = '…'
        var i = 0
        while i < chars.count {
            if matchesPassword(chars, at: i) {
                var j = i + 8
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                guard j < chars.count, chars[j] == "=" else { i += 1; continue }
                j += 1
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                var value = ""
                if j < chars.count, chars[j] == "'" || chars[j] == "\"" {
                    let q = chars[j]
                    j += 1
                    while j < chars.count, chars[j] != q {
                        if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                        value.append(chars[j])
                        j += 1
                    }
                } else {
                    while j < chars.count, !" &\n\t\"',;)".contains(chars[j]) { value.append(chars[j]); j += 1 }
                }
                if !value.isEmpty { found.append(value) }
                i = j
                continue
            }
            i += 1
        }
        // userinfo before every '@'
        for (k, c) in chars.enumerated() where c == "@" {
            var start = k
            while start > 0, !" \t\n\"'/<>(),;".contains(chars[start - 1]) { start -= 1 }
            let info = String(chars[start..<k])
            if let colon = info.firstIndex(of: ":") {
                found.append(String(info[info.index(after: colon)...]))
            } else if let enc = info.firstRange(of: "%3A") ?? info.firstRange(of: "%3a") {
                found.append(String(info[enc.upperBound...]))
            }
        }
        // scheme://user:notaport (no '@' in the authority)
        var searchFrom = text.startIndex
        while let r = text[searchFrom...].firstRange(of: "://") {
            let authority = text[r.upperBound...].prefix { !"/?# \t\n\"'@".contains($0) }
            let after = text[r.upperBound...].dropFirst(authority.count)
            if after.first != "@", let colon = authority.lastIndex(of: ":") {
                let port = authority[authority.index(after: colon)...]
                if !port.isEmpty, !port.allSatisfy({ $0.isASCII && $0.isNumber }) { found.append(String(port)) }
            }
            searchFrom = r.upperBound
        }
        let nonEmpty = found.filter { !$0.isEmpty && $0 != replacement }
        return nonEmpty + nonEmpty.map(percentDecoded).filter { !nonEmpty.contains($0) }
    }

    /// The secrets of a string given as a database URL, however malformed: those of
    /// ``secrets(in:)``, and, past the scheme and any `:` and `/` after it, a `user:VALUE` with no
    /// `@` whose VALUE is not a port number (`postgresql//app:SECRET`, `postgresql:///app:SECRET`).
    public static func secrets(inURL url: String) -> [String] {
        var found = secrets(in: url)
        let afterScheme = url.drop { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
        let authority = afterScheme.drop { $0 == ":" || $0 == "/" }.prefix { !"/?#@ \t\n".contains($0) }
        let rest = afterScheme.drop { $0 == ":" || $0 == "/" }.dropFirst(authority.count)
        if rest.first != "@", let colon = authority.firstIndex(of: ":") {
            let value = authority[authority.index(after: colon)...]
            if !value.isEmpty, !value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                found += [String(value), percentDecoded(String(value))]
            }
        }
        return found
    }

    static func matchesPassword(_ chars: [Character], at i: Int) -> Bool {
        let word = Array("password")
        guard i + word.count <= chars.count else { return false }
        for k in 0..<word.count where chars[i + k].lowercased() != String(word[k]) { return false }
        // A word of its own (`db_password=` is one too; `passwordless` is not a key).
        return true
    }

    /// `%XX` sequences decoded as UTF-8 (others kept as written).
    public static func percentDecoded(_ s: String) -> String {
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
