import Foundation
import RevgraphTestSupport
import Testing

/// Every `--format json` output: one object with `"schema": "revgraph/<command>/v1"`, snake_case
/// keys, RFC 3339 times, valid against docs/schema/<command>.v1.json (check-jsonschema from the
/// test virtualenv), and the schema files are what scripts/json-schemas.py writes.
@Suite(.serialized)
struct JSONContractTests {
    static var checkJSONSchema: String? {
        Requirement.alembicPython.map { ($0 as NSString).deletingLastPathComponent + "/check-jsonschema" }
    }

    /// A repository that gives every output something to say: a release tag, a fork resolved by a
    /// merge revision, a second project, a SQLite database with a ledger, and an edited published revision.
    func scenario() throws -> String {
        let dir = try makeTempDir("revgraph-json")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: [
            "a1.py": migration("a1", down: [], message: "base"),
            "b1.py": migration("b1", down: ["a1"], message: "users"),
        ])
        try write("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///app.db\n", to: dir + "/alembic.ini")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "two revisions"], cwd: dir)
        #expect(try revgraph(["release", "tag", "v1"], cwd: dir).status == 0)
        try write(migration("c1", down: ["b1"], message: "orders"), to: dir + "/migrations/versions/c1.py")
        try write(migration("c2", down: ["b1"], message: "invoices"), to: dir + "/migrations/versions/c2.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "fork"], cwd: dir)
        try write(migration("m1", down: ["c1", "c2"], message: "merge"), to: dir + "/migrations/versions/m1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "merge heads"], cwd: dir)
        try git(["branch", "other"], cwd: dir)
        // The database has a1 and b1 applied; the ledger records them.
        let db = try run("/usr/bin/python3", ["-c", """
            import sqlite3; c = sqlite3.connect('app.db')
            c.execute('create table alembic_version (version_num varchar(32) not null primary key)')
            c.execute("insert into alembic_version values ('b1')"); c.commit()
            """], cwd: dir)
        try #require(db.status == 0, "\(db.stderr)")
        #expect(try revgraph(["record"], cwd: dir).status == 0)
        // b1, published in v1, edited and committed: verify --published has a finding with its commit.
        try write(migration("b1", down: ["a1"], message: "users, edited"), to: dir + "/migrations/versions/b1.py")
        try git(["commit", "-qam", "touch up b1"], cwd: dir)
        // A second project elsewhere in the repository, for check --all-projects.
        try FileManager.default.createDirectory(atPath: dir + "/billing", withIntermediateDirectories: true)
        try makeProject(at: dir + "/billing", files: ["x1.py": migration("x1", down: [])])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "billing"], cwd: dir)
        return dir
    }

    /// The command lines whose JSON is checked, with the schema each must match.
    let commands: [(schema: String, args: [String])] = [
        ("heads", ["heads"]), ("branches", ["branches"]), ("history", ["history"]), ("graph", ["graph"]),
        ("show", ["show", "m1", "c1", "--git"]), ("check", ["check"]), ("check", ["check", "--all-projects"]),
        ("check", ["check", "--merge-with", "other"]), ("log", ["log"]), ("status", ["status"]),
        ("current", ["current"]), ("verify", ["verify"]), ("verify", ["verify", "--published", "v1"]),
        ("release-list", ["release", "list"]), ("release-show", ["release", "show", "v1"]),
        ("release-diff", ["release", "diff", "v1", "HEAD"]), ("lint", ["lint"]), ("check", ["check", "--merge-with", "other", "--at", "v1"]),
    ]

    @Test(.enabled(if: Requirement.alembic, "needs check-jsonschema in the test virtualenv (REVGRAPH_ALEMBIC_PYTHON)"))
    func everyOutputCarriesItsSchemaAndMatchesIt() throws {
        let dir = try scenario()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let validator = try #require(Self.checkJSONSchema)
        var seen = Set<String>()
        for (schema, args) in commands {
            let r = try revgraph(args + ["--format", "json"], cwd: dir)
            #expect(r.status <= 1, "\(args): \(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(args): \(r.stdout)")
            #expect(object["schema"] as? String == "revgraph/\(schema)/v1", "\(args)")
            for key in keys(object) {
                #expect(key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(args): key '\(key)' is not snake_case")
            }
            let file = dir + "/out-\(seen.count).json"
            try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let schemaFile = packageRoot.appendingPathComponent("docs/schema/\(schema).v1.json").path
            let v = try run(validator, ["--schemafile", schemaFile, file])
            #expect(v.status == 0, "\(args): \(v.stdout)\(v.stderr)")
            seen.insert(schema + "\(seen.count)")
        }
        // Times are RFC 3339 UTC wherever they appear.
        let log = try revgraph(["log", "--format", "json"], cwd: dir).stdout
        #expect(log.range(of: #""time" : "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z""#, options: .regularExpression) != nil)
        // The ledger's database URL is masked like everywhere else (SQLite has no password; the
        // PostgreSQL case is in LedgerTests); the finding names the commit that edited b1.
        let verify = try revgraph(["verify", "--published", "v1", "--format", "json"], cwd: dir).stdout
        #expect(verify.contains("touch up b1"))
    }

    @Test(.enabled(if: Requirement.alembic, "needs check-jsonschema in the test virtualenv (REVGRAPH_ALEMBIC_PYTHON)"))
    func djangoOutputsMatchTheirSchema() throws {
        let validator = try #require(Self.checkJSONSchema)
        try withTemporaryDirectory("revgraph-json-django") { dir in
            typealias M = DjangoFixture.Migration
            var squash = M("blog", "0001_squashed_0002_b", ["(\"shop\", \"__first__\")", "(\"auth\", \"0012_x\")"])
            squash.replaces = [("blog", "0001_initial"), ("blog", "0002_b")]
            try DjangoFixture.write(at: dir + "/p", apps: ["blog", "shop"], migrations: [
                M("shop", "0001_initial"), M("blog", "0001_initial"), M("blog", "0002_b", ["(\"blog\", \"0001_initial\")"]),
                squash, M("blog", "0003_c", ["(\"blog\", \"0002_b\")"]), M("blog", "0003_d", ["(\"blog\", \"0002_b\")"]),
            ])
            for (n, args) in [["heads"], ["history"], ["show", "blog.0003_c"], ["check"], ["showmigrations"], ["graph"]].enumerated() {
                let r = try revgraph(args + ["--format", "json"], cwd: dir + "/p")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(args): \(r.stdout)")
                #expect(object["schema"] as? String == "revgraph/django/v1")
                let file = dir + "/out-\(n).json"
                try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
                let v = try run(validator, ["--schemafile", packageRoot.appendingPathComponent("docs/schema/django.v1.json").path, file])
                #expect(v.status == 0, "\(args): \(v.stdout)\(v.stderr)")
            }
            // log, on a history with a fork still open at the tip.
            try git(["init", "-q", "-b", "main"], cwd: dir + "/p")
            try git(["add", "-A"], cwd: dir + "/p")
            try git(["commit", "-qm", "all"], cwd: dir + "/p")
            let log = try revgraph(["log", "--format", "json"], cwd: dir + "/p")
            #expect(log.stdout.contains("\"schema\" : \"revgraph/django-log/v1\"") && log.stdout.contains("\"kind\" : \"fork\""), "\(log.stdout)\(log.stderr)")
            try log.stdout.write(toFile: dir + "/log.json", atomically: true, encoding: .utf8)
            let v = try run(validator, ["--schemafile", packageRoot.appendingPathComponent("docs/schema/django-log.v1.json").path, dir + "/log.json"])
            #expect(v.status == 0, "log: \(v.stdout)\(v.stderr)")
        }
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv's python"))
    func schemaFilesAreWhatTheGeneratorWrites() throws {
        let out = try makeTempDir("revgraph-schemas")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try run(try Requirement.python(), [packageRoot.appendingPathComponent("scripts/json-schemas.py").path, out])
        try #require(r.status == 0, "\(r.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let committed = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("docs/schema").path).sorted()
        #expect(written == committed)
        for name in written {
            let a = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: packageRoot.appendingPathComponent("docs/schema/" + name).path, encoding: .utf8)
            #expect(a == b, "docs/schema/\(name) is stale: run python3 scripts/json-schemas.py")
        }
        // Every schema is documented.
        let doc = try String(contentsOfFile: packageRoot.appendingPathComponent("docs/json.md").path, encoding: .utf8)
        for name in written { #expect(doc.contains("`revgraph/\(name.replacingOccurrences(of: ".v1.json", with: ""))/v1`"), "\(name)") }
    }

    /// Every key of every object inside `value`.
    func keys(_ value: Any) -> [String] {
        if let o = value as? [String: Any] {
            // `resolution` maps fixed words (merge_revision, from, to...) to lists: keys too.
            return o.keys.sorted() + o.values.flatMap(keys)
        }
        if let a = value as? [Any] { return a.flatMap(keys) }
        return []
    }
}
