/// One Django migration file as the loader sees it: its key and the attributes of its
/// `Migration` class that shape the graph, read without importing anything.
public struct DjangoMigration: Sendable, Equatable {
    /// An entry of `dependencies`.
    public enum Dependency: Sendable, Equatable, Hashable {
        /// `("app", "0001_initial")`, `("app", "__first__")` or `("app", "__latest__")`.
        case key(DjangoKey)
        /// `migrations.swappable_dependency(settings.NAME)`: the first migration of the app the
        /// setting's model lives in.
        case swappable(setting: String)
    }

    public var key: DjangoKey
    /// The path to show for the file.
    public var path: String
    /// 1-based line of `class Migration`.
    public var line: Int
    public var dependencies: [Dependency] = []
    /// `replaces`: the migrations a squashed migration stands for.
    public var replaces: [DjangoKey] = []
    /// `run_before`: migrations that must run after this one.
    public var runBefore: [DjangoKey] = []
    /// `initial = True`.
    public var initial = false
    /// How many entries `operations` lists, when it is a list revgraph can count.
    public var operationCount: Int?

    public init(key: DjangoKey, path: String, line: Int = 1) {
        self.key = key
        self.path = path
        self.line = line
    }
}

/// Reads Django migration files statically.
public enum DjangoMigrationReader {
    /// What one file yielded: a migration (possibly with warnings) or only problems.
    public struct Outcome: Sendable {
        public var migration: DjangoMigration?
        public var problems: [GraphProblem]
        public init(migration: DjangoMigration?, problems: [GraphProblem]) {
            self.migration = migration
            self.problems = problems
        }
    }

    /// Django's module filter (`pkgutil.iter_modules`, then names not starting with `_` or `~`):
    /// `<name>.py` with no other dot in the name. (Compiled `.pyc` or extension modules beside
    /// them are not read.)
    public static func isMigrationFileName(_ name: String) -> Bool {
        guard name.hasSuffix(".py"), name.count > 3, let first = name.first else { return false }
        return first != "_" && first != "~" && !name.dropLast(3).contains(".")
    }

    /// Whether `s` can be a Python module name (what `pkgutil.iter_modules` would list).
    public static func isIdentifierLike(_ s: Substring) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// Reads the file at `path` of app `app`; its migration name is the file name without `.py`.
    public static func read(app: String, name: String, path: String, bytes: [UInt8]) -> Outcome {
        let outcome = readTokens(app: app, name: name, path: path, bytes: bytes)
        // A file Python cannot compile is an import error at CPython's line, whatever the reader saw.
        let earlier = outcome.problems.first { $0.kind == .parseError }.map { $0.line ?? 1 }
        guard let failure = PythonSyntaxCheck.failure(bytes, before: earlier) else { return outcome }
        return Outcome(migration: nil, problems: [GraphProblem(
            kind: .parseError, path: path, line: failure.line, revisions: ["\(app).\(name)"],
            message: "\(failure.message) in '\(path)': Python cannot import it", fix: "correct the file's syntax")])
    }

    static func readTokens(app: String, name: String, path: String, bytes: [UInt8]) -> Outcome {
        // The common case, ASCII without a coding cookie, is lexed from the bytes as they are.
        var lexer: PythonLexer
        if MigrationParser.isPlainASCII(bytes) {
            lexer = PythonLexer(utf8: bytes)
        } else {
            switch MigrationParser.decodeSource(bytes) {
            case .success(let t): lexer = PythonLexer(t)
            case .failure(let why):
                return Outcome(migration: nil, problems: [GraphProblem(
                    kind: .parseError, path: path, line: why.line, revisions: ["\(app).\(name)"],
                    message: "\(why.detail) in '\(path)': Python cannot import it",
                    fix: "save the file as UTF-8 (or declare its encoding: # -*- coding: latin-1 -*-)")])
            }
        }
        return read(app: app, name: name, path: path, lexer: &lexer)
    }

    static func read(app: String, name: String, path: String, lexer: inout PythonLexer) -> Outcome {
        let lines: [PythonLogicalLine]
        do { lines = try lexer.logicalLines(bodies: true) } catch {
            return Outcome(migration: nil, problems: [GraphProblem(
                kind: .parseError, path: path, line: error.line, revisions: ["\(app).\(name)"],
                message: "\(error.detail) in '\(path)': Python cannot import it", fix: "correct the file's syntax")])
        }
        return read(app: app, name: name, path: path, lines: lines)
    }

    static func read(app: String, name: String, path: String, lines: [PythonLogicalLine]) -> Outcome {
        let key = DjangoKey(app, name)
        var problems: [GraphProblem] = []
        func problem(_ kind: GraphProblem.Kind, line: Int, _ message: String, fix: String) {
            problems.append(GraphProblem(kind: kind, path: path, line: line, revisions: [key.description],
                                         message: message, fix: fix))
        }
        // A South migration (Django before 1.7) imports south, which Django's loader cannot import.
        if let south = lines.first(where: { l in
            l.indent == 0 && ((l.tokens.first == .name("from") && l.tokens.dropFirst().first == .name("south"))
                || (l.tokens.first == .name("import") && l.tokens.dropFirst().first == .name("south")))
        }) {
            problem(.parseError, line: south.line,
                    "'\(path)' is a South migration (it imports south, as migrations before Django 1.7 did): Django's migrate cannot import it",
                    fix: "move South's migrations out of the migrations package (South can read them from south_migrations/), or delete them once every database is past them")
            return Outcome(migration: nil, problems: problems)
        }
        // The last module-level binding of `Migration` wins, as in Python.
        var classLine: Int?
        var classIndex = 0
        var otherBinding: Int?
        for (i, l) in lines.enumerated() where l.indent == 0 {
            let t = l.tokens
            if t.count >= 3, t[0] == .name("class"), t[1] == .name("Migration"), t[2] == .op("(") || t[2] == .op(":") {
                classLine = l.line
                classIndex = i
                otherBinding = nil
            } else if t.first == .name("Migration"), t.count > 1, t[1] == .op("=") {
                otherBinding = l.line
            } else if t.first == .name("from") || t.first == .name("import"),
                      let imp = t.lastIndex(of: .name("import")), t[(imp + 1)...].contains(.name("Migration")) {
                otherBinding = l.line  // `from x import Migration` binds it
            }
        }
        if let other = otherBinding {
            problem(.nonLiteralValue, line: other,
                    "'\(path)' binds Migration to something other than a class revgraph can read",
                    fix: "define `class Migration(migrations.Migration):` in the file itself")
            return Outcome(migration: nil, problems: problems)
        }
        guard let classLine else {
            problem(.parseError, line: 1, "Migration \(name) in app \(app) has no Migration class ('\(path)')",
                    fix: "define `class Migration(migrations.Migration):`, or rename the file to start with `_` if it is not a migration")
            return Outcome(migration: nil, problems: problems)
        }
        var migration = DjangoMigration(key: key, path: path, line: classLine)
        let attributes: Set<String> = ["dependencies", "replaces", "run_before", "initial", "operations"]
        // The classes whose attributes Migration has: itself, then the bases defined in this file
        // (followed to Django's migrations.Migration); a base from elsewhere cannot be read.
        var chain: [Int] = [classIndex]
        while chain.count <= 16 {
            let header = lines[chain.last!]
            let bases = Self.bases(header.tokens)
            if bases.isEmpty || bases == ["migrations.Migration"] || bases == ["django.db.migrations.Migration"] { break }
            guard bases.count == 1, !bases[0].contains("."),
                  let defined = lines[..<chain.last!].lastIndex(where: { $0.indent == 0 && $0.tokens.count >= 2 && $0.tokens[0] == .name("class") && $0.tokens[1] == .name(bases[0]) })
            else {
                problem(.nonLiteralValue, line: header.line,
                        "'\(path)': class \(Self.className(header.tokens)) derives from \(bases.joined(separator: ", ")), which is not defined in this file, so revgraph cannot read the dependencies it inherits",
                        fix: "derive Migration from migrations.Migration and write its attributes in the file")
                return Outcome(migration: nil, problems: problems)
            }
            chain.append(defined)
        }
        // Module-level statements that change the class afterwards (`Migration.dependencies = …`).
        let classNames = Set(chain.map { Self.className(lines[$0].tokens) })
        for l in lines where l.indent == 0 {
            let t = l.tokens
            guard t.count >= 3, case .name(let owner) = t[0], classNames.contains(owner), t[1] == .op("."),
                  case .name(let attribute) = t[2], attributes.contains(attribute) else { continue }
            problem(.nonLiteralValue, line: l.line,
                    "'\(path)': \(owner).\(attribute) is changed at module level, which revgraph cannot follow (Django reads the changed value)",
                    fix: "write \(attribute) once, as a literal list in the class body")
        }
        // Base first: an attribute of the class itself replaces the inherited one, as in Python.
        for index in chain.reversed() {
            for (statement, line, nested) in Self.body(of: index, in: lines) {
                guard case .name(let attribute)? = statement.first, attributes.contains(attribute) else { continue }
                if nested {
                    problem(.nonLiteralValue, line: line,
                            "'\(path)': \(attribute) is assigned inside a block of the class body (an if, for, try or with), which revgraph cannot follow",
                            fix: "assign \(attribute) once, at the class body's own level, as a literal")
                    continue
                }
                apply(attribute, statement, line: line)
            }
        }
        func apply(_ attribute: String, _ t: [PythonToken], line: Int) {
            if t.count > 1, t[1] == .op(".") {
                problem(.nonLiteralValue, line: line, "'\(path)': \(attribute) is changed by a call (\(attribute).\(t.count > 2 ? Self.render(.name(Self.nameText(t[2]))) : "…")(…)), which revgraph cannot follow",
                        fix: "assign \(attribute) once, as a literal list")
                return
            }
            guard let eq = t.firstIndex(of: .op("=")), PythonToken.nesting(t[..<eq]) == 0,
                  t[1] == .op("=") || t[1] == .op(":") else {
                if t.count > 1, case .op(let o) = t[1], o.hasSuffix("=") {
                    problem(.nonLiteralValue, line: line, "'\(path)': \(attribute) is changed with `\(o)`, which revgraph cannot follow",
                            fix: "assign \(attribute) once, as a literal list")
                }
                return
            }
            let l = (line: line, tokens: t)
            if attribute == "operations" {
                // Counted, not parsed: `[ … ]` split at its top-level commas.
                let rhs = t[(eq + 1)...]
                if rhs.first == .op("["), PythonExpression.closing(rhs, from: rhs.startIndex) == rhs.endIndex - 1 {
                    migration.operationCount = PythonExpression.splitArguments(rhs.dropFirst().dropLast()).count
                } else {
                    migration.operationCount = nil
                }
                return
            }
            let value = PythonExpression.parse(t[(eq + 1)...])
            switch attribute {
            case "initial":
                if let b = value.boolValue { migration.initial = b } else if value == .none { migration.initial = false } else {
                    problem(.nonLiteralValue, line: l.line, "'\(path)': initial is not True or False",
                            fix: "write `initial = True`")
                }
            case "dependencies":
                migration.dependencies = []
                guard case .sequence(let items) = value else {
                    problem(.nonLiteralValue, line: l.line, "'\(path)': revgraph cannot read dependencies statically",
                            fix: "write dependencies as a list of ('app_label', 'migration_name') tuples")
                    return
                }
                for item in items {
                    if let k = keyValue(item) {
                        migration.dependencies.append(.key(k))
                    } else if case .call(let c) = item, c.callee.split(separator: ".").last == "swappable_dependency",
                              c.arguments.count == 1, case .name(let setting) = c.arguments[0],
                              setting.hasPrefix("settings."), !setting.dropFirst(9).contains(".")
                    {
                        migration.dependencies.append(.swappable(setting: String(setting.dropFirst(9))))
                    } else {
                        problem(.nonLiteralValue, line: l.line,
                                "'\(path)': a dependency of \(key) is not a literal revgraph can read: \(render(item))",
                                fix: "write it as ('app_label', 'migration_name') or migrations.swappable_dependency(settings.NAME)")
                    }
                }
            default:  // replaces, run_before
                var keys: [DjangoKey] = []
                if case .sequence(let items) = value {
                    for item in items {
                        if let k = keyValue(item) { keys.append(k) } else {
                            problem(.nonLiteralValue, line: l.line,
                                    "'\(path)': an entry of \(attribute) is not a literal revgraph can read: \(render(item))",
                                    fix: "write it as ('app_label', 'migration_name')")
                        }
                    }
                } else {
                    problem(.nonLiteralValue, line: l.line, "'\(path)': revgraph cannot read \(attribute) statically",
                            fix: "write \(attribute) as a list of ('app_label', 'migration_name') tuples")
                }
                if attribute == "replaces" { migration.replaces = keys } else { migration.runBefore = keys }
            }
        }
        return Outcome(migration: migration, problems: problems)
    }

    /// `("app", "name")` or `["app", "name"]`.
    /// The bases of a `class Name(…):` header, as dotted names (`migrations.Migration`); empty without parentheses.
    static func bases(_ t: [PythonToken]) -> [String] {
        guard t.count > 3, t[2] == .op("("), let close = PythonExpression.closing(t[...], from: 2) else { return [] }
        return PythonExpression.splitArguments(t[3..<close]).map { $0.map(nameText).joined() }
    }

    static func className(_ t: [PythonToken]) -> String { t.count > 1 ? nameText(t[1]) : "?" }

    static func nameText(_ t: PythonToken) -> String {
        switch t {
        case .name(let n), .op(let n), .number(let n): return n
        case .string(let s, _, _): return "'\(s)'"
        }
    }

    /// The statements of the class body at `index`: each with its line, and whether it is inside
    /// a nested block (an `if`, `for`, `try`, `with`; a `def`'s body is the function's own). A
    /// one-line body (`class Migration(...): dependencies = [...]`) is its statements after the colon.
    static func body(of index: Int, in lines: [PythonLogicalLine]) -> [(tokens: [PythonToken], line: Int, nested: Bool)] {
        let header = lines[index]
        var out: [(tokens: [PythonToken], line: Int, nested: Bool)] = []
        // The header's own colon: the first one outside brackets.
        var depth = 0
        var colon: Int?
        for (i, t) in header.tokens.enumerated() {
            depth += t.bracketDelta
            if t == .op(":"), depth == 0 { colon = i; break }
        }
        if let colon, colon + 1 < header.tokens.count {
            for statement in header.tokens[(colon + 1)...].split(separator: .op(";")) where !statement.isEmpty {
                out.append((Array(statement), header.line, false))
            }
            return out
        }
        var bodyIndent: Int?
        var inFunction: Int?  // the indentation of a `def` of the body, while in its block
        for l in lines[(index + 1)...] {
            if l.indent <= header.indent { break }
            if bodyIndent == nil { bodyIndent = l.indent }
            if let f = inFunction, l.indent > f { continue }
            inFunction = nil
            if l.tokens.first == .name("def") || (l.tokens.first == .name("async") && l.tokens.dropFirst().first == .name("def")) {
                inFunction = l.indent
                continue
            }
            out.append((l.tokens, l.line, l.indent != bodyIndent))
        }
        return out
    }

    static func keyValue(_ e: PythonExpression) -> DjangoKey? {
        guard case .sequence(let pair) = e, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue
        else { return nil }
        return DjangoKey(a, b)
    }

    static func render(_ e: PythonExpression) -> String {
        switch e {
        case .unknown(let s): return s.isEmpty ? "(empty)" : String(s.prefix(80))
        case .string(let s): return "'\(s.prefix(80))'"
        case .name(let n): return n
        case .call(let c): return "\(c.callee)(…)"
        case .sequence(let items): return "(" + items.map(render).joined(separator: ", ") + ")"
        case .number(let n): return n
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        }
    }
}
