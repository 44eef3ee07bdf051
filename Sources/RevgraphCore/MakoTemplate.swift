/// Renders the subset of Mako that Alembic's bundled `script.py.mako` templates use (generic,
/// async, pyproject, multidb), without running Python:
///
/// - `${expr}` and `${expr | filter, …}` (filters `n`, `str`, `comma`, `trim`);
/// - expressions: names, string and number literals, `repr()`, `str()`, conditional expressions,
///   `"fmt" % value`, `config.get_main_option("key")`, `context.get(key, default)`,
///   `re.split(pattern, text)`;
/// - `% for NAME in EXPR:` / `% endfor`, `% if EXPR:` / `% elif` / `% else:` / `% endif`;
/// - `<% NAME = EXPR %>` blocks of assignments, `<%! import … %>` module blocks, `##` comments,
///   `%%` at the start of a line, and a backslash that joins a line to the next.
///
/// Anything else is an ``Unsupported`` error naming the line, before anything is written.
public struct MakoTemplate: Sendable {
    public struct Unsupported: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var construct: String
        public var description: String { "line \(line): unsupported template construct \(construct)" }
    }

    indirect enum Node: Sendable {
        case text(String)
        case expression(Expression, filters: [String]?, line: Int)
        case assign(String, Expression, line: Int)
        case loop(variable: String, sequence: Expression, body: [Node], line: Int)
        case branch([(Expression?, [Node])], line: Int)
    }

    let nodes: [Node]

    public init(_ source: String) throws(Unsupported) {
        var parser = TemplateParser(source: source)
        nodes = try parser.parse()
    }

    /// Renders with `context` (the names Alembic passes) and the ini's main section (`config.get_main_option`).
    public func render(_ context: [String: PythonValue], mainOptions: [String: String] = [:]) throws(Unsupported) -> String {
        var scope = Scope(context: context, mainOptions: mainOptions, locals: [:])
        var out = ""
        try Self.render(nodes, &scope, into: &out)
        return out
    }

    struct Scope {
        var context: [String: PythonValue]
        var mainOptions: [String: String]
        var locals: [String: Value]
    }

    static func render(_ nodes: [Node], _ scope: inout Scope, into out: inout String) throws(Unsupported) {
        for node in nodes {
            switch node {
            case .text(let t): out += t
            case .expression(let e, let filters, let line):
                var v = try e.evaluate(scope, line: line)
                if case .py(.undefined) = v, case .name(let n) = e { throw Unsupported(line: line, construct: "undefined name '\(n)'") }
                var applied = ["str"]
                if let filters { applied = filters.contains("n") ? filters.filter { $0 != "n" } : filters + ["str"] }
                for f in applied {
                    switch f {
                    case "comma": v = .py(.string(v.python.comma))
                    case "trim": v = .py(.string(v.python.str.trimmingPythonWhitespace()))
                    default: v = .py(.string(v.python.str))
                    }
                }
                out += v.python.str
            case .assign(let name, let e, let line):
                scope.locals[name] = try e.evaluate(scope, line: line)
            case .loop(let variable, let sequence, let body, let line):
                let seq = try sequence.evaluate(scope, line: line)
                guard case .py(.list(let items)) = seq else {
                    throw Unsupported(line: line, construct: "'% for' over something that is not a list")
                }
                for item in items {
                    scope.locals[variable] = .py(.string(item))
                    try render(body, &scope, into: &out)
                }
            case .branch(let arms, let line):
                for (condition, body) in arms {
                    if let condition, !(try condition.evaluate(scope, line: line)).python.isTruthy { continue }
                    try render(body, &scope, into: &out)
                    break
                }
            }
        }
    }

    /// Values an expression can produce: Python values, and the few objects templates call.
    enum Value: Sendable {
        case py(PythonValue)
        case config
        case context
        case reModule

        var python: PythonValue {
            if case .py(let v) = self { return v }
            return .string("<object>")
        }
    }

    indirect enum Expression: Sendable {
        case name(String)
        case literal(PythonValue)
        case call(Expression, [Expression])
        case attribute(Expression, String)
        case conditional(Expression, condition: Expression, otherwise: Expression)
        case format(Expression, Expression)

        func evaluate(_ scope: Scope, line: Int) throws(Unsupported) -> Value {
            switch self {
            case .name(let n):
                if let v = scope.locals[n] { return v }
                switch n {
                case "None": return .py(.none)
                case "True": return .py(.string("True"))
                case "config": return .config
                case "context": return .context
                case "re": return .reModule
                default: return .py(scope.context[n] ?? .undefined)
                }
            case .literal(let v): return .py(v)
            case .conditional(let v, let c, let o):
                return try c.evaluate(scope, line: line).python.isTruthy ? v.evaluate(scope, line: line) : o.evaluate(scope, line: line)
            case .format(let f, let arg):
                let fmt = try f.evaluate(scope, line: line).python.str
                let a = try arg.evaluate(scope, line: line).python.str
                return .py(.string(fmt.replacingFirst("%s", with: a).replacingAll("%%", with: "%")))
            case .attribute:
                throw Unsupported(line: line, construct: "attribute access outside a call")
            case .call(let callee, let args):
                let values = try args.map { (a) throws(Unsupported) in try a.evaluate(scope, line: line) }
                switch callee {
                case .name("repr") where values.count == 1: return .py(.string(values[0].python.repr))
                case .name("str") where values.count == 1: return .py(.string(values[0].python.str))
                case .attribute(let object, let method):
                    let target = try object.evaluate(scope, line: line)
                    switch (target, method) {
                    case (.config, "get_main_option") where !values.isEmpty:
                        if let v = scope.mainOptions[values[0].python.str] { return .py(.string(v)) }
                        return .py(values.count > 1 ? values[1].python : .none)
                    case (.context, "get") where !values.isEmpty:
                        let key = values[0].python.str
                        if let v = scope.context[key] { return .py(v) }
                        return .py(values.count > 1 ? values[1].python : .none)
                    case (.reModule, "split") where values.count == 2:
                        return .py(.list(try Self.regexSplit(values[0].python.str, values[1].python.str, line: line)))
                    default:
                        throw Unsupported(line: line, construct: "call to '\(method)()'")
                    }
                default:
                    throw Unsupported(line: line, construct: "a call to something other than repr, str, config.get_main_option, context.get or re.split")
                }
            }
        }

        static func regexSplit(_ pattern: String, _ text: String, line: Int) throws(Unsupported) -> [String] {
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch {
                throw Unsupported(line: line, construct: "regular expression '\(pattern)'")
            }
            return text.split(separator: regex, omittingEmptySubsequences: false).map(String.init)
        }
    }
}

/// Turns template source into nodes.
struct TemplateParser {
    typealias Node = MakoTemplate.Node
    typealias Unsupported = MakoTemplate.Unsupported
    let lines: [String]
    var index = 0

    init(source: String) {
        // Alembic opens the template with universal newlines: CRLF and CR end lines too.
        lines = source.normalizingNewlines().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    enum Stop: Equatable { case end, endfor, endif, elif(String), else_ }

    mutating func parse() throws(Unsupported) -> [Node] {
        let (nodes, stop, line) = try block()
        if stop != .end { throw Unsupported(line: line, construct: "'% \(stop)' without its opening line") }
        return nodes
    }

    /// How deeply `% for` and `% if` may nest (the parser recurses once per level).
    static let maxDepth = 64
    var depth = 0

    /// Text and nodes of the block being parsed.
    struct Output {
        var nodes: [Node] = []
        var pendingText = ""
        mutating func flush() {
            if !pendingText.isEmpty { nodes.append(.text(pendingText)); pendingText = "" }
        }
    }

    /// Parses lines until a control line closes the block.
    mutating func block() throws(Unsupported) -> ([Node], Stop, Int) {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw Unsupported(line: index, construct: "'% for'/'% if' nested more than \(Self.maxDepth) deep")
        }
        var out = Output()
        while index < lines.count {
            let lineNo = index + 1
            var line = lines[index]
            let isLast = index == lines.count - 1
            index += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("##") { continue }
            if trimmed.hasPrefix("%") && !trimmed.hasPrefix("%%") {
                out.flush()
                if let stop = try controlLine(trimmed.dropFirst().trimmingPythonWhitespace(), lineNo, &out) {
                    return (out.nodes, stop, lineNo)
                }
                continue
            }
            if trimmed.hasPrefix("%%") { line = line.replacingFirst("%%", with: "%") }
            try codeBlocks(&line, lineNo, &out)
            var joined = false
            if line.hasSuffix("\\") && !isLast {
                line.removeLast()
                joined = true
            }
            try substitutions(line, lineNo, &out)
            if !isLast && !joined { out.pendingText += "\n" }
        }
        out.flush()
        return (out.nodes, .end, lines.count)
    }

    /// `% for … :`, `% if … :` (parsed to their end), or the line that closes a block.
    mutating func controlLine(_ control: String, _ lineNo: Int, _ out: inout Output) throws(Unsupported) -> Stop? {
        if control.hasPrefix("for ") {
            // The loop variable starts after `for `: `% for in x:` has none (found by fuzzing).
            let afterFor = control.dropFirst(4)
            guard control.hasSuffix(":"), let inRange = afterFor.firstRange(of: " in ") else {
                throw Unsupported(line: lineNo, construct: "'% \(control)'")
            }
            let variable = afterFor[..<inRange.lowerBound].trimmingPythonWhitespace()
            guard !variable.isEmpty else { throw Unsupported(line: lineNo, construct: "'% \(control)' (no loop variable)") }
            let seq = try Self.expression(String(control[inRange.upperBound...].dropLast()), line: lineNo)
            let (body, stop, _) = try block()
            guard stop == .endfor else { throw Unsupported(line: lineNo, construct: "'% for' without '% endfor'") }
            out.nodes.append(.loop(variable: variable, sequence: seq, body: body, line: lineNo))
            return nil
        }
        if control.hasPrefix("if ") && control.hasSuffix(":") {
            var arms: [(MakoTemplate.Expression?, [Node])] = []
            var condition: MakoTemplate.Expression? = try Self.expression(String(control.dropFirst(3).dropLast()), line: lineNo)
            while true {
                let (body, stop, _) = try block()
                arms.append((condition, body))
                switch stop {
                case .endif: out.nodes.append(.branch(arms, line: lineNo)); return nil
                case .elif(let c): condition = try Self.expression(c, line: lineNo)
                case .else_: condition = nil
                default: throw Unsupported(line: lineNo, construct: "'% if' without '% endif'")
                }
            }
        }
        switch control {
        case "endfor": return .endfor
        case "endif": return .endif
        case "else:": return .else_
        default:
            if control.hasPrefix("elif ") && control.hasSuffix(":") { return .elif(String(control.dropFirst(5).dropLast())) }
            throw Unsupported(line: lineNo, construct: "'% \(control)' (control line)")
        }
    }

    /// `<%! … %>` (imports only) and `<% … %>` (assignments), possibly over several lines; `line`
    /// keeps what follows the last block.
    mutating func codeBlocks(_ line: inout String, _ lineNo: Int, _ out: inout Output) throws(Unsupported) {
        while let open = line.firstRange(of: "<%") {
            let isModule = line[open.upperBound...].hasPrefix("!")
            var body = String(line[(isModule ? line.index(after: open.upperBound) : open.upperBound)...])
            out.pendingText += line[..<open.lowerBound]
            while body.firstRange(of: "%>") == nil, index < lines.count {
                body += "\n" + lines[index]
                index += 1
            }
            guard let close = body.firstRange(of: "%>") else {
                throw Unsupported(line: lineNo, construct: "unterminated '<%' block")
            }
            let bodyText = body[..<close.lowerBound]
            if !isModule, let first = bodyText.first, first.isLetter {
                throw Unsupported(line: lineNo, construct: "'<%\(bodyText.prefix(10))' (Mako tag)")
            }
            for stmt in bodyText.split(separator: "\n") {
                let s = stmt.trimmingPythonWhitespace()
                if s.isEmpty || s.hasPrefix("#") { continue }
                if isModule {
                    guard s.hasPrefix("import ") || s.hasPrefix("from ") else {
                        throw Unsupported(line: lineNo, construct: "'<%! \(s) %>' (module code)")
                    }
                    continue
                }
                guard let eq = s.firstIndex(of: "="), !s[s.index(after: eq)...].hasPrefix("="),
                      s[..<eq].trimmingPythonWhitespace().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
                else {
                    throw Unsupported(line: lineNo, construct: "'<% \(s) %>' (only NAME = EXPR is supported)")
                }
                out.flush()
                out.nodes.append(.assign(s[..<eq].trimmingPythonWhitespace(),
                                         try Self.expression(String(s[s.index(after: eq)...]), line: lineNo), line: lineNo))
            }
            line = String(body[close.upperBound...])
        }
    }

    /// Text with `${expression | filters}` substitutions.
    func substitutions(_ line: String, _ lineNo: Int, _ out: inout Output) throws(Unsupported) {
        var rest = Substring(line)
        while let open = rest.firstRange(of: "${") {
            out.pendingText += rest[..<open.lowerBound]
            var depth = 1
            var j = open.upperBound
            var quote: Character?
            while j < rest.endIndex {
                let c = rest[j]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "'" || c == "\"" {
                    quote = c
                } else if c == "{" {
                    depth += 1
                } else if c == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                j = rest.index(after: j)
            }
            guard j < rest.endIndex else { throw Unsupported(line: lineNo, construct: "unterminated '${'") }
            out.flush()
            let source = String(rest[open.upperBound..<j])
            var body = source
            var filters: [String]?
            if let bar = Self.topLevelBar(source) {
                body = String(source[..<bar])
                filters = source[source.index(after: bar)...].split(separator: ",").map { $0.trimmingPythonWhitespace() }
                for f in filters! where !["n", "comma", "str", "trim"].contains(f) {
                    throw Unsupported(line: lineNo, construct: "filter '\(f)'")
                }
            }
            out.nodes.append(.expression(try Self.expression(body, line: lineNo), filters: filters, line: lineNo))
            rest = rest[rest.index(after: j)...]
        }
        out.pendingText += rest
    }

    static func topLevelBar(_ s: String) -> String.Index? {
        var quote: Character?
        for i in s.indices {
            let c = s[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c } else if c == "|" { return i }
        }
        return nil
    }

    // MARK: - Expressions

    enum Token: Equatable { case name(String), string(String), number(String), op(String) }

    static func expression(_ source: String, line: Int) throws(Unsupported) -> MakoTemplate.Expression {
        var lexer = PythonLexer(source)
        guard let logical = try? lexer.logicalLines() else { throw Unsupported(line: line, construct: "'\(source)'") }
        var tokens: [Token] = logical.flatMap(\.tokens).map { t in
            switch t {
            case .name(let n): return .name(n)
            case .string(let s, _, _): return .string(s)
            case .number(let n): return .number(n)
            case .op(let o): return .op(o)
            }
        }[...].map { $0 }
        guard PythonToken.nesting(logical.flatMap(\.tokens)) <= PythonToken.maxNesting else {
            throw Unsupported(line: line, construct: "an expression nested more than \(PythonToken.maxNesting) brackets deep")
        }
        let e = try conditional(&tokens, line: line)
        guard tokens.isEmpty else { throw Unsupported(line: line, construct: "'\(source.trimmingPythonWhitespace())'") }
        return e
    }

    static func conditional(_ t: inout [Token], line: Int) throws(Unsupported) -> MakoTemplate.Expression {
        let value = try formatted(&t, line: line)
        guard t.first == .name("if") else { return value }
        t.removeFirst()
        let condition = try formatted(&t, line: line)
        guard t.first == .name("else") else { throw Unsupported(line: line, construct: "conditional without else") }
        t.removeFirst()
        return .conditional(value, condition: condition, otherwise: try conditional(&t, line: line))
    }

    static func formatted(_ t: inout [Token], line: Int) throws(Unsupported) -> MakoTemplate.Expression {
        let left = try postfix(&t, line: line)
        guard t.first == .op("%") else { return left }
        t.removeFirst()
        return .format(left, try postfix(&t, line: line))
    }

    static func postfix(_ t: inout [Token], line: Int) throws(Unsupported) -> MakoTemplate.Expression {
        var e = try primary(&t, line: line)
        while let next = t.first {
            if next == .op(".") {
                t.removeFirst()
                guard case .name(let n)? = t.first else { throw Unsupported(line: line, construct: "'.' without a name") }
                t.removeFirst()
                e = .attribute(e, n)
            } else if next == .op("(") {
                t.removeFirst()
                var args: [MakoTemplate.Expression] = []
                while t.first != .op(")") {
                    args.append(try conditional(&t, line: line))
                    if t.first == .op(",") { t.removeFirst() } else if t.first != .op(")") {
                        throw Unsupported(line: line, construct: "call arguments")
                    }
                }
                t.removeFirst()
                e = .call(e, args)
            } else {
                break
            }
        }
        return e
    }

    static func primary(_ t: inout [Token], line: Int) throws(Unsupported) -> MakoTemplate.Expression {
        guard let first = t.first else { throw Unsupported(line: line, construct: "empty expression") }
        t.removeFirst()
        switch first {
        case .name(let n): return .name(n)
        case .string(var s):
            while case .string(let more)? = t.first { s += more; t.removeFirst() }
            return .literal(.string(s))
        case .number(let n): return .literal(.string(n))
        case .op("("):
            let e = try conditional(&t, line: line)
            guard t.first == .op(")") else { throw Unsupported(line: line, construct: "unbalanced parentheses") }
            t.removeFirst()
            return e
        case .op(let o): throw Unsupported(line: line, construct: "'\(o)'")
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
