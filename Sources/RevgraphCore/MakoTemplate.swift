/// Renders the subset of Mako that Alembic's bundled `script.py.mako` templates use:
/// `${expr}` with names, string literals, `repr(…)`, `str(…)`, conditional expressions and
/// filter pipelines (`| comma,n`, `| n`, `| str`, `| trim`); `##` comment lines; `<%! %>` module
/// blocks that only import; and a backslash at the end of a line, which joins it to the next.
/// Anything else (control lines, `<% %>` blocks, `<%def>`) is an error naming the line.
public struct MakoTemplate: Sendable {
    public struct Unsupported: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var construct: String
        public var description: String { "line \(line): unsupported template construct \(construct)" }
    }

    enum Piece: Sendable {
        case text(String)
        case expression(String, line: Int)
    }

    let pieces: [Piece]

    public init(_ source: String) throws(Unsupported) {
        var pieces: [Piece] = []
        var text = ""
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        var lineNo = 0
        var pendingJoin = false
        while i < lines.count {
            var line = String(lines[i])
            lineNo = i + 1
            let isLast = i == lines.count - 1
            i += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if !pendingJoin {
                if trimmed.hasPrefix("##") { continue }
                if trimmed.hasPrefix("%") && !trimmed.hasPrefix("%%") {
                    throw Unsupported(line: lineNo, construct: "'% \(trimmed.dropFirst().trimmingPythonWhitespace())' (control line)")
                }
                if trimmed.hasPrefix("%%") { line = line.replacingFirst("%%", with: "%") }
            }
            pendingJoin = false
            // Module blocks `<%! … %>` (may span lines) render nothing.
            while let open = line.firstRange(of: "<%!") {
                var block = String(line[open.upperBound...])
                var rest = line[..<open.lowerBound]
                while block.firstRange(of: "%>") == nil, i < lines.count {
                    block += "\n" + lines[i]
                    i += 1
                }
                guard let close = block.firstRange(of: "%>") else {
                    throw Unsupported(line: lineNo, construct: "unterminated '<%!' block")
                }
                let body = block[..<close.lowerBound]
                for stmt in body.split(separator: "\n") where !stmt.trimmingPythonWhitespace().isEmpty {
                    let s = stmt.trimmingPythonWhitespace()
                    guard s.hasPrefix("import ") || s.hasPrefix("from ") else {
                        throw Unsupported(line: lineNo, construct: "'<%! \(s) %>' (module code)")
                    }
                }
                rest += block[close.upperBound...]
                line = String(rest)
            }
            if let tag = line.firstRange(of: "<%") {
                throw Unsupported(line: lineNo, construct: "'\(line[tag.lowerBound...].prefix(20))' (Python block or tag)")
            }
            var joined = false
            if line.hasSuffix("\\") && !isLast {
                line.removeLast()
                joined = true
                pendingJoin = true
            }
            // Split ${…} expressions.
            var rest = Substring(line)
            while let open = rest.firstRange(of: "${") {
                text += rest[..<open.lowerBound]
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
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.expression(String(rest[open.upperBound..<j]), line: lineNo))
                rest = rest[rest.index(after: j)...]
            }
            text += rest
            if !isLast && !joined { text += "\n" }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
        // Check every expression parses now, so errors name the line before anything is written.
        for case .expression(let e, let line) in pieces { _ = try Expression.parse(e, line: line) }
    }

    /// Renders with the given context.
    public func render(_ context: [String: PythonValue]) throws(Unsupported) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .expression(let e, let line):
                out += try Expression.parse(e, line: line).render(context, line: line)
            }
        }
        return out
    }

    /// One `${…}`: a conditional expression and its filters.
    indirect enum Expression {
        case name(String)
        case literal(String)
        case call(String, Expression)
        case conditional(Expression, condition: Expression, otherwise: Expression)
        case filtered(Expression, [String])

        static func parse(_ source: String, line: Int) throws(Unsupported) -> Expression {
            var body = source
            var filters: [String]?
            if let bar = topLevelBar(source) {
                body = String(source[..<bar])
                filters = source[source.index(after: bar)...].split(separator: ",").map { $0.trimmingPythonWhitespace() }
            }
            var tokens = try tokenize(body, line: line)
            let e = try conditional(&tokens, line: line)
            guard tokens.isEmpty else { throw Unsupported(line: line, construct: "'${\(source)}'") }
            if let filters {
                for f in filters where !["n", "comma", "str", "trim", "h", "u"].contains(f) {
                    throw Unsupported(line: line, construct: "filter '\(f)'")
                }
                return .filtered(e, filters)
            }
            return e
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

        static func tokenize(_ s: String, line: Int) throws(Unsupported) -> [String] {
            var lexer = PythonLexer(s)
            guard let lines = try? lexer.logicalLines() else { throw Unsupported(line: line, construct: "'${\(s)}'") }
            return lines.flatMap(\.tokens).map { t in
                switch t {
                case .name(let n): return n
                case .string(let v, _, _): return "\u{1}" + v
                case .number(let n): return n
                case .op(let o): return o
                }
            }
        }

        static func conditional(_ tokens: inout [String], line: Int) throws(Unsupported) -> Expression {
            let value = try primary(&tokens, line: line)
            guard tokens.first == "if" else { return value }
            tokens.removeFirst()
            let condition = try primary(&tokens, line: line)
            guard tokens.first == "else" else { throw Unsupported(line: line, construct: "conditional without else") }
            tokens.removeFirst()
            let otherwise = try conditional(&tokens, line: line)
            return .conditional(value, condition: condition, otherwise: otherwise)
        }

        static func primary(_ tokens: inout [String], line: Int) throws(Unsupported) -> Expression {
            guard let t = tokens.first else { throw Unsupported(line: line, construct: "empty expression") }
            tokens.removeFirst()
            if t.hasPrefix("\u{1}") { return .literal(String(t.dropFirst())) }
            guard let f = t.first, f.isLetter || f == "_" else { throw Unsupported(line: line, construct: "'\(t)'") }
            if tokens.first == "(" {
                guard ["repr", "str"].contains(t) else { throw Unsupported(line: line, construct: "call to '\(t)()'") }
                tokens.removeFirst()
                let arg = try conditional(&tokens, line: line)
                guard tokens.first == ")" else { throw Unsupported(line: line, construct: "'\(t)(' without ')'") }
                tokens.removeFirst()
                return .call(t, arg)
            }
            if tokens.first == "." || tokens.first == "[" || tokens.first == "%" {
                throw Unsupported(line: line, construct: "'\(t)\(tokens.first!)…' (attribute, index or % expression)")
            }
            return .name(t)
        }

        func value(_ context: [String: PythonValue], line: Int) throws(Unsupported) -> PythonValue {
            switch self {
            case .name(let n):
                if n == "None" { return .none }
                return context[n] ?? .undefined
            case .literal(let s): return .string(s)
            case .call(let f, let arg):
                let v = try arg.value(context, line: line)
                return .string(f == "repr" ? v.repr : v.str)
            case .conditional(let v, let c, let o):
                return try c.value(context, line: line).isTruthy ? v.value(context, line: line) : o.value(context, line: line)
            case .filtered(let e, _): return try e.value(context, line: line)
            }
        }

        func render(_ context: [String: PythonValue], line: Int) throws(Unsupported) -> String {
            var filters = ["str"]
            var inner = self
            if case .filtered(let e, let fs) = self {
                inner = e
                filters = fs.contains("n") ? fs.filter { $0 != "n" } : fs + ["str"]
            }
            var v = try inner.value(context, line: line)
            if v == .undefined, case .name(let n) = inner {
                throw Unsupported(line: line, construct: "undefined name '\(n)'")
            }
            var text: String?
            for f in filters {
                switch f {
                case "comma": v = .string(v.comma)
                case "trim": v = .string((text ?? v.str).trimmingPythonWhitespace()); text = nil
                default: text = v.str
                }
            }
            return text ?? v.str
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
