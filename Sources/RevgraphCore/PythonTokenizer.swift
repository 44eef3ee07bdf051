/// Python 3.13's tokenizer, for the syntax check: the tokens CPython's parser sees (names,
/// numbers, strings, f-string parts, operators, NEWLINE, INDENT, DEDENT) and the errors CPython's
/// tokenizer raises, with its words and line. Pulls one token at a time; every nesting (brackets,
/// f-strings, indentation) is a stack with CPython's own bound, so the work is linear in the file.
struct PythonTokenizer {
    struct Token {
        var kind: Kind
        /// The operator or keyword (``Op``, ``Word``), 0 for other tokens.
        var code: UInt8
        var line: Int32
        var start: Int32
        var end: Int32
    }

    enum Kind: UInt8 { case name, number, string, bytes, fstringStart, fstringMiddle, fstringEnd, op, newline, indent, dedent, end }

    enum Op: UInt8 {
        case none = 0, lpar, rpar, lsqb, rsqb, lbrace, rbrace, colon, comma, semi, plus, minus, star, slash, vbar, amper
        case less, greater, equal, dot, percent, eqequal, notequal, lessequal, greaterequal, tilde, circumflex
        case leftshift, rightshift, doublestar, plusequal, minequal, starequal, slashequal, percentequal, amperequal
        case vbarequal, circumflexequal, leftshiftequal, rightshiftequal, doublestarequal, doubleslash, doubleslashequal
        case at, atequal, rarrow, ellipsis, colonequal, exclamation, unknown
    }

    /// Keywords and soft keywords, the code of a name token (0: a plain name).
    enum Word: UInt8 {
        case none = 0, False, None, True, and, `as`, assert, async, await, `break`, `class`, `continue`, def, del, elif
        case `else`, except, finally, `for`, from, global, `if`, `import`, `in`, `is`, lambda, nonlocal, not, or, pass
        case raise, `return`, `try`, `while`, with, yield
        case match, `case`, type, underscore
        var isHard: Bool { rawValue != 0 && rawValue < Word.match.rawValue }
    }

    /// An error of the tokenizer, or the end of the file inside a bracket (which CPython names
    /// differently depending on where the parser stopped).
    struct Failure: Error {
        var line: Int
        var message: String
        /// Raised by the tokenizer (a later one overrides the parser's error, as in CPython) or by
        /// the parser and the compiler's passes.
        var byTokenizer = true
        var unclosed = false
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    var line: Int32 = 1
    var atLineStart = true
    /// Indentation columns, as CPython keeps them: with tabs to 8 and tabs to 1 (a TabError when they disagree).
    var indents: [Int] = [0]
    var altIndents: [Int] = [0]
    var pendingDedents = 0
    var pendingIndent = false
    /// Open brackets: the byte and its line.
    var brackets: [(UInt8, Int32)] = []
    /// Whether the last token of the logical line was not a NEWLINE (one is made at the end of file).
    var lineHasTokens = false
    var finished = false

    /// An f-string being read: its quote, and the state of the replacement field open in it.
    struct FString {
        var quote: UInt8
        var triple: Bool
        var raw: Bool
        var line: Int32
        /// Brackets open when the current field began (its `{` included); nil in the literal part.
        var fieldBase: Int?
        /// In the format spec after `:` (a literal part that a `}` ends).
        var inSpec = false
        /// Nested fields in format specs.
        var specDepth = 0
    }
    var fstrings: [FString] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Keywords by their packed bytes, in an open-addressing table: a lookup is a multiply and
    /// a probe or two (a Dictionary's hashing cost more than the rest of the tokenizer).
    struct WordTable: Sendable {
        var keys = [UInt64](repeating: 0, count: 256)
        var values = [UInt8](repeating: 0, count: 256)

        init() {
            let all: [(String, Word)] = [
                ("False", .False), ("None", .None), ("True", .True), ("and", .and), ("as", .as), ("assert", .assert), ("async", .async),
                ("await", .await), ("break", .break), ("class", .class), ("continue", .continue), ("def", .def), ("del", .del),
                ("elif", .elif), ("else", .else), ("except", .except), ("finally", .finally), ("for", .for), ("from", .from),
                ("global", .global), ("if", .if), ("import", .import), ("in", .in), ("is", .is), ("lambda", .lambda),
                ("nonlocal", .nonlocal), ("not", .not), ("or", .or), ("pass", .pass), ("raise", .raise), ("return", .return),
                ("try", .try), ("while", .while), ("with", .with), ("yield", .yield), ("match", .match), ("case", .case),
                ("type", .type), ("_", .underscore),
            ]
            for (w, k) in all {
                let key = PythonSyntaxCheck.pack(Array(w.utf8))
                var i = Self.slot(key)
                while keys[i] != 0 { i = (i + 1) & 255 }
                keys[i] = key
                values[i] = k.rawValue
            }
        }

        @inline(__always) static func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        @inline(__always) func word(_ k: UInt64) -> UInt8 {
            var i = Self.slot(k)
            while true {
                let key = keys[i]
                if key == k { return values[i] }
                if key == 0 { return 0 }
                i = (i + 1) & 255
            }
        }
    }

    static let words = WordTable()

    @inline(__always) func at(_ p: Int) -> UInt8 { p < bytes.count ? bytes[p] : 0 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c >= 0x80 || isDigit(c)
    }

    func fail(_ message: String, line: Int32? = nil) -> Failure {
        Failure(line: Int(line ?? self.line), message: message)
    }

    /// Off while the rest of a file is read after the parser's error: the literal's own errors
    /// are the parser's, not the tokenizer's.
    var checksLiterals = true

    func make(_ kind: Kind, _ code: UInt8 = 0, from start: Int, line: Int32? = nil) -> Token {
        Token(kind: kind, code: code, line: line ?? self.line, start: Int32(start), end: Int32(pos))
    }

    /// The next token.
    mutating func next() throws(Failure) -> Token {
        if pendingDedents > 0 { pendingDedents -= 1; return make(.dedent, from: pos) }
        if pendingIndent { pendingIndent = false; return make(.indent, from: pos) }
        if finished { return make(.end, from: pos) }
        if let f = fstrings.last, f.fieldBase == nil || (f.inSpec && f.fieldBase == brackets.count) {
            return try fstringPart()
        }
        while true {
            if atLineStart && brackets.isEmpty && fstrings.isEmpty {
                try lineStart()
                if pendingDedents > 0 || pendingIndent { return try next() }
                if atLineStart { continue }  // a blank line
            }
            guard pos < bytes.count else { return try endOfFile() }
            let c = bytes[pos]
            switch c {
            case 0x20, 0x09, 0x0C:
                pos += 1
            case 0x0D where at(pos + 1) == 0x0A:
                pos += 1
            case 0x0A, 0x0D:
                let start = pos
                pos += 1
                defer { line += 1 }
                if brackets.isEmpty && fstrings.isEmpty {
                    atLineStart = true
                    if lineHasTokens { lineHasTokens = false; return make(.newline, from: start) }
                }
            case 0x23:
                while pos < bytes.count, bytes[pos] != 0x0A, bytes[pos] != 0x0D { pos += 1 }
            case 0x5C:
                pos += 1
                if at(pos) == 0x0D { pos += 1 }
                guard at(pos) == 0x0A else {
                    if pos >= bytes.count { throw fail("unexpected EOF while parsing") }
                    throw fail("unexpected character after line continuation character")
                }
                pos += 1
                if pos >= bytes.count { throw fail("unexpected EOF while parsing") }
                line += 1
            case 0x22, 0x27:
                return try string(prefixStart: pos, bytes: false, raw: false, f: false)
            default:
                lineHasTokens = true
                if Self.isDigit(c) || (c == 0x2E && Self.isDigit(at(pos + 1))) { return try number() }
                if Self.isNameByte(c) { return try name() }
                return try op()
            }
        }
    }

    /// Indentation at the start of a line; a blank or comment line is skipped (and
    /// `atLineStart` stays set).
    mutating func lineStart() throws(Failure) {
        var col = 0, alt = 0, p = pos
        while p < bytes.count {
            switch bytes[p] {
            case 0x20: col += 1; alt += 1
            case 0x09: col = (col / 8 + 1) * 8; alt += 1
            case 0x0C: col = 0; alt = 0
            default: break
            }
            if bytes[p] != 0x20 && bytes[p] != 0x09 && bytes[p] != 0x0C { break }
            p += 1
        }
        let c = at(p)
        if p >= bytes.count || c == 0x23 || c == 0x0A || c == 0x0D || c == 0x5C {
            // Blank lines, comments and a lone continuation do not indent.
            pos = p
            if c == 0x23 { while pos < bytes.count, bytes[pos] != 0x0A, bytes[pos] != 0x0D { pos += 1 } }
            if pos >= bytes.count || c == 0x5C { atLineStart = false; return }
            if bytes[pos] == 0x0D && at(pos + 1) == 0x0A { pos += 1 }
            pos += 1
            line += 1
            return
        }
        pos = p
        atLineStart = false
        let top = indents[indents.count - 1]
        if col == top {
            if alt != altIndents[altIndents.count - 1] { throw fail("inconsistent use of tabs and spaces in indentation") }
        } else if col > top {
            if indents.count >= 100 { throw fail("too many levels of indentation") }
            if alt <= altIndents[altIndents.count - 1] { throw fail("inconsistent use of tabs and spaces in indentation") }
            indents.append(col)
            altIndents.append(alt)
            pendingIndent = true
        } else {
            while indents.count > 1 && col < indents[indents.count - 1] {
                indents.removeLast()
                altIndents.removeLast()
                pendingDedents += 1
            }
            if col != indents[indents.count - 1] { throw fail("unindent does not match any outer indentation level") }
            if alt != altIndents[altIndents.count - 1] { throw fail("inconsistent use of tabs and spaces in indentation") }
        }
    }

    mutating func endOfFile() throws(Failure) -> Token {
        if let f = fstrings.last {
            throw fail(f.triple ? "unterminated triple-quoted f-string literal (detected at line \(line))"
                       : "unterminated f-string literal (detected at line \(line))", line: f.line)
        }
        if let (b, l) = brackets.last {
            var e = fail("'\(Character(Unicode.Scalar(b)))' was never closed", line: l)
            e.unclosed = true
            throw e
        }
        if lineHasTokens { lineHasTokens = false; return make(.newline, from: pos) }
        if indents.count > 1 { indents.removeLast(); altIndents.removeLast(); return make(.dedent, from: pos) }
        finished = true
        return make(.end, from: pos)
    }

    // MARK: names

    mutating func name() throws(Failure) -> Token {
        let start = pos
        var ascii = true
        // String prefixes, as CPython reads them: b, r, u, f and br, rb, fr, rf in any case.
        var sawB = false, sawR = false, sawU = false, sawF = false
        var prefix = true
        while pos < bytes.count, Self.isNameByte(bytes[pos]) {
            let c = bytes[pos] | 0x20
            if prefix {
                if !(sawB || sawU || sawF) && c == 0x62 { sawB = true }
                else if !(sawB || sawU || sawR || sawF) && c == 0x75 { sawU = true }
                else if !(sawR || sawU) && c == 0x72 { sawR = true }
                else if !(sawF || sawB || sawU) && c == 0x66 { sawF = true }
                else { prefix = false }
                if prefix, at(pos + 1) == 0x22 || at(pos + 1) == 0x27 {
                    pos += 1
                    return try string(prefixStart: start, bytes: sawB, raw: sawR, f: sawF)
                }
            }
            if bytes[pos] >= 0x80 { ascii = false }
            pos += 1
        }
        if !ascii { try verifyIdentifier(start, pos) }
        let word = pos - start <= 8 ? Self.words.word(PythonSyntaxCheck.pack(bytes[start..<pos])) : 0
        return make(.name, word, from: start)
    }

    /// A name with bytes above ASCII: each character must be one Python allows in identifiers.
    func verifyIdentifier(_ start: Int, _ end: Int) throws(Failure) {
        var first = true
        for scalar in String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).unicodeScalars {
            let ok = scalar == "_" || (first ? scalar.properties.isXIDStart : scalar.properties.isXIDContinue)
                || (!first && scalar.value < 0x80 && Self.isNameByte(UInt8(scalar.value)))
                || (first && scalar.value < 0x80 && Self.isNameByte(UInt8(scalar.value)) && !Self.isDigit(UInt8(scalar.value)))
            first = false
            if ok { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            if Self.isPrintable(scalar) { throw fail("invalid character '\(Character(scalar))' (U+\(code))") }
            throw fail("invalid non-printable character U+\(code)")
        }
    }

    /// Python's `str.isprintable` for one character.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }

    // MARK: numbers

    mutating func decimalTail() throws(Failure) {
        while true {
            while Self.isDigit(at(pos)) { pos += 1 }
            guard at(pos) == 0x5F else { return }
            pos += 1
            guard Self.isDigit(at(pos)) else { throw fail("invalid decimal literal") }
        }
    }

    /// After a number: a keyword that may follow one (`1if`, a warning in CPython) or the end;
    /// any other name character is an error.
    mutating func verifyEnd(_ kind: String) throws(Failure) {
        let c = at(pos)
        func ahead(_ s: String) -> Bool {
            var p = pos + 1
            for b in s.utf8 { if at(p) != b { return false }; p += 1 }
            return true
        }
        var ok = false
        switch c {
        case 0x61: ok = ahead("nd")
        case 0x65: ok = ahead("lse")
        case 0x66: ok = ahead("or")
        case 0x69: ok = at(pos + 1) == 0x66 || at(pos + 1) == 0x6E || at(pos + 1) == 0x73
        case 0x6F: ok = ahead("r")
        case 0x6E: ok = ahead("ot")
        default: break
        }
        if !ok && c < 0x80 && Self.isNameByte(c) { throw fail("invalid \(kind) literal") }
    }

    mutating func number() throws(Failure) -> Token {
        let start = pos
        let c = bytes[pos]
        if c == 0x30, "xXoObB".utf8.contains(at(pos + 1)) {
            let k = at(pos + 1) | 0x20
            pos += 2
            let (name, valid): (String, (UInt8) -> Bool) = k == 0x78
                ? ("hexadecimal", { Self.isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
                : k == 0x6F ? ("octal", { $0 >= 0x30 && $0 <= 0x37 }) : ("binary", { $0 == 0x30 || $0 == 0x31 })
            var any = false
            while true {
                if at(pos) == 0x5F { pos += 1 }
                guard valid(at(pos)) else {
                    if k != 0x78, Self.isDigit(at(pos)) { throw fail("invalid digit '\(Character(Unicode.Scalar(at(pos))))' in \(name) literal") }
                    if !any || at(pos - 1) == 0x5F { throw fail("invalid \(name) literal") }
                    break
                }
                while valid(at(pos)) { pos += 1; any = true }
                if at(pos) != 0x5F { break }
            }
            if k != 0x78, Self.isDigit(at(pos)) { throw fail("invalid digit '\(Character(Unicode.Scalar(at(pos))))' in \(name) literal") }
            try verifyEnd(name)
            return make(.number, from: start)
        }
        var isInteger = true
        var leadingZeros = false
        if c == 0x2E {
            isInteger = false
        } else if c == 0x30 {
            // "0"+ (["_"] "0")*, else a float or an imaginary number may follow.
            while at(pos) == 0x30 || (at(pos) == 0x5F && at(pos + 1) == 0x30) { pos += at(pos) == 0x5F ? 2 : 1 }
            if at(pos) == 0x5F { pos += 1; throw fail("invalid decimal literal") }
            if Self.isDigit(at(pos)) { leadingZeros = true; try decimalTail() }
        } else {
            try decimalTail()
        }
        if at(pos) == 0x2E {
            isInteger = false
            pos += 1
            if Self.isDigit(at(pos)) { try decimalTail() }
        }
        if at(pos) | 0x20 == 0x65 {
            let e = pos
            pos += 1
            if at(pos) == 0x2B || at(pos) == 0x2D {
                pos += 1
                guard Self.isDigit(at(pos)) else { throw fail("invalid decimal literal") }
            }
            if Self.isDigit(at(pos)) {
                isInteger = false
                try decimalTail()
            } else {
                pos = e
                try verifyEnd("decimal")
                if leadingZeros && isInteger { throw leadingZeroError() }
                return make(.number, from: start)
            }
        }
        if at(pos) | 0x20 == 0x6A {
            pos += 1
            try verifyEnd("imaginary")
            return make(.number, from: start)
        }
        if leadingZeros && isInteger { throw leadingZeroError() }
        try verifyEnd("decimal")
        return make(.number, from: start)
    }

    func leadingZeroError() -> Failure {
        fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
    }

    // MARK: operators

    mutating func op() throws(Failure) -> Token {
        let start = pos
        let c = bytes[pos], c2 = at(pos + 1), c3 = at(pos + 2)
        var o: Op
        var n = 1
        switch (c, c2) {
        case (0x2A, 0x2A): (o, n) = c3 == 0x3D ? (.doublestarequal, 3) : (.doublestar, 2)
        case (0x2F, 0x2F): (o, n) = c3 == 0x3D ? (.doubleslashequal, 3) : (.doubleslash, 2)
        case (0x3C, 0x3C): (o, n) = c3 == 0x3D ? (.leftshiftequal, 3) : (.leftshift, 2)
        case (0x3E, 0x3E): (o, n) = c3 == 0x3D ? (.rightshiftequal, 3) : (.rightshift, 2)
        case (0x2E, 0x2E) where c3 == 0x2E: (o, n) = (.ellipsis, 3)
        case (0x2D, 0x3E): (o, n) = (.rarrow, 2)
        case (0x3A, 0x3D): (o, n) = (.colonequal, 2)
        case (0x3C, 0x3E): (o, n) = (.unknown, 2)  // `<>` without barry_as_FLUFL
        case (0x3D, 0x3D): (o, n) = (.eqequal, 2)
        case (0x21, 0x3D): (o, n) = (.notequal, 2)
        case (0x3C, 0x3D): (o, n) = (.lessequal, 2)
        case (0x3E, 0x3D): (o, n) = (.greaterequal, 2)
        case (0x2B, 0x3D): (o, n) = (.plusequal, 2)
        case (0x2D, 0x3D): (o, n) = (.minequal, 2)
        case (0x2A, 0x3D): (o, n) = (.starequal, 2)
        case (0x2F, 0x3D): (o, n) = (.slashequal, 2)
        case (0x25, 0x3D): (o, n) = (.percentequal, 2)
        case (0x26, 0x3D): (o, n) = (.amperequal, 2)
        case (0x7C, 0x3D): (o, n) = (.vbarequal, 2)
        case (0x5E, 0x3D): (o, n) = (.circumflexequal, 2)
        case (0x40, 0x3D): (o, n) = (.atequal, 2)
        default:
            switch c {
            case 0x28: o = .lpar
            case 0x29: o = .rpar
            case 0x5B: o = .lsqb
            case 0x5D: o = .rsqb
            case 0x7B: o = .lbrace
            case 0x7D: o = .rbrace
            case 0x3A: o = .colon
            case 0x2C: o = .comma
            case 0x3B: o = .semi
            case 0x2B: o = .plus
            case 0x2D: o = .minus
            case 0x2A: o = .star
            case 0x2F: o = .slash
            case 0x7C: o = .vbar
            case 0x26: o = .amper
            case 0x3C: o = .less
            case 0x3E: o = .greater
            case 0x3D: o = .equal
            case 0x2E: o = .dot
            case 0x25: o = .percent
            case 0x7E: o = .tilde
            case 0x5E: o = .circumflex
            case 0x40: o = .at
            case 0x21: o = .exclamation
            default:
                if c < 0x80, !Self.isPrintable(Unicode.Scalar(c)) {
                    throw fail("invalid non-printable character U+\(String(repeating: "0", count: c < 0x10 ? 3 : 2))\(String(c, radix: 16, uppercase: true))")
                }
                o = .unknown
            }
        }
        // In an f-string's field, `:` and `!` at the field's own level end the expression; so
        // does `=` before `}`, `!` or `:` (the debug form).
        if var f = fstrings.last, let base = f.fieldBase, brackets.count == base, !f.inSpec {
            if c == 0x3A {  // `:=` too: `f'{x:=10}'` is the spec `=10`
                pos += 1
                f.inSpec = true
                fstrings[fstrings.count - 1] = f
                return make(.op, Op.colon.rawValue, from: start)
            }
        }
        pos += n
        switch o {
        case .lpar, .lsqb, .lbrace:
            if brackets.count >= 200 { throw fail("too many nested parentheses") }
            brackets.append((c, line))
        case .rpar, .rsqb, .rbrace:
            if var f = fstrings.last, let base = f.fieldBase, o == .rbrace, brackets.count == base {
                // The field's closing brace: back to the f-string's literal part (or its spec).
                brackets.removeLast()
                if f.specDepth > 0 {
                    f.specDepth -= 1
                    f.inSpec = true
                    f.fieldBase = base - 1
                    fstrings[fstrings.count - 1] = f
                } else {
                    f.fieldBase = nil
                    f.inSpec = false
                    fstrings[fstrings.count - 1] = f
                }
                return make(.op, o.rawValue, from: start)
            }
            guard let (open, l) = brackets.last else {
                throw fail("unmatched '\(Character(Unicode.Scalar(c)))'")
            }
            let want: UInt8 = open == 0x28 ? 0x29 : open == 0x5B ? 0x5D : 0x7D
            if c != want {
                let on = l != line ? " on line \(l)" : ""
                throw fail("closing parenthesis '\(Character(Unicode.Scalar(c)))' does not match opening parenthesis '\(Character(Unicode.Scalar(open)))'\(on)")
            }
            brackets.removeLast()
        default: break
        }
        return make(.op, o.rawValue, from: start)
    }

    // MARK: strings

    /// A string literal whose quote is at `pos` (its prefix began at `prefixStart`).
    mutating func string(prefixStart: Int, bytes isBytes: Bool, raw: Bool, f: Bool) throws(Failure) -> Token {
        lineHasTokens = true
        let q = bytes[pos]
        let triple = at(pos + 1) == q && at(pos + 2) == q
        let startLine = line
        if f {
            if fstrings.count >= 150 { throw fail("too many nested f-strings") }
            pos += triple ? 3 : 1
            fstrings.append(FString(quote: q, triple: triple, raw: raw, line: line))
            return make(.fstringStart, from: prefixStart)
        }
        pos += triple ? 3 : 1
        let bodyStart = pos
        var escapedQuote = false, escaped = false
        while true {
            guard pos < bytes.count else {
                if triple { throw fail("unterminated triple-quoted string literal (detected at line \(line))", line: startLine) }
                throw unterminated(startLine, escapedQuote)
            }
            let c = bytes[pos]
            if c == q {
                if !triple { break }
                if at(pos + 1) == q && at(pos + 2) == q { break }
                pos += 1
            } else if c == 0x5C {
                pos += 1
                escaped = true
                if at(pos) == q { escapedQuote = true }
                if pos < bytes.count, bytes[pos] == 0x0A || bytes[pos] == 0x0D {
                    if bytes[pos] == 0x0D && at(pos + 1) == 0x0A { pos += 1 }
                    line += 1
                }
                if pos < bytes.count { pos += 1 }
            } else if c == 0x0A || c == 0x0D {
                if !triple {
                    throw unterminated(startLine, escapedQuote)
                }
                if c == 0x0D && at(pos + 1) == 0x0A { pos += 1 }
                line += 1
                pos += 1
            } else {
                pos += 1
            }
        }
        let bodyEnd = pos
        pos += triple ? 3 : 1
        if checksLiterals {
            if isBytes, bytes[bodyStart..<bodyEnd].contains(where: { $0 >= 0x80 }) {
                throw Failure(line: Int(startLine), message: "bytes can only contain ASCII literal characters", byTokenizer: false)
            }
            if escaped, !raw, let message = Self.escapeError(bytes, bodyStart, bodyEnd, isBytes: isBytes) {
                throw Failure(line: Int(startLine), message: message, byTokenizer: false)
            }
        }
        return make(isBytes ? .bytes : .string, from: prefixStart, line: startLine)
    }

    func unterminated(_ startLine: Int32, _ escapedQuote: Bool) -> Failure {
        fail("unterminated string literal (detected at line \(line))" + (escapedQuote ? "; perhaps you escaped the end quote?" : ""), line: startLine)
    }

    /// The error CPython's decoder raises for a literal's escapes (`\x4`, `\N`, `\U00110000`).
    static func escapeError(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, isBytes: Bool) -> String? {
        var p = start
        func hex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
        while p < end {
            guard b[p] == 0x5C, p + 1 < end else { p += 1; continue }
            let e = b[p + 1]
            let at = p - start
            func count(_ n: Int) -> Bool {
                guard p + 2 + n <= end else { return false }
                for i in 0..<n where !hex(b[p + 2 + i]) { return false }
                return true
            }
            switch e {
            case 0x78:  // \x
                if !count(2) {
                    return isBytes ? "(value error) invalid \\x escape at position \(at)"
                        : "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(at + 1 + (p + 2 < end && hex(b[p + 2]) ? 1 : 0)): truncated \\xXX escape"
                }
                p += 4
            case 0x75 where !isBytes, 0x55 where !isBytes:  // \u, \U
                let n = e == 0x75 ? 4 : 8
                if !count(n) {
                    var k = 0
                    while k < n, p + 2 + k < end, hex(b[p + 2 + k]) { k += 1 }
                    return "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(at + 1 + k): truncated \\\(e == 0x75 ? "uXXXX" : "UXXXXXXXX") escape"
                }
                if n == 8 {
                    var v: UInt32 = 0
                    for i in 0..<8 { v = v << 4 | UInt32(hex(b[p + 2 + i]) && isDigit(b[p + 2 + i]) ? b[p + 2 + i] - 0x30 : (b[p + 2 + i] | 0x20) - 0x61 + 10) }
                    if v > 0x10FFFF { return "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(at + 9): illegal Unicode character" }
                }
                p += 2 + n
            case 0x4E where !isBytes:  // \N{name}
                var q = p + 2
                guard q < end, b[q] == 0x7B else {
                    return "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(at + 1): malformed \\N character escape"
                }
                q += 1
                while q < end, b[q] != 0x7D { q += 1 }
                guard q < end, q > p + 3 else {
                    return "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(q - start - 1): malformed \\N character escape"
                }
                // Names are letters, digits, spaces and hyphens (looked up without case); which
                // names exist is not checked here.
                if b[(p + 3)..<q].contains(where: { !(isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x20 || $0 == 0x2D) }) {
                    return "(unicode error) 'unicodeescape' codec can't decode bytes in position \(at)-\(q - start): unknown Unicode character name"
                }
                p = q + 1
            default:
                p += 2
            }
        }
        return nil
    }

    /// The literal part of the f-string on top (or of its format spec), up to a field, or its end.
    mutating func fstringPart() throws(Failure) -> Token {
        var f = fstrings[fstrings.count - 1]
        let start = pos
        let startLine = line
        while true {
            guard pos < bytes.count else {
                throw fail(f.triple ? "unterminated triple-quoted f-string literal (detected at line \(line))"
                           : "unterminated f-string literal (detected at line \(line))", line: f.line)
            }
            let c = bytes[pos]
            if !f.inSpec && c == f.quote && (!f.triple || (at(pos + 1) == c && at(pos + 2) == c)) {
                if pos > start { return try middle(start, startLine, f) }
                pos += f.triple ? 3 : 1
                fstrings.removeLast()
                return make(.fstringEnd, from: start)
            }
            if f.inSpec && c == f.quote && (!f.triple || (at(pos + 1) == c && at(pos + 2) == c)) {
                throw fail("f-string: expecting '}'")
            }
            if c == 0x7B {
                if !f.inSpec && at(pos + 1) == 0x7B { pos += 2; continue }
                if pos > start { return try middle(start, startLine, f) }
                // A field: its expression is read as ordinary tokens until its `}`.
                if f.inSpec {
                    if f.specDepth >= 2 { throw fail("f-string: expressions nested too deeply") }
                    f.specDepth += 1
                    f.inSpec = false
                }
                if brackets.count >= 200 { throw fail("too many nested parentheses") }
                brackets.append((0x7B, line))
                pos += 1
                f.fieldBase = brackets.count
                fstrings[fstrings.count - 1] = f
                return make(.op, Op.lbrace.rawValue, from: start)
            }
            if c == 0x7D {
                if f.inSpec {
                    if pos > start { return try middle(start, startLine, f) }
                    // The end of the field whose spec this is.
                    pos += 1
                    brackets.removeLast()
                    if f.specDepth > 0 {
                        f.specDepth -= 1
                        f.fieldBase = brackets.count
                        f.inSpec = true
                    } else {
                        f.fieldBase = nil
                        f.inSpec = false
                    }
                    fstrings[fstrings.count - 1] = f
                    return make(.op, Op.rbrace.rawValue, from: start)
                }
                if at(pos + 1) == 0x7D { pos += 2; continue }
                throw fail("f-string: single '}' is not allowed")
            }
            if c == 0x5C && !f.raw {
                if at(pos + 1) == 0x4E && at(pos + 2) == 0x7B {
                    pos += 3
                    while pos < bytes.count, bytes[pos] != 0x7D, bytes[pos] != f.quote { pos += 1 }
                    if at(pos) == 0x7D { pos += 1 }
                    continue
                }
                pos += 1
            }
            if (c == 0x0A || c == 0x0D) && !f.triple {
                throw fail("unterminated f-string literal (detected at line \(line))", line: f.line)
            }
            if pos < bytes.count, bytes[pos] == 0x0A || (bytes[pos] == 0x0D && at(pos + 1) != 0x0A) { line += 1 }
            pos += 1
        }
    }

    mutating func middle(_ start: Int, _ startLine: Int32, _ f: FString) throws(Failure) -> Token {
        if checksLiterals, !f.raw, let message = Self.escapeError(bytes, start, pos, isBytes: false) {
            throw Failure(line: Int(startLine), message: message, byTokenizer: false)
        }
        return make(.fstringMiddle, from: start, line: startLine)
    }
}
