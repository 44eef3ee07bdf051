/// A TOML 1.0 document: every table, dotted key, inline table, array of tables, string, number,
/// boolean and date-time, with TOML's rules on what may be defined twice. Accepts and refuses
/// what CPython's `tomllib` accepts and refuses (the tests compare the two), except integers
/// beyond 64 bits, which are an error here. Pure; nesting is bounded (``maxDepth``).
public struct TomlDocument: Sendable {
    public indirect enum Value: Equatable, Sendable, CustomStringConvertible {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        /// An offset or local date-time, a local date or a local time, as written (`T` normalised).
        case datetime(String)
        case array([Value])
        case table(Table)

        public var description: String {
            switch self {
            case .string(let s): return s
            case .integer(let n): return String(n)
            case .float(let d): return String(d)
            case .bool(let b): return b ? "true" : "false"
            case .datetime(let d): return d
            case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
            case .table: return "(a table)"
            }
        }
    }

    /// Keys in the order they were first defined.
    public struct Table: Equatable, Sendable {
        public private(set) var keys: [String] = []
        public private(set) var values: [String: Value] = [:]
        public init() {}
        public subscript(key: String) -> Value? { values[key] }

        /// Adds a key that is not there yet.
        mutating func add(_ key: String, _ value: Value) {
            if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        }

        /// Takes a value out to change it without copying it (its key keeps its place), or nil.
        mutating func take(_ key: String) -> Value? { values.removeValue(forKey: key) }

        /// Puts back a value ``take(_:)`` took out (or adds a new key).
        mutating func put(_ key: String, _ value: Value) {
            if values.updateValue(value, forKey: key) == nil, !keys.contains(key) { keys.append(key) }
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var detail: String
        public var description: String { "line \(line): \(detail)" }
    }

    /// The root table.
    public private(set) var root = Table()
    /// Arrays and inline tables nested deeper than this are an error (values are read recursively).
    public static let maxDepth = 64

    /// An empty document (an inline table is read into one).
    init() {}

    public init(text: String) throws(ParseError) {
        // CRLF is a newline like LF everywhere, strings included (tomllib reads it so); a lone CR is an error.
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for u in text.unicodeScalars {
            if u == "\n", scalars.last == "\r" { scalars[scalars.count - 1] = "\n" } else { scalars.append(u) }
        }
        var p = Reader(scalars)
        var flags = Flags()
        var header: [String] = []
        while true {
            p.skipWhitespace()
            guard let c = p.peek else { break }
            if c == "#" || c == "\n" || c == "\r" {
                try p.endOfLine()
                continue
            }
            if c == "[" {
                flags.finalizePending()
                if p.peek(1) == "[" {
                    p.pos += 2
                    header = try p.key()
                    guard p.peek == "]", p.peek(1) == "]" else { throw p.error("expected ']]' at the end of an array of tables header") }
                    p.pos += 2
                    if flags.has(header, .frozen) { throw p.error("cannot mutate immutable namespace \(Self.show(header))") }
                    flags.unsetAll(header)
                    flags.set(header, .explicitNest, recursive: false)
                    try appendTable(at: header, p)
                } else {
                    p.pos += 1
                    header = try p.key()
                    guard p.peek == "]" else { throw p.error("expected ']' at the end of a table header") }
                    p.pos += 1
                    if flags.has(header, .explicitNest) || flags.has(header, .frozen) {
                        throw p.error("cannot declare \(Self.show(header)) twice")
                    }
                    flags.set(header, .explicitNest, recursive: false)
                    try nest(at: header, p) { _ in }
                }
                try p.endOfLine()
                continue
            }
            let (key, value) = try p.keyValue(depth: 0)
            let full = header + key
            // The tables a dotted key passes through: none may be one a header declared, and none
            // may be declared by a header or extended by a dotted key in a later section.
            for i in 1..<key.count {
                let through = header + key[..<i]
                if flags.has(through, .explicitNest) { throw p.error("cannot redefine namespace \(Self.show(through))") }
                flags.addPending(through, .explicitNest)
            }
            let parent = Array(full.dropLast())
            if flags.has(parent, .frozen) { throw p.error("cannot mutate immutable namespace \(Self.show(parent))") }
            try insert(value, at: full, p)
            switch value {
            case .table, .array: flags.set(full, .frozen, recursive: true)
            default: break
            }
            try p.endOfLine()
        }
    }

    static func show(_ key: [String]) -> String { "'" + key.joined(separator: ".") + "'" }

    /// Runs `body` on the table at `key`, creating tables on the way; an array of tables on the
    /// way stands for its last element. Iterative over the key (paths are short; no recursion on input).
    mutating func nest(at key: [String], _ p: Reader, _ body: (inout Table) throws(ParseError) -> Void) throws(ParseError) {
        // Each table on the way is taken out of its parent, changed and put back, so that no
        // table is copied (an insert costs the key's length, not the document's size).
        var stack: [Table] = [root]
        root = Table()
        var arrays: [[Value]?] = []
        var failure: ParseError?
        for k in key {
            var array: [Value]?
            var next = Table()
            switch stack[stack.count - 1].take(k) {
            case nil: break
            case .table(let t)?: next = t
            case .array(var items)? where !items.isEmpty:
                if case .table(let t) = items[items.count - 1] {
                    next = t
                    items[items.count - 1] = .table(Table())
                    array = items
                } else {
                    stack[stack.count - 1].put(k, .array(items))
                    failure = p.error("cannot overwrite a value with a table at \(Self.show(key))")
                }
            case let other?:
                stack[stack.count - 1].put(k, other)
                failure = p.error("cannot overwrite a value with a table at \(Self.show(key))")
            }
            if failure != nil { break }
            stack.append(next)
            arrays.append(array)
        }
        if failure == nil {
            do { try body(&stack[stack.count - 1]) } catch { failure = error }
        }
        for i in stride(from: arrays.count - 1, through: 0, by: -1) {
            let child = stack.removeLast()
            if var items = arrays[i] {
                items[items.count - 1] = .table(child)
                stack[stack.count - 1].put(key[i], .array(items))
            } else {
                stack[stack.count - 1].put(key[i], .table(child))
            }
        }
        root = stack[0]
        if let failure { throw failure }
    }

    mutating func insert(_ value: Value, at key: [String], _ p: Reader) throws(ParseError) {
        let stem = key.last!
        try nest(at: Array(key.dropLast()), p) { (t: inout Table) throws(ParseError) in
            if t[stem] != nil { throw p.error("cannot overwrite a value at \(Self.show(key))") }
            t.add(stem, value)
        }
    }

    mutating func appendTable(at key: [String], _ p: Reader) throws(ParseError) {
        let stem = key.last!
        try nest(at: Array(key.dropLast()), p) { (t: inout Table) throws(ParseError) in
            switch t.take(stem) {
            case nil: t.add(stem, .array([.table(Table())]))
            case .array(var items)? where !items.isEmpty && items.allSatisfy({ if case .table = $0 { true } else { false } }):
                items.append(.table(Table()))
                t.put(stem, .array(items))
            case let other?:
                t.put(stem, other)
                throw p.error("an object other than an array of tables is at \(Self.show(key))")
            }
        }
    }

    /// What TOML lets a key be redefined into: header-declared tables (`explicitNest`) and
    /// inline tables and arrays (`frozen`), flags set on key paths as tomllib keeps them.
    struct Flags {
        enum Flag: Hashable { case frozen, explicitNest }
        final class Node {
            var flags = Set<Flag>()
            var recursive = Set<Flag>()
            var children: [String: Node] = [:]
        }
        var root = Node()
        var pending: [([String], Flag)] = []

        mutating func addPending(_ key: [String], _ flag: Flag) { pending.append((key, flag)) }

        mutating func finalizePending() {
            for (k, f) in pending { set(k, f, recursive: false) }
            pending.removeAll()
        }

        func unsetAll(_ key: [String]) {
            var node = root
            for k in key.dropLast() {
                guard let n = node.children[k] else { return }
                node = n
            }
            if let last = key.last { node.children[last] = nil }
        }

        func set(_ key: [String], _ flag: Flag, recursive: Bool) {
            var node = root
            for k in key {
                if node.children[k] == nil { node.children[k] = Node() }
                node = node.children[k]!
            }
            if recursive { node.recursive.insert(flag) } else { node.flags.insert(flag) }
        }

        func has(_ key: [String], _ flag: Flag) -> Bool {
            guard !key.isEmpty else { return false }
            var node = root
            for k in key.dropLast() {
                guard let n = node.children[k] else { return false }
                if n.recursive.contains(flag) { return true }
                node = n
            }
            guard let n = node.children[key.last!] else { return false }
            return n.flags.contains(flag) || n.recursive.contains(flag)
        }
    }
}

extension TomlDocument {
    /// A cursor over the document's Unicode scalars; every read is bounded by the text.
    struct Reader {
        let s: [Unicode.Scalar]
        var pos = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var peek: Unicode.Scalar? { pos < s.count ? s[pos] : nil }
        func peek(_ n: Int) -> Unicode.Scalar? { pos + n < s.count ? s[pos + n] : nil }

        var line: Int { 1 + s[0..<min(pos, s.count)].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } }
        func error(_ detail: String) -> ParseError { ParseError(line: line, detail: detail) }

        mutating func skipWhitespace() { while let c = peek, c == " " || c == "\t" { pos += 1 } }

        /// Whitespace, a comment, then a newline or the end.
        mutating func endOfLine() throws(ParseError) {
            skipWhitespace()
            if peek == "#" {
                pos += 1
                while let c = peek, c != "\n" {
                    if Self.isControl(c) { throw error("a control character (U+\(hex(c))) in a comment") }
                    pos += 1
                }
            }
            guard let c = peek else { return }
            if c == "\n" { pos += 1; return }
            throw error("expected the end of the line after a statement, found '\(Character(c))'")
        }

        /// Whitespace, newlines and comments between array items.
        mutating func skipBlankLines() throws(ParseError) {
            while true {
                skipWhitespace()
                guard let c = peek else { return }
                if c == "#" || c == "\n" { try endOfLine() } else { return }
            }
        }

        /// A control character TOML forbids in comments and strings (tab is allowed).
        static func isControl(_ c: Unicode.Scalar) -> Bool {
            (c.value < 0x20 && c != "\t") || c.value == 0x7F
        }

        func hex(_ c: Unicode.Scalar) -> String {
            let h = String(c.value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - h.count)) + h
        }

        static func isBare(_ c: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }

        /// A dotted key: bare or quoted parts, whitespace around the dots.
        mutating func key() throws(ParseError) -> [String] {
            var parts: [String] = []
            while true {
                skipWhitespace()
                guard let c = peek else { throw error("expected a key") }
                if c == "\"" {
                    if peek(1) == "\"", peek(2) == "\"" { throw error("a multi-line string cannot be a key") }
                    parts.append(try oneLineString("\""))
                } else if c == "'" {
                    if peek(1) == "'", peek(2) == "'" { throw error("a multi-line string cannot be a key") }
                    parts.append(try oneLineString("'"))
                } else if Self.isBare(c) {
                    var k = ""
                    while let d = peek, Self.isBare(d) { k.unicodeScalars.append(d); pos += 1 }
                    parts.append(k)
                } else {
                    throw error("invalid character '\(Character(c))' in a key")
                }
                skipWhitespace()
                if peek == "." { pos += 1; continue }
                return parts
            }
        }

        mutating func keyValue(depth: Int) throws(ParseError) -> ([String], Value) {
            let k = try key()
            guard peek == "=" else { throw error("expected '=' after the key '\(k.joined(separator: "."))'") }
            pos += 1
            skipWhitespace()
            return (k, try value(depth: depth))
        }

        mutating func value(depth: Int) throws(ParseError) -> Value {
            guard depth < TomlDocument.maxDepth else { throw error("values nested more than \(TomlDocument.maxDepth) deep") }
            guard let c = peek else { throw error("expected a value") }
            switch c {
            case "\"":
                if peek(1) == "\"", peek(2) == "\"" { return .string(try multilineString("\"")) }
                return .string(try oneLineString("\""))
            case "'":
                if peek(1) == "'", peek(2) == "'" { return .string(try multilineString("'")) }
                return .string(try oneLineString("'"))
            case "[": return try array(depth: depth + 1)
            case "{": return try inlineTable(depth: depth + 1)
            default: break
            }
            if matches("true") { pos += 4; return .bool(true) }
            if matches("false") { pos += 5; return .bool(false) }
            if let d = try dateTime() { return d }
            return try number()
        }

        func matches(_ word: String) -> Bool {
            var i = pos
            for u in word.unicodeScalars {
                guard i < s.count, s[i] == u else { return false }
                i += 1
            }
            return true
        }

        mutating func array(depth: Int) throws(ParseError) -> Value {
            pos += 1
            var items: [Value] = []
            while true {
                try skipBlankLines()
                if peek == "]" { pos += 1; return .array(items) }
                items.append(try value(depth: depth))
                try skipBlankLines()
                if peek == "," { pos += 1; continue }
                if peek == "]" { pos += 1; return .array(items) }
                throw error("expected ',' or ']' in an array")
            }
        }

        mutating func inlineTable(depth: Int) throws(ParseError) -> Value {
            pos += 1
            var doc = TomlDocument()
            var flags = Flags()
            skipWhitespace()
            if peek == "}" { pos += 1; return .table(doc.root) }
            while true {
                let (key, value) = try keyValue(depth: depth)
                let parent = Array(key.dropLast())
                if flags.has(parent, .frozen) { throw error("cannot mutate immutable namespace \(TomlDocument.show(parent))") }
                try doc.insert(value, at: key, self)
                switch value {
                case .table, .array: flags.set(key, .frozen, recursive: true)
                default: break
                }
                skipWhitespace()
                if peek == "}" { pos += 1; return .table(doc.root) }
                guard peek == "," else { throw error("expected ',' or '}' in an inline table") }
                pos += 1
                skipWhitespace()
            }
        }

        // MARK: strings

        mutating func escape() throws(ParseError) -> Unicode.Scalar? {
            pos += 1  // the backslash
            guard let e = peek else { throw error("an unterminated string") }
            pos += 1
            switch e {
            case "b": return "\u{08}"
            case "t": return "\t"
            case "n": return "\n"
            case "f": return "\u{0C}"
            case "r": return "\r"
            case "\"": return "\""
            case "\\": return "\\"
            case "u", "U":
                let n = e == "u" ? 4 : 8
                var v: UInt32 = 0
                for _ in 0..<n {
                    guard let h = peek, let d = Self.hexDigit(h) else { throw error("\\\(e) needs \(n) hex digits") }
                    v = v << 4 | d
                    pos += 1
                }
                guard let scalar = Unicode.Scalar(v) else { throw error("\\\(e) names U+\(String(v, radix: 16, uppercase: true)), which is not a Unicode scalar value") }
                return scalar
            default: throw error("invalid escape '\\\(Character(e))'")
            }
        }

        static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
            switch c {
            case "0"..."9": return c.value - 48
            case "a"..."f": return c.value - 87
            case "A"..."F": return c.value - 55
            default: return nil
            }
        }

        /// A one-line basic (`"`, with escapes) or literal (`'`) string.
        mutating func oneLineString(_ q: Unicode.Scalar) throws(ParseError) -> String {
            pos += 1
            var out = String.UnicodeScalarView()
            while true {
                guard let c = peek, c != "\n" else { throw error("an unterminated string") }
                if c == q { pos += 1; return String(out) }
                if c == "\\", q == "\"" {
                    if let e = try escape() { out.append(e) }
                    continue
                }
                if Self.isControl(c) { throw error("a control character (U+\(hex(c))) in a string") }
                out.append(c)
                pos += 1
            }
        }

        /// After the opening delimiter: a newline right after it is not part of the string.
        mutating func skipFirstNewline() { if peek == "\n" { pos += 1 } }

        /// The closing of a multi-line string at `pos` (three quotes, up to two more belonging to
        /// the content): how many quotes of content precede the end, or nil when it does not close here.
        func closing(_ q: Unicode.Scalar) -> Int? {
            guard peek == q, peek(1) == q, peek(2) == q else { return nil }
            if peek(3) == q { return peek(4) == q ? 2 : 1 }
            return 0
        }

        /// A multi-line basic (`"""`, with escapes and line-ending backslashes) or literal (`'''`) string.
        mutating func multilineString(_ q: Unicode.Scalar) throws(ParseError) -> String {
            pos += 3
            skipFirstNewline()
            var out = String.UnicodeScalarView()
            while true {
                guard let c = peek else { throw error("an unterminated multi-line string") }
                if let extra = closing(q) {
                    for _ in 0..<extra { out.append(q) }
                    pos += 3 + extra
                    return String(out)
                }
                if c == "\\", q == "\"" {
                    // A line-ending backslash drops the newline and the whitespace after it.
                    var i = pos + 1
                    while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
                    if i < s.count, s[i] == "\n" {
                        pos = i
                        while let w = peek, w == " " || w == "\t" || w == "\n" { pos += 1 }
                        continue
                    }
                    if let e = try escape() { out.append(e) }
                    continue
                }
                if Self.isControl(c) && c != "\n" { throw error("a control character (U+\(hex(c))) in a string") }
                out.append(c)
                pos += 1
            }
        }

        // MARK: numbers and dates

        func digit(_ i: Int) -> Int? {
            guard i < s.count, ("0"..."9").contains(s[i]) else { return nil }
            return Int(s[i].value - 48)
        }

        /// `n` digits at `i`, or nil.
        func digits(_ i: Int, _ n: Int) -> Int? {
            var v = 0
            for k in 0..<n {
                guard let d = digit(i + k) else { return nil }
                v = v * 10 + d
            }
            return v
        }

        /// An offset date-time, local date-time, local date or local time at `pos`, or nil.
        mutating func dateTime() throws(ParseError) -> Value? {
            let start = pos
            if let y = digits(pos, 4), pos + 4 < s.count, s[pos + 4] == "-" {
                guard let m = digits(pos + 5, 2), pos + 7 < s.count, s[pos + 7] == "-", let d = digits(pos + 8, 2) else { return nil }
                guard (1...12).contains(m), (1...Self.days(y, m)).contains(d) else {
                    // tomllib's pattern takes 01-12 and 01-31; a day past the month's end is an invalid date.
                    guard (1...12).contains(m), (1...31).contains(d) else { return nil }
                    throw error("invalid date \(String(String.UnicodeScalarView(s[start..<(start + 10)])))")
                }
                pos += 10
                if let c = peek, c == "T" || c == "t" || c == " ", let t = time(pos + 1) {
                    pos = t
                    if let z = peek, z == "Z" || z == "z" {
                        pos += 1
                    } else if let sign = peek, sign == "+" || sign == "-", let oh = digits(pos + 1, 2), pos + 3 < s.count, s[pos + 3] == ":",
                              let om = digits(pos + 4, 2), oh <= 23, om <= 59 {
                        pos += 6
                    }
                }
                // As written, with the date-time separator and a zone's Z in upper case.
                var text = String.UnicodeScalarView(s[start..<pos])
                if text.count > 10 {
                    var chars = Array(text)
                    chars[10] = "T"
                    if chars.last == "z" { chars[chars.count - 1] = "Z" }
                    text = String.UnicodeScalarView(chars)
                }
                return .datetime(String(text))
            }
            if let end = time(pos) {
                pos = end
                return .datetime(String(String.UnicodeScalarView(s[start..<pos])))
            }
            return nil
        }

        /// The end of `HH:MM:SS(.fraction)?` at `i` (hour 00-23, minute and second 00-59), or nil.
        func time(_ i: Int) -> Int? {
            guard let h = digits(i, 2), i + 2 < s.count, s[i + 2] == ":", let m = digits(i + 3, 2), i + 5 < s.count, s[i + 5] == ":",
                  let sec = digits(i + 6, 2), h <= 23, m <= 59, sec <= 59 else { return nil }
            var end = i + 8
            if end < s.count, s[end] == ".", digit(end + 1) != nil {
                end += 1
                while digit(end) != nil { end += 1 }
            }
            return end
        }

        static func days(_ y: Int, _ m: Int) -> Int {
            switch m {
            case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }

        /// `[0-9](_?[0-9])*` (or another digit class) at `pos`; the digits without underscores, or nil.
        mutating func digitRun(_ isDigit: (Unicode.Scalar) -> Bool) -> String? {
            guard let c = peek, isDigit(c) else { return nil }
            var out = String(Character(c))
            pos += 1
            while true {
                if let c = peek, isDigit(c) { out.unicodeScalars.append(c); pos += 1; continue }
                if peek == "_", let d = peek(1), isDigit(d) { out.unicodeScalars.append(d); pos += 2; continue }
                return out
            }
        }

        mutating func number() throws(ParseError) -> Value {
            let start = pos
            // inf and nan, signed or not.
            var sign = ""
            if let c = peek, c == "+" || c == "-" { sign = String(Character(c)); pos += 1 }
            if matches("inf") { pos += 3; return .float(sign == "-" ? -.infinity : .infinity) }
            if matches("nan") { pos += 3; return .float(.nan) }
            pos = start
            if peek == "0", let p = peek(1), p == "x" || p == "o" || p == "b" {
                pos += 2
                let (radix, isDigit): (Int, (Unicode.Scalar) -> Bool) = p == "x" ? (16, { Self.hexDigit($0) != nil })
                    : p == "o" ? (8, { ("0"..."7").contains($0) }) : (2, { $0 == "0" || $0 == "1" })
                guard let run = digitRun(isDigit) else { throw error("expected digits after '0\(Character(p))'") }
                guard let n = Int(run, radix: radix) else { throw error("integer 0\(Character(p))\(run) does not fit in 64 bits") }
                return .integer(n)
            }
            if let c = peek, c == "+" || c == "-" { pos += 1 }
            var integerPart: String
            if peek == "0" {
                pos += 1
                integerPart = "0"
            } else {
                guard let run = digitRun({ ("0"..."9").contains($0) }) else {
                    pos = start
                    throw error(peek.map { "invalid value starting with '\(Character($0))'" } ?? "expected a value")
                }
                integerPart = run
            }
            var isFloat = false
            var text = sign + integerPart
            if peek == ".", let d = peek(1), ("0"..."9").contains(d) {
                pos += 1
                text += "." + (digitRun({ ("0"..."9").contains($0) }) ?? "")
                isFloat = true
            }
            if let e = peek, e == "e" || e == "E" {
                var i = pos + 1
                var expSign = ""
                if i < s.count, s[i] == "+" || s[i] == "-" { expSign = String(Character(s[i])); i += 1 }
                if i < s.count, ("0"..."9").contains(s[i]) {
                    pos = i
                    text += "e" + expSign + (digitRun({ ("0"..."9").contains($0) }) ?? "")
                    isFloat = true
                }
            }
            if isFloat {
                guard let d = Double(text) else { throw error("invalid float \(text)") }
                return .float(d)
            }
            guard let n = Int(text) else { throw error("integer \(text) does not fit in 64 bits") }
            return .integer(n)
        }
    }
}
