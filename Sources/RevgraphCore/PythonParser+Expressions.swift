/// Expressions: each reading function returns what the expression is (``PythonParser/Expr``),
/// enough for the rules that depend on it (assignment and deletion targets, starred
/// expressions) without building a tree.
extension PythonParser {
    struct Expr {
        enum Kind: UInt8, CustomStringConvertible {
            case name, attribute, `subscript`, starred, tuple, list, call, literal, ellipsis, trueValue, falseValue, noneValue
            case compare, binop, unary, boolop, ifexp, lambda, yield, await, named, dict, set, genexp, listcomp, setcomp
            case dictcomp, fstring

            var description: String {
                switch self {
                case .name: return "name"
                case .attribute: return "attribute"
                case .subscript: return "subscript"
                case .starred: return "starred"
                case .tuple: return "tuple"
                case .list: return "list"
                case .call: return "function call"
                case .literal: return "literal"
                case .ellipsis: return "ellipsis"
                case .trueValue: return "True"
                case .falseValue: return "False"
                case .noneValue: return "None"
                case .compare: return "comparison"
                case .binop, .unary, .boolop: return "expression"
                case .ifexp: return "conditional expression"
                case .lambda: return "lambda"
                case .yield: return "yield expression"
                case .await: return "await expression"
                case .named: return "named expression"
                case .dict: return "dict literal"
                case .set: return "set display"
                case .genexp: return "generator expression"
                case .listcomp: return "list comprehension"
                case .setcomp: return "set comprehension"
                case .dictcomp: return "dict comprehension"
                case .fstring: return "f-string expression"
                }
            }
        }

        var kind: Kind
        var line: Int32
        var parenthesized = false
        /// A name or attribute `__debug__` (as a target, the compiler's error).
        var debug = false
        /// In a tuple, list or starred: the first part that cannot be assigned to or deleted.
        var badTarget: (Kind, Int32)?
        var badDelete: (Kind, Int32)?
        /// A level of this target with two starred names.
        var multiStar: Int32?
        var debugLine: Int32?

        init(_ kind: Kind, _ line: Int32) {
            self.kind = kind
            self.line = line
        }

        /// The part of this expression that cannot be an assignment target, if any.
        var targetProblem: (Kind, Int32)? {
            switch kind {
            case .name, .attribute, .subscript: return nil
            case .starred, .tuple, .list: return badTarget
            default: return (kind, line)
            }
        }

        var deleteProblem: (Kind, Int32)? {
            switch kind {
            case .name, .attribute, .subscript: return nil
            case .tuple, .list: return badDelete
            default: return (kind, line)
            }
        }
    }

    /// Builds a tuple or list from its elements.
    struct Sequence {
        var result: Expr
        var stars = 0

        init(_ kind: Expr.Kind, _ line: Int32) { result = Expr(kind, line) }

        mutating func add(_ e: Expr) {
            if result.badTarget == nil, let p = e.targetProblem { result.badTarget = p }
            if result.badDelete == nil, let p = e.deleteProblem { result.badDelete = p }
            if result.multiStar == nil, let m = e.multiStar { result.multiStar = m }
            if result.debugLine == nil { result.debugLine = e.debug ? e.line : e.debugLine }
            if e.kind == .starred {
                stars += 1
                if stars == 2, result.multiStar == nil { result.multiStar = e.line }
            }
        }
    }

    // Two and three operators, not a variadic list: that would allocate an array on every call.
    mutating func peekAny(_ a: Op, _ b: Op) throws(Failure) -> Bool {
        let t = try peek()
        return t.kind == .op && (t.code == a.rawValue || t.code == b.rawValue)
    }

    mutating func peekAny(_ a: Op, _ b: Op, _ c: Op) throws(Failure) -> Bool {
        let t = try peek()
        return t.kind == .op && (t.code == a.rawValue || t.code == b.rawValue || t.code == c.rawValue)
    }

    mutating func peekComprehension() throws(Failure) -> Bool {
        let t = try peek()
        return Self.isWord(t, .for) || Self.isWord(t, .async)
    }

    mutating func acceptUnary() throws(Failure) -> Bool {
        if try peekAny(.minus, .plus, .tilde) { index += 1; return true }
        return false
    }

    mutating func acceptBoolOp() throws(Failure) -> Bool {
        let t = try peek()
        if Self.isWord(t, .or) || Self.isWord(t, .and) { index += 1; return true }
        return false
    }

    static func startsExpression(_ t: Token) -> Bool {
        Self.startsOperand(t) || Self.isOp(t, .minus) || Self.isOp(t, .plus) || Self.isOp(t, .star)
    }

    // MARK: target rules

    /// The parser's error for a target that cannot be assigned to (`statement`: the form of `=`).
    func targetError(_ e: Expr, statement: Bool) -> (String, Int32)? {
        guard let (kind, line) = e.targetProblem else { return nil }
        switch kind {
        case .trueValue, .falseValue, .noneValue: return ("cannot assign to \(kind)", line)
        default:
            return ("cannot assign to \(kind)" + (statement ? " here. Maybe you meant '==' instead of '='?" : ""), line)
        }
    }

    /// The compiler's errors for a valid target: a starred name alone, two starred names, `__debug__`.
    mutating func checkStarredTarget(_ e: Expr) {
        if e.kind == .starred { record(.compiler, "starred assignment target must be in a list or tuple", e.line) }
        if let m = e.multiStar { record(.compiler, "multiple starred expressions in assignment", m) }
        if let d = e.debug ? e.line : e.debugLine { record(.compiler, "cannot assign to __debug__", d) }
    }

    func deleteError(_ e: Expr) -> (String, Int32)? {
        guard let (kind, line) = e.deleteProblem else { return nil }
        return ("cannot delete \(kind)", line)
    }

    // MARK: expressions

    mutating func starExpressions() throws(Failure) -> Expr {
        let first = try starExpression()
        guard try peekOp(.comma) else { return first }
        var s = Sequence(.tuple, first.line)
        s.add(first)
        while try accept(.comma) {
            guard Self.startsExpression(try peek()) else { break }
            s.add(try starExpression())
        }
        return s.result
    }

    mutating func starExpression() throws(Failure) -> Expr {
        let t = try peek()
        if Self.isOp(t, .star) {
            index += 1
            return starred(try bitOr(), t.line)
        }
        return try expression()
    }

    mutating func starNamedExpression() throws(Failure) -> Expr {
        let t = try peek()
        if Self.isOp(t, .star) {
            index += 1
            return starred(try bitOr(), t.line)
        }
        return try namedExpression()
    }

    func starred(_ inner: Expr, _ line: Int32) -> Expr {
        var e = Expr(.starred, line)
        e.badTarget = inner.targetProblem
        e.multiStar = inner.multiStar
        e.debugLine = inner.debug ? inner.line : inner.debugLine
        return e
    }

    mutating func namedExpression() throws(Failure) -> Expr {
        let t = try peek()
        if Self.isName(t), Self.isOp(try peek(1), .colonequal) {
            index += 2
            if isDebug(t) { record(.compiler, "cannot assign to __debug__", t.line) }
            _ = try expression()
            return Expr(.named, t.line)
        }
        let e = try expression()
        if try peekOp(.colonequal) { throw Self.error("cannot use assignment expressions with \(e.kind)", e.line) }
        return e
    }

    /// `lambda …: …`, `… if … else …` and a disjunction, read in a loop (their right-hand
    /// sides nest without brackets).
    mutating func expression() throws(Failure) -> Expr {
        // Brackets bound the nesting at 200; a lambda's default values nest without them.
        depth += 1
        defer { depth -= 1 }
        if depth > 300 { throw Self.error("Parser stack overflowed - Python source too complex to parse", try peek().line) }
        var result: Expr?
        var lambdaMarks: [Int] = []
        defer {
            while let m = lambdaMarks.popLast() {
                resolveEvents(from: m)
                popScope()
            }
        }
        // The common operand first: a plain name, number or string that a `,`, a closer, `:`,
        // `=` or the line's end follows is itself (the descent below costs ten calls).
        let first = try peek()
        if first.code == 0, first.kind == .name || first.kind == .number || first.kind == .string {
            let n = try peek(1)
            if n.kind == .newline || (n.kind == .op && Self.contains(Self.endsOperand, n.code)) {
                index += 1
                var e = Expr(first.kind == .name ? .name : .literal, first.line)
                e.debug = first.kind == .name && isDebug(first)
                return e
            }
        }
        while true {
            let t = try peek()
            if Self.isWord(t, .lambda) {
                index += 1
                if result == nil { result = Expr(.lambda, t.line) }
                let names = try parameters(lambda: true)
                lambdaMarks.append(events.count)
                pushScope(.lambda, parameters: names)
                continue
            }
            let d = try disjunction()
            if try acceptWord(.if) {
                _ = try disjunction()
                guard try acceptWord(.else) else { throw Self.error("expected 'else' after 'if' expression", try peek().line) }
                if result == nil { result = Expr(.ifexp, d.line) }
                continue
            }
            return result ?? d
        }
    }

    mutating func disjunction() throws(Failure) -> Expr {
        let start = try peek()
        var count = 0
        var single: Expr?
        repeat {
            var nots = 0
            while try acceptWord(.not) { nots += 1 }
            let c = try comparison()
            count += 1
            single = count == 1 && nots == 0 ? c : nil
        } while try acceptBoolOp()
        return single ?? Expr(count > 1 ? .boolop : .unary, start.line)
    }

    /// Sets of operators as bits of their codes.
    static func mask(_ ops: [Op]) -> UInt64 { ops.reduce(0) { $0 | 1 << UInt64($1.rawValue) } }
    static let comparisons = mask([.eqequal, .notequal, .less, .greater, .lessequal, .greaterequal])
    static let endsOperand = mask([.comma, .rpar, .rsqb, .rbrace, .colon, .equal])
    static let binaries = mask([.vbar, .circumflex, .amper, .leftshift, .rightshift, .plus, .minus, .star, .slash, .doubleslash, .percent, .at])
    @inline(__always) static func contains(_ mask: UInt64, _ code: UInt8) -> Bool { code < 64 && (mask >> UInt64(code)) & 1 == 1 }

    mutating func comparison() throws(Failure) -> Expr {
        let first = try bitOr(afterOperator: false)
        var compared = false
        while true {
            let t = try peek()
            if t.kind == .op, Self.contains(Self.comparisons, t.code) {
                index += 1
            } else if Self.isWord(t, .in) {
                index += 1
            } else if Self.isWord(t, .not), Self.isWord(try peek(1), .in) {
                index += 2
            } else if Self.isWord(t, .is) {
                index += 1
                _ = try acceptWord(.not)
            } else {
                break
            }
            _ = try bitOr(afterOperator: false)
            compared = true
        }
        return compared ? Expr(.compare, first.line) : first
    }

    mutating func bitOr(afterOperator: Bool = false) throws(Failure) -> Expr {
        let first = try factor(afterOperator: afterOperator)
        var binary = false
        while true {
            let t = try peek()
            guard t.kind == .op, Self.contains(Self.binaries, t.code) else { break }
            index += 1
            _ = try factor(afterOperator: true)
            binary = true
        }
        return binary ? Expr(.binop, first.line) : first
    }

    mutating func factor(afterOperator: Bool) throws(Failure) -> Expr {
        let start = try peek()
        var unary = false
        while try acceptUnary() { unary = true }
        if try peekWord(.not) {
            throw Self.error(unary || afterOperator ? "'not' after an operator must be parenthesized" : "invalid syntax", try peek().line)
        }
        let p = try awaitPrimary()
        var power = false
        while try accept(.doublestar) {
            while try acceptUnary() {}
            if try peekWord(.not) { throw Self.error("'not' after an operator must be parenthesized", try peek().line) }
            _ = try awaitPrimary()
            power = true
        }
        if unary { return Expr(.unary, start.line) }
        return power ? Expr(.binop, start.line) : p
    }

    mutating func awaitPrimary() throws(Failure) -> Expr {
        let t = try peek()
        if Self.isWord(t, .await) {
            index += 1
            events.append((.await, t.line))
            _ = try primary()
            return Expr(.await, t.line)
        }
        return try primary()
    }

    mutating func primary() throws(Failure) -> Expr {
        var e = try atom()
        while true {
            let t = try peek()
            guard t.kind == .op else { break }
            if t.code == Op.dot.rawValue {
                index += 1
                let n = try peek()
                guard Self.isName(n) else { throw Self.error("invalid syntax", n.line) }
                index += 1
                var a = Expr(.attribute, e.line)
                a.debug = isDebug(n)
                e = a
            } else if t.code == Op.lpar.rawValue {
                index += 1
                _ = try callArguments(open: t)
                e = Expr(.call, e.line)
            } else if t.code == Op.lsqb.rawValue {
                index += 1
                try slices()
                e = Expr(.subscript, e.line)
            } else {
                break
            }
        }
        return e
    }

    /// A target of `for`, a comprehension or `with … as`: a primary, starred or not.
    mutating func starTarget() throws(Failure) -> Expr {
        let t = try peek()
        if Self.isOp(t, .star) {
            index += 1
            return starred(try primary(), t.line)
        }
        return try primary()
    }

    mutating func targetList() throws(Failure) -> Expr {
        let first = try starTarget()
        guard try peekOp(.comma) else { return first }
        var s = Sequence(.tuple, first.line)
        s.add(first)
        while try accept(.comma) {
            if try peekWord(.in) { break }
            s.add(try starTarget())
        }
        return s.result
    }

    mutating func yieldExpression() throws(Failure) -> Expr {
        let y = try take()
        if try acceptWord(.from) {
            events.append((.yieldFrom, y.line))
            _ = try expression()
        } else {
            events.append((.yield, y.line))
            if Self.startsExpression(try peek()) {
                let e = try starExpressions()
                if e.kind == .starred { record(.compiler, "can't use starred expression here", e.line) }
            }
        }
        return Expr(.yield, y.line)
    }

    /// The error after an element of a bracket when neither `,` nor the closer follows.
    mutating func afterElement(_ e: Expr, first: Token) throws(Failure) -> Failure {
        let n = try peek()
        if Self.startsOperand(n) {
            let softStart = first.kind == .name && Word(rawValue: first.code)! != .none && !Word(rawValue: first.code)!.isHard
            if softStart || (e.kind == .name && (n.kind == .string || n.kind == .fstringStart)) { return Self.error("invalid syntax", n.line) }
            return Self.error("invalid syntax. Perhaps you forgot a comma?", e.line)
        }
        return Self.error("invalid syntax", n.line)
    }

    mutating func atom() throws(Failure) -> Expr {
        let t = try peek()
        switch t.kind {
        case .name:
            switch Word(rawValue: t.code)! {
            case .True: index += 1; return Expr(.trueValue, t.line)
            case .False: index += 1; return Expr(.falseValue, t.line)
            case .None: index += 1; return Expr(.noneValue, t.line)
            case let w where !w.isHard:
                index += 1
                var e = Expr(.name, t.line)
                e.debug = isDebug(t)
                return e
            default:
                throw Self.error("invalid syntax", t.line)
            }
        case .number:
            index += 1
            return Expr(.literal, t.line)
        case .string, .bytes, .fstringStart:
            return try strings()
        case .op:
            switch Op(rawValue: t.code)! {
            case .lpar: return try parenthesized(t)
            case .lsqb: return try bracketed(t)
            case .lbrace: return try braced(t)
            case .ellipsis: index += 1; return Expr(.ellipsis, t.line)
            default: throw Self.error("invalid syntax", t.line)
            }
        default:
            throw Self.error("invalid syntax", t.line)
        }
    }

    mutating func strings() throws(Failure) -> Expr {
        let first = try peek()
        var sawBytes = false, sawText = false, sawF = false
        while true {
            let t = try peek()
            if t.kind == .string { index += 1; sawText = true }
            else if t.kind == .bytes { index += 1; sawBytes = true }
            else if t.kind == .fstringStart { try fstring(); sawText = true; sawF = true }
            else { break }
        }
        if sawBytes && sawText { throw Self.error("cannot mix bytes and nonbytes literals", first.line) }
        return Expr(sawF ? .fstring : .literal, first.line)
    }

    mutating func fstring() throws(Failure) {
        index += 1
        while true {
            let t = try take()
            switch t.kind {
            case .fstringEnd: return
            case .fstringMiddle: continue
            case .op where t.code == Op.lbrace.rawValue: try field()
            default: throw Self.error("invalid syntax", t.line)
            }
        }
    }

    /// A replacement field after its `{`: the expression, `=`, `!conversion`, `:spec`, `}`.
    mutating func field() throws(Failure) {
        let t = try peek()
        if t.kind == .op {
            switch Op(rawValue: t.code)! {
            case .rbrace: throw Self.error("f-string: valid expression required before '}'", t.line)
            case .exclamation: throw Self.error("f-string: valid expression required before '!'", t.line)
            case .colon: throw Self.error("f-string: valid expression required before ':'", t.line)
            case .equal: throw Self.error("f-string: valid expression required before '='", t.line)
            default: break
            }
        }
        if Self.isWord(t, .lambda) { throw Self.error("f-string: lambda expressions are not allowed without parentheses", t.line) }
        let e = try peekWord(.yield) ? try yieldExpression() : try starExpressions()
        if e.kind == .starred { record(.compiler, "can't use starred expression here", e.line) }
        _ = try accept(.equal)
        var converted = false
        if try peekOp(.exclamation) {
            let ex = try take()
            let n = try peek()
            guard n.kind == .name else { throw Self.error("f-string: missing conversion character", n.line) }
            if n.start != ex.end { throw Self.error("f-string: conversion type must come right after the exclamanation mark", n.line) }
            let c = string(n)
            guard c == "s" || c == "r" || c == "a" else {
                throw Self.error("f-string: invalid conversion character '\(c)': expected 's', 'r', or 'a'", n.line)
            }
            index += 1
            converted = true
        }
        if try accept(.colon) {
            while true {
                let s = try peek()
                if s.kind == .fstringMiddle { index += 1 }
                else if Self.isOp(s, .lbrace) { index += 1; try field() }
                else { break }
            }
        }
        guard try accept(.rbrace) else {
            let n = try peek()
            if n.kind == .fstringEnd || n.kind == .end { throw Self.error("f-string: expecting '}'", n.line) }
            throw Self.error(converted ? "f-string: expecting ':' or '}'" : "f-string: expecting '=', or '!', or ':', or '}'", n.line)
        }
    }

    mutating func parenthesized(_ open: Token) throws(Failure) -> Expr {
        index += 1
        let mark = events.count
        if try accept(.rpar) {
            var e = Expr(.tuple, open.line)
            e.parenthesized = true
            return e
        }
        if try peekWord(.yield) {
            var y = try yieldExpression()
            try expect(.rpar)
            y.parenthesized = true
            return y
        }
        let firstToken = try peek()
        let first = try starNamedExpression()
        if try peekComprehension() {
            if first.kind == .starred { throw Self.error("iterable unpacking cannot be used in comprehension", first.line) }
            try comprehension(.genexp, mark: mark)
            try expect(.rpar)
            return Expr(.genexp, open.line)
        }
        if try peekOp(.comma) {
            var s = Sequence(.tuple, open.line)
            s.add(first)
            while try accept(.comma) {
                if try peekOp(.rpar) { break }
                let ft = try peek()
                let e = try starNamedExpression()
                s.add(e)
                if !(try peekAny(.comma, .rpar)) { throw try afterElement(e, first: ft) }
            }
            try expect(.rpar)
            s.result.parenthesized = true
            return s.result
        }
        guard try accept(.rpar) else { throw try afterElement(first, first: firstToken) }
        if first.kind == .starred { throw Self.error("cannot use starred expression here", first.line) }
        var e = first
        e.parenthesized = true
        return e
    }

    mutating func bracketed(_ open: Token) throws(Failure) -> Expr {
        index += 1
        let mark = events.count
        if try accept(.rsqb) { return Expr(.list, open.line) }
        var s = Sequence(.list, open.line)
        var firstElement = true
        repeat {
            if try peekOp(.rsqb) { break }
            let ft = try peek()
            let e = try starNamedExpression()
            if firstElement, try peekComprehension() {
                if e.kind == .starred { throw Self.error("iterable unpacking cannot be used in comprehension", e.line) }
                try comprehension(.listcomp, mark: mark)
                try expect(.rsqb)
                return Expr(.listcomp, open.line)
            }
            firstElement = false
            s.add(e)
            if !(try peekAny(.comma, .rsqb)) { throw try afterElement(e, first: ft) }
        } while try accept(.comma)
        try expect(.rsqb)
        return s.result
    }

    mutating func braced(_ open: Token) throws(Failure) -> Expr {
        index += 1
        let mark = events.count
        if try accept(.rbrace) { return Expr(.dict, open.line) }
        if try accept(.doublestar) {
            _ = try bitOr()
            if try peekComprehension() { throw Self.error("dict unpacking cannot be used in dict comprehension", open.line) }
            try dictTail()
            return Expr(.dict, open.line)
        }
        let ft = try peek()
        let first = try starNamedExpression()
        if try peekOp(.colon) {
            if first.kind == .starred || first.kind == .named && !first.parenthesized { throw Self.error("invalid syntax", try peek().line) }
            index += 1
            try dictValue()
            if try peekComprehension() {
                try comprehension(.dictcomp, mark: mark)
                try expect(.rbrace)
                return Expr(.dictcomp, open.line)
            }
            try dictTail()
            return Expr(.dict, open.line)
        }
        if try peekComprehension() {
            if first.kind == .starred { throw Self.error("iterable unpacking cannot be used in comprehension", first.line) }
            try comprehension(.setcomp, mark: mark)
            try expect(.rbrace)
            return Expr(.setcomp, open.line)
        }
        if !(try peekAny(.comma, .rbrace)) { throw try afterElement(first, first: ft) }
        while try accept(.comma) {
            if try peekOp(.rbrace) { break }
            let et = try peek()
            let e = try starNamedExpression()
            if !(try peekAny(.comma, .rbrace)) { throw try afterElement(e, first: et) }
        }
        try expect(.rbrace)
        return Expr(.set, open.line)
    }

    mutating func dictValue() throws(Failure) {
        if try peekOp(.star) { throw Self.error("cannot use a starred expression in a dictionary value", try peek().line) }
        _ = try expression()
    }

    /// The rest of a dict display after its first item.
    mutating func dictTail() throws(Failure) {
        while try accept(.comma) {
            if try peekOp(.rbrace) { break }
            if try accept(.doublestar) {
                _ = try bitOr()
            } else {
                let k = try expression()
                guard try accept(.colon) else {
                    if try peekAny(.comma, .rbrace) { throw Self.error("':' expected after dictionary key", k.line) }
                    throw try invalid()
                }
                try dictValue()
            }
        }
        let n = try peek()
        guard Self.isOp(n, .rbrace) else {
            throw Self.startsOperand(n) ? Self.error("invalid syntax. Perhaps you forgot a comma?", n.line) : try invalid()
        }
        index += 1
    }

    /// `for … in … if …` clauses after a comprehension's element (its events from `mark`).
    mutating func comprehension(_ kind: Expr.Kind, mark: Int) throws(Failure) {
        repeat {
            let async = try acceptWord(.async)
            let f = try peek()
            guard try acceptWord(.for) else { throw try invalid() }
            let target = try targetList()
            if let (m, l) = targetError(target, statement: false) { throw Self.error(m, l) }
            checkStarredTarget(target)
            guard try acceptWord(.in) else { throw try invalid() }
            _ = try disjunction()
            while try acceptWord(.if) { _ = try disjunction() }
            if async && kind != .genexp && scopes[scopes.count - 1].kind != .asyncFunction {
                record(.compiler, "asynchronous comprehension outside of an asynchronous function", f.line)
            }
        } while try peekComprehension()
        // A yield in a comprehension is the symbol table's error; awaits are judged by the enclosing scope.
        let what = kind == .genexp ? "generator expression" : kind == .listcomp ? "list comprehension"
            : kind == .setcomp ? "set comprehension" : "dict comprehension"
        var kept: [(Event, Int32)] = []
        for (e, line) in events[mark...] {
            if e == .await { kept.append((e, line)) } else { record(.symtable, "'yield' inside \(what)", line) }
        }
        events.removeSubrange(mark...)
        events.append(contentsOf: kept)
    }

    /// A call's arguments after `(`; returns whether one was a bare generator expression.
    mutating func callArguments(open: Token) throws(Failure) -> Bool {
        var count = 0, sawKeyword = false, sawDoubleStar = false, generator = false
        var keywords: [Token] = []
        var manyKeywords = Set<String>()
        while !(try peekOp(.rpar)) {
            let t = try peek()
            if Self.isOp(t, .star) {
                index += 1
                _ = try expression()
                if sawDoubleStar { throw Self.error("iterable argument unpacking follows keyword argument unpacking", t.line) }
            } else if Self.isOp(t, .doublestar) {
                index += 1
                _ = try expression()
                sawDoubleStar = true
            } else if t.kind == .name, Self.isOp(try peek(1), .equal) {
                switch Word(rawValue: t.code)! {
                case .True, .False, .None: throw Self.error("cannot assign to \(string(t))", t.line)
                case let w where w.isHard: throw Self.error("invalid syntax", t.line)
                default: break
                }
                index += 2
                _ = try expression()
                // Compared as bytes; a call rarely has many keywords, and past 16 a set takes over.
                let name = text(t)
                if keywords.count < 16 {
                    if keywords.contains(where: { text($0).elementsEqual(name) }) { record(.compiler, "keyword argument repeated: \(string(t))", t.line) }
                } else if !manyKeywords.insert(string(t)).inserted {
                    record(.compiler, "keyword argument repeated: \(string(t))", t.line)
                }
                if keywords.count == 16 { manyKeywords = Set(keywords.map(string)) }
                keywords.append(t)
                sawKeyword = true
            } else {
                let mark = events.count
                let e = try namedExpression()
                if try peekComprehension() {
                    try comprehension(.genexp, mark: mark)
                    let closes = try peekOp(.rpar)
                    if count > 0 || !closes { throw Self.error("Generator expression must be parenthesized", e.line) }
                    generator = true
                } else if try peekOp(.equal) {
                    throw Self.error("expression cannot contain assignment, perhaps you meant \"==\"?", e.line)
                } else if sawDoubleStar {
                    throw Self.error("positional argument follows keyword argument unpacking", e.line)
                } else if sawKeyword {
                    throw Self.error("positional argument follows keyword argument", e.line)
                }
                if !(try peekAny(.comma, .rpar)) { throw try afterElement(e, first: t) }
            }
            count += 1
            if !(try accept(.comma)) { break }
        }
        try expect(.rpar)
        return generator
    }

    mutating func slices() throws(Failure) {
        if try peekOp(.rsqb) { throw try invalid() }
        repeat {
            if try peekOp(.rsqb) { break }
            let t = try peek()
            if try accept(.star) {
                _ = try bitOr()
            } else {
                var e: Expr?
                if !(try peekOp(.colon)) { e = try namedExpression() }
                if try accept(.colon) {
                    if !(try peekAny(.colon, .comma, .rsqb)) { _ = try expression() }
                    if try accept(.colon) {
                        if !(try peekAny(.comma, .rsqb)) { _ = try expression() }
                    }
                } else if let e, !(try peekAny(.comma, .rsqb)) {
                    throw try afterElement(e, first: t)
                }
            }
        } while try accept(.comma)
        try expect(.rsqb)
    }
}
