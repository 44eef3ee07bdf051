import RevgraphCore
import Testing

/// Each rule fires on a minimal revision that has the danger and stays quiet on its safe twin.
@Suite struct LintRuleTests {
    /// A base revision creating `users(id, email)` and `orders(id, user_id → users.id)`, then
    /// one revision with `body` as its upgrade() (and `downgrade` as its downgrade()).
    func lint(_ body: String, downgrade: String = "    op.drop_column('users', 'x')\n", header: String = "",
              dialect: LintDialect? = .postgresql, settings: LintSettings = LintSettings()) -> [LintFinding]
    {
        let base = """
            from alembic import op
            import sqlalchemy as sa
            revision = 'a1'
            down_revision = None
            def upgrade():
                op.create_table('users', sa.Column('id', sa.Integer, primary_key=True), sa.Column('email', sa.String(255)))
                op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True),
                                sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False))
            def downgrade():
                op.drop_table('orders')
                op.drop_table('users')

            """
        let next = """
            from alembic import op
            import sqlalchemy as sa
            \(header)
            revision = 'b1'
            down_revision = 'a1'


            def upgrade():
            \(body)

            def downgrade():
            \(downgrade)
            """
        var revisions: [Revision] = []
        var scripts: [Int: MigrationScript] = [:]
        for (i, (name, text)) in [("a1_base.py", base), ("b1_next.py", next)].enumerated() {
            let outcome = MigrationParser.parse(path: name, fileName: name, text: text)
            revisions.append(outcome.revision!)
            scripts[i] = MigrationScript.read(Array(text.utf8))
        }
        let graph = RevisionGraph(revisions: revisions)
        let b1 = graph.index["b1"]!
        return Linter(settings: settings, dialect: dialect).lint(graph, scripts: scripts, selected: [b1])
    }

    func rules(_ findings: [LintFinding]) -> [String] { findings.map(\.rule.rawValue) }

    /// (rule, dangerous upgrade body, its safe twin)
    static let cases: [(LintRule, String, String)] = [
        (.dropTable, "    op.drop_table('orders')",
         "    op.create_table('tmp', sa.Column('id', sa.Integer))\n    op.drop_table('tmp')"),
        (.dropColumn, "    op.drop_column('users', 'email')",
         "    op.add_column('users', sa.Column('x', sa.Integer))\n    op.drop_column('users', 'x')"),
        (.renameAsDropAdd, "    op.add_column('users', sa.Column('email_address', sa.String(255)))\n    op.drop_column('users', 'email')",
         "    op.alter_column('users', 'email', new_column_name='email_address')"),
        (.addNotNullWithoutDefault, "    op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))",
         "    op.add_column('users', sa.Column('age', sa.Integer(), nullable=False, server_default='0'))"),
        (.setNotNull, "    op.alter_column('users', 'email', nullable=False)",
         "    op.execute(\"UPDATE users SET email = '' WHERE email IS NULL\")\n    op.alter_column('users', 'email', nullable=False)"),
        (.columnTypeChange, "    op.alter_column('users', 'email', type_=sa.String(100))",
         "    op.create_table('t', sa.Column('c', sa.String(10)))\n    op.alter_column('t', 'c', type_=sa.String(100))"),
        (.indexWithoutConcurrently, "    op.create_index('ix_email', 'users', ['email'])",
         "    with op.get_context().autocommit_block():\n        op.create_index('ix_email', 'users', ['email'], postgresql_concurrently=True)"),
        (.concurrentlyInTransaction, "    op.create_index('ix_email', 'users', ['email'], postgresql_concurrently=True)",
         "    with op.get_context().autocommit_block():\n        op.create_index('ix_email', 'users', ['email'], postgresql_concurrently=True)"),
        (.foreignKeyWithoutNotValid, "    op.create_foreign_key('fk', 'orders', 'users', ['user_id'], ['id'])",
         "    op.create_foreign_key('fk', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)"),
        (.uniqueOnExistingTable, "    op.create_unique_constraint('uq_email', 'users', ['email'])",
         "    op.create_table('t', sa.Column('c', sa.String(10)))\n    op.create_unique_constraint('uq_c', 't', ['c'])"),
        (.unboundedDataChange, "    op.execute('UPDATE users SET email = lower(email)')",
         "    op.execute(\"UPDATE users SET email = lower(email) WHERE email <> lower(email)\")"),
    ]

    @Test(arguments: cases.indices)
    func ruleFiresOnTheDangerAndNotOnItsSafeTwin(index: Int) {
        let (rule, danger, safe) = Self.cases[index]
        let fired = lint(danger)
        #expect(rules(fired).contains(rule.rawValue), "\(rule.rawValue) on:\n\(danger)\nfound: \(rules(fired))")
        let quiet = lint(safe)
        #expect(!rules(quiet).contains(rule.rawValue), "\(rule.rawValue) on its safe twin:\n\(safe)\nfound: \(rules(quiet))")
        if let f = fired.first(where: { $0.rule == rule }) {
            #expect(f.path == "b1_next.py" && f.revision == "b1" && f.line > 0 && !f.fix.isEmpty)
        }
    }

    @Test func missingDowngrade() {
        #expect(rules(lint("    op.drop_column('users', 'email')", downgrade: "    pass\n")).contains("missing-downgrade"))
        #expect(rules(lint("    op.drop_column('users', 'email')", downgrade: "    raise NotImplementedError()\n")).contains("missing-downgrade"))
        #expect(!rules(lint("    op.drop_column('users', 'email')", downgrade: "    op.add_column('users', sa.Column('email', sa.String(255)))\n"))
            .contains("missing-downgrade"))
        // Nothing to undo: an empty upgrade needs no downgrade.
        #expect(!rules(lint("    pass", downgrade: "    pass\n")).contains("missing-downgrade"))
    }

    @Test func modelImport() {
        #expect(rules(lint("    pass", header: "from myapp.models import User")).contains("model-import"))
        #expect(rules(lint("    pass", header: "from . import helpers")).contains("model-import"))
        #expect(!rules(lint("    pass", header: "import datetime\nfrom sqlalchemy.dialects import postgresql")).contains("model-import"))
        var settings = LintSettings()
        settings.allowedImports = ["myapp"]
        #expect(!rules(lint("    pass", header: "from myapp.models import User", settings: settings)).contains("model-import"))
    }

    @Test func sqliteBatchOnAReferencedTable() {
        let body = "    with op.batch_alter_table('users') as batch_op:\n        batch_op.add_column(sa.Column('x', sa.Integer))"
        #expect(rules(lint(body, dialect: .sqlite)).contains("sqlite-batch-foreign-keys"))
        // orders references users, not the other way round.
        let safe = "    with op.batch_alter_table('orders') as batch_op:\n        batch_op.add_column(sa.Column('x', sa.Integer))"
        #expect(!rules(lint(safe, dialect: .sqlite)).contains("sqlite-batch-foreign-keys"))
        // A dialect rule stays quiet on another database, and when the dialect is unknown.
        #expect(!rules(lint(body, dialect: .postgresql)).contains("sqlite-batch-foreign-keys"))
        #expect(!rules(lint("    op.create_index('ix', 'users', ['email'])", dialect: nil)).contains("index-without-concurrently"))
    }

    @Test func batchFormsAreRead() {
        let body = """
                with op.batch_alter_table('users') as batch_op:
                    batch_op.add_column(sa.Column('age', sa.Integer(), nullable=False))
                    batch_op.alter_column('email', type_=sa.Text())
            """
        let found = rules(lint(body))
        #expect(found.contains("add-not-null-without-default"))
        #expect(found.contains("column-type-change"))
    }

    @Test func suppressionOnTheLineOrTheLineBeforeAndPerFile() {
        #expect(!rules(lint("    op.drop_table('orders')  # revgraph: ignore[drop-table] moved to billing")).contains("drop-table"))
        #expect(!rules(lint("    # revgraph: ignore[drop-table] moved to billing\n    op.drop_table('orders')")).contains("drop-table"))
        // Another rule's suppression does not hide this one.
        #expect(rules(lint("    op.drop_table('orders')  # revgraph: ignore[drop-column]")).contains("drop-table"))
        #expect(!rules(lint("    op.drop_table('orders')", header: "# revgraph: ignore-file[drop-table]")).contains("drop-table"))
    }

    /// Only `ignore[…]` and `ignore-file[…]` in a comment token suppress; every near miss is a
    /// `suppression` warning at its line and silences nothing.
    @Test(arguments: ["# revgraph: ignore-files[drop-table]", "# revgraph: ignore-file [drop-table]", "# revgraph: ignore-file: moved",
                      "# revgraph: ignored[drop-table]", "# revgraph: ignore[]", "# revgraph: ignore[drop-table", "# revgraph:ignorefile"])
    func aMalformedSuppressionIsAWarningAndSilencesNothing(_ comment: String) {
        let findings = lint("    op.drop_table('orders')", header: comment)
        #expect(rules(findings).contains("drop-table"), "\(comment)")
        #expect(findings.contains { $0.rule == .suppression && $0.message.contains("silences nothing") }, "\(comment): \(findings)")
    }

    @Test func aSuppressionInAStringOrDocstringIsNotOne() {
        let inDocstring = lint("    op.drop_table('orders')", header: "\"\"\"Notes.\n\n# revgraph: ignore-file[drop-table]\n\"\"\"")
        #expect(rules(inDocstring).contains("drop-table"))
        let inString = lint("    op.drop_table('orders'); x = '# revgraph: ignore[drop-table]'")
        #expect(rules(inString).contains("drop-table"))
        #expect(!rules(inString).contains("suppression"))
        // An unknown rule is named; the known ones in the same comment still apply.
        let unknown = lint("    op.drop_table('orders')  # revgraph: ignore[drop-tabel, drop-table]")
        #expect(!rules(unknown).contains("drop-table"))
        #expect(unknown.contains { $0.rule == .suppression && $0.message.contains("'drop-tabel' is not a lint rule") })
        // Without brackets: every rule of the line, with a reason after a space.
        #expect(rules(lint("    op.drop_table('orders')  # revgraph: ignore moved to billing")).isEmpty)
    }

    @Test func rawSQLMakesTheTableUncertain() {
        // The table is created by SQL lint does not model further: adding an index to it is not judged.
        let body = "    op.execute('CREATE TABLE audit (id int)')\n    op.create_index('ix_audit', 'audit', ['id'])"
        #expect(!rules(lint(body)).contains("index-without-concurrently"))
        // Non-literal SQL can touch any table: existence-dependent rules stay quiet.
        let opaque = "    op.execute(build_sql())\n    op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))"
        #expect(!rules(lint(opaque)).contains("add-not-null-without-default"))
    }

    @Test func settingsReRankAndSelect() {
        var settings = LintSettings()
        settings.severities[.dropTable] = .error
        #expect(lint("    op.drop_table('orders')", settings: settings).first { $0.rule == .dropTable }?.severity == .error)
        settings.severities[.dropTable] = .some(nil)
        #expect(!rules(lint("    op.drop_table('orders')", settings: settings)).contains("drop-table"))
        var only = LintSettings()
        only.select = [.dropColumn]
        #expect(Set(rules(lint("    op.drop_table('orders')\n    op.drop_column('users', 'email')", settings: only))) == ["drop-column"])
    }

    @Test func unreadableCallsAreNeverGuessed() {
        // A call whose table is not a literal gives no finding.
        #expect(!rules(lint("    op.drop_table(TABLE_NAME)")).contains("drop-table"))
        #expect(!rules(lint("    op.add_column(name, sa.Column('age', sa.Integer(), nullable=False))")).contains("add-not-null-without-default"))
    }

    @Test func replacementsAreNotRenames() {
        // Data copied by an UPDATE naming the old column before the drop: a deliberate replacement.
        let copied = """
                op.add_column('users', sa.Column('email2', sa.Text()))
                op.execute('UPDATE users SET email2 = email')
                op.drop_column('users', 'email')
            """
        #expect(!rules(lint(copied)).contains("rename-as-drop-add"))
        // downgrade() re-adds the old column with another kind of type: a replacement.
        let retyped = "    op.add_column('users', sa.Column('email_id', sa.Integer()))\n    op.drop_column('users', 'email')"
        let found = rules(lint(retyped, downgrade: "    op.add_column('users', sa.Column('email', sa.String(255)))\n    op.drop_column('users', 'email_id')\n"))
        #expect(!found.contains("rename-as-drop-add"))
        #expect(found.contains("drop-column"))
    }

    @Test func aColumnAlreadyNotNullIsNotReported() {
        // orders.user_id was declared nullable=False by the base revision.
        #expect(!rules(lint("    op.alter_column('orders', 'user_id', nullable=False)")).contains("set-not-null"))
        #expect(!rules(lint("    op.alter_column('users', 'email', nullable=False, existing_nullable=False)")).contains("set-not-null"))
    }

    @Test func modelImportTellsTheApplicationFromOtherPackages() {
        let text = """
            from alembic import op
            from myapp.models import User
            import flask_sqlalchemy
            revision = 'a1'
            down_revision = None
            def upgrade():
                pass

            """
        let graph = RevisionGraph(revisions: [MigrationParser.parse(path: "a1.py", fileName: "a1.py", text: text).revision!])
        let findings = Linter(dialect: nil, applicationPackages: ["myapp"])
            .lint(graph, scripts: [0: MigrationScript.read(Array(text.utf8))!])
        #expect(findings.count == 2)
        #expect(findings.first { $0.line == 2 }?.message.contains("the application's own code") == true)
        #expect(findings.first { $0.line == 3 }?.message.contains("a package besides alembic and sqlalchemy") == true)
    }

    @Test func referencesFollowRenamesAndDrops() {
        let batch = "    with op.batch_alter_table('people') as batch_op:\n        batch_op.add_column(sa.Column('x', sa.Integer))"
        // users renamed to people: orders still references it.
        #expect(rules(lint("    op.rename_table('users', 'people')\n" + batch, dialect: .sqlite)).contains("sqlite-batch-foreign-keys"))
        // orders dropped first: nothing references people any more.
        #expect(!rules(lint("    op.drop_table('orders')\n    op.rename_table('users', 'people')\n" + batch, dialect: .sqlite))
            .contains("sqlite-batch-foreign-keys"))
    }

    /// An upgrade of thousands of drops and adds on one table: pairing looks at a bounded window
    /// of adds near each drop, so this is linear, not a hang (it was quadratic).
    @Test func aLongUpgradeIsReadInLinearTime() {
        var body = ""
        for k in 0..<4000 {
            body += "    op.add_column('users', sa.Column('n\(k)', sa.Integer()))\n    op.drop_column('users', 'o\(k)')\n"
            body += "    op.execute('UPDATE users SET n\(k) = 0 WHERE n\(k) IS NULL')\n"
        }
        let found = lint(body)
        #expect(found.filter { $0.rule == .renameAsDropAdd }.count + found.filter { $0.rule == .dropColumn }.count == 4000)
    }
}
