/// Runs the lint rules over a project's revisions: replays the schema in upgrade order and judges
/// each selected revision's `upgrade()` against what existed before it.
public struct Linter: Sendable {
    public var settings: LintSettings
    /// The database dialect; dialect rules stay quiet when it is nil.
    public var dialect: LintDialect?
    /// Top-level packages found in the project's tree (a directory with `__init__.py`, or a module
    /// file, beside the config or above it): imports of these are the application's own code.
    public var applicationPackages: Set<String>

    public init(settings: LintSettings = LintSettings(), dialect: LintDialect?, applicationPackages: Set<String> = []) {
        self.settings = settings
        self.dialect = dialect
        self.applicationPackages = applicationPackages
    }

    /// Findings for the revisions in `selected` (all when nil), in upgrade order then line.
    /// - Parameters:
    ///   - scripts: each revision's script by graph index (a revision without one is skipped, and
    ///     leaves the tables it touches unknown).
    ///   - paths: how a revision's path is shown.
    public func lint(_ graph: RevisionGraph, scripts: [Int: MigrationScript], selected: Set<Int>? = nil,
                     paths: (String) -> String = { $0 }) -> [LintFinding]
    {
        let order: [Int] = ((try? graph.history()) ?? Array(0..<graph.count)).reversed()
        var replay = SchemaReplay()
        var findings: [LintFinding] = []
        for r in order {
            guard let script = scripts[r] else { continue }
            var context = RevisionContext(linter: self, revision: r, id: graph.id(r), path: paths(graph.revision(r).path), script: script)
            context.run(&replay)
            for w in script.suppressionWarnings {
                context.report(.suppression, line: w.line, w.message,
                               fix: "spell it '# revgraph: ignore[rule]' with a rule of 'revgraph lint --list-rules', or remove it")
            }
            if selected == nil || selected!.contains(r) { findings += context.findings }
        }
        return findings
    }
}

/// The lint of one revision: its operations applied to the replay, each checked as it comes.
struct RevisionContext {
    let linter: Linter
    let revision: Int
    let id: String
    let path: String
    let script: MigrationScript
    var findings: [LintFinding] = []
    /// Tables raw SQL or unreadable calls touched: rules that need to know the table stay quiet.
    var uncertain: Set<String> = []
    /// Unreadable code that may touch any table (non-literal SQL, `conn.execute(...)`).
    var everythingUncertain = false
    /// The words of the `UPDATE` statements seen so far in this upgrade (lower-cased), by the
    /// table they update, and of all of them: set lookups, so a long upgrade stays linear.
    var updateWords: [String: Set<String>] = [:]
    var allUpdateWords: Set<String> = []
    var drops: [(table: String, column: String, line: Int)] = []
    var adds: [(table: String, column: String, line: Int, type: TypeFamily?)] = []
    /// `new_column_name` values of this upgrade's alter_column calls.
    var renames: Set<String> = []

    init(linter: Linter, revision: Int, id: String, path: String, script: MigrationScript) {
        (self.linter, self.revision, self.id, self.path, self.script) = (linter, revision, id, path, script)
    }

    mutating func report(_ rule: LintRule, line: Int, _ message: String, fix: String) {
        guard let severity = linter.settings.severity(of: rule) else { return }
        if let d = rule.dialect, linter.dialect != d { return }
        if script.isSuppressed(rule.rawValue, line: line) { return }
        findings.append(LintFinding(rule: rule, severity: severity, revision: id, path: path, line: line, message: message, fix: fix))
    }

    /// Whether `table` existed before this revision, for certain.
    func existing(_ table: String?, replay: SchemaReplay) -> Bool {
        guard let table else { return false }
        if everythingUncertain || uncertain.contains(table.lowercased()) { return false }
        return !replay.isNew(table, in: revision)
    }

    mutating func run(_ replay: inout SchemaReplay) {
        // SQL lint cannot read makes every table of the revision uncertain.
        everythingUncertain = !script.opaqueSQL.isEmpty || script.upgrade.contains { $0.name == "execute" && Self.sql($0) == nil }
        for op in script.upgrade { apply(op, &replay) }
        // rename-as-drop-add: a drop and an add on one table in the same upgrade.
        // Each drop is paired with at most one add on the same table: one whose name contains the
        // other's (name → full_name) first, else the nearest, the earlier on a tie (autogenerate
        // writes the add before the drop).
        var used = [Bool](repeating: false, count: adds.count)
        var addsByTable: [String: [Int]] = [:]  // indices into adds, in line order
        var firstAdd: [String: Int] = [:]  // "table\0column" → line of its first add
        for (k, a) in adds.enumerated() {
            addsByTable[a.table.lowercased(), default: []].append(k)
            firstAdd[a.table.lowercased() + "\u{0}" + a.column] = firstAdd[a.table.lowercased() + "\u{0}" + a.column] ?? a.line
        }
        let downgradeTypes = Self.downgradeTypes(script)
        for d in drops {
            let table = d.table.lowercased()
            // A column added earlier in this same upgrade holds no data yet.
            if let added = firstAdd[table + "\u{0}" + d.column], added < d.line { continue }
            // Candidates: the unused adds on the table nearest the drop (at most 64 either side,
            // so an upgrade of thousands of drops and adds stays linear).
            let onTable = addsByTable[table] ?? []
            var low = 0, high = onTable.count
            while low < high {
                let mid = (low + high) / 2
                if adds[onTable[mid]].line < d.line { low = mid + 1 } else { high = mid }
            }
            let window = onTable[max(0, low - 64)..<min(onTable.count, low + 64)]
            let candidates = window.filter { !used[$0] && adds[$0].column != d.column }
            let related = candidates.filter { adds[$0].column.contains(d.column) || d.column.contains(adds[$0].column) }
            let pick = (related.isEmpty ? candidates : related).min { x, y in
                (abs(adds[x].line - d.line), adds[x].line) < (abs(adds[y].line - d.line), adds[y].line)
            }
            // The data was carried over (an UPDATE naming the old column, Python code in the upgrade,
            // or the new column renamed to the old name): a deliberate replacement, not a lost rename.
            let carried = allUpdateWords.contains(d.column.lowercased()) || !script.unknownCalls.isEmpty
                || renames.contains(d.column)
            // downgrade() re-adds the dropped column with its type: another kind of type is a
            // replacement (bracket VARCHAR → bracket_id INTEGER), not a rename.
            let retyped = pick.map { p in
                let old = downgradeTypes[table + "\u{0}" + d.column] ?? nil
                return old != nil && adds[p].type != nil && old != adds[p].type
            } ?? false
            if let pick, !carried, !retyped {
                let a = adds[pick]
                used[pick] = true
                report(.renameAsDropAdd, line: d.line,
                       "upgrade() drops \(d.table).\(d.column) and adds \(a.table).\(a.column): if this is a rename (autogenerate writes renames this way), every value of \(d.column) is lost",
                       fix: "op.alter_column('\(d.table)', '\(d.column)', new_column_name='\(a.column)')")
            } else {
                report(.dropColumn, line: d.line,
                       "op.drop_column deletes \(d.table).\(d.column) and its data; code of the previous release still reading it fails",
                       fix: "remove a column in two releases: stop using it first, drop it in a later release (# revgraph: ignore[drop-column] when intended)")
            }
        }
        if !script.upgradeIsTrivial, script.downgradeIsTrivial, !script.upgrade.isEmpty {
            report(.missingDowngrade, line: script.downgradeLine ?? script.upgradeLine ?? 1,
                   "upgrade() changes the schema but downgrade() does nothing: rolling back this revision cannot undo it",
                   fix: "write the inverse operations in downgrade(), or mark it irreversible on purpose: # revgraph: ignore[missing-downgrade] reason")
        }
        for i in script.imports where isApplicationImport(i.module) {
            if i.module == "." || linter.applicationPackages.contains(i.module) {
                report(.modelImport, line: i.line,
                       "the migration imports \(i.module == "." ? "a module of its own package" : "'\(i.module)'"), the application's own code: it breaks once the models move on, and running it imports the application",
                       fix: "declare what the migration needs inline (sa.table('t', sa.column('c'))), or allow the package: [revgraph.lint] allowed_imports = \(i.module)")
            } else {
                report(.modelImport, line: i.line,
                       "the migration imports '\(i.module)', a package besides alembic and sqlalchemy: every environment that runs the migrations must keep it installed and compatible, for as long as the revision exists",
                       fix: "use only alembic, sqlalchemy and the standard library in migrations, or allow the package: [revgraph.lint] allowed_imports = \(i.module)")
            }
        }
        if linter.dialect == .sqlite {
            for b in script.batches {
                let refs = replay.referencing(b.table).filter { $0 != b.table.lowercased() }
                guard !refs.isEmpty else { continue }
                report(.sqliteBatchForeignKeys, line: b.line,
                       "batch_alter_table('\(b.table)') recreates \(b.table) on SQLite (copy, drop, rename) and \(refs.joined(separator: ", ")) reference it: with foreign keys on, the drop fails or cascades; off, the references are not checked",
                       fix: "turn foreign keys off around the batch (op.execute('PRAGMA foreign_keys=OFF') before, 'PRAGMA foreign_key_check' and ON after), or alter without a batch")
            }
        }
        findings.sort { ($0.line, $0.rule) < ($1.line, $1.rule) }
    }

    /// Packages migrations may import besides the standard library.
    static let allowedPackages: Set<String> = ["alembic", "sqlalchemy", "typing_extensions", "sqlmodel", "geoalchemy2", "sqlalchemy_utils"]

    func isApplicationImport(_ module: String) -> Bool {
        if module == "." { return true }
        return !StandardLibrary.modules.contains(module) && !Self.allowedPackages.contains(module)
            && !linter.settings.allowedImports.contains(module)
    }

    /// The literal SQL of an `op.execute('…')` or `op.execute(sa.text('…'))`.
    static func sql(_ op: MigrationScript.Operation) -> String? {
        guard let first = op.call.arguments.first ?? op.call.keyword("sqltext") else { return nil }
        if let s = first.stringValue { return s }
        if first.calleeName == "text", let s = first.callValue?.arguments.first?.stringValue { return s }
        return nil
    }

    /// The table an `op.X(...)` call names at `position` (or its batch's table).
    static func table(_ op: MigrationScript.Operation, position: Int, keyword: String = "table_name") -> String? {
        if let t = op.batchTable { return t }
        if let k = op.call.keyword(keyword)?.stringValue { return k }
        return position < op.call.arguments.count ? op.call.arguments[position].stringValue : nil
    }

    /// The type family of each column downgrade() adds back, by "table\0column" (the first add wins).
    static func downgradeTypes(_ script: MigrationScript) -> [String: TypeFamily?] {
        var out: [String: TypeFamily?] = [:]
        for op in script.downgrade where op.name == "add_column" {
            guard let table = (op.batchTable ?? op.call.arguments.first?.stringValue)?.lowercased(),
                  let c = argument(op, 0).flatMap(ColumnDeclaration.init), let name = c.name
            else { continue }
            let key = table + "\u{0}" + name
            if out[key] == nil { out[key] = .some(c.type) }
        }
        return out
    }

    /// The table of calls that take a name first (`create_index(name, table, ...)`), or the batch's.
    static func tableAfterName(_ op: MigrationScript.Operation) -> String? {
        op.batchTable ?? op.call.keyword("table_name")?.stringValue
            ?? (op.call.arguments.count > 1 ? op.call.arguments[1].stringValue : nil)
    }

    /// A positional argument, counting from after the table for `op` calls with the table first.
    static func argument(_ op: MigrationScript.Operation, _ index: Int, tableFirst: Bool = true) -> PythonExpression? {
        let i = op.batchTable == nil && tableFirst ? index + 1 : index
        return i < op.call.arguments.count ? op.call.arguments[i] : nil
    }

    mutating func apply(_ op: MigrationScript.Operation, _ replay: inout SchemaReplay) {
        let call = op.call
        switch op.name {
        case "create_table":
            guard let t = call.arguments.first?.stringValue else { return }
            var refs: [String] = []
            var notNull: Set<String> = []
            for a in call.arguments.dropFirst() {
                if let c = ColumnDeclaration(a) {
                    refs += c.references
                    if !c.nullable, let n = c.name { notNull.insert(n) }
                }
                if a.calleeName == "PrimaryKeyConstraint" {
                    notNull.formUnion(a.callValue?.arguments.compactMap(\.stringValue) ?? [])
                }
                if a.calleeName == "ForeignKeyConstraint", let targets = a.callValue?.arguments.dropFirst().first,
                   case .sequence(let items) = targets
                {
                    refs += items.compactMap { $0.stringValue.flatMap(ColumnDeclaration.table(ofColumnReference:)) }
                }
            }
            replay.created(t, in: revision, references: refs)
            replay.markNotNull(t, notNull)
        case "drop_table":
            guard let t = call.arguments.first?.stringValue ?? call.keyword("table_name")?.stringValue else { return }
            if existing(t, replay: replay) {
                report(.dropTable, line: op.line,
                       "op.drop_table('\(t)') deletes the table and every row in it; code of the previous release still using it fails",
                       fix: "remove a table in two releases: stop using it first, drop it in a later release, with a backup (# revgraph: ignore[drop-table] when intended)")
            }
            replay.dropped(t)
        case "rename_table":
            if let old = call.arguments.first?.stringValue, let new = call.arguments.dropFirst().first?.stringValue {
                replay.renamed(old, to: new)
            }
        case "add_column":
            guard let t = Self.table(op, position: 0), let column = Self.argument(op, 0).flatMap(ColumnDeclaration.init) else {
                if let t = Self.table(op, position: 0) { uncertain.insert(t.lowercased()) }
                return
            }
            for r in column.references { replay.reference(from: t, to: r) }
            if !column.nullable, let n = column.name { replay.markNotNull(t, [n]) }
            if let name = column.name { adds.append((t, name, op.line, column.type)) }
            if !column.nullable, !column.hasServerDefault, existing(t, replay: replay) {
                report(.addNotNullWithoutDefault, line: op.line,
                       "adds NOT NULL column \(t).\(column.name ?? "?") without a server_default to a table that already exists: the upgrade fails on its existing rows (or rewrites the table)",
                       fix: "add it nullable, backfill it (op.execute(\"UPDATE \(t) SET \(column.name ?? "col") = ...\")), then op.alter_column('\(t)', '\(column.name ?? "col")', nullable=False); or give it server_default=...")
            }
        case "drop_column":
            guard let t = Self.table(op, position: 0),
                  let c = Self.argument(op, 0)?.stringValue ?? call.keyword("column_name")?.stringValue
            else { return }
            if existing(t, replay: replay) { drops.append((t, c, op.line)) }
        case "alter_column":
            guard let t = Self.table(op, position: 0),
                  let c = Self.argument(op, 0)?.stringValue ?? call.keyword("column_name")?.stringValue
            else { return }
            if let new = call.keyword("new_column_name")?.stringValue { renames.insert(new) }
            guard existing(t, replay: replay) else { return }
            // Already NOT NULL (declared so, or a primary key): nothing for the rule to find.
            let alreadyNotNull = call.keyword("existing_nullable")?.boolValue == false || replay.isNotNull(t, c)
            if call.keyword("nullable")?.boolValue == false, !alreadyNotNull {
                let hasDefault = call.keyword("server_default").map { $0 != .none && $0 != .bool(false) } ?? false
                let backfilled = updateWords[t.lowercased()]?.contains(c.lowercased()) == true
                if !hasDefault, !backfilled {
                    report(.setNotNull, line: op.line,
                           "makes \(t).\(c) NOT NULL on an existing table with no backfill before it in this revision: fails if any row holds NULL, and scans the table under an exclusive lock",
                           fix: "backfill first in this revision (op.execute(\"UPDATE \(t) SET \(c) = ... WHERE \(c) IS NULL\")); on PostgreSQL, add CHECK (\(c) IS NOT NULL) NOT VALID, VALIDATE it, then set NOT NULL")
                }
            }
            if let type = call.keyword("type_"), type != .none {
                report(.columnTypeChange, line: op.line,
                       "changes the type of \(t).\(c) on an existing table: most type changes rewrite the table under an exclusive lock, and a narrower type truncates or fails",
                       fix: "add a column of the new type, backfill it, move the code over, then drop the old column in a later release")
            }
        case "create_index":
            let t = Self.tableAfterName(op)
            let concurrently = call.keyword("postgresql_concurrently")?.boolValue == true
            checkConcurrently(op, concurrently: concurrently)
            guard let t, existing(t, replay: replay) else { return }
            let name = call.arguments.first?.stringValue ?? call.arguments.first?.callValue?.arguments.first?.stringValue ?? "the index"
            if call.keyword("unique")?.boolValue == true {
                report(.uniqueOnExistingTable, line: op.line,
                       "creates unique index \(name) on existing table \(t): it blocks writes while it builds and fails if duplicates exist",
                       fix: "check for duplicates first; on PostgreSQL build it with postgresql_concurrently=True in an autocommit block")
            }
            if !concurrently {
                report(.indexWithoutConcurrently, line: op.line,
                       "creates index \(name) on existing table \(t) without CONCURRENTLY: writes to \(t) are blocked while it builds",
                       fix: "with op.get_context().autocommit_block(): op.create_index(..., postgresql_concurrently=True)")
            }
        case "drop_index":
            checkConcurrently(op, concurrently: call.keyword("postgresql_concurrently")?.boolValue == true)
        case "create_foreign_key":
            let source = op.batchTable ?? call.keyword("source_table")?.stringValue
                ?? (call.arguments.count > 1 ? call.arguments[1].stringValue : nil)
            let referent = call.keyword("referent_table")?.stringValue
                ?? (op.batchTable == nil ? (call.arguments.count > 2 ? call.arguments[2].stringValue : nil)
                    : (call.arguments.count > 1 ? call.arguments[1].stringValue : nil))
            if let source, let referent { replay.reference(from: source, to: referent) }
            guard let source, existing(source, replay: replay), call.keyword("postgresql_not_valid")?.boolValue != true else { return }
            report(.foreignKeyWithoutNotValid, line: op.line,
                   "adds a foreign key on existing table \(source) without NOT VALID: every row is checked while both tables are locked",
                   fix: "create it with postgresql_not_valid=True, then validate it in a later revision: op.execute('ALTER TABLE \(source) VALIDATE CONSTRAINT <name>')")
        case "create_unique_constraint":
            let t = Self.tableAfterName(op)
            guard let t, existing(t, replay: replay) else { return }
            report(.uniqueOnExistingTable, line: op.line,
                   "adds a unique constraint on existing table \(t): it blocks writes while the index builds and fails if duplicates exist",
                   fix: "check for duplicates first; on PostgreSQL create a unique index CONCURRENTLY in an autocommit block, then ADD CONSTRAINT ... UNIQUE USING INDEX")
        case "execute":
            guard let sql = Self.sql(op) else { return }
            readSQL(sql, op: op, &replay)
        case "get_bind", "get_context", "f", "inline_literal":
            break
        default:
            // An operation lint does not model: the table it names is no longer certain.
            if let t = call.arguments.first?.stringValue { uncertain.insert(t.lowercased()) }
            if let t = op.batchTable { uncertain.insert(t.lowercased()) }
        }
    }

    mutating func checkConcurrently(_ op: MigrationScript.Operation, concurrently: Bool) {
        guard concurrently, !op.inAutocommit else { return }
        report(.concurrentlyInTransaction, line: op.line,
               "postgresql_concurrently=True inside the migration's transaction: PostgreSQL refuses CONCURRENTLY in a transaction block and the upgrade fails",
               fix: "wrap the call in: with op.get_context().autocommit_block():")
    }

    /// Literal SQL: the tables it names become uncertain; UPDATE/DELETE without WHERE is reported.
    mutating func readSQL(_ sql: String, op: MigrationScript.Operation, _ replay: inout SchemaReplay) {
        for statement in sql.split(separator: ";") {
            let words = statement.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ")" || $0 == "," })
                .map { String($0).trimmingCharacters(in: "\"`[]") }
            guard let verb = words.first else { continue }
            if verb == "update", words.count > 1 {
                // The table (without a schema) and every identifier-like word of the statement.
                let table = String(words[1].split(separator: ".").last ?? "")
                let identifiers = statement.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
                updateWords[table, default: []].formUnion(identifiers)
                allUpdateWords.formUnion(identifiers)
            }
            if verb == "create", let i = words.firstIndex(of: "table"), i + 1 < words.count {
                var name = words[i + 1]
                if name == "if", i + 4 < words.count { name = words[i + 4] }
                replay.created(name, in: revision, references: [])
            }
            if verb == "create", words.contains("concurrently"), !op.inAutocommit { checkConcurrently(op, concurrently: true) }
            // DDL lint cannot model makes the tables it names uncertain; data statements do not.
            if ["alter", "drop", "create", "rename", "truncate", "comment"].contains(verb) {
                for w in words where replay.tables[w] != nil { uncertain.insert(w) }
            }
            if verb == "update" || verb == "delete", !words.contains("where") {
                let table = verb == "update" ? (words.count > 1 ? words[1] : "?") : (words.firstIndex(of: "from").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? "?")
                report(.unboundedDataChange, line: op.line,
                       "op.execute runs \(verb.uppercased()) without WHERE: it changes every row of \(table) in one transaction, holding its locks throughout",
                       fix: "add a WHERE clause, or change the rows in batches (in a separate data migration)")
            }
        }
    }
}

extension String {
    /// The string without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
