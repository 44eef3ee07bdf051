import Foundation
import RevgraphTestSupport
import Testing

/// End-to-end runs of the built binary, one per documented exit code.
@Suite struct ExitCodeTests {
    @Test func cleanProjectExitsZero() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: [
            "a1_base.py": migration("a1", down: [], message: "base"),
            "b2_next.py": migration("b2", down: ["a1"], message: "next"),
        ])
        let r = try revgraph(["check"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("ok: 2 revisions, 1 head (b2)"))
        #expect(try revgraph(["heads"], cwd: dir).stdout == "b2 (head)\n")
    }

    @Test func conflictingHeadsExitOneFromCheckButZeroFromHeads() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: [
            "a1_base.py": migration("a1", down: []),
            "b1_x.py": migration("b1", down: ["a1"]),
            "b2_y.py": migration("b2", down: ["a1"]),
        ])
        let check = try revgraph(["check"], cwd: dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("migrations/versions/b1_x.py:"))
        #expect(check.stdout.contains("error: multiple heads"))
        #expect(check.stdout.contains("revgraph merge -m \"merge heads\" b1 b2"))
        let heads = try revgraph(["heads"], cwd: dir)
        #expect(heads.status == 0)
        #expect(heads.stdout == "b1 (head)\nb2 (head)\n")
        #expect(heads.stderr.contains("warning: multiple heads"))
        let gh = try revgraph(["check", "--format", "github"], cwd: dir)
        #expect(gh.stdout.hasPrefix("::error file="))
        #expect(try revgraph(["check", "--max-heads", "2"], cwd: dir).status == 0)
    }

    @Test func missingParentIsAProblemNotACrash() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: ["c3_x.py": migration("c3", down: ["zzz"])])
        let r = try revgraph(["check", "--format", "json"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"kind\" : \"missing-parent\""))
    }

    @Test func badConfigExitsTwo() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("[alembic]\nsqlalchemy.url = sqlite://\n", to: dir + "/alembic.ini")
        let r = try revgraph(["heads"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("script_location"))
        let empty = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try revgraph(["heads"], cwd: empty)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no alembic.ini"))
    }

    @Test func usageErrorsExitSixtyFour() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [])])
        #expect(try revgraph(["heads", "--bogus"], cwd: dir).status == 64)
        let unknown = try revgraph(["show", "nothere"], cwd: dir)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no such revision or branch 'nothere'"))
    }

    @Test func versionsFlagNeedsNoConfig() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("a1", down: [], message: "first"), to: dir + "/v/a1.py")
        let r = try revgraph(["history", "--versions", "v"], cwd: dir)
        #expect(r.stdout == "<base> -> a1 (head), first\n")
    }

    @Test func neutronStyleLabelsFromConfigSeparateTheBranches() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: [
            "kilo.py": "revision = 'kilo'\ndown_revision = None\n",
            "e1.py": "from x import cli\nrevision = 'e1'\ndown_revision = 'kilo'\nbranch_labels = (cli.EXPAND_BRANCH,)\n",
            "c1.py": "from x import cli\nrevision = 'c1'\ndown_revision = 'kilo'\nbranch_labels = (cli.CONTRACT_BRANCH,)\n",
        ])
        let warned = try revgraph(["check"], cwd: dir)
        #expect(warned.status == 1)  // without labels, two heads conflict
        #expect(warned.stdout.contains("c1.py:4: warning: branch_labels in"))
        #expect(warned.stdout.contains("name.cli.CONTRACT_BRANCH = VALUE"))
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try (ini + "\n[revgraph]\nname.cli.EXPAND_BRANCH = expand\nname.cli.CONTRACT_BRANCH = contract\n")
            .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
        let ok = try revgraph(["check"], cwd: dir)
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(try revgraph(["heads"], cwd: dir).stdout == "c1 (contract) (head)\ne1 (expand) (head)\n")
    }
}
