/// A Python expression as far as lint reads call arguments: literals, dotted names, calls with
/// their arguments, sequences. Anything else is `.unknown`, with its source text; never guessed.
public indirect enum PythonExpression: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case none
    /// A name or dotted name: `sa`, `sa.String`, `batch_op`.
    case name(String)
    case call(Call)
    /// A list or tuple display.
    case sequence([PythonExpression])
    case unknown(String)

    /// `callee(args..., name=value...)`.
    public struct Call: Sendable, Equatable {
        public var callee: String
        public var arguments: [PythonExpression]
        public var keywords: [Keyword]

        /// The value of keyword `name`, if given.
        public func keyword(_ name: String) -> PythonExpression? { keywords.first { $0.name == name }?.value }
    }

    public struct Keyword: Sendable, Equatable {
        public var name: String
        public var value: PythonExpression
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var callValue: Call? { if case .call(let c) = self { c } else { nil } }

    /// The last component of a call's callee (`sa.Column` → `Column`), for calls.
    public var calleeName: String? {
        guard case .call(let c) = self else { return nil }
        return c.callee.split(separator: ".").last.map(String.init)
    }

    /// True for a literal `True`, false for `False`; nil for anything else.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
}

extension PythonExpression {
    /// Parses the tokens of one expression. Brackets deeper than ``PythonToken/maxNesting`` give
    /// `.unknown` (the parser recurses once per bracket level, so depth is bounded first).
    public static func parse<C: Collection>(_ tokens: C) -> PythonExpression where C.Element == PythonToken {
        let array = Array(tokens)
        guard PythonToken.nesting(array) <= PythonToken.maxNesting else { return .unknown("a value nested too deeply") }
        return parseItem(array[...])
    }

    /// Splits at top-level commas (a trailing comma gives no empty item).
    static func splitArguments(_ tokens: ArraySlice<PythonToken>) -> [ArraySlice<PythonToken>] {
        splitAtCommas(tokens).items
    }

    /// The items between top-level commas (empty ones left out), and whether there was a comma.
    static func splitAtCommas(_ tokens: ArraySlice<PythonToken>) -> (items: [ArraySlice<PythonToken>], sawComma: Bool) {
        var sawComma = false
        var items: [ArraySlice<PythonToken>] = []
        var depth = 0
        var start = tokens.startIndex
        for i in tokens.indices {
            let t = tokens[i]
            if depth == 0, t.opByte == 0x2C {
                items.append(tokens[start..<i])
                start = i + 1
                sawComma = true
                continue
            }
            depth += t.bracketDelta
        }
        if start < tokens.endIndex { items.append(tokens[start..<tokens.endIndex]) }
        return (items.filter { !$0.isEmpty }, sawComma)
    }

    /// The index of the bracket closing the one at `open`, or nil.
    static func closing(_ tokens: ArraySlice<PythonToken>, from open: Int) -> Int? {
        var depth = 0
        for i in open..<tokens.endIndex {
            let d = tokens[i].bracketDelta
            depth += d
            if d < 0, depth == 0 { return i }
        }
        return nil
    }

    static func parseItem(_ tokens: ArraySlice<PythonToken>) -> PythonExpression {
        guard let first = tokens.first else { return .unknown("") }
        // Adjacent string literals.
        if tokens.allSatisfy({ if case .string(_, _, false) = $0 { true } else { false } }) {
            return .string(tokens.map { if case .string(let s, _, _) = $0 { s } else { "" } }.joined())
        }
        if tokens.count == 1 {
            switch first {
            case .number(let n): return .number(n)
            case .name("True"): return .bool(true)
            case .name("False"): return .bool(false)
            case .name("None"): return .none
            default: break
            }
        }
        if tokens.count == 2, first == .op("-"), case .number(let n) = tokens.last! { return .number("-" + n) }
        // ( … ) and [ … ]: a tuple, a list, or a parenthesised expression.
        if first == .op("(") || first == .op("["), closing(tokens, from: tokens.startIndex) == tokens.endIndex - 1 {
            let inner = tokens.dropFirst().dropLast()
            let items = splitArguments(inner)
            let hasComma = inner.contains(.op(","))
            if first == .op("("), !hasComma, items.count == 1 { return parseItem(items[0]) }
            return .sequence(items.map(parseItem))
        }
        // A dotted name, possibly called: `a.b.c` or `a.b.c(…)`.
        var i = tokens.startIndex
        var parts: [String] = []
        while i < tokens.endIndex, case .name(let n) = tokens[i] {
            parts.append(n)
            i += 1
            if i < tokens.endIndex, tokens[i] == .op(".") { i += 1 } else { break }
        }
        guard !parts.isEmpty else { return .unknown(MigrationParser.render(tokens)) }
        let dotted = parts.joined(separator: ".")
        if i == tokens.endIndex { return .name(dotted) }
        if tokens[i] == .op("("), let close = closing(tokens, from: i), close == tokens.endIndex - 1 {
            var call = Call(callee: dotted, arguments: [], keywords: [])
            for item in splitArguments(tokens[(i + 1)..<close]) {
                if item.count >= 2, case .name(let k) = item.first!, item[item.startIndex + 1] == .op("=") {
                    call.keywords.append(Keyword(name: k, value: parseItem(item.dropFirst(2))))
                } else if item.first == .op("*") || item.first == .op("**") {
                    call.arguments.append(.unknown(MigrationParser.render(item)))
                } else {
                    call.arguments.append(parseItem(item))
                }
            }
            return .call(call)
        }
        return .unknown(MigrationParser.render(tokens))
    }
}
