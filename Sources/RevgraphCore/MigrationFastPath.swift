extension MigrationParser {
    /// The common revision file read in one pass over its bytes, with no tokens built: ASCII
    /// without carriage returns, a plain docstring, the four variables assigned once each to plain
    /// literals (a str, None, or a tuple or list of str), every other module-level statement one
    /// revgraph ignores, and `def`/`class` bodies only scanned for their extent. Anything else
    /// (and anything the full parser would warn about) gives nil, and the full parser reads the
    /// file; where this answers, it answers exactly what the full parser does (the fuzz target
    /// and `MigrationFastPathTests` compare the two).
    static func fastParse(path: String, bytes: UnsafeBufferPointer<UInt8>) -> Outcome? {
        // Python reads carriage returns as newlines, wherever they are (strings included): the lexer's.
        if bytes.contains(0x0D) { return nil }
        var scanner = FastScanner(bytes)
        guard let found = scanner.scan() else { return nil }
        guard let (id, line) = found.revision, let down = found.down else { return nil }
        if down.contains(where: { $0 == id }) || found.deps.contains(where: { $0 == id }) { return nil }
        let revision = Revision(
            id: id, downRevisions: dedupe(down), dependencies: dedupe(found.deps), branchLabels: dedupe(found.labels),
            path: path, longdoc: found.docstring.map { $0.trimmingPythonWhitespace() } ?? "", line: line)
        return Outcome(revision: revision, problems: [])
    }
}

/// The one-pass reader behind ``MigrationParser/fastParse(path:bytes:)``. Every method returns
/// nil (or false) as soon as the file leaves the shape it reads.
struct FastScanner {
    let b: UnsafeBufferPointer<UInt8>
    var pos = 0
    var line = 1

    /// What the module binds, as far as the fast path reads it.
    struct Found {
        var docstring: String?
        var revision: (String, Int)?
        var down: [String]?
        var labels: [String] = []
        var deps: [String] = []
        var seen: UInt8 = 0  // one bit per variable: each may be assigned once
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    mutating func scan() -> Found? {
        var found = Found()
        var first = true  // no logical line yet (the docstring may only be the first)
        var inBody = false
        var previousIndent = 0
        var previousOpens = false
        while pos < b.count {
            // Indentation: spaces only (tabs and form feeds are left to the full parser).
            var column = 0
            while pos < b.count, b[pos] == 0x20 { column += 1; pos += 1 }
            guard pos < b.count else { break }
            let c = b[pos]
            if c == 0x09 || c == 0x0C || c == 0x0D || c == 0x5C { return nil }
            if c == 0x0A { pos += 1; line += 1; continue }
            if c == 0x23 { skipComment(); continue }
            if column > 0 {
                // Only the bodies of module-level `def` and `class` are indented here.
                guard inBody, !(column > previousIndent && !previousOpens) else { return nil }
                guard let opens = skipLogicalLine(checkNames: false) else { return nil }
                previousIndent = column
                previousOpens = opens
                continue
            }
            let startLine = line
            var opens = false
            if c == 0x27 || c == 0x22 {
                if first {
                    guard let doc = docstring() else { return nil }
                    found.docstring = doc
                } else {
                    guard let o = skipLogicalLine(checkNames: true) else { return nil }
                    opens = o
                }
                inBody = false
            } else if PythonLexer.isIdentStart(c) {
                let start = pos
                while pos < b.count, PythonLexer.isIdentContinue(b[pos]) { pos += 1 }
                let word = UnsafeBufferPointer(rebasing: b[start..<pos])
                // A prefixed string first (`r"""…"""`, `b'…'`) may be the docstring: the full parser's.
                if first, pos < b.count, b[pos] == 0x27 || b[pos] == 0x22 { return nil }
                if let bit = MigrationParser.moduleVariable(word) {
                    guard found.seen & bit == 0, assignment(bit, line: startLine, into: &found) else { return nil }
                    found.seen |= bit
                    inBody = false
                } else {
                    if MigrationParser.isModuleBlock(word) || MigrationParser.isDynamicName(word) { return nil }
                    let definition = MigrationParser.equals(word, "def") || MigrationParser.equals(word, "class") || Self.isAsyncDef(b, after: pos, word)
                    guard let o = skipLogicalLine(checkNames: true) else { return nil }
                    opens = o
                    inBody = definition && o
                }
            } else {
                guard let o = skipLogicalLine(checkNames: true) else { return nil }
                opens = o
                inBody = false
            }
            first = false
            previousIndent = 0
            previousOpens = opens
        }
        return found
    }

    /// `async def` (the word just read is `async`).
    static func isAsyncDef(_ b: UnsafeBufferPointer<UInt8>, after pos: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard MigrationParser.equals(word, "async") else { return false }
        var i = pos
        while i < b.count, b[i] == 0x20 { i += 1 }
        return i + 3 <= b.count && b[i] == 0x64 && b[i + 1] == 0x65 && b[i + 2] == 0x66
            && (i + 3 == b.count || !PythonLexer.isIdentContinue(b[i + 3]))
    }

    mutating func skipComment() {
        while pos < b.count, b[pos] != 0x0A { pos += 1 }
    }

    /// Past the rest of a logical line and its newline, as the lexer skips a body line; whether
    /// its last token is `:`. With `checkNames` (module level), nil for what the lexer would read
    /// differently or the full parser would warn about (``PythonLexer/skipLogicalLine(_:pos:line:strict:problem:)``).
    mutating func skipLogicalLine(checkNames: Bool) -> Bool? {
        var problem = (line: line, detail: "")
        return PythonLexer.skipLogicalLine(b, pos: &pos, line: &line, strict: checkNames, problem: &problem)
    }

    /// Past a string literal at `pos`, as the lexer finds its end; false when it does not end
    /// (the full parser reports it), or holds a backslash and `escapes` is false.
    mutating func skipString(escapes: Bool) -> Bool {
        guard let end = PythonLexer.endOfString(b, at: pos, line: &line, escapes: escapes) else { return false }
        pos = end
        return true
    }

    /// A plain string literal at `pos` (no prefix, no backslash; triple-quoted only when
    /// `triple` is allowed), its text.
    mutating func plainString(allowTriple: Bool) -> String? {
        let quote = b[pos]
        let triple = pos + 2 < b.count && b[pos + 1] == quote && b[pos + 2] == quote
        if triple && !allowTriple { return nil }
        pos += triple ? 3 : 1
        let start = pos
        var lines = 0
        while pos < b.count {
            let c = b[pos]
            if c == 0x5C { return nil }
            if c == 0x0A {
                if !triple { return nil }
                lines += 1
            } else if c == quote {
                if !triple {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<pos]), as: UTF8.self)
                    pos += 1
                    return text
                }
                if pos + 2 < b.count, b[pos + 1] == quote, b[pos + 2] == quote {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<pos]), as: UTF8.self)
                    pos += 3
                    line += lines
                    return text
                }
            }
            pos += 1
        }
        return nil
    }

    /// Spaces, then an optional comment, then the end of the line (consumed) or of the file.
    mutating func endOfLine() -> Bool {
        while pos < b.count, b[pos] == 0x20 { pos += 1 }
        if pos < b.count, b[pos] == 0x23 { skipComment() }
        if pos == b.count { return true }
        guard b[pos] == 0x0A else { return false }
        pos += 1
        line += 1
        return true
    }

    /// The module docstring: one plain string literal alone on the first logical line.
    mutating func docstring() -> String? {
        guard let text = plainString(allowTriple: true), endOfLine() else { return nil }
        return text
    }

    /// `= value` or `: annotation = value` after a variable's name, stored in `found`.
    mutating func assignment(_ bit: UInt8, line startLine: Int, into found: inout Found) -> Bool {
        while pos < b.count, b[pos] == 0x20 { pos += 1 }
        guard pos < b.count else { return false }
        if b[pos] == 0x3A {
            // An annotation: names, dots, commas and brackets up to the `=`, on this line. The
            // lexer reads `:=`, `|=` and the like as one operator (no assignment): left to it.
            pos += 1
            var open: [UInt8] = []  // the brackets open, innermost last
            while pos < b.count {
                let c = b[pos]
                if c == 0x3D && open.isEmpty {
                    guard !"=<>!+-*/%&|^:".utf8.contains(b[pos - 1]) else { return false }
                    break
                }
                if PythonLexer.isIdentStart(c) {
                    // Every name on a module-level line is checked, the annotation's too.
                    let start = pos
                    while pos < b.count, PythonLexer.isIdentContinue(b[pos]) { pos += 1 }
                    if MigrationParser.isDynamicName(UnsafeBufferPointer(rebasing: b[start..<pos])) { return false }
                    continue
                }
                if c == 0x5B || c == 0x28 { open.append(c) } else if c == 0x5D || c == 0x29 {
                    // Unmatched or mismatched: the lexer says what Python says.
                    guard let innermost = open.popLast(), innermost == (c == 0x5D ? 0x5B : 0x28) else { return false }
                } else if !(PythonLexer.isIdentContinue(c) || c == 0x20 || c == 0x2E || c == 0x2C || c == 0x7C) {
                    return false
                }
                pos += 1
            }
        }
        guard pos + 1 < b.count, b[pos] == 0x3D, b[pos + 1] != 0x3D else { return false }
        pos += 1
        while pos < b.count, b[pos] == 0x20 { pos += 1 }
        guard pos < b.count else { return false }
        var items: [String]?  // nil: None
        let c = b[pos]
        if c == 0x27 || c == 0x22 {
            guard let s = plainString(allowTriple: false), !s.isEmpty else { return false }
            items = [s]
        } else if c == 0x28 || c == 0x5B {
            guard let list = sequence() else { return false }
            items = list
        } else if pos + 4 <= b.count, b[pos] == 0x4E, b[pos + 1] == 0x6F, b[pos + 2] == 0x6E, b[pos + 3] == 0x65,
                  pos + 4 == b.count || !PythonLexer.isIdentContinue(b[pos + 4])
        {
            pos += 4
            items = nil
        } else {
            return false
        }
        guard endOfLine() else { return false }
        switch bit {
        case 1:
            // A str only: None, a tuple or a list is a problem the full parser reports.
            guard let items, items.count == 1, c != 0x28 && c != 0x5B else { return false }
            for ch in items[0].utf8 where ch == 0x40 || ch == 0x2D || ch == 0x2B || ch == 0x3A { return false }
            found.revision = (items[0], startLine)
        case 2: found.down = items ?? []
        case 4: found.labels = items ?? []
        default: found.deps = items ?? []
        }
        return true
    }

    /// `(…)` or `[…]` of plain non-empty str literals separated by commas (a trailing comma
    /// allowed), across lines, with comments; a tuple needs a comma, and an empty one is left to
    /// the full parser.
    mutating func sequence() -> [String]? {
        let close: UInt8 = b[pos] == 0x28 ? 0x29 : 0x5D
        let tuple = close == 0x29
        pos += 1
        var items: [String] = []
        var commas = 0
        var expectItem = true
        while pos < b.count {
            let c = b[pos]
            switch c {
            case 0x20: pos += 1
            case 0x0A: pos += 1; line += 1
            case 0x23: skipComment()
            case 0x27, 0x22:
                guard expectItem, let s = plainString(allowTriple: false), !s.isEmpty else { return nil }
                items.append(s)
                expectItem = false
            case 0x2C:
                guard !expectItem else { return nil }
                commas += 1
                expectItem = true
                pos += 1
            default:
                guard c == close, !items.isEmpty, !tuple || commas > 0 else { return nil }
                pos += 1
                return items
            }
        }
        return nil
    }
}
