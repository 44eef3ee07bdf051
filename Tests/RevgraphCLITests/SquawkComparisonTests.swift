import Foundation
import RevgraphTestSupport
import Testing

/// revgraph lint against squawk (squawk-cli from PyPI, pinned in the test virtualenv) on the same
/// revisions: each case is rendered to SQL by real `alembic upgrade --sql` (offline, PostgreSQL)
/// and linted by squawk; revgraph lints the Python. Where the two overlap they must agree, except
/// for the differences listed here and explained in the README (revgraph sees intent SQL loses).
@Suite(.serialized)
struct SquawkComparisonTests {
    /// squawk's rules that say the same as a revgraph rule.
    static let equivalents: [String: String] = [
        "adding-required-field": "add-not-null-without-default",
        "require-concurrent-index-creation": "index-without-concurrently",
        "ban-concurrent-index-creation-in-transaction": "concurrently-in-transaction",
        "adding-not-nullable-field": "set-not-null",
        "changing-column-type": "column-type-change",
        "adding-foreign-key-constraint": "foreign-key-without-not-valid",
        "disallowed-unique-constraint": "unique-on-existing-table",
        "ban-drop-column": "drop-column",
        "ban-drop-table": "drop-table",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        /// Rules both report.
        var both: Set<String>
        /// Rules only revgraph reports (squawk has no equivalent or cannot see it in SQL).
        var revgraphOnly: Set<String> = []
        /// revgraph rules whose squawk equivalent fires while revgraph stays quiet, on purpose.
        var squawkOnly: Set<String> = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "NOT NULL column without default on an existing table",
             body: "op.add_column('users', sa.Column('age', sa.BigInteger(), nullable=False))", both: ["add-not-null-without-default"]),
        Case(name: "NOT NULL column on a table created in the same revision",
             body: "op.create_table('t', sa.Column('id', sa.BigInteger(), primary_key=True))\n    op.add_column('t', sa.Column('age', sa.BigInteger(), nullable=False))",
             both: [], squawkOnly: ["add-not-null-without-default"]),
        Case(name: "index on an existing table", body: "op.create_index('ix_email', 'users', ['email'])",
             both: ["index-without-concurrently"]),
        Case(name: "index on a table created in the same revision",
             body: "op.create_table('t', sa.Column('id', sa.BigInteger(), primary_key=True))\n    op.create_index('ix_t', 't', ['id'])",
             both: []),
        Case(name: "concurrent index inside the transaction",
             body: "op.create_index('ix_email', 'users', ['email'], postgresql_concurrently=True)", both: ["concurrently-in-transaction"]),
        Case(name: "concurrent index in an autocommit block",
             body: "with op.get_context().autocommit_block():\n        op.create_index('ix_email', 'users', ['email'], postgresql_concurrently=True)",
             both: []),
        Case(name: "SET NOT NULL without a backfill", body: "op.alter_column('users', 'email', nullable=False)", both: ["set-not-null"]),
        Case(name: "SET NOT NULL after a backfill in the same revision",
             body: "op.execute(\"UPDATE users SET email = '' WHERE email IS NULL\")\n    op.alter_column('users', 'email', nullable=False)",
             both: [], squawkOnly: ["set-not-null"]),
        Case(name: "column type change", body: "op.alter_column('users', 'email', type_=sa.Text())", both: ["column-type-change"]),
        Case(name: "foreign key without NOT VALID", body: "op.create_foreign_key('fk_u', 'orders', 'users', ['user_id'], ['id'])",
             both: ["foreign-key-without-not-valid"]),
        Case(name: "foreign key NOT VALID",
             body: "op.create_foreign_key('fk_u', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)", both: []),
        Case(name: "unique constraint on an existing table", body: "op.create_unique_constraint('uq_email', 'users', ['email'])",
             both: ["unique-on-existing-table"]),
        Case(name: "drop column", body: "op.drop_column('users', 'email')", both: ["drop-column"]),
        Case(name: "rename written as drop + add",
             body: "op.add_column('users', sa.Column('email_address', sa.Text()))\n    op.drop_column('users', 'email')",
             both: [], revgraphOnly: ["rename-as-drop-add"], squawkOnly: ["drop-column"]),
        Case(name: "drop table", body: "op.drop_table('orders')", both: ["drop-table"]),
        Case(name: "UPDATE without WHERE", body: "op.execute('UPDATE users SET email = lower(email)')", both: [],
             revgraphOnly: ["unbounded-data-change"]),
    ]

    static var squawk: String? { Requirement.alembicPython.map { ($0 as NSString).deletingLastPathComponent + "/squawk" } }

    func project(_ body: String) throws -> String {
        let dir = try makeTempDir("revgraph-squawk")
        try write("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://app@localhost/app\n", to: dir + "/alembic.ini")
        try write("""
            from alembic import context
            config = context.config
            context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, transaction_per_migration=True)
            with context.begin_transaction():
                context.run_migrations()

            """, to: dir + "/migrations/env.py")
        try write("""
            from alembic import op
            import sqlalchemy as sa
            revision = 'a1'
            down_revision = None
            def upgrade():
                op.create_table('users', sa.Column('id', sa.BigInteger(), primary_key=True), sa.Column('email', sa.Text()))
                op.create_table('orders', sa.Column('id', sa.BigInteger(), primary_key=True), sa.Column('user_id', sa.BigInteger()))
            def downgrade():
                op.drop_table('orders')
                op.drop_table('users')

            """, to: dir + "/migrations/versions/a1_base.py")
        try write("""
            from alembic import op
            import sqlalchemy as sa
            revision = 'b1'
            down_revision = 'a1'
            def upgrade():
                \(body)
            def downgrade():
                raise NotImplementedError()  # revgraph: ignore[missing-downgrade] not compared

            """, to: dir + "/migrations/versions/b1_case.py")
        return dir
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic and squawk-cli in the test virtualenv"), arguments: cases)
    func revgraphAndSquawkAgreeWhereTheyOverlap(_ c: Case) throws {
        let python = try Requirement.python()
        let squawk = try #require(Self.squawk)
        try #require(FileManager.default.isExecutableFile(atPath: squawk), "squawk-cli is not installed in the test virtualenv")
        let dir = try project(c.body)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sql = try run(python, ["-m", "alembic", "upgrade", "a1:b1", "--sql"], cwd: dir)
        try #require(sql.status == 0, "alembic upgrade --sql failed: \(sql.stderr)")
        try sql.stdout.write(toFile: dir + "/b1.sql", atomically: true, encoding: .utf8)
        let sq = try run(squawk, ["--reporter", "json", dir + "/b1.sql"])
        let reported = (try JSONSerialization.jsonObject(with: Data(sq.stdout.utf8)) as? [[String: Any]]) ?? []
        let squawkRules = Set(reported.compactMap { $0["rule_name"] as? String }.compactMap { Self.equivalents[$0] })

        let lint = try revgraph(["lint", "--format", "json"], cwd: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [String: Any], "\(lint.stderr)")
        let findings = (object["findings"] as? [[String: Any]]) ?? []
        let ours = Set(findings.filter { $0["revision"] as? String == "b1" }.compactMap { $0["rule"] as? String })
            .subtracting(["missing-downgrade"])

        #expect(ours == c.both.union(c.revgraphOnly), "revgraph on '\(c.name)': \(ours.sorted())\n\(sql.stdout)")
        #expect(squawkRules == c.both.union(c.squawkOnly), "squawk on '\(c.name)': \(squawkRules.sorted())\n\(sql.stdout)")
    }
}
