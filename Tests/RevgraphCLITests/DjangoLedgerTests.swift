import Foundation
import RevgraphTestSupport
import Testing

/// `record` and `verify --db` on Django projects migrated by real Django, on SQLite and PostgreSQL.
@Suite(.serialized) struct DjangoLedgerTests {
    typealias M = DjangoFixture.Migration
    static func dep(_ app: String, _ name: String) -> String { "(\"\(app)\", \"\(name)\")" }

    enum Backend: String, CaseIterable { case sqlite, postgresql }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv with Django (REVGRAPH_ALEMBIC_PYTHON)"))
    func onSQLite() throws { try recordVerifyEditAcceptSquash(backend: .sqlite) }

    @Test(.enabled(if: Requirement.alembic && Requirement.postgres, "needs Django and PostgreSQL (REVGRAPH_TEST_POSTGRES_URL)"))
    func onPostgreSQL() throws { try recordVerifyEditAcceptSquash(backend: .postgresql) }

    func recordVerifyEditAcceptSquash(backend: Backend) throws {
        let python = try Requirement.python()
        try withTemporaryDirectory("revgraph-django-ledger") { root in
            let dir = root + "/p"
            var database = DjangoFixture.Database.sqlite
            var url = "sqlite:///\(dir)/db.sqlite3"
            var password = ""
            if backend == .postgresql {
                let base = try Requirement.postgresServer()
                let u = URLComponents(string: base)!
                let name = "rgdl_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
                #expect(try run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"], cwd: root).status == 0)
                database = .postgresql(name: name, user: u.user!, password: u.password!, host: u.host!, port: u.port!)
                url = String(base[..<base.lastIndex(of: "/")!]) + "/" + name
                password = u.password!
            }
            let migrations = [M("blog", "0001_initial", tables: ["Post"]), M("blog", "0002_tag", [Self.dep("blog", "0001_initial")], tables: ["Tag"]),
                              M("blog", "0003_note", [Self.dep("blog", "0002_tag")], tables: ["Note"])]
            try DjangoFixture.write(at: dir, apps: ["blog"], migrations: migrations, database: database)
            try git(["init", "-q", "-b", "main"], cwd: dir)
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "three"], cwd: dir)
            func django(_ args: [String]) throws {
                let r = try run(python, ["manage.py"] + args, cwd: dir)
                #expect(r.status == 0, "manage.py \(args): \(r.stderr)")
            }
            func rg(_ args: [String]) throws -> RunResult {
                let r = try revgraph(args + ["--db", url], cwd: dir)
                if !password.isEmpty { #expect(!(r.stdout + r.stderr).contains(password), "the password was shown") }
                return r
            }
            try django(["migrate", "blog", "0002", "-v", "0"])
            #expect(try rg(["verify"]).stdout.contains("has no revgraph_ledger table"))
            let recorded = try rg(["record"])
            #expect(recorded.stdout == "recorded 2 migrations in revgraph_ledger: blog.0001_initial, blog.0002_tag\n", "\(recorded.stdout)\(recorded.stderr)")
            try django(["migrate", "-v", "0"])
            let missing = try rg(["verify"])
            #expect(missing.status == 1 && missing.stdout.contains("applied migration blog.0003_note has no ledger row"))
            #expect(try rg(["record"]).stdout.contains("blog.0003_note"))
            let ok = try rg(["verify"])
            #expect(ok.status == 0 && ok.stdout.contains("ok:"), "\(ok.stdout)\(ok.stderr)")

            // An applied migration edited afterwards.
            try (M("blog", "0002_tag", [Self.dep("blog", "0001_initial")], tables: ["Tag", "Extra"]).source)
                .write(toFile: dir + "/blog/migrations/0002_tag.py", atomically: true, encoding: .utf8)
            let edited = try rg(["verify"])
            #expect(edited.status == 1)
            #expect(edited.stdout.contains("blog/migrations/0002_tag.py:5: error: applied migration blog.0002_tag was edited after it was recorded"), "\(edited.stdout)")
            #expect(try rg(["record"]).status == 1)
            #expect(try rg(["record", "--accept", "blog.0002_tag", "--reason", "documented"]).status == 0)
            #expect(try rg(["verify"]).status == 0)
            try git(["checkout", "-q", "blog/migrations/0002_tag.py"], cwd: dir)

            // Squashed, the replaced files deleted: Django counts the squash as applied, and so does the ledger.
            var squash = M("blog", "0001_squashed_0003_note", [], tables: ["Post", "Tag", "Note"])
            squash.replaces = [("blog", "0001_initial"), ("blog", "0002_tag"), ("blog", "0003_note")]
            try squash.source.write(toFile: dir + "/blog/migrations/0001_squashed_0003_note.py", atomically: true, encoding: .utf8)
            for n in ["0001_initial", "0002_tag", "0003_note"] { try FileManager.default.removeItem(atPath: dir + "/blog/migrations/\(n).py") }
            let gone = try rg(["verify"])
            #expect(gone.status == 1 && gone.stdout.contains("its file is gone from this tree"), "\(gone.stdout)")
            let squashed = try rg(["record"])
            #expect(squashed.stdout.contains("blog.0001_squashed_0003_note"), "\(squashed.stdout)\(squashed.stderr)")
        }
    }
}
