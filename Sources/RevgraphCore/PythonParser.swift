/// Python 3.13's grammar over ``PythonTokenizer``'s tokens, and the checks of CPython's later
/// passes (future imports, the symbol table, the compiler) that refuse a file: a file is accepted
/// when CPython 3.13's `compile()` accepts it. Statements are read in a loop with an explicit
/// stack of blocks; expressions recurse only through brackets, which the tokenizer bounds at
/// CPython's 200, so the work is linear and the depth bounded.
struct PythonParser {
    typealias Token = PythonTokenizer.Token
    typealias Op = PythonTokenizer.Op
    typealias Word = PythonTokenizer.Word
    typealias Failure = PythonTokenizer.Failure

    var tokenizer: PythonTokenizer
    let bytes: UnsafeBufferPointer<UInt8>
    /// Tokens read ahead (the grammar looks at most a few tokens ahead, and backtracks only
    /// inside one statement's header).
    var buffer: [Token] = []
    var index = 0
    var marks = 0
    /// Expressions being read inside one another.
    var depth = 0

    /// The first error of each later pass, in the order CPython runs them.
    var futureError: Failure?
    var symtableError: Failure?
    var compilerError: Failure?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tokenizer = PythonTokenizer(bytes: bytes)
        scopes = [Scope(kind: .module)]
    }

    // MARK: tokens

    @inline(__always) mutating func peek(_ k: Int = 0) throws(Failure) -> Token {
        while index + k >= buffer.count {
            // Read first, then append: `buffer.append(try tokenizer.next())` holds the array
            // while the tokenizer runs, and an unoptimized build copies it on every append.
            let t = try tokenizer.next()
            buffer.append(t)
        }
        return buffer[index + k]
    }

    @discardableResult
    @inline(__always) mutating func take() throws(Failure) -> Token {
        let t = try peek()
        index += 1
        return t
    }

    @inline(__always) static func isOp(_ t: Token, _ o: Op) -> Bool { t.kind == .op && t.code == o.rawValue }
    @inline(__always) static func isWord(_ t: Token, _ w: Word) -> Bool { t.kind == .name && t.code == w.rawValue }
    /// A name that is not a hard keyword (soft keywords are names).
    @inline(__always) static func isName(_ t: Token) -> Bool { t.kind == .name && !Word(rawValue: t.code)!.isHard }

    mutating func peekOp(_ o: Op) throws(Failure) -> Bool { Self.isOp(try peek(), o) }
    mutating func peekWord(_ w: Word) throws(Failure) -> Bool { Self.isWord(try peek(), w) }

    mutating func accept(_ o: Op) throws(Failure) -> Bool {
        if try peekOp(o) { index += 1; return true }
        return false
    }

    mutating func acceptWord(_ w: Word) throws(Failure) -> Bool {
        if try peekWord(w) { index += 1; return true }
        return false
    }

    static func error(_ message: String, _ line: Int32) -> Failure { Failure(line: Int(line), message: message, byTokenizer: false) }

    mutating func invalid() throws(Failure) -> Failure { Self.error("invalid syntax", try peek().line) }

    mutating func expect(_ o: Op) throws(Failure) {
        if try accept(o) { return }
        throw try invalid()
    }

    mutating func expectColon() throws(Failure) {
        if try accept(.colon) { return }
        let t = try peek()
        throw Self.error(t.kind == .newline ? "expected ':'" : "invalid syntax", t.line)
    }

    mutating func expectName() throws(Failure) -> Token {
        let t = try peek()
        guard Self.isName(t) else { throw try invalid() }
        index += 1
        return t
    }

    func text(_ t: Token) -> Slice<UnsafeBufferPointer<UInt8>> { bytes[Int(t.start)..<Int(t.end)] }
    func string(_ t: Token) -> String { String(decoding: UnsafeBufferPointer(rebasing: text(t)), as: UTF8.self) }
    func isDebug(_ t: Token) -> Bool { t.end - t.start == 9 && text(t).elementsEqual("__debug__".utf8) }

    /// Whether `t` can begin an operand: after a complete expression it means a missing comma.
    static func startsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .name: return !Word(rawValue: t.code)!.isHard || t.code == Word.True.rawValue || t.code == Word.False.rawValue
            || t.code == Word.None.rawValue || t.code == Word.lambda.rawValue || t.code == Word.not.rawValue || t.code == Word.await.rawValue
        case .number, .string, .bytes, .fstringStart: return true
        case .op: return t.code == Op.lpar.rawValue || t.code == Op.lsqb.rawValue || t.code == Op.lbrace.rawValue
            || t.code == Op.tilde.rawValue || t.code == Op.ellipsis.rawValue
        default: return false
        }
    }

    // MARK: the later passes

    enum Stage { case future, symtable, compiler }

    /// Records the error of a later pass, keeping the first in the file.
    mutating func record(_ stage: Stage, _ message: String, _ line: Int32) {
        let f = Self.error(message, line)
        switch stage {
        case .future: if futureError == nil || futureError!.line > f.line { futureError = f }
        case .symtable: if symtableError == nil || symtableError!.line > f.line { symtableError = f }
        case .compiler: if compilerError == nil || compilerError!.line > f.line { compilerError = f }
        }
    }

    struct Scope {
        enum Kind { case module, `class`, function, asyncFunction, lambda }
        var kind: Kind
        var loops = 0
        var yieldLine: Int32?
        var returnValueLine: Int32?
        var parameters: [Token] = []
        var isFunction: Bool { kind == .function || kind == .asyncFunction || kind == .lambda }
    }
    var scopes: [Scope]

    /// `yield` and `await` met in an expression, judged when it is known whether they are in a
    /// comprehension, a lambda or the statement's own scope.
    enum Event { case yield, yieldFrom, await }
    var events: [(Event, Int32)] = []

    /// Judges the events after `mark` in the current scope.
    mutating func resolveEvents(from mark: Int) {
        guard events.count > mark else { return }
        var scope = scopes[scopes.count - 1]
        for (e, line) in events[mark...] {
            switch e {
            case .yield, .yieldFrom:
                if scope.isFunction {
                    if scope.yieldLine == nil { scope.yieldLine = line }
                } else {
                    record(.compiler, e == .yield ? "'yield' outside function" : "'yield from' outside function", line)
                }
                if e == .yieldFrom && scope.kind == .asyncFunction { record(.compiler, "'yield from' inside async function", line) }
            case .await:
                if !scope.isFunction {
                    record(.compiler, "'await' outside function", line)
                } else if scope.kind != .asyncFunction {
                    record(.compiler, "'await' outside async function", line)
                }
            }
        }
        scopes[scopes.count - 1] = scope
        events.removeSubrange(mark...)
    }

    mutating func pushScope(_ kind: Scope.Kind, parameters: [Token] = []) {
        scopes.append(Scope(kind: kind, parameters: parameters))
    }

    mutating func popScope() {
        let s = scopes.removeLast()
        if s.kind == .asyncFunction, s.yieldLine != nil, let r = s.returnValueLine {
            record(.compiler, "'return' with value in async generator", r)
        }
    }

    // MARK: the file

    /// The first error CPython 3.13 reports for the file, or nil when it compiles.
    mutating func check() -> Failure? {
        do {
            try fileInput()
        } catch let e {
            if e.byTokenizer { return e }
            // As CPython: the rest is tokenized, and a tokenizer error found there is reported
            // instead (an unclosed bracket only when opened before the parser's error).
            tokenizer.checksLiterals = false
            do {
                while try tokenizer.next().kind != .end {}
            } catch let t {
                if t.unclosed { return t.line < e.line ? t : e }
                return t
            }
            return e
        }
        return futureError ?? symtableError ?? compilerError
    }

    /// An open compound statement whose block is being read.
    struct Block {
        var header: Word
        var line: Int32
        /// What may follow the statement at its level once the block ends.
        var follow: After = .none
        /// A `def` or `class` opens a scope; `for` and `while` a loop.
        var scope: Scope.Kind?
        var parameters: [Token] = []
        var loop = false
        var isMatch = false
        var isExceptStar = false
    }

    /// What the statement just ended lets follow it at its level.
    enum After: Equatable {
        case none, ifChain, loop, tryBody, tryHandlers(star: Bool, bare: Int32?), tryElse
    }

    var blocks: [Block] = []
    var after: [After] = [.none]
    /// In a match block: the line and words of a case that matches everything, if any.
    var irrefutable: [(Int32, String)?] = [nil]
    var decorated: Int32?
    var futureAllowed = true
    var statementsAtTop = 0
    var lastLine: Int32 = 1

    mutating func fileInput() throws(Failure) {
        while true {
            if marks == 0 && index > 0 {
                if index == buffer.count { buffer.removeAll(keepingCapacity: true) } else { buffer.removeFirst(index) }
                index = 0
            }
            let t = try peek()
            switch t.kind {
            case .end:
                try endOfLevel(t)
                return
            case .dedent:
                try endOfLevel(t)
                index += 1
                closeBlock()
            case .indent:
                throw Self.error("unexpected indent", t.line)
            case .newline:
                index += 1
            default:
                try statement(t)
            }
        }
    }

    /// The level ends: a `try` without handlers and a decorator without a definition are errors.
    mutating func endOfLevel(_ t: Token) throws(Failure) {
        if after.last == .tryBody { throw Self.error("expected 'except' or 'finally' block", lastLine) }
        if decorated != nil { throw Self.error("invalid syntax", t.line) }
    }

    mutating func openBlock(_ b: Block) {
        if let kind = b.scope { pushScope(kind, parameters: b.parameters) }
        if b.loop { scopes[scopes.count - 1].loops += 1 }
        blocks.append(b)
        after.append(.none)
        irrefutable.append(nil)
    }

    mutating func closeBlock() {
        let b = blocks.removeLast()
        if b.loop { scopes[scopes.count - 1].loops -= 1 }
        if b.scope != nil { popScope() }
        after.removeLast()
        irrefutable.removeLast()
        after[after.count - 1] = b.follow
    }

    static func describe(_ w: Word, star: Bool = false) -> String {
        switch w {
        case .def: return "function definition"
        case .class: return "class definition"
        case .except where star: return "'except*' statement"
        default: return "'\(w)' statement"
        }
    }

    // MARK: statements

    mutating func statement(_ t: Token) throws(Failure) {
        let level = after[after.count - 1]
        after[after.count - 1] = .none
        let inMatch = blocks.last?.isMatch ?? false
        // Clauses that continue the statement before.
        if t.kind == .name {
            switch Word(rawValue: t.code)! {
            case .elif:
                guard level == .ifChain else { throw Self.error("invalid syntax", t.line) }
            case .else:
                switch level {
                case .ifChain, .loop: break
                case .tryHandlers: break
                case .tryBody: throw Self.error("expected 'except' or 'finally' block", t.line)
                default: throw Self.error("invalid syntax", t.line)
                }
            case .except:
                switch level {
                case .tryBody: break
                case .tryHandlers(_, let bare):
                    if let bare { throw Self.error("default 'except:' must be last", bare) }
                default: throw Self.error("invalid syntax", t.line)
                }
            case .finally:
                switch level {
                case .tryBody, .tryHandlers, .tryElse: break
                default: throw Self.error("invalid syntax", t.line)
                }
            default:
                if level == .tryBody { throw Self.error("expected 'except' or 'finally' block", t.line) }
            }
        } else if level == .tryBody {
            throw Self.error("expected 'except' or 'finally' block", t.line)
        }
        if inMatch && !Self.isWord(t, .case) { throw Self.error("invalid syntax", t.line) }
        if decorated != nil && !(Self.isWord(t, .def) || Self.isWord(t, .class) || Self.isWord(t, .async) || Self.isOp(t, .at)) {
            throw Self.error("invalid syntax", t.line)
        }
        if blocks.isEmpty {
            // Only a docstring and future imports may come before a future import.
            statementsAtTop += 1
            let next = try peek(1)
            let isFuture = Self.isWord(t, .from) && text(next).elementsEqual("__future__".utf8)
            let isDocstring = statementsAtTop == 1 && t.kind == .string
            if !isFuture && !isDocstring { futureAllowed = false }
        }
        if t.kind == .name, let block = try compoundHeader(t, level: level) {
            try body(block)
            return
        }
        if Self.isOp(t, .at) {
            index += 1
            let mark = events.count
            _ = try namedExpression()
            resolveEvents(from: mark)
            guard try peek().kind == .newline else { throw try invalid() }
            lastLine = try take().line
            decorated = t.line
            return
        }
        try simpleStatements()
    }

    /// After a header's `:`: an indented block, or simple statements on the same line.
    mutating func body(_ block: Block) throws(Failure) {
        if try peek().kind == .newline {
            let newline = try take()
            let t = try peek()
            guard t.kind == .indent else {
                throw Self.error("expected an indented block after \(Self.describe(block.header, star: block.isExceptStar)) on line \(block.line)",
                            t.kind == .end ? newline.line : t.line)
            }
            index += 1
            openBlock(block)
            return
        }
        if block.isMatch { throw try invalid() }
        openBlock(block)
        try simpleStatements()
        closeBlock()
    }

    /// A compound statement's header up to its `:`, or nil when `t` starts a simple statement.
    mutating func compoundHeader(_ t: Token, level: After) throws(Failure) -> Block? {
        let word = Word(rawValue: t.code)!
        var block = Block(header: word, line: t.line)
        let mark = events.count
        defer { resolveEvents(from: mark) }
        switch word {
        case .if, .elif:
            index += 1
            _ = try namedExpression()
            try expectColon()
            block.follow = .ifChain
        case .while:
            index += 1
            _ = try namedExpression()
            try expectColon()
            block.loop = true
            block.follow = .loop
        case .else:
            index += 1
            try expectColon()
            if case .tryHandlers = level { block.follow = .tryElse }
        case .for:
            index += 1
            try forHeader(&block)
        case .try:
            index += 1
            try expectColon()
            block.follow = .tryBody
        case .finally:
            index += 1
            try expectColon()
        case .except:
            index += 1
            let star = try accept(.star)
            if case .tryHandlers(let wasStar, _) = level, wasStar != star {
                throw Self.error("cannot have both 'except' and 'except*' on the same 'try'", t.line)
            }
            block.isExceptStar = star
            if try accept(.colon) {
                if star { throw Self.error("expected one or more exception types", t.line) }
                block.follow = .tryHandlers(star: false, bare: t.line)
                return block
            }
            let e = try expression()
            if try peekOp(.comma) { throw Self.error("multiple exception types must be parenthesized", e.line) }
            if try acceptWord(.as) {
                let n = try expectName()
                if isDebug(n) { record(.compiler, "cannot assign to __debug__", n.line) }
            }
            try expectColon()
            block.follow = .tryHandlers(star: star, bare: nil)
        case .with:
            index += 1
            try withItems()
        case .def:
            index += 1
            try functionHeader(&block, async: false)
        case .class:
            index += 1
            try classHeader(&block)
        case .async:
            let next = try peek(1)
            index += 1
            if Self.isWord(next, .def) {
                index += 1
                try functionHeader(&block, async: true)
            } else if Self.isWord(next, .for) || Self.isWord(next, .with) {
                if scopes[scopes.count - 1].kind != .asyncFunction {
                    record(.compiler, Self.isWord(next, .for) ? "'async for' outside async function" : "'async with' outside async function", t.line)
                }
                index += 1
                if Self.isWord(next, .for) { block.header = .for; try forHeader(&block) } else { block.header = .with; try withItems() }
            } else {
                throw try invalid()
            }
        case .match:
            guard let b = try matchHeader(t) else { return nil }
            block = b
        case .case:
            guard blocks.last?.isMatch == true else { return nil }
            index += 1
            try caseHeader(t)
        default:
            return nil
        }
        return block
    }

    mutating func forHeader(_ block: inout Block) throws(Failure) {
        let target = try targetList()
        if let (m, l) = targetError(target, statement: false) { throw Self.error(m, l) }
        checkStarredTarget(target)
        guard try acceptWord(.in) else { throw try invalid() }
        let iter = try starExpressions()
        if iter.kind == .starred { record(.compiler, "can't use starred expression here", iter.line) }
        try expectColon()
        block.loop = true
        block.follow = .loop
    }

    mutating func withItems() throws(Failure) {
        if try peekOp(.lpar) {
            // `with (a as b, c):`, else a parenthesized expression.
            let start = index, eventMark = events.count
            let saved = (futureError, symtableError, compilerError)
            marks += 1
            do {
                index += 1
                repeat {
                    if try peekOp(.rpar) { break }
                    try withItem()
                } while try accept(.comma)
                try expect(.rpar)
                guard try peekOp(.colon) else { throw try invalid() }
                index += 1
                marks -= 1
                return
            } catch {
                index = start
                events.removeSubrange(eventMark...)
                (futureError, symtableError, compilerError) = saved
                marks -= 1
            }
        }
        repeat { try withItem() } while try accept(.comma)
        try expectColon()
    }

    mutating func withItem() throws(Failure) {
        _ = try expression()
        if try acceptWord(.as) {
            let target = try starTarget()
            if let (m, l) = targetError(target, statement: false) { throw Self.error(m, l) }
            checkStarredTarget(target)
            let n = try peek()
            guard Self.isOp(n, .comma) || Self.isOp(n, .rpar) || Self.isOp(n, .colon) else { throw try invalid() }
        }
    }

    mutating func functionHeader(_ block: inout Block, async: Bool) throws(Failure) {
        let name = try expectName()
        if isDebug(name) { record(.compiler, "cannot assign to __debug__", name.line) }
        if try peekOp(.lsqb) { try typeParameters() }
        guard try accept(.lpar) else { throw try invalid() }
        let params = try parameters(lambda: false)
        if try accept(.rarrow) { _ = try expression() }
        try expectColon()
        decorated = nil
        block.header = .def
        block.scope = async ? .asyncFunction : .function
        block.parameters = params
    }

    mutating func classHeader(_ block: inout Block) throws(Failure) {
        let name = try expectName()
        if isDebug(name) { record(.compiler, "cannot assign to __debug__", name.line) }
        if try peekOp(.lsqb) { try typeParameters() }
        if try accept(.lpar) {
            let e = try callArguments(open: name)
            if e { throw Self.error("invalid syntax", name.line) }
        }
        try expectColon()
        decorated = nil
        block.scope = .class
    }

    mutating func typeParameters() throws(Failure) {
        index += 1
        repeat {
            if try peekOp(.rsqb) { break }
            if try accept(.star) {
                _ = try expectName()
                if try accept(.equal) { _ = try starExpression() }
            } else if try accept(.doublestar) {
                _ = try expectName()
                if try accept(.equal) { _ = try expression() }
            } else {
                _ = try expectName()
                if try accept(.colon) { _ = try expression() }
                if try accept(.equal) { _ = try expression() }
            }
        } while try accept(.comma)
        try expect(.rsqb)
    }

    /// Parameters up to `)` (or `:` for a lambda); returns their names.
    mutating func parameters(lambda: Bool) throws(Failure) -> [Token] {
        let close: Op = lambda ? .colon : .rpar
        var names: [Token] = []
        var sawSlash = false, sawStar = false, bareStar: Int32?, sawDoubleStar = false, sawDefault = false
        var count = 0
        func annotation(_ p: inout PythonParser, star: Bool) throws(Failure) {
            guard !lambda, try p.accept(.colon) else { return }
            if star, try p.peekOp(.star) { _ = try p.starExpression() } else { _ = try p.expression() }
        }
        while !(try peekOp(close)) {
            let t = try peek()
            if sawDoubleStar { throw Self.error("arguments cannot follow var-keyword argument", t.line) }
            if Self.isOp(t, .slash) {
                index += 1
                if count == 0 { throw Self.error("at least one argument must precede /", t.line) }
                if sawSlash { throw Self.error("/ may appear only once", t.line) }
                if sawStar { throw Self.error("/ must be ahead of *", t.line) }
                sawSlash = true
            } else if Self.isOp(t, .star) {
                index += 1
                if sawStar { throw Self.error("* argument may appear only once", t.line) }
                sawStar = true
                if try peekAny(.comma, close) {
                    bareStar = t.line
                } else {
                    let n = try expectName()
                    names.append(n)
                    try annotation(&self, star: true)
                    if try peekOp(.equal) { throw Self.error("var-positional argument cannot have default value", try peek().line) }
                }
            } else if Self.isOp(t, .doublestar) {
                index += 1
                let n = try expectName()
                names.append(n)
                try annotation(&self, star: false)
                if try peekOp(.equal) { throw Self.error("var-keyword argument cannot have default value", try peek().line) }
                sawDoubleStar = true
                if bareStar != nil { throw Self.error("named arguments must follow bare *", bareStar!) }
            } else {
                let n = try expectName()
                names.append(n)
                bareStar = nil
                try annotation(&self, star: false)
                if try accept(.equal) {
                    _ = try expression()
                    if !sawStar { sawDefault = true }
                } else if sawDefault && !sawStar {
                    throw Self.error("parameter without a default follows parameter with a default", n.line)
                }
            }
            count += 1
            if !(try accept(.comma)) { break }
        }
        if let bareStar { throw Self.error("named arguments must follow bare *", bareStar) }
        guard try accept(close) else { throw try invalid() }
        if let d = duplicate(names) {
            record(.symtable, "duplicate argument '\(string(d))' in function definition", try peek().line)
        }
        if names.contains(where: isDebug) { record(.compiler, "cannot assign to __debug__", try peek().line) }
        return names
    }

    /// The first name met twice, compared as bytes (a set past 16 names).
    func duplicate(_ names: [Token]) -> Token? {
        if names.count <= 16 {
            for i in names.indices.dropFirst() where names[..<i].contains(where: { text($0).elementsEqual(text(names[i])) }) { return names[i] }
            return nil
        }
        var seen = Set<String>()
        return names.first { !seen.insert(string($0)).inserted }
    }

    // MARK: match

    /// `match subject:` when the line reads as one (a soft keyword), else nil.
    mutating func matchHeader(_ t: Token) throws(Failure) -> Block? {
        let next = try peek(1)
        if next.kind == .newline || Self.isOp(next, .equal) || Self.isOp(next, .dot) || Self.isOp(next, .colon) || Self.isOp(next, .comma)
            || Self.isOp(next, .rpar) || (next.kind == .op && !Self.isOp(next, .lpar) && !Self.isOp(next, .lsqb) && !Self.isOp(next, .lbrace)
                && !Self.isOp(next, .star) && !Self.isOp(next, .minus) && !Self.isOp(next, .tilde) && !Self.isOp(next, .plus)) {
            return nil
        }
        let start = index, eventMark = events.count
        let saved = (futureError, symtableError, compilerError)
        marks += 1
        defer { marks -= 1 }
        do {
            index += 1
            let s = try starNamedExpression()
            if try accept(.comma) {
                while !(try peekOp(.colon)) {
                    _ = try starNamedExpression()
                    if !(try accept(.comma)) { break }
                }
            } else if s.kind == .starred {
                throw try invalid()
            }
            try expectColon()
            guard try peek().kind == .newline else { throw try invalid() }
        } catch {
            index = start
            events.removeSubrange(eventMark...)
            (futureError, symtableError, compilerError) = saved
            return nil
        }
        var b = Block(header: .match, line: t.line)
        b.isMatch = true
        return b
    }

    mutating func caseHeader(_ t: Token) throws(Failure) {
        let p = try patterns()
        var guarded = false
        if try acceptWord(.if) { _ = try namedExpression(); guarded = true }
        try expectColon()
        let i = irrefutable.count - 1
        if let (line, message) = irrefutable[i] { record(.compiler, message, line) }
        if !guarded, let p { irrefutable[i] = (t.line, p) }
    }

    /// Reads patterns; returns the words CPython uses when the pattern matches everything.
    mutating func patterns() throws(Failure) -> String? {
        let first = try maybeStarPattern()
        if try accept(.comma) {
            while true {
                let n = try peek()
                if Self.isOp(n, .colon) || Self.isWord(n, .if) { break }
                _ = try maybeStarPattern()
                if !(try accept(.comma)) { break }
            }
            return nil
        }
        return first
    }

    mutating func maybeStarPattern() throws(Failure) -> String? {
        if try accept(.star) {
            _ = try expectName()
            return nil
        }
        return try pattern()
    }

    mutating func pattern() throws(Failure) -> String? {
        var result = try closedPattern()
        while try accept(.vbar) {
            if let r = result { record(.compiler, r, try peek().line) }
            result = try closedPattern()
        }
        if try acceptWord(.as) {
            let n = try peek()
            if Self.isWord(n, .underscore) { throw Self.error("cannot use '_' as a target", n.line) }
            guard Self.isName(n) else { throw Self.error("invalid pattern target", n.line) }
            index += 1
            if result != nil { return "name capture '\(string(n))' makes remaining patterns unreachable" }
        }
        return result
    }

    mutating func closedPattern() throws(Failure) -> String? {
        let t = try peek()
        switch t.kind {
        case .number:
            index += 1
            try complexTail()
            return nil
        case .string, .bytes:
            while true {
                let k = try peek().kind
                guard k == .string || k == .bytes else { break }
                index += 1
            }
            return nil
        case .fstringStart:
            throw Self.error("patterns may only match literals and attribute lookups", t.line)
        case .name:
            let w = Word(rawValue: t.code)!
            if w == .None || w == .True || w == .False { index += 1; return nil }
            guard Self.isName(t) else { throw try invalid() }
            index += 1
            var dotted = false
            while try accept(.dot) { _ = try expectName(); dotted = true }
            if try accept(.lpar) {
                try classPatternArguments()
                return nil
            }
            if dotted { return nil }
            if w == .underscore { return "wildcard makes remaining patterns unreachable" }
            return "name capture '\(string(t))' makes remaining patterns unreachable"
        case .op:
            switch Op(rawValue: t.code)! {
            case .minus:
                index += 1
                guard try peek().kind == .number else { throw try invalid() }
                index += 1
                try complexTail()
                return nil
            case .lpar:
                index += 1
                if try accept(.rpar) { return nil }
                let p = try maybeStarPattern()
                if try accept(.comma) {
                    while !(try peekOp(.rpar)) {
                        _ = try maybeStarPattern()
                        if !(try accept(.comma)) { break }
                    }
                    try expect(.rpar)
                    return nil
                }
                try expect(.rpar)
                return p
            case .lsqb:
                index += 1
                while !(try peekOp(.rsqb)) {
                    _ = try maybeStarPattern()
                    if !(try accept(.comma)) { break }
                }
                try expect(.rsqb)
                return nil
            case .lbrace:
                index += 1
                while !(try peekOp(.rbrace)) {
                    if try accept(.doublestar) {
                        _ = try expectName()
                    } else {
                        let k = try peek()
                        if Self.isOp(k, .minus) || k.kind == .number { _ = try closedPattern() }
                        else if k.kind == .string || k.kind == .bytes { _ = try closedPattern() }
                        else if Self.isWord(k, .None) || Self.isWord(k, .True) || Self.isWord(k, .False) { index += 1 }
                        else if Self.isName(k) {
                            index += 1
                            guard try peekOp(.dot) else { throw try invalid() }
                            while try accept(.dot) { _ = try expectName() }
                        } else { throw try invalid() }
                        try expect(.colon)
                        _ = try pattern()
                    }
                    if !(try accept(.comma)) { break }
                }
                try expect(.rbrace)
                return nil
            default:
                throw try invalid()
            }
        default:
            throw try invalid()
        }
    }

    mutating func complexTail() throws(Failure) {
        if try peekAny(.plus, .minus), try peek(1).kind == .number {
            index += 2
        }
    }

    mutating func classPatternArguments() throws(Failure) {
        var keyword = false
        while !(try peekOp(.rpar)) {
            if Self.isName(try peek()), Self.isOp(try peek(1), .equal) {
                index += 2
                _ = try pattern()
                keyword = true
            } else {
                if keyword { throw Self.error("positional patterns follow keyword patterns", try peek().line) }
                _ = try pattern()
            }
            if !(try accept(.comma)) { break }
        }
        try expect(.rpar)
    }

    // MARK: simple statements

    mutating func simpleStatements() throws(Failure) {
        while true {
            let mark = events.count
            try simpleStatement()
            resolveEvents(from: mark)
            if try accept(.semi) {
                if try peek().kind == .newline { break }
                continue
            }
            break
        }
        let t = try peek()
        guard t.kind == .newline else {
            throw Self.startsOperand(t) ? Self.error("invalid syntax", t.line) : try invalid()
        }
        lastLine = t.line
        index += 1
    }

    mutating func simpleStatement() throws(Failure) {
        let t = try peek()
        if t.kind == .name {
            switch Word(rawValue: t.code)! {
            case .pass:
                index += 1
                return
            case .break, .continue:
                index += 1
                if scopes[scopes.count - 1].loops == 0 {
                    record(.compiler, t.code == Word.break.rawValue ? "'break' outside loop" : "'continue' not properly in loop", t.line)
                }
                return
            case .return:
                index += 1
                var value = false
                if try !endsStatement(peek()) {
                    let e = try starExpressions()
                    if e.kind == .starred { record(.compiler, "can't use starred expression here", e.line) }
                    value = true
                }
                if !scopes[scopes.count - 1].isFunction {
                    record(.compiler, "'return' outside function", t.line)
                } else if value, scopes[scopes.count - 1].returnValueLine == nil {
                    scopes[scopes.count - 1].returnValueLine = t.line
                }
                return
            case .raise:
                index += 1
                if try !endsStatement(peek()) {
                    _ = try expression()
                    if try acceptWord(.from) { _ = try expression() }
                }
                return
            case .global, .nonlocal:
                index += 1
                let isGlobal = t.code == Word.global.rawValue
                if !isGlobal && scopes.count == 1 { record(.symtable, "nonlocal declaration not allowed at module level", t.line) }
                repeat {
                    let n = try expectName()
                    if scopes[scopes.count - 1].parameters.contains(where: { text($0).elementsEqual(text(n)) }) {
                        record(.symtable, "name '\(string(n))' is parameter and \(isGlobal ? "global" : "nonlocal")", t.line)
                    }
                } while try accept(.comma)
                return
            case .del:
                index += 1
                let e = try starExpressions()
                if let (m, l) = deleteError(e) { throw Self.error(m, l) }
                return
            case .assert:
                index += 1
                _ = try expression()
                if try accept(.comma) { _ = try expression() }
                return
            case .import:
                index += 1
                try importNames()
                return
            case .from:
                index += 1
                try fromImport(t)
                return
            case .type:
                let n1 = try peek(1), n2 = try peek(2)
                if Self.isName(n1), Self.isOp(n2, .equal) || Self.isOp(n2, .lsqb) {
                    index += 2
                    if Self.isOp(n2, .lsqb) { try typeParameters() }
                    try expect(.equal)
                    _ = try expression()
                    return
                }
            default:
                break
            }
        }
        try expressionStatement()
    }

    func endsStatement(_ t: Token) -> Bool { t.kind == .newline || Self.isOp(t, .semi) }

    mutating func importNames() throws(Failure) {
        if try peek().kind == .newline { throw Self.error("Expected one or more names after 'import'", try peek().line) }
        repeat {
            _ = try expectName()
            while try accept(.dot) { _ = try expectName() }
            if try acceptWord(.as) {
                let n = try expectName()
                if isDebug(n) { record(.compiler, "cannot assign to __debug__", n.line) }
            }
        } while try accept(.comma)
    }

    mutating func fromImport(_ t: Token) throws(Failure) {
        var dots = 0
        while true {
            if try accept(.dot) { dots += 1 } else if try accept(.ellipsis) { dots += 3 } else { break }
        }
        var module = ""
        if Self.isName(try peek()) {
            let first = try take()
            module = string(first)
            while try accept(.dot) {
                let part = try expectName()
                module += "." + string(part)
            }
        } else if dots == 0 {
            throw try invalid()
        }
        guard try acceptWord(.import) else { throw try invalid() }
        let isFuture = dots == 0 && module == "__future__"
        if isFuture && !(blocks.isEmpty && futureAllowed) {
            record(.future, "from __future__ imports must occur at the beginning of the file", t.line)
        }
        if try peekOp(.star) {
            index += 1
            if scopes.count > 1 { record(.symtable, "import * only allowed at module level", t.line) }
            if isFuture { record(.future, "future feature * is not defined", t.line) }
            return
        }
        if try peek().kind == .newline { throw Self.error("Expected one or more names after 'import'", try peek().line) }
        let paren = try accept(.lpar)
        repeat {
            if paren, try peekOp(.rpar) { break }
            let n = try expectName()
            if isFuture {
                let name = string(n)
                if name == "braces" { record(.future, "not a chance", n.line) }
                else if !Self.futureFeatures.contains(name) { record(.future, "future feature \(name) is not defined", n.line) }
            }
            if try acceptWord(.as) {
                let a = try expectName()
                if isDebug(a) { record(.compiler, "cannot assign to __debug__", a.line) }
            } else if isDebug(n) {
                record(.compiler, "cannot assign to __debug__", n.line)
            }
            if !paren, try peekOp(.comma), try peek(1).kind == .newline {
                throw Self.error("trailing comma not allowed without surrounding parentheses", try peek().line)
            }
        } while try accept(.comma)
        if paren { try expect(.rpar) }
    }

    static let futureFeatures: Set<String> = [
        "nested_scopes", "generators", "division", "absolute_import", "with_statement", "print_function",
        "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations",
    ]

    static let augmented = mask([.plusequal, .minequal, .starequal, .slashequal, .percentequal, .amperequal, .vbarequal,
        .circumflexequal, .leftshiftequal, .rightshiftequal, .doublestarequal, .doubleslashequal, .atequal])

    mutating func expressionStatement() throws(Failure) {
        let first = try peek()
        let e = try peekWord(.yield) ? try yieldExpression() : try starExpressions()
        let t = try peek()
        if Self.isOp(t, .colon) {
            // An annotation: one target, not a tuple or list.
            switch e.kind {
            case .name, .attribute, .subscript: break
            case .tuple: throw Self.error("only single target (not tuple) can be annotated", e.line)
            case .list: throw Self.error("only single target (not list) can be annotated", e.line)
            default: throw Self.error("illegal target for annotation", e.line)
            }
            if e.kind == .name && e.debug { record(.compiler, "cannot assign to __debug__", e.line) }
            index += 1
            _ = try expression()
            if try accept(.equal) { _ = try assignedValue() }
            return
        }
        if Self.isOp(t, .equal) {
            var target = e
            while try accept(.equal) {
                if let (m, l) = targetError(target, statement: true) { throw Self.error(m, l) }
                checkStarredTarget(target)
                target = try assignedValue(allowStar: true)
            }
            if target.kind == .starred { record(.compiler, "can't use starred expression here", target.line) }
            return
        }
        if t.kind == .op, Self.contains(Self.augmented, t.code) {
            switch e.kind {
            case .name, .attribute, .subscript:
                if e.kind == .name && e.debug { record(.compiler, "cannot assign to __debug__", e.line) }
            default:
                throw Self.error("'\(Self.nameForAugmented(e))' is an illegal expression for augmented assignment", e.line)
            }
            index += 1
            _ = try assignedValue()
            return
        }
        if e.kind == .starred { record(.compiler, "can't use starred expression here", e.line) }
        if Self.startsOperand(t) {
            // `print 'x'` and two expressions with nothing between.
            if first.kind == .name, e.kind == .name, !e.parenthesized, text(first).elementsEqual("print".utf8) || text(first).elementsEqual("exec".utf8) {
                throw Self.error("Missing parentheses in call to '\(string(first))'. Did you mean \(string(first))(...)?", first.line)
            }
            throw Self.error("invalid syntax", t.line)
        }
    }

    mutating func assignedValue(allowStar: Bool = false) throws(Failure) -> Expr {
        if try peekWord(.yield) { return try yieldExpression() }
        let v = try starExpressions()
        if !allowStar && v.kind == .starred { record(.compiler, "can't use starred expression here", v.line) }
        return v
    }

    static func nameForAugmented(_ e: Expr) -> String {
        switch e.kind {
        case .tuple: return "tuple"
        case .list: return "list"
        default: return e.kind.description
        }
    }
}
