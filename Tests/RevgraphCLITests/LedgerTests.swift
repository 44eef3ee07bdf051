import Foundation
import RevgraphTestSupport
import Testing

/// The ledger end to end: real alembic upgrades SQLite and PostgreSQL databases, then
/// `revgraph record` and `revgraph verify` run against them.
@Suite(.serialized) struct LedgerTests {
    static let postgres = Requirement.postgresURL

    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgresql
        var testDescription: String { rawValue }
        /// The backends this run can test: PostgreSQL when its server is there, and always in CI.
        static let available: [Backend] = Requirement.postgres ? allCases : [.sqlite]
    }

    @Test(.disabled(if: Requirement.postgres, "no PostgreSQL (REVGRAPH_TEST_POSTGRES_URL): its cases of LedgerTests did not run"))
    func postgresqlCasesRan() {}

    /// A git repository with `alembic init`, two revisions, and its database upgraded by alembic.
    struct Project {
        var dir: String
        var url: String
        var python: String

        /// The URL without SQLAlchemy's driver part, for psql.
        var libpqURL: String { url.replacingOccurrences(of: "+psycopg2", with: "") }

        func alembic(_ args: [String]) throws -> RunResult {
            try run(python, ["-m", "alembic"] + args, cwd: dir)
        }
    }

    func makeProject(_ backend: Backend) throws -> Project {
        let python = try Requirement.python()
        let dir = try makeTempDir("revgraph-ledger")
        var url = "sqlite:///\(dir)/app.db"
        if backend == .postgresql {
            let base = try Requirement.postgresServer()
            let name = "rg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let created = try run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"], cwd: dir)
            guard created.status == 0 else { throw TestFailure("createdb failed: \(created.stderr)") }
            // The SQLAlchemy form with a driver, as real projects write it.
            url = String(base[..<base.lastIndex(of: "/")!]).replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
                + "/" + name
        }
        let p = Project(dir: dir, url: url, python: python)
        try git(["init", "-q", "-b", "main"], cwd: dir)
        guard try p.alembic(["init", "migrations"]).status == 0 else { throw TestFailure("alembic init failed") }
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try ini.replacingOccurrences(of: "driver://user:pass@localhost/dbname", with: url.replacingOccurrences(of: "%", with: "%%"))
            .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
        for (id, msg) in [("aaaa1111", "create users"), ("bbbb2222", "add email")] {
            let r = try p.alembic(["revision", "-m", msg, "--rev-id", id])
            guard r.status == 0 else { throw TestFailure("alembic revision failed: \(r.stderr)") }
        }
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "two revisions"], cwd: dir)
        let up = try p.alembic(["upgrade", "head"])
        guard up.status == 0 else { throw TestFailure("alembic upgrade failed: \(up.stdout)\(up.stderr)") }
        return p
    }

    func path(_ p: Project, _ id: String) throws -> String {
        let name = try FileManager.default.contentsOfDirectory(atPath: p.dir + "/migrations/versions").first { $0.hasPrefix(id) }!
        return p.dir + "/migrations/versions/" + name
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"), arguments: Backend.available)
    func recordThenVerifyCatchesEditsAndNothingElse(backend: Backend) throws {
        let p = try makeProject(backend)
        defer { try? FileManager.default.removeItem(atPath: p.dir) }
        #expect(try revgraph(["current"], cwd: p.dir).stdout == "bbbb2222 (head)\n")
        // history's `current` and -i read the version table, as alembic's do (through env.py).
        #expect(try p.alembic(["revision", "-m", "later", "--rev-id", "dddd4444"]).status == 0)
        for args in [["history", "-i"], ["history", "-r", "current:"], ["history", "-r", ":current"]] {
            let expected = try p.alembic(args).stdout
            #expect(try revgraph(args, cwd: p.dir).stdout == expected, "\(args)")
        }
        try FileManager.default.removeItem(atPath: try path(p, "dddd4444"))
        let recorded = try revgraph(["record"], cwd: p.dir)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout == "recorded 2 revisions in revgraph_ledger: aaaa1111, bbbb2222\n")
        #expect(try revgraph(["record"], cwd: p.dir).stdout == "recorded 0 revisions in revgraph_ledger\n")
        #expect(try revgraph(["verify"], cwd: p.dir).status == 0)

        // A CRLF-only change is not an edit.
        let a = try path(p, "aaaa1111")
        let original = try String(contentsOfFile: a, encoding: .utf8)
        try original.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: a, atomically: true, encoding: .utf8)
        #expect(try revgraph(["verify"], cwd: p.dir).status == 0)

        // A pending revision may change freely.
        #expect(try p.alembic(["revision", "-m", "pending", "--rev-id", "cccc3333"]).status == 0)
        try (try String(contentsOfFile: try path(p, "cccc3333"), encoding: .utf8) + "# more\n")
            .write(toFile: try path(p, "cccc3333"), atomically: true, encoding: .utf8)
        let status = try revgraph(["status"], cwd: p.dir)
        #expect(status.stdout.contains("pending: 1 (cccc3333)"))
        #expect(try revgraph(["verify"], cwd: p.dir).status == 0)

        // Editing an applied revision's body, committed: named with its commit.
        try original.replacingOccurrences(of: "    pass", with: "    op.execute('select 1')", options: [], range: original.range(of: "def upgrade")!.lowerBound..<original.endIndex)
            .write(toFile: a, atomically: true, encoding: .utf8)
        try git(["commit", "-qam", "sneaky edit of users"], cwd: p.dir)
        let edited = try revgraph(["verify"], cwd: p.dir)
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("applied revision aaaa1111 was edited after it was recorded"))
        #expect(edited.stdout.contains(": sneaky edit of users"))
        #expect(edited.stdout.contains("recorded sha256 "))
        // record refuses to overwrite, and says so.
        #expect(try revgraph(["record"], cwd: p.dir).status == 1)
        // A deliberate edit is accepted with a reason, and verify passes again.
        #expect(try revgraph(["record", "--accept", "aaaa1111"], cwd: p.dir).status == 64)
        #expect(try revgraph(["record", "--accept", "aaaa1111", "--reason", "comment fix"], cwd: p.dir).status == 0)
        #expect(try revgraph(["verify"], cwd: p.dir).status == 0)

        // Rewriting down_revision of an applied revision.
        let b = try path(p, "bbbb2222")
        let bText = try String(contentsOfFile: b, encoding: .utf8)
        try bText.replacingOccurrences(of: "= 'aaaa1111'", with: "= None").write(toFile: b, atomically: true, encoding: .utf8)
        #expect(try revgraph(["verify"], cwd: p.dir).stdout.contains("applied revision bbbb2222 was edited"))
        try bText.write(toFile: b, atomically: true, encoding: .utf8)

        // A deleted applied file.
        try FileManager.default.removeItem(atPath: a)
        let gone = try revgraph(["verify", "--format", "json"], cwd: p.dir)
        #expect(gone.status == 1)
        #expect(gone.stdout.contains("\"kind\" : \"file-gone\""))
        #expect(gone.stdout.contains("\"revision\" : \"aaaa1111\""))
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"), arguments: Backend.available)
    func adoptMissingTablesAndHandEditedLedger(backend: Backend) throws {
        let p = try makeProject(backend)
        defer { try? FileManager.default.removeItem(atPath: p.dir) }
        let noLedger = try revgraph(["verify"], cwd: p.dir)
        #expect(noLedger.status == 1)
        #expect(noLedger.stdout.contains("has no revgraph_ledger table"))
        #expect(try revgraph(["record", "--adopt", "--ledger-table", "rg_audit"], cwd: p.dir).status == 0)
        #expect(try revgraph(["verify", "--ledger-table", "rg_audit"], cwd: p.dir).status == 0)
        // A ledger row changed by hand is a finding.
        let sql = "UPDATE rg_audit SET checksum = '0000000000000000000000000000000000000000000000000000000000000000' WHERE revision = 'bbbb2222'"
        if backend == .sqlite {
            #expect(try run(p.python, ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", p.dir + "/app.db", sql], cwd: p.dir).status == 0)
        } else {
            #expect(try run("/usr/bin/psql", [p.libpqURL, "-q", "-c", sql], cwd: p.dir).status == 0)
        }
        let tampered = try revgraph(["verify", "--ledger-table", "rg_audit"], cwd: p.dir)
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("bbbb2222"))
        // A database with no version table: nothing applied, nothing to record.
        let empty = backend == .sqlite ? "sqlite:///\(p.dir)/empty.db" : p.url
        if backend == .sqlite {
            // A typo never becomes a new database.
            let typo = try revgraph(["record", "--db", "sqlite:///\(p.dir)/app.dbb"], cwd: p.dir)
            #expect(typo.status == 2 && typo.stderr.contains("never creates"), "\(typo.stderr)")
            #expect(!FileManager.default.fileExists(atPath: p.dir + "/app.dbb"))
            #expect(FileManager.default.createFile(atPath: p.dir + "/empty.db", contents: Data()))
            let r = try revgraph(["record", "--db", empty], cwd: p.dir)
            #expect(r.stdout == "recorded 0 revisions in revgraph_ledger\n")
            #expect(try revgraph(["current", "--db", empty], cwd: p.dir).stdout == "")
        }
    }

    @Test(.enabled(if: Requirement.postgres, "needs PostgreSQL (REVGRAPH_TEST_POSTGRES_URL)"))
    func postgresFaultsNeverShowThePassword() throws {
        let base = try Requirement.postgresServer()
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RevgraphTestSupport.makeProject(at: dir, files: ["a.py": migration("a", down: [])])
        // Wrong password.
        let wrong = base.replacingOccurrences(of: #"://revgraph:[^@]*@"#, with: "://revgraph:Wr0ngPassw0rd@", options: .regularExpression)
        let r = try revgraph(["status", "--db", wrong], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("password authentication failed"))
        #expect(!r.stderr.contains("Wr0ngPassw0rd") && !r.stdout.contains("Wr0ngPassw0rd"))
        #expect(r.stderr.contains("revgraph:***@"))
        // Unreachable server.
        let down = try revgraph(["status", "--db", "postgresql://u:SecretXyz@127.0.0.1:1/db"], cwd: dir)
        #expect(down.status == 2)
        #expect(!down.stderr.contains("SecretXyz"))
        // Passwords libpq would split, decode or echo differently: never shown, in any form.
        let port = base.split(separator: ":").last.flatMap { $0.split(separator: "/").first } ?? "5432"
        for (password, forms) in [("S3cr@t:/x%", ["S3cr@t:/x%", "S3cr%40t"]), ("Pw%zz%41Q", ["Pw%zz%41Q", "Pw%zzAQ"]),
                                  ("Sp ace+Plus", ["Sp ace+Plus", "Sp%20ace"])] {
            for url in ["postgresql+psycopg2://revgraph:\(password)@127.0.0.1:\(port)/postgres",
                        "postgresql://revgraph@127.0.0.1:\(port)/postgres?password=\(password)"] {
                let r = try revgraph(["status", "--db", url], cwd: dir)
                #expect(r.status == 2, "\(r.stderr)")
                for form in forms { #expect(!(r.stdout + r.stderr).contains(form), "\(form) in \(r.stderr)") }
            }
        }
        // Other dialects.
        let my = try revgraph(["status", "--db", "mysql+pymysql://u:SecretXyz@h/db"], cwd: dir)
        #expect(my.status == 2)
        #expect(my.stderr.contains("'mysql' dialect is not supported yet"))
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"))
    func twoRecordersAtOnceWriteEachRowOnce() throws {
        let p = try makeProject(Self.postgres == nil ? .sqlite : .postgresql)
        defer { try? FileManager.default.removeItem(atPath: p.dir) }
        let procs = (0..<4).map { _ -> Process in
            let proc = Process()
            proc.executableURL = URL(fileURLWithPath: revgraphBinary)
            proc.arguments = ["record"]
            proc.currentDirectoryURL = URL(fileURLWithPath: p.dir)
            proc.standardOutput = FileHandle.nullDevice
            proc.standardError = FileHandle.nullDevice
            return proc
        }
        for proc in procs { try proc.run() }
        for proc in procs { proc.waitUntilExit() }
        #expect(procs.allSatisfy { $0.terminationStatus == 0 })
        #expect(try revgraph(["record"], cwd: p.dir).stdout == "recorded 0 revisions in revgraph_ledger\n")
        let count: String
        if p.url.hasPrefix("sqlite") {
            count = try run(p.python, ["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from revgraph_ledger').fetchone()[0])", p.dir + "/app.db"], cwd: p.dir).stdout
        } else {
            count = try run("/usr/bin/psql", [p.libpqURL, "-tA", "-c", "select count(*) from revgraph_ledger"], cwd: p.dir).stdout
        }
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"), arguments: Backend.available)
    func databaseAgainstARelease(backend: Backend) throws {
        let p = try makeProject(backend)
        defer { try? FileManager.default.removeItem(atPath: p.dir) }
        try git(["config", "user.name", "Rel"], cwd: p.dir)
        try git(["config", "user.email", "rel@example.com"], cwd: p.dir)
        // The database is at bbbb2222, what v1 pins.
        #expect(try revgraph(["release", "tag", "v1"], cwd: p.dir).status == 0)
        let at = try revgraph(["verify", "--release", "v1", "--db", p.url], cwd: p.dir)
        #expect(at.status == 0, "\(at.stdout)\(at.stderr)")
        #expect(at.stdout.contains("is exactly at release v1"))
        // A newer release: the database is behind it.
        #expect(try p.alembic(["revision", "-m", "three", "--rev-id", "cccc3333"]).status == 0)
        try git(["add", "-A"], cwd: p.dir)
        try git(["commit", "-qm", "three"], cwd: p.dir)
        #expect(try revgraph(["release", "tag", "v2"], cwd: p.dir).status == 0)
        let behind = try revgraph(["verify", "--release", "v2", "--db", p.url], cwd: p.dir)
        #expect(behind.status == 1)
        #expect(behind.stdout.contains("is behind release v2: pending cccc3333"))
        // Upgraded past v1: ahead of it.
        #expect(try p.alembic(["upgrade", "head"]).status == 0)
        let ahead = try revgraph(["verify", "--release", "v1", "--db", p.url], cwd: p.dir)
        #expect(ahead.status == 1)
        #expect(ahead.stdout.contains("is ahead of release v1: also applied cccc3333"))
        #expect(!ahead.stdout.contains(p.url.contains("@") ? String(p.url.split(separator: "@")[0].split(separator: ":").last!) : "never-matches-anything"))
    }
}
