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

    static let keywords: Set<[UInt8]> = Set(["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                                            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
                                            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
                                            "try", "while", "with", "yield"].map { Array($0.utf8) })
    /// Keywords after which an operand may be missing (`return`, `else:`, `pass`) or that end a statement.
    static let neutralKeywords: Set<[UInt8]> = Set(["break", "continue", "pass", "return", "yield", "else", "try", "finally",
                                                    "raise", "lambda", "except", "import", "global", "nonlocal", "class",
                                                    "def", "async"].map { Array($0.utf8) })
    /// Keywords that may follow an operand (`a if b else c`, `x for x in y`, `a is not b`, `import x as y`).
    static let afterOperand: Set<[UInt8]> = Set(["and", "or", "not", "in", "is", "if", "else", "for", "async", "from",
                                                 "as", "import"].map { Array($0.utf8) })
    /// Keywords whose line ends a statement wanting an operand when nothing follows.
    static let wantsOperandAtEnd: Set<[UInt8]> = Set(["and", "or", "not", "in", "is", "await", "del", "assert", "if", "elif",
                                                      "while", "with", "for"].map { Array($0.utf8) })
    static let blockKeywords: Set<[UInt8]> = Set(["def", "class", "if", "elif", "else", "for", "while", "try", "except",
                                                  "finally", "with", "async", "match", "case"].map { Array($0.utf8) })
    static let softKeywords: Set<[UInt8]> = Set(["match", "case", "type"].map { Array($0.utf8) })

    static let binaryOnlyOperators: Set<[UInt8]> = Set(["<", ">", "==", "!=", "<=", ">=", "<>", "//", "%", "|", "&", "^", "<<", ">>",
                                                        "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=",
                                                        "<<=", "**=", ":="].map { Array($0.utf8) })
    static let operators: [[UInt8]] = ["**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
                                       "<>", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^="].map { Array($0.utf8) }

    /// The first error, or nil. `bytes` is the source as read (its encoding already checked).
    public static func check(_ bytes: [UInt8]) -> Failure? {
        var s = Scanner(bytes: bytes)
        return s.run()
    }

    struct Scanner {
        let bytes: [UInt8]
        var pos = 0
        var line = 1
        var depth = 0
        /// The previous token of this logical line, its text and line.
        var previous: Kind?
        var previousText: ArraySlice<UInt8> = []
        var previousLine = 1
        /// The logical line: its first token, its indentation, whether a block header, where.
        var firstToken: ArraySlice<UInt8> = []
        var tokensInLine = 0
        var secondIsOperand = false
        var indent = 0
        var atLineStart = true
        /// A block header waiting for its indented block: its indentation, line and what it is.
        var pendingBlock: (indent: Int, line: Int, what: String)?
        /// This logical line holds an f-string with replacement fields: where it ends is Python
        /// 3.12's reading, which this scanner follows closely but not in every corner (a quote in
        /// a format spec), so no operand rule is applied on the line.
        var fuzzy = false
        /// Set when the scanner cannot tell where a string ends: the check gives no answer.
        var gaveUp = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        static func isNameStart(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c >= 0x80 }
        static func isNameContinue(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }

        mutating func run() -> Failure? {
            while pos < bytes.count {
                let c = bytes[pos]
                if c == 0 { return Failure(line: line, message: "source code string cannot contain null bytes") }
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
                        if bytes[p] == 0x23 { while pos < bytes.count, bytes[pos] != 0x0A { if bytes[pos] == 0 { return Failure(line: line, message: "source code string cannot contain null bytes") }; pos += 1 } }
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
                        if col <= b.indent { return Failure(line: line, message: "expected an indented block after \(b.what) on line \(b.line)") }
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
                    while pos < bytes.count, bytes[pos] != 0x0A {
                        if bytes[pos] == 0 { return Failure(line: line, message: "source code string cannot contain null bytes") }
                        pos += 1
                    }
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
                        let w = Array(word)
                        let kind: Kind
                        if w == Array("True".utf8) || w == Array("False".utf8) || w == Array("None".utf8) || !Self.keywords(w) {
                            kind = .operand
                        } else if neutralKeyword(w) {
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
            if let b = pendingBlock { return Failure(line: b.line, message: "expected an indented block after \(b.what) on line \(b.line)") }
            return nil
        }

        static func keywords(_ w: [UInt8]) -> Bool { PythonSyntaxCheck.keywords.contains(w) }
        func neutralKeyword(_ w: [UInt8]) -> Bool { PythonSyntaxCheck.neutralKeywords.contains(w) }

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
            for o in PythonSyntaxCheck.operators where bytes[pos...].starts(with: o) {
                pos += o.count
                let text = bytes[(pos - o.count)..<pos]
                if o == Array("...".utf8) { return token(.operand, text) }
                return token(PythonSyntaxCheck.binaryOnlyOperators.contains(o) ? .binaryOnly : .wantsOperand, text)
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
        mutating func token(_ kind: Kind, _ text: ArraySlice<UInt8>, closing: Bool = false) -> Failure? {
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
                let isSoftStart = tokensInLine == 1 && PythonSyntaxCheck.softKeywords.contains(Array(firstToken))
                if prev == .string && kind == .string { return nil }
                if (prev == .operand || prev == .string) && !isSoftStart && !fuzzy {
                    return Failure(line: previousLine, message: depth > 0 ? "invalid syntax. Perhaps you forgot a comma?" : "invalid syntax")
                }
            case .wantsOperand, .neutral:
                // A keyword after an operand must be one that can follow one.
                if (prev == .operand || prev == .string), !fuzzy, isKeyword(text), !isKeywordAfterOperand(text),
                   !(tokensInLine == 1 && PythonSyntaxCheck.softKeywords.contains(Array(firstToken))) {
                    return Failure(line: previousLine, message: depth > 0 ? "invalid syntax. Perhaps you forgot a comma?" : "invalid syntax")
                }
            case .binaryOnly:
                if prev == .wantsOperand || prev == .binaryOnly || prev == .assign {
                    return Failure(line: line, message: "invalid syntax")
                }
            case .assign:
                if prev == .binaryOnly || prev == .assign || (prev == .wantsOperand && previousText != [0x2C]) {
                    return Failure(line: line, message: "invalid syntax")
                }
            default: break
            }
            return nil
        }

        func isKeyword(_ t: ArraySlice<UInt8>) -> Bool { PythonSyntaxCheck.keywords.contains(Array(t)) }
        func isKeywordAfterOperand(_ t: ArraySlice<UInt8>) -> Bool { PythonSyntaxCheck.afterOperand.contains(Array(t)) }

        /// The end of a logical line: one that ends wanting an operand is an error; a block header
        /// (`def …:`) wants an indented block next.
        mutating func endLogicalLine() -> Failure? {
            defer { previous = nil; tokensInLine = 0; firstToken = []; secondIsOperand = false; fuzzy = false }
            guard let prev = previous else { return nil }
            let last = Array(previousText)
            if prev == .binaryOnly || prev == .assign
                || (prev == .wantsOperand && (PythonSyntaxCheck.wantsOperandAtEnd.contains(last)
                    || ["+", "-", "/", "~", "@", ".", "**"].map { Array($0.utf8) }.contains(last) && !(last == [0x40] && tokensInLine == 1)))
            {
                return Failure(line: previousLine, message: "invalid syntax")
            }
            if last == [0x3A], PythonSyntaxCheck.blockKeywords.contains(Array(firstToken)) {
                let first = Array(firstToken)
                // `match`/`case` are soft keywords: a block only when a subject or pattern follows.
                if (first == Array("match".utf8) || first == Array("case".utf8)) && tokensInLine < 3 { return nil }
                pendingBlock = (indent, previousLine, Self.describe(first))
            }
            return nil
        }

        static func describe(_ first: [UInt8]) -> String {
            switch String(decoding: first, as: UTF8.self) {
            case "def", "async": return "function definition"
            case "class": return "class definition"
            case let k: return "'\(k)' statement"
            }
        }

        /// Skips a string literal at `pos` (its quote), f-strings' replacement fields included (in
        /// which quotes start nested strings, as Python 3.12 reads them). Iterative: a stack of the
        /// open strings and the brace depth of each f-string.
        mutating func skipString(prefixF: Bool) -> Failure? {
            struct Open { var quote: UInt8; var triple: Bool; var isF: Bool; var braces: Int }
            var stack: [Open] = []
            func open(_ isF: Bool) {
                let q = bytes[pos]
                let triple = pos + 2 < bytes.count && bytes[pos + 1] == q && bytes[pos + 2] == q
                pos += triple ? 3 : 1
                stack.append(Open(quote: q, triple: triple, isF: isF, braces: 0))
            }
            open(prefixF)
            while pos < bytes.count, var top = stack.last {
                let c = bytes[pos]
                if c == 0 { return Failure(line: line, message: "source code string cannot contain null bytes") }
                if top.braces > 0 {
                    // Inside a replacement field: code, where a quote opens a nested string.
                    if c == 0x22 || c == 0x27 {
                        var isF = false
                        var k = pos - 1
                        while k >= 0, Self.isNameContinue(bytes[k]) { if bytes[k] | 0x20 == 0x66 { isF = true }; k -= 1 }
                        open(isF)
                        continue
                    }
                    if c == 0x7B { top.braces += 1 } else if c == 0x7D { top.braces -= 1 }
                    if c == 0x0A { line += 1 }
                    stack[stack.count - 1] = top
                    pos += 1
                    continue
                }
                if c == 0x5C {
                    pos += 1
                    if pos < bytes.count { if bytes[pos] == 0x0A { line += 1 }; pos += 1 }
                    continue
                }
                if c == 0x0A {
                    if !top.triple {
                        // Unterminated: the lexer names it (with Python's words); no answer here.
                        gaveUp = true
                        return nil
                    }
                    line += 1
                    pos += 1
                    continue
                }
                if top.isF, c == 0x7B {
                    if pos + 1 < bytes.count, bytes[pos + 1] == 0x7B { pos += 2; continue }
                    fuzzy = true
                    top.braces = 1
                    stack[stack.count - 1] = top
                    pos += 1
                    continue
                }
                if c == top.quote {
                    if !top.triple || (pos + 2 < bytes.count && bytes[pos + 1] == c && bytes[pos + 2] == c) {
                        pos += top.triple ? 3 : 1
                        stack.removeLast()
                        continue
                    }
                }
                pos += 1
            }
            // The end of the file inside a string: the lexer names it.
            if !stack.isEmpty { gaveUp = true }
            return nil
        }
    }
}
