/// A token of Python source, as far as revgraph needs to read module-level assignments.
public enum PythonToken: Equatable, Sendable {
    case name(String)
    /// A string literal, decoded. `isBytes` for `b'…'`, `isFormatted` for f-strings (never a literal value).
    case string(String, isBytes: Bool, isFormatted: Bool)
    case number(String)
    case op(String)
}

/// One logical line: its tokens, the 1-based line where it starts, and its indentation (0 = module level).
public struct PythonLogicalLine: Sendable {
    public var tokens: [PythonToken]
    public var line: Int
    public var indent: Int
}

/// Splits Python source into logical lines of tokens without executing anything.
///
/// Handles comments, all string-literal forms (prefixes, triple quotes, escapes), bracket and
/// backslash continuation. Anything it does not recognise becomes a one-character `op` token, so
/// unusual code never stops the scan; only an unterminated string is reported.
public struct PythonLexer {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1

    public init(_ source: String) {
        self.init(utf8: Array(source.utf8))
    }

    /// A lexer over UTF-8 bytes already known to be valid.
    init(utf8: [UInt8]) {
        var b = utf8
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        // Python reads source with universal newlines: CRLF and CR become LF.
        guard b.contains(0x0D) else {
            bytes = b
            return
        }
        var normalized: [UInt8] = []
        normalized.reserveCapacity(b.count)
        for (i, c) in b.enumerated() {
            if c == 0x0D {
                if i + 1 < b.count, b[i + 1] == 0x0A { continue }
                normalized.append(0x0A)
            } else {
                normalized.append(c)
            }
        }
        bytes = normalized
    }

    /// Error for a string literal Python cannot read (unterminated, or an invalid escape), with
    /// the line where the problem is and Python's words for it.
    public struct UnterminatedString: Error, Sendable {
        public var line: Int
        public var detail = "unterminated string literal"
    }

    /// - Parameter bodies: also tokenize the lines of module-level `def` and `class` bodies (lint
    ///   reads `upgrade()`); by default they are only scanned for their extent.
    public mutating func logicalLines(bodies: Bool = false) throws(UnterminatedString) -> [PythonLogicalLine] {
        var result: [PythonLogicalLine] = []
        var current: [PythonToken] = []
        current.reserveCapacity(16)
        var startLine = 1
        var indent = 0
        var open = BracketStack()
        var atLineStart = true
        var column = 0

        // Inside a module-level `def` or `class` (the bulk of a migration), lines are only scanned
        // for where they end and whether they open a block: their tokens are never needed.
        var inBody = false
        func flush() {
            if !current.isEmpty {
                result.append(PythonLogicalLine(tokens: current, line: startLine, indent: indent))
                if indent == 0 { inBody = Self.opensDefinition(current) }
                current = []
                current.reserveCapacity(16)
            }
        }

        while pos < bytes.count {
            let c = bytes[pos]
            if atLineStart {
                // Measure indentation of a new physical line that starts a logical line.
                column = 0
                while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0C {
                    column += bytes[pos] == 0x09 ? 8 - column % 8 : 1
                    pos += 1
                }
                atLineStart = false
                if inBody, !bodies, column > 0, pos < bytes.count, bytes[pos] != 0x0A, bytes[pos] != 0x23, bytes[pos] != 0x0D {
                    let start = line
                    let opensBlock = try skipLogicalLine()
                    result.append(PythonLogicalLine(tokens: [.op(opensBlock ? ":" : "…")], line: start, indent: column))
                    atLineStart = true
                }
                continue
            }
            switch c {
            case 0x0A:  // newline
                pos += 1
                line += 1
                if open.isEmpty {
                    flush()
                    atLineStart = true
                }
            case 0x0D:
                pos += 1
            case 0x20, 0x09, 0x0C:
                pos += 1
            case 0x23:  // comment
                while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
            case 0x5C:  // backslash continuation
                pos += 1
                if pos < bytes.count, bytes[pos] == 0x0D { pos += 1 }
                if pos < bytes.count, bytes[pos] == 0x0A {
                    pos += 1
                    line += 1
                }
            case 0x27, 0x22:
                if current.isEmpty { startLine = line; indent = column }
                current.append(try readString(prefix: ""))
            default:
                if current.isEmpty { startLine = line; indent = column }
                if Self.isIdentStart(c) {
                    let start = pos
                    while pos < bytes.count, Self.isIdentContinue(bytes[pos]) { pos += 1 }
                    let word = String(decoding: bytes[start..<pos], as: UTF8.self)
                    if pos < bytes.count, bytes[pos] == 0x27 || bytes[pos] == 0x22,
                       word.count <= 2, word.lowercased().allSatisfy({ "rbuf".contains($0) })
                    {
                        current.append(try readString(prefix: word.lowercased()))
                    } else {
                        current.append(.name(word))
                    }
                } else if c >= 0x30 && c <= 0x39 {
                    let start = pos
                    while pos < bytes.count, Self.isIdentContinue(bytes[pos]) || bytes[pos] == 0x2E { pos += 1 }
                    current.append(.number(String(decoding: bytes[start..<pos], as: UTF8.self)))
                } else {
                    pos += 1
                    if c == 0x28 || c == 0x5B || c == 0x7B { open.push(c, line: line) }
                    if c == 0x29 || c == 0x5D || c == 0x7D {
                        if open.isEmpty || open.lastIsKept, let problem = Self.closing(c, line: line, open: open.last) {
                            throw UnterminatedString(line: line, detail: problem)
                        }
                        open.pop()
                    }
                    // Two-character operators that matter for telling `=` from `==`, `<=`, `->` …
                    if pos < bytes.count, bytes[pos] == 0x3D, "=<>!+-*/%&|^:".utf8.contains(c) {
                        pos += 1
                        current.append(.op(Self.singleByteOps[Int(c)] + "="))
                    } else if c == 0x2D, pos < bytes.count, bytes[pos] == 0x3E {
                        pos += 1
                        current.append(.op("->"))
                    } else {
                        current.append(.op(Self.singleByteOps[Int(c)]))
                    }
                }
            }
        }
        // Python cannot import a file that ends inside brackets (it names the innermost).
        if let last = open.last { throw UnterminatedString(line: last.line, detail: Self.neverClosed(last.bracket)) }
        flush()
        return result
    }

    /// The brackets open in a logical line, innermost last, with their lines, kept inline (no
    /// allocation per line: an array here cost the parser a sixth of its speed). Past eight
    /// levels only the count is kept: a bracket closed there is not checked against its opener
    /// (an unmatched one still is), and one never closed is named by the eighth.
    struct BracketStack {
        private var inline = InlineArray<8, UInt64>(repeating: 0)  // bracket << 56 | line
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        /// The innermost bracket kept; nil when none is open.
        var last: (bracket: UInt8, line: Int)? {
            guard count > 0 else { return nil }
            let v = inline[min(count, 8) - 1]
            return (UInt8(truncatingIfNeeded: v >> 56), Int(v & (1 << 56 - 1)))
        }

        /// Whether the innermost open bracket is one whose kind is known.
        var lastIsKept: Bool { count <= 8 }

        mutating func push(_ bracket: UInt8, line: Int) {
            if count < 8 { inline[count] = UInt64(bracket) << 56 | UInt64(truncatingIfNeeded: line) & (1 << 56 - 1) }
            count += 1
        }

        mutating func pop() { if count > 0 { count -= 1 } }
    }

    /// Python's words for a bracket left open at the end of the file.
    static func neverClosed(_ bracket: UInt8) -> String { "'\(Character(Unicode.Scalar(bracket)))' was never closed" }

    /// Python's words for closing bracket `close` on `line` when `open` is the innermost open
    /// one: nil when it closes it, else why Python cannot import the file.
    @inline(__always)
    static func closing(_ close: UInt8, line: Int, open: (bracket: UInt8, line: Int)?) -> String? {
        if let open, close == (open.bracket == 0x28 ? 0x29 : open.bracket == 0x5B ? 0x5D : 0x7D) { return nil }
        return mismatch(close, line: line, open: open)
    }

    /// The words of ``closing(_:line:open:)`` when the bracket does not close `open`.
    static func mismatch(_ close: UInt8, line: Int, open: (bracket: UInt8, line: Int)?) -> String {
        let c = Character(Unicode.Scalar(close))
        guard let open else { return "unmatched '\(c)'" }
        return "closing parenthesis '\(c)' does not match opening parenthesis '\(Character(Unicode.Scalar(open.bracket)))'"
            + (open.line == line ? "" : " on line \(open.line)")
    }

    /// Whether a module-level line starts a function or class body (`def`, `async def`, `class`).
    static func opensDefinition(_ tokens: [PythonToken]) -> Bool {
        guard tokens.last == .op(":"), case .name(let first) = tokens.first else { return false }
        if first == "def" || first == "class" { return true }
        if first == "async", tokens.count > 1, tokens[1] == .name("def") { return true }
        return false
    }

    /// Moves past one logical line (strings, brackets, comments and continuations followed as
    /// Python reads them), up to and including its newline. Returns whether it ends with `:`.
    private mutating func skipLogicalLine() throws(UnterminatedString) -> Bool {
        var at = pos, lineAt = line
        var problem = (line: line, detail: "")
        let opens = bytes.withUnsafeBufferPointer {
            Self.skipLogicalLine($0, pos: &at, line: &lineAt, strict: false, problem: &problem)
        }
        guard let opens else { throw UnterminatedString(line: problem.line, detail: problem.detail) }
        pos = at
        line = lineAt
        return opens
    }

    /// Moves `pos` past one logical line and its newline, counting lines; whether its last token
    /// is `:`. Nil when a string does not end, a closing bracket closes nothing or another kind of
    /// bracket, or the file ends inside brackets (`problem` says
    /// where and what, in Python's words). `strict` is the parser's one-pass fast path at module
    /// level, which also gives nil, leaving the file to the lexer, for a string with a backslash
    /// (the lexer decodes escapes there), a name that may set variables unseen (`globals`,
    /// `exec`, `setattr`, `vars`) or a `;`.
    static func skipLogicalLine(_ b: UnsafeBufferPointer<UInt8>, pos: inout Int, line: inout Int, strict: Bool,
                                problem: inout (line: Int, detail: String)) -> Bool?
    {
        var open = BracketStack()
        var last: UInt8 = 0
        while pos < b.count {
            let c = b[pos]
            switch c {
            case 0x0A:
                pos += 1
                line += 1
                if open.isEmpty { return last == 0x3A }
            case 0x23:
                while pos < b.count, b[pos] != 0x0A { pos += 1 }
            case 0x5C:
                pos += 1
                if pos < b.count, b[pos] == 0x0A {
                    pos += 1
                    line += 1
                }
            case 0x27, 0x22:
                problem = (line, "unterminated string literal")
                guard let end = endOfString(b, at: pos, line: &line, escapes: !strict) else { return nil }
                pos = end
                last = c
            case 0x20, 0x09, 0x0C, 0x0D:
                pos += 1
            default:
                if strict, isIdentStart(c) {
                    let start = pos
                    while pos < b.count, isIdentContinue(b[pos]) { pos += 1 }
                    if MigrationParser.isDynamicName(UnsafeBufferPointer(rebasing: b[start..<pos])) { return nil }
                    last = b[pos - 1]
                    continue
                }
                if c == 0x28 || c == 0x5B || c == 0x7B { open.push(c, line: line) }
                if c == 0x29 || c == 0x5D || c == 0x7D {
                    if open.isEmpty || open.lastIsKept, let detail = closing(c, line: line, open: open.last) {
                        problem = (line, detail)
                        return nil
                    }
                    open.pop()
                }
                if strict, c == 0x3B, open.isEmpty { return nil }
                last = c
                pos += 1
            }
        }
        if let innermost = open.last {
            problem = (innermost.line, neverClosed(innermost.bracket))
            return nil
        }
        return last == 0x3A
    }

    /// Moves past a string literal starting at `pos` (any prefix already passed), finding only
    /// where it ends: a backslash always takes the next character, in raw strings too.
    private mutating func skipString() throws(UnterminatedString) {
        let startLine = line
        var at = line
        let end = bytes.withUnsafeBufferPointer { Self.endOfString($0, at: pos, line: &at) }
        guard let end else { throw UnterminatedString(line: startLine) }
        pos = end
        line = at
    }

    /// Where the string literal whose quote is at `pos` ends (past its closing quote), counting
    /// the newlines it spans into `line`; nil when it does not end, or holds a backslash and
    /// `escapes` is false. The lexer's bodies and the parser's one-pass fast path both use it.
    static func endOfString(_ b: UnsafeBufferPointer<UInt8>, at start: Int, line: inout Int, escapes: Bool = true) -> Int? {
        endOfString(b, at: start, line: &line, escapes: escapes, nesting: 0)
    }

    /// Whether the string whose quote is at `start` has an `f` in its prefix (the letters right before it).
    static func isFormatted(_ b: UnsafeBufferPointer<UInt8>, quoteAt start: Int) -> Bool {
        var k = start - 1
        var f = false
        var n = 0
        while k >= 0, isIdentContinue(b[k]) {
            if b[k] | 0x20 == 0x66 { f = true }
            n += 1
            k -= 1
        }
        return f && n <= 2
    }

    /// ``endOfString(_:at:line:escapes:)``: an f-string's replacement fields are code, in which a
    /// quote starts a nested string (Python 3.12's reading), nested at most 32 deep.
    private static func endOfString(_ b: UnsafeBufferPointer<UInt8>, at start: Int, line: inout Int, escapes: Bool,
                                    nesting: Int) -> Int? {
        guard nesting < 32 else { return nil }
        let quote = b[start]
        let triple = start + 2 < b.count && b[start + 1] == quote && b[start + 2] == quote
        let formatted = isFormatted(b, quoteAt: start)
        var pos = start + (triple ? 3 : 1)
        var braces = 0
        while pos < b.count {
            let c = b[pos]
            if braces > 0 {
                if c == 0x22 || c == 0x27 {
                    guard let end = endOfString(b, at: pos, line: &line, escapes: escapes, nesting: nesting + 1) else { return nil }
                    pos = end
                    continue
                }
                if c == 0x7B { braces += 1 } else if c == 0x7D { braces -= 1 }
                if c == 0x0A { line += 1 }
                pos += 1
                continue
            }
            if c == 0x5C {
                guard escapes else { return nil }
                if pos + 1 < b.count, b[pos + 1] == 0x0A { line += 1 }
                pos += 2
                continue
            }
            if c == 0x0A {
                if !triple { return nil }
                line += 1
            }
            if formatted, c == 0x7B {
                if pos + 1 < b.count, b[pos + 1] == 0x7B { pos += 2; continue }
                braces = 1
                pos += 1
                continue
            }
            if c == quote {
                if !triple { return pos + 1 }
                if pos + 2 < b.count, b[pos + 1] == quote, b[pos + 2] == quote { return pos + 3 }
            }
            pos += 1
        }
        return nil
    }

    /// A letter (either case: bit 5 set maps A–Z onto a–z), `_`, or any byte of a non-ASCII character.
    static func isIdentStart(_ c: UInt8) -> Bool {
        ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == 0x5F || c >= 0x80
    }

    static func isIdentContinue(_ c: UInt8) -> Bool {
        isIdentStart(c) || (c >= 0x30 && c <= 0x39)
    }

    private mutating func readString(prefix: String) throws(UnterminatedString) -> PythonToken {
        // An f-string is never a literal value: only where it ends matters (its fields may hold quotes).
        if prefix.contains("f") {
            try skipString()
            return .string("", isBytes: prefix.contains("b"), isFormatted: true)
        }
        let startLine = line
        let quote = bytes[pos]
        let triple = pos + 2 < bytes.count && bytes[pos + 1] == quote && bytes[pos + 2] == quote
        pos += triple ? 3 : 1
        let raw = prefix.contains("r")
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw UnterminatedString(line: startLine) }
            let c = bytes[pos]
            if c == quote {
                if !triple {
                    pos += 1
                    break
                }
                if pos + 2 < bytes.count, bytes[pos + 1] == quote, bytes[pos + 2] == quote {
                    pos += 3
                    break
                }
                out.append(c)
                pos += 1
                continue
            }
            if c == 0x0A {
                if !triple { throw UnterminatedString(line: startLine) }
                line += 1
            }
            if c == 0x5C, pos + 1 < bytes.count {
                let n = bytes[pos + 1]
                if raw {
                    out.append(c)
                    out.append(n)
                    if n == 0x0A { line += 1 }
                    pos += 2
                    continue
                }
                pos += 2
                switch n {
                case 0x0A: line += 1  // escaped newline: removed
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x72: out.append(0x0D)
                case 0x30...0x37:  // \ooo: up to three octal digits
                    var v = UInt32(n - 0x30)
                    var k = 0
                    while k < 2, pos < bytes.count, (0x30...0x37).contains(bytes[pos]) {
                        v = v * 8 + UInt32(bytes[pos] - 0x30)
                        pos += 1
                        k += 1
                    }
                    if prefix.contains("b") { out.append(UInt8(truncatingIfNeeded: v)) } else if let s = Unicode.Scalar(v) {
                        out.append(contentsOf: Array(String(Character(s)).utf8))
                    }
                case 0x4E where !prefix.contains("b"):  // \N{NAME}
                    guard pos < bytes.count, bytes[pos] == 0x7B, let close = bytes[pos...].firstIndex(of: 0x7D) else {
                        throw UnterminatedString(line: line, detail: "malformed \\N character escape")
                    }
                    let name = String(decoding: bytes[(pos + 1)..<close], as: UTF8.self)
                    guard let scalar = Self.scalar(named: name) else {
                        throw UnterminatedString(line: line, detail: "unknown Unicode character name '\(name.displaySafe)' in a \\N{} escape")
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    pos = close + 1
                case 0x61: out.append(0x07)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x76: out.append(0x0B)
                case 0x5C, 0x27, 0x22: out.append(n)
                // \u and \U mean nothing in bytes: Python keeps them as written. (A `where` clause
                // binds to one pattern only, so each has its own.)
                case 0x75 where prefix.contains("b"), 0x55 where prefix.contains("b"): out.append(contentsOf: [0x5C, n])
                case 0x78, 0x75, 0x55:  // \xHH \uHHHH \UHHHHHHHH
                    let count = n == 0x78 ? 2 : (n == 0x75 ? 4 : 8)
                    let end = min(pos + count, bytes.count)
                    let digits = bytes[pos..<end]
                    guard digits.count == count, digits.allSatisfy({ Self.isHexDigit($0) }),
                          let v = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
                    else {
                        let form = n == 0x78 ? "\\xXX" : n == 0x75 ? "\\uXXXX" : "\\UXXXXXXXX"
                        throw UnterminatedString(line: line, detail: "truncated \(form) escape")
                    }
                    pos = end
                    if prefix.contains("b") {
                        out.append(UInt8(v))
                    } else if let scalar = Unicode.Scalar(v) {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else {
                        throw UnterminatedString(line: line, detail: "illegal Unicode character in a \\U escape")
                    }
                default: out.append(contentsOf: [0x5C, n])
                }
                continue
            }
            out.append(c)
            pos += 1
        }
        return .string(
            String(decoding: out, as: UTF8.self), isBytes: prefix.contains("b"),
            isFormatted: prefix.contains("f"))
    }
}

extension PythonToken {
    /// The byte of a one-byte operator (`(`, `,`, `=` ...); nil for anything else. Comparing bytes
    /// instead of strings keeps the bracket and comma scans off the string-comparison path.
    @inline(__always)
    public var opByte: UInt8? {
        guard case .op(let o) = self else { return nil }
        var utf8 = o.utf8.makeIterator()
        guard let first = utf8.next(), utf8.next() == nil else { return nil }
        return first
    }

    /// +1 for an opening bracket, -1 for a closing one, 0 otherwise.
    @inline(__always)
    public var bracketDelta: Int {
        switch opByte {
        case 0x28, 0x5B, 0x7B: 1
        case 0x29, 0x5D, 0x7D: -1
        default: 0
        }
    }

    /// The deepest bracket nesting in `tokens` (parsers that recurse on brackets check it first).
    public static func nesting<C: Collection>(_ tokens: C) -> Int where C.Element == PythonToken {
        var depth = 0, deepest = 0
        for t in tokens {
            depth += t.bracketDelta
            deepest = Swift.max(deepest, depth)
        }
        return deepest
    }

    /// How deeply a value may nest before revgraph stops reading it.
    public static let maxNesting = 64
}

extension PythonLexer {
    /// The one-byte operator strings, made once (a string per byte read cost an allocation each).
    static let singleByteOps: [String] = (0...255).map { String(decoding: [UInt8($0)], as: UTF8.self) }

    static func isHexDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b) }

    /// The scalar a `\N{…}` escape names (Unicode names and aliases, case-insensitive, as Python's
    /// `unicodedata.lookup`); nil for an unknown name.
    static func scalar(named name: String) -> Unicode.Scalar? {
        guard name.utf8.count <= 128 else { return nil }  // the longest name is 88 characters
        return scalarsByName[name.uppercased()]
    }

    /// Every Unicode name and alias, built once, on the first `\N{…}` a run meets (a scan of
    /// every code point costs a few hundred milliseconds; one per escape would let a file of
    /// escapes stall a hook for minutes).
    static let scalarsByName: [String: Unicode.Scalar] = {
        var names: [String: Unicode.Scalar] = [:]
        names.reserveCapacity(40_000)
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if let n = s.properties.name { names[n] = s }
            if let a = s.properties.nameAlias, names[a] == nil { names[a] = s }
        }
        return names
    }()
}

extension String {
    /// CRLF and lone CR turned into LF, as Python's universal newlines read a file.
    public func normalizingNewlines() -> String {
        guard utf8.contains(0x0D) else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for b in utf8 {
            if b == 0x0A && previousCR { previousCR = false; continue }
            previousCR = b == 0x0D
            out.append(previousCR ? 0x0A : b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The text with control characters (terminal escapes among them) shown as `\u{1B}` and the
    /// like: for values read from a database, which are printed but never trusted.
    public var displaySafe: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return self }
        var out = ""
        for s in unicodeScalars {
            if s.value < 0x20 || (0x7F...0x9F).contains(s.value) {
                out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
