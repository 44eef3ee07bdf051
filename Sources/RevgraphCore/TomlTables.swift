/// The TOML that `pyproject.toml` needs for `[tool.alembic]` and `[tool.revgraph]`: tables of
/// strings, booleans, integers and arrays of those. Other tables are read and skipped.
public struct TomlTables: Sendable {
    public enum Value: Equatable, Sendable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case array([Value])
        case other
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var detail: String
        public var description: String { "line \(line): \(detail)" }
    }

    /// Values by dotted table name (`tool.alembic`), then key.
    public private(set) var tables: [String: [String: Value]] = [:]

    public init(text: String) throws(ParseError) {
        // TOML allows CRLF line ends.
        var p = Parser(chars: Array(text.normalizingNewlines()))
        var table = ""
        var inArrayTable = false
        while true {
            p.skipBlankAndComments()
            guard let c = p.peek else { break }
            let line = p.line
            if c == "[" {
                p.advance()
                inArrayTable = p.peek == "["
                if inArrayTable { p.advance() }
                var name = ""
                while let ch = p.peek, ch != "]", ch != "\n" { name.append(ch); p.advance() }
                guard p.peek == "]" else { throw ParseError(line: line, detail: "unterminated table header") }
                p.advance()
                if inArrayTable {
                    guard p.peek == "]" else { throw ParseError(line: line, detail: "unterminated array-of-tables header") }
                    p.advance()
                }
                table = name.split(separator: ".").map { $0.trimmingPythonWhitespace().trimmingQuotes() }
                    .joined(separator: ".")
                continue
            }
            var key = ""
            while let ch = p.peek, ch != "=", ch != "\n" { key.append(ch); p.advance() }
            guard p.peek == "=" else { throw ParseError(line: line, detail: "expected key = value") }
            p.advance()
            let value = try p.value()
            if !inArrayTable {
                let k = key.trimmingPythonWhitespace().trimmingQuotes()
                tables[table, default: [:]][k] = value
            }
        }
    }

    public func table(_ name: String) -> [String: Value]? { tables[name] }

    struct Parser {
        var chars: [Character]
        var pos = 0
        var line = 1
        /// Array nesting (values are parsed recursively; bounded so that no file overflows the stack).
        var depth = 0
        static let maxDepth = 64

        var peek: Character? { pos < chars.count ? chars[pos] : nil }
        mutating func advance() {
            if pos < chars.count, chars[pos] == "\n" { line += 1 }
            pos += 1
        }

        mutating func skipSpaces() {
            while let c = peek, c == " " || c == "\t" || c == "\r" { advance() }
        }

        mutating func skipBlankAndComments() {
            while let c = peek {
                if c == " " || c == "\t" || c == "\r" || c == "\n" { advance() } else if c == "#" {
                    while let d = peek, d != "\n" { advance() }
                } else { break }
            }
        }

        mutating func value() throws(ParseError) -> Value {
            skipSpaces()
            guard let c = peek else { throw ParseError(line: line, detail: "missing value") }
            switch c {
            case "\"", "'":
                return .string(try string())
            case "[":
                advance()
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maxDepth else {
                    throw ParseError(line: line, detail: "arrays nested more than \(Self.maxDepth) deep")
                }
                var items: [Value] = []
                while true {
                    skipBlankAndComments()
                    if peek == "]" { advance(); break }
                    items.append(try value())
                    skipBlankAndComments()
                    if peek == "," { advance(); continue }
                    if peek == "]" { advance(); break }
                    throw ParseError(line: line, detail: "expected , or ] in array")
                }
                return .array(items)
            case "{":
                var depth = 0
                while let d = peek {
                    if d == "{" { depth += 1 }
                    if d == "}" { depth -= 1; if depth == 0 { advance(); break } }
                    advance()
                }
                return .other
            default:
                var word = ""
                while let d = peek, d != ",", d != "]", d != "\n", d != "#" { word.append(d); advance() }
                let w = word.trimmingPythonWhitespace()
                if w == "true" { return .bool(true) }
                if w == "false" { return .bool(false) }
                if let n = Int(w.filter { $0 != "_" }) { return .integer(n) }
                return .other
            }
        }

        mutating func string() throws(ParseError) -> String {
            let quote = peek!
            let start = line
            var triple = false
            if pos + 2 < chars.count, chars[pos + 1] == quote, chars[pos + 2] == quote {
                triple = true
                advance(); advance(); advance()
                if peek == "\n" { advance() }
            } else {
                advance()
            }
            var out = ""
            while true {
                guard let c = peek else { throw ParseError(line: start, detail: "unterminated string") }
                if c == quote {
                    if !triple { advance(); return out }
                    if pos + 2 < chars.count, chars[pos + 1] == quote, chars[pos + 2] == quote {
                        advance(); advance(); advance()
                        return out
                    }
                }
                if c == "\n" && !triple { throw ParseError(line: start, detail: "unterminated string") }
                if c == "\\" && quote == "\"" {
                    advance()
                    guard let e = peek else { throw ParseError(line: start, detail: "unterminated string") }
                    advance()
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "\\": out.append("\\")
                    case "\"": out.append("\"")
                    case "u", "U":
                        var hex = ""
                        for _ in 0..<(e == "u" ? 4 : 8) { if let h = peek { hex.append(h); advance() } }
                        if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) { out.append(Character(s)) }
                    case "\n":
                        while let w = peek, w == " " || w == "\t" || w == "\n" || w == "\r" { advance() }
                    default: out.append(e)
                    }
                    continue
                }
                out.append(c)
                advance()
            }
        }
    }
}

extension String {
    func trimmingQuotes() -> String {
        if count >= 2, let f = first, f == last, f == "\"" || f == "'" { return String(dropFirst().dropLast()) }
        return self
    }
}
