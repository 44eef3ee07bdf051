/// Errors CPython's compiler reports for Python source that the lexer and the readers do not meet
/// on their own, found in one pass over the bytes with no token stored: a NUL byte; two operands
/// with no operator or comma between them (`sa.Column('a') sa.Column('b')`, Python's "Perhaps you
/// forgot a comma?"); a comparison, `=` or another binary-only operator where an operand must
/// come (`x = = 1`, an enum repr `(<Level.x: 1>, …)` makemigrations wrote); a line that ends
/// wanting an operand (`x = 1 +`); a block header with no indented block after it. Every rule
/// refuses only what no Python 3 accepts, so a file Python compiles is never refused (the tests
/// compare with CPython 3.13's `compile()` on every input); it does not find every error Python
/// would. Linear in the file; nesting is a counter.
public enum PythonSyntaxCheck {
    public struct Failure: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// What a token is to the rules.
    enum Kind: Equatable {
        /// A name, number, string or closing bracket: an operand ends here.
        case operand
        /// A string (operands too; strings next to strings concatenate).
        case string
        /// An opening bracket, `,`, `=`, `:`, an operator or a keyword that takes an operand.
        case wantsOperand
        /// A keyword after which anything may come (`else`, `pass`, `True` is an operand).
        case neutral
        /// `<`, `==`, `//`, `|`, `+=`, … : never where an operand must come.
        case binaryOnly
        /// `=` (binary-only, except after a `,`: `a, = x`).
        case assign
    }

    /// Up to 8 bytes packed in a word (0 for longer text): keywords are compared without allocating.
    @inline(__always)
    static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        guard bytes.count <= 8 else { return 0 }
        var v: UInt64 = 0
        for b in bytes { v = v << 8 | UInt64(b) }
        return v
    }


    /// What a packed word or operator is to the rules, as bits (0: a plain name or nothing known).
    struct Flags: OptionSet {
        let rawValue: UInt16
        static let keyword = Flags(rawValue: 1), neutral = Flags(rawValue: 2), afterOperand = Flags(rawValue: 4)
        static let wantsAtEnd = Flags(rawValue: 8), block = Flags(rawValue: 16), soft = Flags(rawValue: 32)
        static let operandKeyword = Flags(rawValue: 64), binaryOnly = Flags(rawValue: 128)
        static let threeByte = Flags(rawValue: 256), twoByte = Flags(rawValue: 512)
    }

    /// An open-addressing table from packed words to their flags: a lookup is a multiply and a
    /// probe or two (a Set's hashing cost more than the rest of the check).
    struct WordTable: Sendable {
        var keys = [UInt64](repeating: 0, count: 256)
        var values = [UInt16](repeating: 0, count: 256)

        init(_ entries: [(UInt64, Flags)]) {
            for (k, f) in entries {
                var i = Self.slot(k)
                while keys[i] != 0 && keys[i] != k { i = (i + 1) & 255 }
                keys[i] = k
                values[i] |= f.rawValue
            }
        }

        @inline(__always) static func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        @inline(__always) func flags(_ k: UInt64) -> Flags {
            guard k != 0 else { return [] }
            var i = Self.slot(k)
            while true {
                let key = keys[i]
                if key == k { return Flags(rawValue: values[i]) }
                if key == 0 { return [] }
                i = (i + 1) & 255
            }
        }
    }

    static let table: WordTable = {
        var entries: [(UInt64, Flags)] = []
        func add(_ words: [String], _ f: Flags) { for w in words { entries.append((pack(Array(w.utf8)), f)) } }
        add(["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
             "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
             "pass", "raise", "return", "try", "while", "with", "yield"], .keyword)
        add(["True", "False", "None"], .operandKeyword)
        add(["break", "continue", "pass", "return", "yield", "else", "try", "finally", "raise", "lambda", "except", "import",
             "global", "nonlocal", "class", "def", "async"], .neutral)
        add(["and", "or", "not", "in", "is", "if", "else", "for", "async", "from", "as", "import"], .afterOperand)
        add(["and", "or", "not", "in", "is", "await", "del", "assert", "if", "elif", "while", "with", "for",
             "+", "-", "/", "~", ".", "**"], .wantsAtEnd)
        add(["def", "class", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"], .block)
        add(["match", "case", "type"], .soft)
        add(["<", ">", "==", "!=", "<=", ">=", "<>", "//", "%", "|", "&", "^", "<<", ">>", "+=", "-=", "*=", "/=", "//=", "%=", "@=",
             "&=", "|=", "^=", ">>=", "<<=", "**=", ":="], .binaryOnly)
        add(["**=", "//=", ">>=", "<<=", "..."], .threeByte)
        add(["->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "<>", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^="], .twoByte)
        return WordTable(entries)
    }()

    static let ellipsis = pack(Array("...".utf8))
    static let colon = pack([UInt8(ascii: ":")])
    static let at = pack([UInt8(ascii: "@")])
    static let comma = pack([UInt8(ascii: ",")])
    static let match = pack(Array("match".utf8))
    static let caseWord = pack(Array("case".utf8))

    /// The check's error when it comes before `earlier` (the line of the error a reader already
    /// found, if any): CPython reports whichever it meets first.
    public static func failure(_ bytes: [UInt8], before earlier: Int?) -> Failure? {
        guard let f = check(bytes) else { return nil }
        if let earlier, earlier <= f.line { return nil }
        return f
    }

    /// The first error, or nil. `bytes` is the source as read (its encoding already checked).
    public static func check(_ bytes: [UInt8]) -> Failure? {
        if let nul = bytes.firstIndex(of: 0) {
            return Failure(line: 1 + bytes[..<nul].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, message: "source code string cannot contain null bytes")
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var s = Scanner(bytes: buffer)
            return s.run()
        }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>
    typealias Text = Slice<UnsafeBufferPointer<UInt8>>

    struct Scanner {
        let bytes: Bytes
        var pos = 0
        var line = 1
        var depth = 0
        /// The previous token of this logical line, its text and line.
        var previous: Kind?
        var previousText: Text = Text(base: Bytes(start: nil, count: 0), bounds: 0..<0)
        var previousLine = 1
        /// The logical line: its first token, its indentation, whether a block header, where.
        var firstToken: Text = Text(base: Bytes(start: nil, count: 0), bounds: 0..<0)
        var tokensInLine = 0
        var secondIsOperand = false
        var indent = 0
        var atLineStart = true
        /// A block header waiting for its indented block: its indentation, line and what it is.
        var pendingBlock: (indent: Int, line: Int, first: UInt64)?
        /// This logical line holds an f-string: where its fields end is the lexer's reading of
        /// Python 3.12's, close but not exact in every corner (a quote in a format spec), so no
        /// operand rule is applied on the line.
        var fuzzy = false
        /// Set when the scanner cannot tell where a string ends: the check gives no answer.
        var gaveUp = false

        let table = PythonSyntaxCheck.table

        init(bytes: Bytes) { self.bytes = bytes }

        static func isNameStart(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c >= 0x80 }
        static func isNameContinue(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }

        mutating func run() -> Failure? {
            while pos < bytes.count {
                let c = bytes[pos]
                if atLineStart && depth == 0 {
                    var col = 0
                    var p = pos
                    while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x09 || bytes[p] == 0x0C {
                        col = bytes[p] == 0x09 ? (col / 8 + 1) * 8 : col + 1
                        p += 1
                    }
                    // Blank and comment-only lines are not logical lines.
                    if p < bytes.count, bytes[p] == 0x0A || bytes[p] == 0x0D || bytes[p] == 0x23 || bytes[p] == 0x5C {
                        pos = p
                        if bytes[p] == 0x23 { while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 } }
                        if pos < bytes.count, bytes[pos] == 0x5C { atLineStart = false; indent = col; continue }
                        if pos < bytes.count, bytes[pos] == 0x0D { pos += 1 }
                        if pos < bytes.count, bytes[pos] == 0x0A { pos += 1; line += 1 }
                        continue
                    }
                    if p >= bytes.count { pos = p; break }
                    pos = p
                    atLineStart = false
                    indent = col
                    if let b = pendingBlock {
                        if col <= b.indent { return Failure(line: line, message: "expected an indented block after \(Self.describe(b.first)) on line \(b.line)") }
                        pendingBlock = nil
                    }
                    continue
                }
                switch c {
                case 0x0A:
                    pos += 1
                    line += 1
                    if depth == 0 {
                        if let f = endLogicalLine() { return f }
                        atLineStart = true
                    }
                case 0x0D, 0x20, 0x09, 0x0C:
                    pos += 1
                case 0x23:
                    while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
                case 0x5C:  // a backslash continues the line
                    pos += 1
                    if pos < bytes.count, bytes[pos] == 0x0D { pos += 1 }
                    if pos < bytes.count, bytes[pos] == 0x0A { pos += 1; line += 1 }
                case 0x22, 0x27:
                    if let f = token(.string, bytes[pos..<pos]) { return f }
                    if let f = skipString(prefixF: false) { return f }
                    if gaveUp { return nil }
                default:
                    if Self.isNameStart(c) {
                        let start = pos
                        while pos < bytes.count, Self.isNameContinue(bytes[pos]) { pos += 1 }
                        let word = bytes[start..<pos]
                        // A string prefix (r, b, u, f, rb, fr, …) right before a quote.
                        if pos < bytes.count, bytes[pos] == 0x22 || bytes[pos] == 0x27, word.count <= 2,
                           word.allSatisfy({ "rRbBuUfF".utf8.contains($0) }) {
                            if let f = token(.string, word) { return f }
                            if let f = skipString(prefixF: word.contains { $0 == 0x66 || $0 == 0x46 }) { return f }
                            if gaveUp { return nil }
                            continue
                        }
                        let w = PythonSyntaxCheck.pack(word)
                        let f = table.flags(w)
                        let kind: Kind
                        if f.contains(.operandKeyword) || !f.contains(.keyword) {
                            kind = .operand
                        } else if f.contains(.neutral) {
                            kind = .neutral
                        } else {
                            kind = .wantsOperand
                        }
                        if let f = token(kind, word) { return f }
                    } else if c >= 0x30 && c <= 0x39 || (c == 0x2E && pos + 1 < bytes.count && bytes[pos + 1] >= 0x30 && bytes[pos + 1] <= 0x39) {
                        let start = pos
                        skipNumber()
                        if let f = token(.operand, bytes[start..<pos]) { return f }
                    } else {
                        if let f = op() { return f }
                    }
                }
            }
            if gaveUp { return nil }
            if depth == 0, let f = endLogicalLine() { return f }
            if let b = pendingBlock { return Failure(line: b.line, message: "expected an indented block after \(Self.describe(b.first)) on line \(b.line)") }
            return nil
        }


        mutating func skipNumber() {
            if bytes[pos] == 0x30, pos + 1 < bytes.count, "xXoObB".utf8.contains(bytes[pos + 1]) {
                pos += 2
                while pos < bytes.count, Self.isNameContinue(bytes[pos]) && (bytes[pos] < 0x80) && isHexish(bytes[pos]) { pos += 1 }
                return
            }
            while pos < bytes.count {
                let d = bytes[pos]
                if (d >= 0x30 && d <= 0x39) || d == 0x5F || d == 0x2E { pos += 1; continue }
                if d == 0x65 || d == 0x45, pos + 1 < bytes.count {
                    let n = bytes[pos + 1]
                    if n >= 0x30 && n <= 0x39 { pos += 2; continue }
                    if n == 0x2B || n == 0x2D, pos + 2 < bytes.count, bytes[pos + 2] >= 0x30 && bytes[pos + 2] <= 0x39 { pos += 3; continue }
                }
                if d == 0x6A || d == 0x4A { pos += 1 }  // an imaginary number's j
                return
            }
        }

        func isHexish(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) || c == 0x5F }

        /// An operator or bracket at `pos`.
        mutating func op() -> Failure? {
            let c = bytes[pos]
            // Every two- and three-byte operator has one of these as its second byte.
            let second = pos + 1 < bytes.count ? bytes[pos + 1] : 0
            var n = second == 0x3D || second == 0x3E || second == 0x3C || second == 0x2A || second == 0x2F || second == 0x2E ? 3 : 1
            while n >= 2 {
                defer { n -= 1 }
                guard pos + n <= bytes.count else { continue }
                let o = PythonSyntaxCheck.pack(bytes[pos..<(pos + n)])
                let f = table.flags(o)
                guard f.contains(n == 3 ? .threeByte : .twoByte) else { continue }
                pos += n
                let text = bytes[(pos - n)..<pos]
                if o == PythonSyntaxCheck.ellipsis { return token(.operand, text) }
                return token(f.contains(.binaryOnly) ? .binaryOnly : .wantsOperand, text)
            }
            pos += 1
            let text = bytes[(pos - 1)..<pos]
            switch c {
            case 0x28, 0x5B, 0x7B:
                let f = token(.wantsOperand, text)
                depth += 1
                return f
            case 0x29, 0x5D, 0x7D:
                depth = max(0, depth - 1)
                // A closer right after an opener or a comma is fine; its own kind is an operand's.
                let f = token(.operand, text, closing: true)
                return f
            case 0x3D: return token(.assign, text)
            case 0x3C, 0x3E, 0x25, 0x7C, 0x26, 0x5E: return token(.binaryOnly, text)
            default: return token(.wantsOperand, text)  // + - * / ~ @ , : . ; and the rest
            }
        }

        /// Checks `kind` after the previous token, then makes it the previous one.
        mutating func token(_ kind: Kind, _ text: Text, closing: Bool = false) -> Failure? {
            defer {
                if tokensInLine == 0 { firstToken = text }
                if tokensInLine == 1 { secondIsOperand = kind == .operand || kind == .string }
                tokensInLine += 1
                previous = kind
                previousText = text
                previousLine = line
            }
            guard let prev = previous else { return nil }
            switch kind {
            case .operand where !closing, .string:
                // Two operands in a row: only strings concatenate, and a soft keyword may start a statement.
                let isSoftStart = tokensInLine == 1 && table.flags(PythonSyntaxCheck.pack(firstToken)).contains(.soft)
                if prev == .string && kind == .string { return nil }
                if (prev == .operand || prev == .string) && !isSoftStart && !fuzzy {
                    return Failure(line: previousLine, message: depth > 0 ? "invalid syntax. Perhaps you forgot a comma?" : "invalid syntax")
                }
            case .wantsOperand, .neutral:
                // A keyword after an operand must be one that can follow one.
                if (prev == .operand || prev == .string), !fuzzy, let f = text.first, Self.isNameStart(f), isKeyword(text), !isKeywordAfterOperand(text),
                   !(tokensInLine == 1 && table.flags(PythonSyntaxCheck.pack(firstToken)).contains(.soft)) {
                    return Failure(line: previousLine, message: depth > 0 ? "invalid syntax. Perhaps you forgot a comma?" : "invalid syntax")
                }
            case .binaryOnly:
                if prev == .wantsOperand || prev == .binaryOnly || prev == .assign {
                    return Failure(line: line, message: "invalid syntax")
                }
            case .assign:
                if prev == .binaryOnly || prev == .assign || (prev == .wantsOperand && !(previousText.count == 1 && previousText.first == 0x2C)) {
                    return Failure(line: line, message: "invalid syntax")
                }
            default: break
            }
            return nil
        }

        func isKeyword(_ t: Text) -> Bool { table.flags(PythonSyntaxCheck.pack(t)).contains(.keyword) }
        func isKeywordAfterOperand(_ t: Text) -> Bool { table.flags(PythonSyntaxCheck.pack(t)).contains(.afterOperand) }

        /// The end of a logical line: one that ends wanting an operand is an error; a block header
        /// (`def …:`) wants an indented block next.
        mutating func endLogicalLine() -> Failure? {
            defer { previous = nil; tokensInLine = 0; firstToken = bytes[0..<0]; secondIsOperand = false; fuzzy = false }
            guard let prev = previous else { return nil }
            let last = PythonSyntaxCheck.pack(previousText)
            if prev == .binaryOnly || prev == .assign
                || (prev == .wantsOperand && table.flags(last).contains(.wantsAtEnd))
            {
                return Failure(line: previousLine, message: "invalid syntax")
            }
            let first = PythonSyntaxCheck.pack(firstToken)
            if last == PythonSyntaxCheck.colon, table.flags(first).contains(.block) {
                // `match`/`case` are soft keywords: a block only when a subject or pattern follows.
                if (first == PythonSyntaxCheck.match || first == PythonSyntaxCheck.caseWord) && tokensInLine < 3 { return nil }
                pendingBlock = (indent, previousLine, first)
            }
            return nil
        }

        /// How CPython names the statement whose packed first word is `first` (only on a failure).
        static func describe(_ first: UInt64) -> String {
            var word = ""
            var v = first
            var bytes: [UInt8] = []
            while v != 0 { bytes.insert(UInt8(truncatingIfNeeded: v & 0xFF), at: 0); v >>= 8 }
            word = String(decoding: bytes, as: UTF8.self)
            switch word {
            case "def", "async": return "function definition"
            case "class": return "class definition"
            default: return "'\(word)' statement"
            }
        }

        /// Skips the string literal whose quote is at `pos`, as the lexer ends it (f-strings'
        /// replacement fields included, where quotes nest as Python 3.12 reads them). An f-string
        /// makes the line fuzzy: where its fields end is the lexer's reading, and no operand rule
        /// is applied on the line. A string that does not end is the lexer's to name: no answer here.
        mutating func skipString(prefixF: Bool) -> Failure? {
            var l = line
            guard let end = PythonLexer.endOfString(bytes, at: pos, line: &l) else {
                gaveUp = true
                return nil
            }
            if prefixF { fuzzy = true }
            pos = end
            line = l
            return nil
        }
    }
}
