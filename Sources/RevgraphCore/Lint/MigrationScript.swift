/// What lint reads from a revision file, statically: the module's imports, the operation calls
/// of `upgrade()` and `downgrade()` (on `op`, and on the alias of each
/// `with op.batch_alter_table(...) as batch_op:` block), and the suppression comments.
public struct MigrationScript: Sendable {
    /// One call on `op` or on a batch alias, with its arguments as far as they are literals.
    public struct Operation: Sendable, Equatable {
        /// `add_column`, `execute`, …
        public var name: String
        /// The arguments as written (for a batch call, without the table, which is ``batchTable``).
        public var call: PythonExpression.Call
        public var line: Int
        /// The table of the enclosing `batch_alter_table` block, when called on its alias.
        public var batchTable: String?
        /// Inside `with op.get_context().autocommit_block():`.
        public var inAutocommit: Bool
    }

    /// An `import` or `from … import` anywhere at module level or in the functions.
    public struct Import: Sendable, Equatable {
        /// The top-level package (`myapp` for `from myapp.models import User`); "." for a relative import.
        public var module: String
        public var line: Int
    }

    /// A `with op.batch_alter_table('t')` block.
    public struct Batch: Sendable, Equatable {
        public var table: String
        public var line: Int
    }

    public var imports: [Import] = []
    public var upgrade: [Operation] = []
    public var downgrade: [Operation] = []
    public var batches: [Batch] = []
    /// Line of `def upgrade`, `def downgrade` (nil when the file has none).
    public var upgradeLine: Int?
    public var downgradeLine: Int?
    /// Whether the function does nothing but `pass`, `...`, a docstring or `raise`.
    public var upgradeIsTrivial = true
    public var downgradeIsTrivial = true
    /// Calls in `upgrade()` revgraph could not read as operations (`conn.execute(...)`, helpers,
    /// data-migration code), by line: their effects are unknown.
    public var unknownCalls: [Int] = []
    /// Lines that run SQL lint cannot read (`conn.execute(...)`, `session.execute(...)`): any table may change.
    public var opaqueSQL: [Int] = []
    /// `# revgraph: ignore[rule, …] reason` by line (an empty set: every rule).
    public var ignoredOnLine: [Int: Set<String>] = [:]
    /// `# revgraph: ignore-file[rule, …]` (contains "*" for every rule).
    public var ignoredInFile: Set<String> = []
    /// `# revgraph:` comments that are not suppressions, and unknown rule names, by line: said as
    /// findings of the `suppression` rule, never taken as "silence everything".
    public var suppressionWarnings: [(line: Int, message: String)] = []

    /// Whether a finding of `rule` at `line` is suppressed (on its line or the line before).
    public func isSuppressed(_ rule: String, line: Int) -> Bool {
        if ignoredInFile.contains("*") || ignoredInFile.contains(rule) { return true }
        for l in [line, line - 1] {
            if let rules = ignoredOnLine[l], rules.isEmpty || rules.contains(rule) { return true }
        }
        return false
    }
}

extension MigrationScript {
    /// Reads `bytes` (a revision file). Nil when the file is not Python revgraph can lex (the graph
    /// reports that already).
    public static func read(_ bytes: [UInt8]) -> MigrationScript? {
        if case .success(let s) = readDetailed(bytes) { return s }
        return nil
    }

    /// As ``read(_:)``, with why a file could not be read (line and Python's words).
    public static func readDetailed(_ bytes: [UInt8]) -> Result<MigrationScript, PythonLexer.UnterminatedString> {
        let text: String
        switch MigrationParser.decodeSource(bytes) {
        case .success(let t): text = t
        case .failure(let why): return .failure(PythonLexer.UnterminatedString(line: why.line, detail: why.detail))
        }
        var lexer = PythonLexer(text)
        let lines: [PythonLogicalLine]
        do { lines = try lexer.logicalLines(bodies: true) } catch { return .failure(error) }
        if let f = PythonSyntaxCheck.check(bytes) { return .failure(PythonLexer.UnterminatedString(line: f.line, detail: f.message)) }
        var script = MigrationScript()
        script.readSuppressions(text)
        script.readStatements(lines)
        return .success(script)
    }

    /// The suppression comments: `# revgraph: ignore[rule, …] reason` (its line and the next) and
    /// `# revgraph: ignore-file[rule, …]`, in comment tokens only (never in a string or docstring);
    /// without brackets, every rule. Any other `# revgraph:` comment, or an unknown rule name, is a
    /// ``suppressionWarnings`` entry and silences nothing.
    mutating func readSuppressions(_ text: String) {
        for (line, comment) in Self.comments(text) {
            let body = comment.drop { $0 == " " || $0 == "\t" }
            guard body.hasPrefix("revgraph:") else { continue }
            let directive = body.dropFirst("revgraph:".count).drop { $0 == " " || $0 == "\t" }
            let word = directive.prefix { $0.isLetter || $0 == "-" }
            var rest = directive.dropFirst(word.count)
            var rules: Set<String> = []
            var wellFormed = word == "ignore" || word == "ignore-file"
            if wellFormed, rest.first == "[" {
                if let close = rest.firstIndex(of: "]") {
                    rules = Set(rest[rest.index(after: rest.startIndex)..<close].split(separator: ",")
                        .map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty })
                    wellFormed = !rules.isEmpty
                    rest = rest[rest.index(after: close)...]
                } else {
                    wellFormed = false
                }
            }
            // After the directive: nothing, or whitespace and a reason (never a bracket after a space).
            if wellFormed, let next = rest.first, next != " " && next != "\t" { wellFormed = false }
            if wellFormed, rest.drop(while: { $0 == " " || $0 == "\t" }).first == "[" { wellFormed = false }
            guard wellFormed else {
                suppressionWarnings.append((line, "'#\(comment)' is not a suppression revgraph reads, so it silences nothing; write '# revgraph: ignore[rule, …]' (this line and the next) or '# revgraph: ignore-file[rule, …]'"))
                continue
            }
            for r in rules.sorted() where LintRule(rawValue: r) == nil {
                suppressionWarnings.append((line, "'\(r)' is not a lint rule, so '# revgraph: \(word)[…]' does not silence it; the rules: revgraph lint --list-rules"))
            }
            if word == "ignore-file" {
                ignoredInFile.formUnion(rules.isEmpty ? ["*"] : rules)
            } else if rules.isEmpty {
                ignoredOnLine[line] = []
            } else if ignoredOnLine[line] != [] {
                ignoredOnLine[line, default: []].formUnion(rules)
            }
        }
    }

    /// The comments of Python source (after their `#`), by line: a `#` inside a string, a
    /// docstring or an f-string is not one. One pass; strings end as Python ends them (a
    /// backslash takes the next character, in raw strings too).
    static func comments(_ text: String) -> [(line: Int, text: Substring)] {
        var out: [(Int, Substring)] = []
        var line = 1
        var i = text.startIndex
        var quote: Character?
        var triple = false
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == "\\" {
                    i = text.index(after: i)
                    if i < text.endIndex { if text[i] == "\n" { line += 1 }; i = text.index(after: i) }
                    continue
                }
                if c == "\n" {
                    line += 1
                    if !triple { quote = nil }  // an unterminated one-line string: the lexer reports it
                } else if c == q {
                    if !triple {
                        quote = nil
                    } else if text[i...].hasPrefix(String(repeating: q, count: 3)) {
                        quote = nil
                        i = text.index(i, offsetBy: 3)
                        continue
                    }
                }
                i = text.index(after: i)
                continue
            }
            if c == "#" {
                let end = text[i...].firstIndex(of: "\n") ?? text.endIndex
                out.append((line, text[text.index(after: i)..<end]))
                i = end
                continue
            }
            if c == "\"" || c == "'" {
                quote = c
                triple = text[i...].hasPrefix(String(repeating: c, count: 3))
                i = text.index(i, offsetBy: triple ? 3 : 1)
                continue
            }
            if c == "\n" { line += 1 }
            i = text.index(after: i)
        }
        return out
    }

    /// A block the current lines are inside: its indentation and what it means for the calls in
    /// it, inherited from the blocks around it (so a call looks at the innermost block only).
    private struct Block {
        var indent: Int
        /// The batch aliases in scope, innermost last.
        var batches: [(alias: String, table: String)] = []
        var autocommit = false
    }

    mutating func readStatements(_ lines: [PythonLogicalLine]) {
        var function: String?  // "upgrade" / "downgrade" while inside one
        var functionIndent = 0
        var blocks: [Block] = []
        for logical in lines {
            let tokens = logical.tokens
            if logical.indent == 0 { function = nil; blocks.removeAll() }
            while let last = blocks.last, logical.indent <= last.indent { blocks.removeLast() }
            if let imported = Self.importedModules(tokens) {
                imports += imported.map { Import(module: $0, line: logical.line) }
                if function != nil { markNonTrivial(function) }
                continue
            }
            if logical.indent == 0 {
                if tokens.first == .name("def"), tokens.count > 1, case .name(let n) = tokens[1],
                   n == "upgrade" || n == "downgrade"
                {
                    function = n
                    functionIndent = 0
                    if n == "upgrade" { upgradeLine = logical.line } else { downgradeLine = logical.line }
                }
                continue
            }
            guard let function, logical.indent > functionIndent else { continue }
            // Trivial bodies: pass, ..., a docstring, raise.
            let trivial = tokens == [.name("pass")] || tokens == [.op("."), .op("."), .op(".")]
                || tokens.allSatisfy({ if case .string = $0 { true } else { false } }) || tokens.first == .name("raise")
            if !trivial { markNonTrivial(function) }
            if tokens.first == .name("with"), tokens.last == .op(":") {
                blocks.append(withBlock(tokens, indent: logical.indent, line: logical.line, inside: blocks.last))
                continue
            }
            for statement in MigrationParser.simpleStatements(tokens) {
                readCall(statement, function: function, line: logical.line, block: blocks.last)
            }
        }
    }

    private mutating func markNonTrivial(_ function: String?) {
        if function == "upgrade" { upgradeIsTrivial = false }
        if function == "downgrade" { downgradeIsTrivial = false }
    }

    /// `with op.batch_alter_table('t') as batch_op:` or `with op.get_context().autocommit_block():`.
    private mutating func withBlock(_ tokens: [PythonToken], indent: Int, line: Int, inside outer: Block?) -> Block {
        var block = Block(indent: indent, batches: outer?.batches ?? [], autocommit: outer?.autocommit ?? false)
        let body = Array(tokens.dropFirst().dropLast())
        let asIndex = body.lastIndex(of: .name("as"))
        let expression = PythonExpression.parse(asIndex.map { body[..<$0] } ?? body[...])
        if case .call(let c) = expression, c.callee == "op.batch_alter_table", let table = c.arguments.first?.stringValue ?? c.keyword("table_name")?.stringValue {
            batches.append(Batch(table: table, line: line))
            if let asIndex, asIndex + 1 < body.count, case .name(let alias) = body[asIndex + 1] {
                // The same alias again (nested batches) shadows the outer one.
                block.batches.removeAll { $0.alias == alias }
                block.batches.append((alias, table))
            }
        }
        if body.starts(with: [.name("op"), .op("."), .name("get_context"), .op("("), .op(")"), .op("."), .name("autocommit_block")]) {
            block.autocommit = true
        }
        return block
    }

    private mutating func readCall(_ statement: [PythonToken], function: String, line: Int, block: Block?) {
        // `x = op.create_table(...)` reads as the call.
        var tokens = statement[...]
        if case .name(let keyword) = statement.first, ["raise", "return", "assert", "del", "pass", "global", "nonlocal"].contains(keyword) {
            return
        }
        if let eq = MigrationParser.topLevelAssignment(statement) { tokens = statement[(eq + 1)...] }
        guard case .call(let call) = PythonExpression.parse(tokens) else {
            if tokens.contains(.op("(")), function == "upgrade" { unknownCalls.append(line) }
            return
        }
        let parts = call.callee.split(separator: ".").map(String.init)
        let autocommit = block?.autocommit ?? false
        var operation: Operation?
        if parts.count == 2, parts[0] == "op" {
            operation = Operation(name: parts[1], call: call, line: line, batchTable: nil, inAutocommit: autocommit)
        } else if parts.count == 2, let batch = block?.batches.last(where: { $0.alias == parts[0] }) {
            operation = Operation(name: parts[1], call: call, line: line, batchTable: batch.table, inAutocommit: autocommit)
        }
        guard let operation else {
            guard function == "upgrade" else { return }
            unknownCalls.append(line)
            if call.callee.hasSuffix("execute") || call.callee.hasSuffix("executescript") { opaqueSQL.append(line) }
            return
        }
        if function == "upgrade" { upgrade.append(operation) } else { downgrade.append(operation) }
    }

    /// The top-level packages an `import` statement names; nil when the tokens are not one.
    static func importedModules(_ tokens: [PythonToken]) -> [String]? {
        guard case .name(let keyword) = tokens.first else { return nil }
        if keyword == "from" {
            guard tokens.count > 1 else { return nil }
            if tokens[1] == .op(".") { return ["."] }
            guard case .name(let m) = tokens[1] else { return nil }
            return [m]
        }
        guard keyword == "import" else { return nil }
        var out: [String] = []
        var expectModule = true
        for t in tokens.dropFirst() {
            switch t {
            case .op(","): expectModule = true
            case .name(let n) where expectModule:
                out.append(n)
                expectModule = false
            default: break
            }
        }
        return out
    }
}
