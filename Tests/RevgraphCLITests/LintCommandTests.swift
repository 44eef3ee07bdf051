import Foundation
import RevgraphTestSupport
import Testing

/// `revgraph lint` end to end: exit codes, settings, the revisions it selects, the hook and
/// `check --merge-with`.
@Suite(.serialized)
struct LintCommandTests {
    static let base = """
        from alembic import op
        import sqlalchemy as sa
        revision = 'a1'
        down_revision = None
        def upgrade():
            op.create_table('users', sa.Column('id', sa.Integer, primary_key=True), sa.Column('email', sa.String(255)))
        def downgrade():
            op.drop_table('users')

        """

    static func revision(_ id: String, down: String, _ body: String) -> String {
        """
        from alembic import op
        import sqlalchemy as sa
        revision = '\(id)'
        down_revision = '\(down)'
        def upgrade():
            \(body)
        def downgrade():
            op.execute('select 1')

        """
    }

    /// A repository with a1 committed, `[alembic]` on PostgreSQL and `extra` appended to the ini.
    func repository(extra: String = "") throws -> String {
        let dir = try makeTempDir("revgraph-lint")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try write("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://app@db/app\n" + extra,
                  to: dir + "/alembic.ini")
        try write(Self.base, to: dir + "/migrations/versions/a1_base.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        return dir
    }

    @Test func exitCodesFollowSeverity() throws {
        let dir = try repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try revgraph(["lint"], cwd: dir).status == 0)
        // A warning alone exits 0, and says what was checked.
        try write(Self.revision("b1", down: "a1", "op.drop_column('users', 'email')"), to: dir + "/migrations/versions/b1.py")
        let warned = try revgraph(["lint"], cwd: dir)
        #expect(warned.status == 0)
        #expect(warned.stdout.contains("migrations/versions/b1.py:6: warning[drop-column]:"), "\(warned.stdout)")
        #expect(warned.stdout.contains("lint: every revision: 2 revisions checked, dialect postgresql, 1 finding (0 errors)"), "\(warned.stdout)")
        // An error exits 1.
        try write(Self.revision("c1", down: "b1", "op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))"),
                  to: dir + "/migrations/versions/c1.py")
        let failed = try revgraph(["lint"], cwd: dir)
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("error[add-not-null-without-default]"))
        // JSON, annotations and SARIF carry the same findings.
        #expect(try revgraph(["lint", "--format", "github"], cwd: dir).stdout.contains("::error file=migrations/versions/c1.py,line=6"))
        #expect(try revgraph(["lint", "--format", "sarif"], cwd: dir).stdout.contains("\"ruleId\" : \"add-not-null-without-default\""))
        #expect(try revgraph(["lint", "--list-rules"], cwd: dir).stdout.contains("sqlite-batch-foreign-keys (sqlite) [warning]"))
    }

    @Test func settingsReRankIgnoreAndRejectTypos() throws {
        let dir = try repository(extra: "\n[revgraph.lint]\ndrop-column = error\nignore = index-without-concurrently\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(Self.revision("b1", down: "a1", "op.drop_column('users', 'email')\n    op.create_index('ix', 'users', ['email'])"),
                  to: dir + "/migrations/versions/b1.py")
        let r = try revgraph(["lint"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[drop-column]"))
        #expect(!r.stdout.contains("index-without-concurrently"))
        try write("[alembic]\nscript_location = %(here)s/migrations\n\n[revgraph.lint]\ndrop-colum = error\n", to: dir + "/alembic.ini")
        let typo = try revgraph(["lint"], cwd: dir)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("lint.drop-colum"), "\(typo.stderr)")
    }

    @Test func pyprojectTableAndDialectSetting() throws {
        let dir = try makeTempDir("revgraph-lint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n\n[tool.revgraph]\ndialect = \"sqlite\"\n\n[tool.revgraph.lint]\nselect = [\"sqlite-batch-foreign-keys\"]\n",
                  to: dir + "/pyproject.toml")
        try write("""
            from alembic import op
            import sqlalchemy as sa
            revision = 'a1'
            down_revision = None
            def upgrade():
                op.create_table('users', sa.Column('id', sa.Integer, primary_key=True))
                op.create_table('orders', sa.Column('id', sa.Integer), sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id')))
                op.drop_column('users', 'id')

            """, to: dir + "/migrations/versions/a1.py")
        try write(Self.revision("b1", down: "a1", "with op.batch_alter_table('users') as batch_op:\n        batch_op.add_column(sa.Column('x', sa.Integer))"),
                  to: dir + "/migrations/versions/b1.py")
        let r = try revgraph(["lint"], cwd: dir)
        #expect(r.stdout.contains("warning[sqlite-batch-foreign-keys]"), "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("drop-column"), "select keeps only the rule named")
        #expect(r.stdout.contains("dialect sqlite"))
    }

    @Test func changedSinceAndStagedLintOnlyWhatChanged() throws {
        let dir = try repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(Self.revision("b1", down: "a1", "op.drop_column('users', 'email')"), to: dir + "/migrations/versions/b1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "b1"], cwd: dir)
        try write(Self.revision("c1", down: "b1", "op.drop_table('users')"), to: dir + "/migrations/versions/c1.py")
        try git(["add", "-A"], cwd: dir)
        let staged = try revgraph(["lint", "--staged"], cwd: dir)
        #expect(staged.stdout.contains("c1.py") && !staged.stdout.contains("b1.py"), "\(staged.stdout)")
        #expect(staged.stdout.contains("revisions added or changed since HEAD: 1 revision checked"), "\(staged.stdout)")
        let since = try revgraph(["lint", "--changed-since", "HEAD~1"], cwd: dir)
        #expect(since.stdout.contains("c1.py") && since.stdout.contains("b1.py"))
        let range = try revgraph(["lint", "b1:b1"], cwd: dir)
        #expect(range.stdout.contains("b1.py") && !range.stdout.contains("c1.py"), "\(range.stdout)")
    }

    @Test func preCommitHookWarnsOrBlocksAsConfigured() throws {
        let dir = try repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try revgraph(["hooks", "install"], cwd: dir).status == 0)
        let env = ["REVGRAPH": revgraphBinary, "GIT_AUTHOR_NAME": "D", "GIT_AUTHOR_EMAIL": "d@example.com",
                   "GIT_COMMITTER_NAME": "D", "GIT_COMMITTER_EMAIL": "d@example.com"]
        try write(Self.revision("b1", down: "a1", "op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))"),
                  to: dir + "/migrations/versions/b1.py")
        try git(["add", "-A"], cwd: dir)
        // Default (warn): shown, not blocking.
        let warned = try run("/usr/bin/git", ["commit", "-qm", "b1"], cwd: dir, env: env)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("error[add-not-null-without-default]"), "\(warned.stderr)")
        #expect(warned.stderr.contains("linted 1 added or changed revision: 1 finding"), "\(warned.stderr)")
        // block: the same kind of finding stops the commit.
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try write(ini + "\n[revgraph.lint]\nhook = block\n", to: dir + "/alembic.ini")
        try write(Self.revision("c1", down: "b1", "op.add_column('users', sa.Column('x', sa.Integer(), nullable=False))"),
                  to: dir + "/migrations/versions/c1.py")
        try git(["add", "-A"], cwd: dir)
        let blocked = try run("/usr/bin/git", ["commit", "-qm", "c1"], cwd: dir, env: env)
        #expect(blocked.status != 0)
        #expect((blocked.stdout + blocked.stderr).contains("c1.py:6: error[add-not-null-without-default]"), "\(blocked.stderr)")
        #expect(!(blocked.stdout + blocked.stderr).contains("b1.py"), "only what the commit adds or changes is linted")
        // off: not linted at all.
        try write(ini + "\n[revgraph.lint]\nhook = off\n", to: dir + "/alembic.ini")
        try git(["add", "-A"], cwd: dir)
        let off = try run("/usr/bin/git", ["commit", "-qm", "c1"], cwd: dir, env: env)
        #expect(off.status == 0)
        #expect(!off.stderr.contains("linted"))
    }

    @Test func checkMergeWithLintsTheIncomingRevisions() throws {
        let dir = try repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["checkout", "-q", "-b", "feature"], cwd: dir)
        try write(Self.revision("b1", down: "a1", "op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)"),
                  to: dir + "/migrations/versions/b1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "feature"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        let r = try revgraph(["check", "--merge-with", "feature"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("b1.py:6: error[concurrently-in-transaction]"), "\(r.stdout)")
        #expect(try revgraph(["check", "--merge-with", "feature", "--no-lint"], cwd: dir).status == 0)
    }

    @Test func aFileLintCannotReadIsNamed() throws {
        let dir = try repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The graph reads module-level code only; the bad escape is inside upgrade().
        try write(Self.revision("b1", down: "a1", "op.execute('\\N{NO SUCH NAME}')"), to: dir + "/migrations/versions/b1.py")
        #expect(try revgraph(["heads"], cwd: dir).stdout.contains("b1 (head)"))
        let r = try revgraph(["lint"], cwd: dir)
        #expect(r.stderr.contains("migrations/versions/b1.py:6:"), "\(r.stderr)")
        #expect(r.stderr.contains("lint could not read the file, so it was not linted"), "\(r.stderr)")
        // The pre-commit hook says so too.
        try git(["add", "-A"], cwd: dir)
        let hook = try revgraph(["hook", "pre-commit"], cwd: dir)
        #expect(hook.status == 0)
        #expect(hook.stderr.contains("not linted: migrations/versions/b1.py:6:"), "\(hook.stderr)")
    }
}
