import Foundation
import RevgraphTestSupport
import Testing

/// `revgraph merge` against real alembic: byte-for-byte with `alembic merge`, and accepted by alembic.
@Suite(.serialized) struct MergeTests {
    static let pinnedDate = "2026-11-27 12:26:47.230123"
    /// Runs alembic with its clock pinned, so both tools write the same Create Date.
    static let pinnedAlembic = """
        import sys, datetime
        import alembic.script.base as b
        b.ScriptDirectory._generate_create_date = lambda self: datetime.datetime(2026, 11, 27, 12, 26, 47, 230123)
        from alembic.config import main
        main(argv=sys.argv[1:], prog="alembic")
        """

    func python() throws -> String { try Requirement.python() }

    /// `alembic init -t TEMPLATE`, a SQLite URL, and two heads on one parent.
    func forkedAlembicProject(template: String, python: String) throws -> String {
        let dir = try makeTempDir("revgraph-merge")
        try write(Self.pinnedAlembic, to: dir + "/pinned.py")
        let al = { (args: [String]) throws -> RunResult in try run(python, [dir + "/pinned.py"] + args, cwd: dir) }
        let initResult = try al(["init", "-t", template, "migrations"])
        guard initResult.status == 0 else { throw TestFailure("alembic init failed: \(initResult.stdout)\(initResult.stderr)") }
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try ini.replacingOccurrences(of: "driver://user:pass@localhost/dbname", with: "sqlite:///\(dir)/app.db")
            .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
        for (id, head, splice) in [("a1a1a1a1", "head", false), ("b2b2b2b2", "head", false), ("c3c3c3c3", "a1a1a1a1", true)] {
            var args = ["revision", "-m", "rev \(id)", "--rev-id", id, "--head", head]
            if splice { args.append("--splice") }
            let r = try al(args)
            guard r.status == 0 else { throw TestFailure("alembic revision failed: \(r.stdout)\(r.stderr)") }
        }
        return dir
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"),
          arguments: ["generic", "pyproject", "async", "multidb"])
    func mergeIsByteIdenticalToAlembicMerge(template: String) throws {
        let python = try python()
        let dir = try forkedAlembicProject(template: template, python: python)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let message = "merge 'email' and branch!! (v2)"
        let a = try run(python, [dir + "/pinned.py", "merge", "-m", message, "--rev-id", "d4d4d4d4d4d4", "heads"], cwd: dir)
        #expect(a.status == 0, "\(a.stdout)\(a.stderr)")
        let name = "migrations/versions/d4d4d4d4d4d4_merge_email_and_branch_v2.py"
        let expected = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir + "/" + name)
        let mine = try revgraph(["merge", "-m", message, "--rev-id", "d4d4d4d4d4d4", "--date", Self.pinnedDate], cwd: dir)
        #expect(mine.status == 0, "\(mine.stderr)")
        let written = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        #expect(written == expected)
        // alembic accepts it: one head, and an upgrade on SQLite succeeds.
        let heads = try run(python, [dir + "/pinned.py", "heads"], cwd: dir)
        #expect(heads.stdout == "d4d4d4d4d4d4 (head)\n")
        if template == "generic" || template == "pyproject" {
            let up = try run(python, [dir + "/pinned.py", "upgrade", "head"], cwd: dir)
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
        }
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"))
    func customisedTemplateAndUnsupportedConstructs() throws {
        let python = try python()
        let dir = try forkedAlembicProject(template: "generic", python: python)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mako = dir + "/migrations/script.py.mako"
        let custom = try String(contentsOfFile: mako, encoding: .utf8)
            .replacingOccurrences(of: "# revision identifiers, used by Alembic.", with: "## a Mako comment\n# ids (${message | n})\\\n# joined")
        try custom.write(toFile: mako, atomically: true, encoding: .utf8)
        let a = try run(python, [dir + "/pinned.py", "merge", "-m", "custom", "--rev-id", "e5e5e5e5e5e5", "heads"], cwd: dir)
        #expect(a.status == 0)
        let name = dir + "/migrations/versions/e5e5e5e5e5e5_custom.py"
        let expected = try String(contentsOfFile: name, encoding: .utf8)
        try FileManager.default.removeItem(atPath: name)
        #expect(try revgraph(["merge", "-m", "custom", "--rev-id", "e5e5e5e5e5e5", "--date", Self.pinnedDate], cwd: dir).status == 0)
        #expect(try String(contentsOfFile: name, encoding: .utf8) == expected)
        try FileManager.default.removeItem(atPath: name)

        try (custom + "\n% for x in range(3):\n${x}\n% endfor\n").write(toFile: mako, atomically: true, encoding: .utf8)
        let bad = try revgraph(["merge", "-m", "x"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("script.py.mako:"))
        #expect(bad.stderr.contains("--builtin-template"))
        #expect(try revgraph(["merge", "-m", "x", "--builtin-template", "--rev-id", "f6f6f6f6f6f6"], cwd: dir).status == 0)
    }

    /// With `timezone =` in the config, alembic writes an aware Create Date: the offset in effect
    /// at that instant (+02:00 in a Berlin summer, +01:00 in its winter), whatever the season the
    /// merge is made in. alembic's clock is pinned to the instant; revgraph's `--date` names the
    /// same wall time in the zone.
    @Test(.enabled(if: Requirement.alembic, "needs alembic (REVGRAPH_ALEMBIC_PYTHON)"),
          arguments: [("2026-07-01 10:26:47", "2026-07-01 12:26:47.230123"), ("2026-11-27 11:26:47", "2026-11-27 12:26:47.230123"),
                      ("2026-03-29 00:59:59", "2026-03-29 01:59:59.230123"), ("2026-10-25 00:30:00", "2026-10-25 02:30:00.230123")])
    func mergeWithATimezoneIsByteIdenticalToAlembicMerge(utc: String, wall: String) throws {
        let python = try python()
        let dir = try forkedAlembicProject(template: "generic", python: python)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try ini.replacingOccurrences(of: "[alembic]\n", with: "[alembic]\ntimezone = Europe/Berlin\n")
            .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
        try write("""
            import sys, datetime as real, types
            import alembic.script.base as b
            class Pinned(real.datetime):
                @classmethod
                def now(cls, tz=None):
                    t = cls.strptime("\(utc)", "%Y-%m-%d %H:%M:%S").replace(microsecond=230123, tzinfo=real.timezone.utc)
                    return t if tz is not None else t.replace(tzinfo=None)
            shim = types.SimpleNamespace(**{k: getattr(real, k) for k in dir(real) if not k.startswith("__")})
            shim.datetime = Pinned
            b.datetime = shim
            from alembic.config import main
            main(argv=sys.argv[1:], prog="alembic")
            """, to: dir + "/pinned-tz.py")
        let a = try run(python, [dir + "/pinned-tz.py", "merge", "-m", "tz", "--rev-id", "d5d5d5d5d5d5", "heads"], cwd: dir)
        #expect(a.status == 0, "\(a.stdout)\(a.stderr)")
        let name = dir + "/migrations/versions/d5d5d5d5d5d5_tz.py"
        let expected = try String(contentsOfFile: name, encoding: .utf8)
        try FileManager.default.removeItem(atPath: name)
        let mine = try revgraph(["merge", "-m", "tz", "--rev-id", "d5d5d5d5d5d5", "--date", wall], cwd: dir)
        #expect(mine.status == 0, "\(mine.stderr)")
        let written = try String(contentsOfFile: name, encoding: .utf8)
        #expect(written == expected)
        #expect(expected.contains("Create Date: \(wall)+0"), "\(expected)")
    }

    @Test func autoMergesEachConflictingGroupAndLeavesLabelledBranches() throws {
        let dir = try makeTempDir("revgraph-auto")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: [
            "a.py": migration("a", down: []), "b.py": migration("b", down: ["a"]),
            "c.py": migration("c", down: ["a"]), "d.py": migration("d", down: ["a"]),
            "x.py": migration("x", down: [], labels: ["expand"]), "y.py": migration("y", down: [], labels: ["contract"]),
        ])
        try write(BuiltinTemplateText.text, to: dir + "/migrations/script.py.mako")
        let r = try revgraph(["merge", "--auto", "-m", "merge"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let after = try revgraph(["check"], cwd: dir)
        #expect(after.status == 0, "\(after.stdout)")
        #expect(after.stdout.contains("3 heads"))  // the merge, expand and contract
        let again = try revgraph(["merge", "--auto"], cwd: dir)
        #expect(again.stdout == "nothing to merge: no conflicting heads\n")
    }

    @Test func hostileMessageExistingFileAndReadOnlyDirectory() throws {
        let dir = try makeTempDir("revgraph-safe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeProject(at: dir, files: ["a.py": migration("a", down: []), "b.py": migration("b", down: ["a"]),
                                          "c.py": migration("c", down: ["a"])])
        try write(BuiltinTemplateText.text, to: dir + "/migrations/script.py.mako")
        let hostile = try revgraph(["merge", "-m", "../../etc/passwd \"'; rm -rf /", "--rev-id", "abc123", "--dry-run"], cwd: dir)
        #expect(hostile.status == 0)
        #expect(hostile.stdout.hasPrefix("would write \(dir)/migrations/versions/abc123_etc_passwd_rm_rf.py\n"))
        #expect(try revgraph(["merge", "--rev-id", "../x"], cwd: dir).status == 64)
        // An existing file of the same name is never overwritten.
        try write("keep me", to: dir + "/migrations/versions/abc123_m.py")
        let clash = try revgraph(["merge", "-m", "m", "--rev-id", "abc123"], cwd: dir)
        #expect(clash.status == 2)
        #expect(try String(contentsOfFile: dir + "/migrations/versions/abc123_m.py", encoding: .utf8) == "keep me")
        try FileManager.default.removeItem(atPath: dir + "/migrations/versions/abc123_m.py")
        // A versions directory nobody may write to (root included: sysfs refuses new files): a
        // clear error, and nothing left behind.
        if getuid() == 0 {
            let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
            try (ini + "version_locations = %(here)s/migrations/versions:/sys/kernel\n")
                .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
            let ro = try revgraph(["merge", "-m", "m", "--rev-id", "abc124", "--version-path", "/sys/kernel"], cwd: dir)
            #expect(ro.status == 2, "\(ro.stdout)\(ro.stderr)")
            #expect(ro.stderr.contains("cannot write") || ro.stderr.contains("cannot create"))
        } else {
            chmod(dir + "/migrations/versions", 0o555)
            let ro = try revgraph(["merge", "-m", "m", "--rev-id", "abc124"], cwd: dir)
            chmod(dir + "/migrations/versions", 0o755)
            #expect(ro.status == 2)
        }
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir + "/migrations/versions")
        #expect(!listing.contains { $0.hasPrefix(".revgraph-") })
    }

    @Test func stageAddsTheFileToTheIndex() throws {
        let dir = try makeTempDir("revgraph-stage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a.py": migration("a", down: []), "b.py": migration("b", down: ["a"]),
                                          "c.py": migration("c", down: ["a"])])
        try write(BuiltinTemplateText.text, to: dir + "/migrations/script.py.mako")
        try git(["add", "-A"], cwd: dir)
        #expect(try revgraph(["check", "--staged"], cwd: dir).status == 1)
        #expect(try revgraph(["merge", "--auto", "--stage", "-m", "fix"], cwd: dir).status == 0)
        #expect(try revgraph(["check", "--staged"], cwd: dir).status == 0)
    }
}

/// Alembic's generic template, for projects built by hand in tests.
enum BuiltinTemplateText {
    static let text = #"""
        """${message}

        Revision ID: ${up_revision}
        Revises: ${down_revision | comma,n}
        Create Date: ${create_date}

        """
        revision = ${repr(up_revision)}
        down_revision = ${repr(down_revision)}
        branch_labels = ${repr(branch_labels)}
        depends_on = ${repr(depends_on)}

        """#
}
