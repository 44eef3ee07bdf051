/// Reads the module-level variables of an Alembic revision file without executing it.
public enum MigrationParser {
    /// The version of what a file's reading holds: raised whenever a change makes the same bytes
    /// read differently (a fix, a new problem), so that cached readings made by an older revgraph
    /// (the parse cache, the project snapshots) are not served after an upgrade.
    /// 2: a file that ends inside brackets is a parse error (Python cannot import it).
    /// 3: so is a closing bracket that closes nothing or another kind of bracket.
    public static let readingVersion = 5

    /// What one file yielded: a revision (possibly with warnings) or only problems.
    public struct Outcome: Sendable {
        public var revision: Revision?
        public var problems: [GraphProblem]
        /// ``Checksum`` of the file's bytes, set by whoever read them (the parser sees text only).
        public var checksum: String?

        public init(revision: Revision?, problems: [GraphProblem], checksum: String? = nil) {
            self.revision = revision
            self.problems = problems
            self.checksum = checksum
        }
    }

    /// A module-level value that revgraph could read.
    enum Value: Equatable {
        case none
        case string(String)
        case sequence([String?])
        case bytes
        case other(String)  // not a literal; the source text, for the warning
    }

    /// Alembic's file-name filter: `.py`, not `__init__*`, not Emacs `.#*` lock files.
    public static func isMigrationFileName(_ name: String) -> Bool {
        // Code points, as Python's str.endswith and Alembic's file regex compare (String's
        // hasSuffix compares Characters, and costs more than a cached file's whole handling).
        var name = name
        return name.withUTF8 { isMigrationFileName(bytes: $0) }
    }

    /// ``isMigrationFileName(_:)`` of a name's UTF-8 bytes (a path's last component, in place).
    public static func isMigrationFileName(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        func starts(_ p: StaticString) -> Bool {
            b.count >= p.utf8CodeUnitCount && UnsafeBufferPointer(start: p.utf8Start, count: p.utf8CodeUnitCount).elementsEqual(b.prefix(p.utf8CodeUnitCount))
        }
        let n = b.count
        return n >= 3 && b[n - 3] == UInt8(ascii: ".") && b[n - 2] == UInt8(ascii: "p") && b[n - 1] == UInt8(ascii: "y")
            && !starts("__init__") && !starts(".#")
    }

    /// Alembic's legacy rule: a file named `<hex>.py` stands for its revision id.
    public static func legacyRevision(fileName: String) -> String? {
        var name = fileName
        let hex = name.withUTF8 { b -> Bool in
            let n = b.count
            guard n > 3, b[n - 3] == UInt8(ascii: "."), b[n - 2] == UInt8(ascii: "p"), b[n - 1] == UInt8(ascii: "y") else { return false }
            for c in b[..<(n - 3)] where !((0x30...0x39).contains(c) || (0x61...0x66).contains(c)) { return false }
            return true
        }
        return hex ? String(fileName.utf8.dropLast(3))! : nil
    }

    /// Parses `text`, the contents of the file at `path` (`fileName` is its last component).
    /// - Parameter names: values for names the file does not bind to a literal (`cli.CONTRACT_BRANCH`),
    ///   from `[revgraph] name.<dotted.name> = value`; keys lower-case, as configparser gives them.
    /// What a parse depends on besides the file's bytes: the file name, for a legacy
    /// `<hex>_….py` file whose id may come from its name (a cache keyed by content alone would
    /// keep the old id after a rename).
    public static func cacheKeyPart(fileName: String) -> String {
        legacyRevision(fileName: fileName) == nil ? "" : "|" + fileName
    }

    /// Parses a file's bytes, decoded as Python decodes source: UTF-8 (a BOM is dropped), or the
    /// encoding a PEP 263 coding cookie names in the first two lines (the Latin-1 family and UTF-8).
    public static func parse(path: String, fileName: String, bytes: [UInt8], names: [String: String] = [:]) -> Outcome {
        read(path: path, fileName: fileName, bytes: bytes, names: names, onePass: true)
    }

    /// What ``parse(path:fileName:bytes:names:)`` answers without its one-pass fast path: every
    /// file lexed. The reference the fast path is checked against (tests and the fuzz target).
    public static func parseByLexer(path: String, fileName: String, bytes: [UInt8], names: [String: String] = [:]) -> Outcome {
        read(path: path, fileName: fileName, bytes: bytes, names: names, onePass: false)
    }

    private static func read(path: String, fileName: String, bytes: [UInt8], names: [String: String], onePass: Bool) -> Outcome {
        let outcome = readTokens(path: path, fileName: fileName, bytes: bytes, names: names, onePass: onePass)
        return withSyntaxCheck(outcome, bytes: bytes, path: path)
    }

    /// `outcome`, or the earlier error CPython would report that ``PythonSyntaxCheck`` finds (a file
    /// Python cannot compile is an import error, never a revision).
    static func withSyntaxCheck(_ outcome: Outcome, bytes: [UInt8], path: String) -> Outcome {
        let earlier = outcome.problems.first { $0.kind == .parseError }.map { $0.line ?? 1 }
        guard let failure = PythonSyntaxCheck.failure(bytes, before: earlier) else { return outcome }
        return Outcome(revision: nil, problems: [GraphProblem(
            kind: .parseError, path: path, line: failure.line,
            message: "\(failure.message) in '\(path)' (Python cannot import the file)",
            fix: "fix the Python syntax of the file")])
    }

    private static func readTokens(path: String, fileName: String, bytes: [UInt8], names: [String: String], onePass: Bool) -> Outcome {
        // The common case, ASCII without a coding cookie, is read from the bytes as they are: in
        // one pass when the file has the usual shape, else lexed.
        if isPlainASCII(bytes) {
            if onePass, let fast = bytes.withUnsafeBufferPointer({ fastParse(path: path, bytes: $0) }) { return fast }
            return parse(path: path, fileName: fileName, lexer: PythonLexer(utf8: bytes), names: names)
        }
        switch decodeSource(bytes) {
        case .success(let text): return parse(path: path, fileName: fileName, text: text, names: names)
        case .failure(let why):
            return Outcome(revision: nil, problems: [GraphProblem(
                kind: .parseError, path: path, line: why.line, message: "\(why.detail) in '\(path)': Python cannot import it",
                fix: "save the file as UTF-8 (or declare its encoding: # -*- coding: latin-1 -*-)")])
        }
    }

    /// Whether the one-pass fast path reads `bytes` (for the benchmark's report).
    public static func fastPathReads(_ bytes: [UInt8]) -> Bool {
        isPlainASCII(bytes) && bytes.withUnsafeBufferPointer { fastParse(path: "", bytes: $0) } != nil
    }

    /// Whether `bytes` are all ASCII with no `coding` cookie in a comment of the first two lines
    /// (so UTF-8 decoding is the identity and the default encoding applies).
    static func isPlainASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var high: UInt8 = 0
            for b in buffer { high |= b }
            guard high < 0x80 else { return false }
            // A comment in the first two lines may name an encoding (`coding[:=]`): leave those to
            // decodeSource. A comment without the word (Django's "# Generated by Django") is plain.
            let coding: [UInt8] = Array("coding".utf8)
            var lineStart = true
            var inComment = false
            var matched = 0
            var lines = 0
            for b in buffer {
                if b == 0x0A {
                    lines += 1
                    if lines == 2 { return true }
                    lineStart = true
                    inComment = false
                    matched = 0
                } else if inComment {
                    if b == coding[matched] {
                        matched += 1
                        if matched == coding.count { return false }
                    } else {
                        matched = b == coding[0] ? 1 : 0
                    }
                } else if lineStart, b != 0x20, b != 0x09, b != 0x0C {
                    inComment = b == 0x23
                    lineStart = false
                }
            }
            return true
        }
    }

    public struct DecodingFailure: Error, Sendable {
        public var line: Int
        public var detail: String
    }

    /// Source bytes to text, as Python's tokenizer decodes them.
    public static func decodeSource(_ input: [UInt8]) -> Result<String, DecodingFailure> {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // PEP 263: `coding[:=]\s*([-\w.]+)` in a comment on line 1 or 2.
        var encoding = "utf-8"
        let firstLines = bytes.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false).prefix(2)
        for (n, raw) in firstLines.enumerated() {
            let line = String(decoding: raw, as: UTF8.self)
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
            guard trimmed.hasPrefix("#"), let r = line.firstRange(of: "coding") else {
                if n == 0 { continue } else { break }
            }
            let after = line[r.upperBound...]
            guard let sep = after.first, sep == ":" || sep == "=" else { continue }
            let name = after.dropFirst().drop { $0 == " " || $0 == "\t" }
                .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            encoding = name.lowercased().replacingAll("_", with: "-")
            break
        }
        switch encoding {
        case "utf-8", "utf8", "utf-8-sig", "ascii", "us-ascii":
            if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
            // The line of the first byte that is not UTF-8, found in one pass (a prefix validated
            // again at every byte made this quadratic: 800 KB took over a minute).
            let bad = firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return .failure(DecodingFailure(line: line, detail: "bytes that are not UTF-8"))
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "iso-latin-1", "8859", "cp819":
            return .success(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
        default:
            return .failure(DecodingFailure(line: 1, detail: "the encoding '\(encoding)', which revgraph does not decode"))
        }
    }

    /// The index of the first byte of `bytes` that does not start a valid UTF-8 sequence (or
    /// `endIndex`), in one pass.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }

    public static func parse(path: String, fileName: String, text: String, names: [String: String] = [:]) -> Outcome {
        parse(path: path, fileName: fileName, lexer: PythonLexer(text), names: names)
    }

    static func parse(path: String, fileName: String, lexer: consuming PythonLexer, names: [String: String]) -> Outcome {
        var lexer = lexer
        let lines: [PythonLogicalLine]
        do {
            lines = try lexer.logicalLines()
        } catch {
            return Outcome(revision: nil, problems: [
                GraphProblem(
                    kind: .parseError, path: path, line: error.line,
                    message: "\(error.detail) in '\(path)' (Python cannot import the file)",
                    fix: "fix the Python syntax of the file"),
            ])
        }
        let (docstring, bindings, notes) = moduleBindings(lines, names: names)
        var file = FileReading(path: path, bindings: bindings)
        for note in notes {
            file.problem(note.error ? .parseError : .nonLiteralValue, note.error ? .error : .warning, line: note.line,
                         "\(note.message) in '\(path)'", fix: note.fix)
        }
        if let bad = notes.first(where: \.error), bad.blocksImport { return Outcome(revision: nil, problems: file.problems) }
        guard let (id, line) = file.revisionID(fileName: fileName) else {
            return Outcome(revision: nil, problems: file.problems)
        }
        let down = file.downRevisions(of: id, line: line)
        let labels = file.sequence("branch_labels", required: false)?.0 ?? []
        var deps = file.sequence("depends_on", required: false)?.0 ?? []
        if deps.contains(id) {
            file.problems.append(GraphProblem(
                kind: .dependencyCycle, path: path, line: line, revisions: [id],
                message: "Dependency self-loop is detected in revisions (\(id)) in '\(path)'",
                fix: "depends_on must not name the revision itself"))
            deps.removeAll { $0 == id }
        }
        let revision = Revision(
            id: id, downRevisions: dedupe(down), dependencies: dedupe(deps), branchLabels: dedupe(labels),
            path: path, longdoc: (docstring ?? "").trimmingPythonWhitespace(), line: line)
        return Outcome(revision: revision, problems: file.problems)
    }

    /// The module docstring and the value of every module-level `name = …` (or `name: T = …`),
    /// each with its line; a later assignment wins, as when Python runs the module.
    /// Something found while reading the module that the caller turns into a problem.
    struct Note {
        var line: Int
        var message: String
        var fix: String
        /// An error (Python cannot import the file) rather than a warning.
        var error = false
        /// The file cannot be read further.
        var blocksImport = false
    }

    // Name tests compare bytes, not set lookups: hashing every name token cost more than lexing
    // it. One list each, for the lexing reader and the one-pass one.

    /// The variables alembic reads, as a bit each (the one-pass reader lets each be assigned once).
    static func moduleVariable(_ w: UnsafeBufferPointer<UInt8>) -> UInt8? {
        if equals(w, "revision") { return 1 }
        if equals(w, "down_revision") { return 2 }
        if equals(w, "branch_labels") { return 4 }
        if equals(w, "depends_on") { return 8 }
        return nil
    }

    /// Module-level calls that may set variables revgraph cannot see.
    static func isDynamicName(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
        equals(w, "globals") || equals(w, "exec") || equals(w, "setattr") || equals(w, "vars")
    }

    /// Statements that open a block Python runs at import time.
    static func isModuleBlock(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
        equals(w, "if") || equals(w, "elif") || equals(w, "else") || equals(w, "try") || equals(w, "except")
            || equals(w, "finally") || equals(w, "for") || equals(w, "while") || equals(w, "with")
    }

    static func isModuleVariable(_ name: String) -> Bool { var n = name; return n.withUTF8 { moduleVariable($0) != nil } }
    static func isDynamicName(_ name: String) -> Bool { var n = name; return n.withUTF8 { isDynamicName($0) } }
    static func isModuleBlock(_ name: String) -> Bool { var n = name; return n.withUTF8 { isModuleBlock($0) } }

    static func equals(_ w: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        guard w.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<w.count where w[i] != p[i] { return false }
        return true
    }

    static func moduleBindings(_ lines: [PythonLogicalLine], names: [String: String])
        -> (docstring: String?, bindings: [String: (Value, Int)], notes: [Note])
    {
        var docstring: String?
        var bindings: [String: (Value, Int)] = [:]
        var notes: [Note] = []
        var previousIndent = 0
        var previousOpensBlock = false
        var block: String?  // the module-level statement whose block the current lines are in
        for (index, logical) in lines.enumerated() {
            defer {
                previousIndent = logical.indent
                previousOpensBlock = logical.tokens.last == .op(":")
            }
            if logical.indent > previousIndent && !previousOpensBlock {
                notes.append(Note(line: logical.line, message: "unexpected indent (IndentationError)",
                                  fix: "fix the indentation: module-level lines start in the first column", error: true,
                                  blocksImport: true))
                return (docstring, bindings, notes)
            }
            if logical.indent > 0 {
                // Code Python runs at import time (an `if`, `try`, `for` or `with` block at module level).
                guard let block else { continue }
                for statement in simpleStatements(logical.tokens) {
                    if case .name(let name) = statement.first, isModuleVariable(name),
                       statement.count >= 2, case .op(let o) = statement[1], o.hasSuffix("="), o != "=="
                    {
                        bindings[name] = (.other("assigned inside a module-level '\(block)' block"), logical.line)
                    }
                }
                continue
            }
            block = nil
            if case .name(let keyword) = logical.tokens.first, isModuleBlock(keyword), logical.tokens.last == .op(":") {
                block = keyword
                continue
            }
            if index == 0, let doc = stringConcatenation(logical.tokens[...]), doc.isBytes == false {
                docstring = doc.value
                continue
            }
            if logical.tokens.contains(where: { if case .name(let n) = $0 { return isDynamicName(n) } else { return false } }) {
                notes.append(Note(line: logical.line,
                                  message: "module code that may set variables revgraph cannot see (globals(), exec, setattr, vars)",
                                  fix: "assign revision, down_revision, branch_labels and depends_on as plain literals"))
            }
            // `a = 1; b = 2` is two statements.
            for statement in simpleStatements(logical.tokens) {
                if case .name(let name) = statement.first, isModuleVariable(name), statement.count >= 2,
                   case .op(let o) = statement[1], o.count == 2, o.hasSuffix("="), !["==", "<=", ">=", "!="].contains(o)
                {
                    bindings[name] = (.other("changed by an augmented assignment '\(o)'"), logical.line)
                    continue
                }
                guard case .name(let name) = statement.first, statement.count >= 3 else { continue }
                guard let eq = topLevelAssignment(statement) else { continue }
                // Only `name = …` and `name: annotation = …`.
                if eq != 1, statement[1] != .op(":") { continue }
                let value = statement[(eq + 1)...]
                guard PythonToken.nesting(value) <= PythonToken.maxNesting else {
                    bindings[name] = (.other("a value nested more than \(PythonToken.maxNesting) brackets deep"), logical.line)
                    continue
                }
                bindings[name] = (evaluate(value, bindings: bindings, names: names), logical.line)
            }
        }
        return (docstring, bindings, notes)
    }

    /// The statements of a logical line, split at `;` outside brackets.
    static func simpleStatements(_ tokens: [PythonToken]) -> [[PythonToken]] {
        // Nearly every line is one statement: no copy then.
        if !tokens.contains(where: { $0.opByte == 0x3B }) { return tokens.isEmpty ? [] : [tokens] }
        var out: [[PythonToken]] = [[]]
        var depth = 0
        for t in tokens {
            depth += t.bracketDelta
            if depth == 0, t.opByte == 0x3B {
                out.append([])
                continue
            }
            out[out.count - 1].append(t)
        }
        return out.filter { !$0.isEmpty }
    }

    /// The module variables of one file, read into revision fields, with the problems met.
    struct FileReading {
        let path: String
        let bindings: [String: (Value, Int)]
        var problems: [GraphProblem] = []

        init(path: String, bindings: [String: (Value, Int)]) {
            self.path = path
            self.bindings = bindings
        }

        mutating func problem(_ kind: GraphProblem.Kind, _ severity: GraphProblem.Severity = .error, line: Int,
                              revisions: [String] = [], _ message: String, fix: String)
        {
            problems.append(GraphProblem(kind: kind, severity: severity, path: path, line: line, revisions: revisions,
                                         message: message, fix: fix))
        }

        /// A str, a tuple or list of str, or None; nil when absent or not usable.
        mutating func sequence(_ key: String, required: Bool) -> ([String], Int)? {
            guard let (value, line) = bindings[key] else { return nil }
            switch value {
            case .none: return ([], line)
            case .string(let s): return ([s], line)
            case .sequence(let items):
                if items.contains(where: { $0 == nil }) {
                    problem(.parseError, line: line, "\(key) in '\(path)' contains None inside a sequence",
                            fix: "list only revision ids in \(key)")
                }
                return (items.compactMap { $0 }, line)
            case .bytes:
                problem(.parseError, line: line, "\(key) in '\(path)' is a bytes literal, not a string",
                        fix: "write \(key) as a str literal")
                return ([], line)
            case .other(let source):
                problem(.nonLiteralValue, required ? .error : .warning, line: line,
                        "\(key) in '\(path)' is not a literal (\(source)); revgraph does not execute migration code",
                        fix: "write \(key) as a literal str, tuple or list, bind it to a literal earlier in the file, or give the name a value in the config: [revgraph] name.\(source) = VALUE")
                return nil
            }
        }

        /// `revision` (or the legacy `<hex>_….py` file name), checked; nil with a problem when unusable.
        mutating func revisionID(fileName: String) -> (String, Int)? {
            var id: String
            var line = 1
            if let (value, l) = bindings["revision"] {
                line = l
                switch value {
                case .string(let s): id = s
                case .other(let source):
                    problem(.nonLiteralValue, line: line, "revision in '\(path)' is not a literal (\(source))",
                            fix: "write the revision id as a str literal")
                    return nil
                default:
                    problem(.parseError, line: line, "revision in '\(path)' is not a string",
                            fix: "write the revision id as a str literal, for example revision = 'ae1027a6acf4'")
                    return nil
                }
            } else if let legacy = legacyRevision(fileName: fileName) {
                id = legacy
            } else {
                problem(.missingRevision, line: 1,
                        "could not determine the revision id of '\(path)': it declares no 'revision' variable",
                        fix: "declare revision = '<id>' at module level, or move the file out of the versions directory")
                return nil
            }
            if id.isEmpty {
                problem(.illegalIdentifier, line: line, "revision in '\(path)' is an empty string",
                        fix: "give the revision a non-empty id")
                return nil
            }
            if let chars = Revision.illegalCharacters(in: id) {
                problem(.illegalIdentifier, line: line, revisions: [id],
                        "Character(s) '\(chars)' not allowed in revision identifier '\(id)' (\(path))",
                        fix: "rename the revision without @ - + :")
                return nil
            }
            return (id, line)
        }

        /// `down_revision`, required; a self-loop is a problem and is dropped.
        mutating func downRevisions(of id: String, line revisionLine: Int) -> [String] {
            var down: [String] = []
            if let (value, line) = bindings["down_revision"] {
                if value == .string("") {
                    problem(.parseError, line: line, revisions: [id],
                            "down_revision of revision '\(id)' in '\(path)' is an empty string",
                            fix: "write down_revision = None for a base revision")
                } else if let (items, _) = sequence("down_revision", required: true) {
                    down = items
                }
            } else {
                problem(.parseError, line: revisionLine, revisions: [id],
                        "revision '\(id)' in '\(path)' has no down_revision variable",
                        fix: "declare down_revision = None for a base, or the parent's id")
            }
            if down.contains(id) {
                problem(.cycle, line: revisionLine, revisions: [id], "Self-loop is detected in revisions (\(id)) in '\(path)'",
                        fix: "down_revision must name the parent, not the revision itself")
                down.removeAll { $0 == id }
            }
            return down
        }
    }

    static func dedupe(_ items: [String]) -> [String] {
        if items.count < 2 { return items }
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// Index of the `=` that makes the logical line an assignment, outside any brackets.
    static func topLevelAssignment(_ tokens: [PythonToken]) -> Int? {
        var depth = 0
        for (i, t) in tokens.enumerated() {
            guard let b = t.opByte else { continue }
            if b == 0x3D, depth == 0 { return i }
            depth += t.bracketDelta
        }
        return nil
    }

    /// Adjacent string literals concatenated, when the tokens are only that.
    static func stringConcatenation(_ tokens: ArraySlice<PythonToken>) -> (value: String, isBytes: Bool)? {
        guard !tokens.isEmpty else { return nil }
        var out = ""
        var bytes = false
        for t in tokens {
            guard case .string(let s, let b, let f) = t, !f else { return nil }
            out += s
            bytes = bytes || b
        }
        return (out, bytes)
    }

    static func evaluate(_ tokens: ArraySlice<PythonToken>, bindings: [String: (Value, Int)], names: [String: String] = [:]) -> Value {
        var tokens = tokens
        // `a = b = 'x'`: the value is what follows the last `=`.
        if let eq = tokens.lastIndex(of: .op("=")) { tokens = tokens[(eq + 1)...] }
        if let (s, isBytes) = stringConcatenation(tokens) { return isBytes ? .bytes : .string(s) }
        if tokens.count == 1, case .name(let n) = tokens.first! {
            if n == "None" { return .none }
            if let (v, _) = bindings[n] { return v }
            if let v = names[n.lowercased()] { return .string(v) }
            return .other(n)
        }
        // A dotted name the config gives a value for: `cli.CONTRACT_BRANCH`.
        if !names.isEmpty, let dotted = dottedName(tokens), let v = names[dotted.lowercased()] { return .string(v) }
        var inner = tokens
        var bracketed = false
        if let first = inner.first, let last = inner.last,
           (first == .op("(") && last == .op(")")) || (first == .op("[") && last == .op("]"))
        {
            inner = inner.dropFirst().dropLast()
            bracketed = true
            if inner.isEmpty { return .none }
        }
        let (items, sawComma) = PythonExpression.splitAtCommas(inner)
        if !sawComma && bracketed && tokens.first == .op("(") {
            // Parenthesised expression, not a tuple.
            return evaluate(inner, bindings: bindings, names: names)
        }
        guard sawComma || bracketed else { return .other(render(tokens)) }
        var values: [String?] = []
        for item in items where !item.isEmpty {
            switch evaluate(item, bindings: bindings, names: names) {
            case .string(let s): values.append(s)
            case .none: values.append(nil)
            case .sequence: return .other("a nested sequence \(render(item))")  // Python keeps the tuple; alembic cannot use it
            case .bytes: return .bytes
            case .other(let inner): return .other(inner)  // name the item that is not a literal
            }
        }
        return values.isEmpty ? .none : .sequence(values)
    }

    /// `a.b.c` when the tokens are exactly that.
    static func dottedName(_ tokens: ArraySlice<PythonToken>) -> String? {
        var parts: [String] = []
        for (k, t) in tokens.enumerated() {
            if k % 2 == 0 {
                guard case .name(let n) = t else { return nil }
                parts.append(n)
            } else if t != .op(".") {
                return nil
            }
        }
        return tokens.count % 2 == 1 && parts.count > 1 ? parts.joined(separator: ".") : nil
    }

    /// Source-like text of tokens, for messages.
    static func render(_ tokens: ArraySlice<PythonToken>) -> String {
        var out = ""
        for t in tokens {
            switch t {
            case .name(let n), .number(let n):
                if let last = out.last, last.isLetter || last.isNumber || last == "_" { out += " " }
                out += n
            case .string(let s, _, _): out += "'\(s)'"
            case .op(let o): out += o == "," ? ", " : o
            }
        }
        return out.count > 60 ? String(out.prefix(57)) + "..." : out
    }
}

extension StringProtocol {
    /// Python's `str.strip()` with no arguments.
    public func trimmingPythonWhitespace() -> String {
        // ASCII ends are trimmed on bytes; the rest (non-ASCII ends) by Character.
        var bytes = Substring(self).utf8[...]
        while let f = bytes.first, f == 0x20 || (0x09...0x0D).contains(f) { bytes = bytes.dropFirst() }
        while let l = bytes.last, l == 0x20 || (0x09...0x0D).contains(l) { bytes = bytes.dropLast() }
        if let f = bytes.first, let l = bytes.last, f < 0x80, l < 0x80 { return String(Substring(bytes)) }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
