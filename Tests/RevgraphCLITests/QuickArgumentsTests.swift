import Foundation
import RevgraphTestSupport
import Testing

/// The command lines `QuickArguments` reads without ArgumentParser give exactly what
/// ArgumentParser gives (output, warnings, exit code), and the ones it leaves are ArgumentParser's.
@Suite struct QuickArgumentsTests {
    /// A repository with two projects (root and `sub/`), two heads and a branch label at the root,
    /// a staged change, so that every option changes what is printed.
    private func fixture() throws -> String {
        let dir = try makeTempDir("quick-args")
        try makeRepository(at: dir, files: [
            "a1_base.py": migration("a1", down: [], message: "base", labels: ["core"]),
            "b1_x.py": migration("b1", down: ["a1"], message: "x"),
            "b2_y.py": migration("b2", down: ["a1"], message: "y", depends: ["b1"]),
        ])
        try write("[alembic]\nscript_location = %(here)s/migrations\n[other]\nscript_location = %(here)s/migrations\n",
                  to: dir + "/sub/alembic.ini")
        try write(migration("s1", down: [], message: "sub base"), to: dir + "/sub/migrations/versions/s1_base.py")
        try write(migration("s2", down: ["s1"], message: "sub next"), to: dir + "/sub/migrations/versions/deep/s2_next.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "sub"], cwd: dir)
        try write(migration("c1", down: ["b1", "b2"], message: "merge"), to: dir + "/migrations/versions/c1_merge.py")
        try git(["add", "-A"], cwd: dir)
        return dir
    }

    private func both(_ args: [String], cwd: String) throws -> (quick: RunResult, parser: RunResult) {
        (try run(revgraphBinary, args, cwd: cwd, env: ["REVGRAPH_ARGUMENT_PARSER": "quick"]),
         try run(revgraphBinary, args, cwd: cwd, env: ["REVGRAPH_ARGUMENT_PARSER": "1"]))
    }

    /// Every option `heads` and `hook` declare, as ArgumentParser dumps them: an empty value is a
    /// usage error (exit 64) in both readers, attached (`--format=`) or apart (`--format ""`).
    @Test func anEmptyValueIsAUsageErrorInBothReaders() throws {
        let dir = try fixture()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for command in [["heads"], ["hook", "pre-commit"]] {
            let dump = try run(revgraphBinary, command.prefix(1) + ["--experimental-dump-help"], cwd: dir)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
            let arguments = try #require((json["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
            let options = arguments.filter { ($0["kind"] as? String) == "option" }.compactMap { a in
                (a["names"] as? [[String: String]])?.first { $0["kind"] == "long" }?["name"]
            }
            #expect(options.count >= 8, "\(command): \(options)")
            for name in options {
                for args in [command + ["--\(name)="], command + ["--\(name)", ""]] {
                    let (quick, parser) = try both(args, cwd: dir)
                    #expect(parser.status == 64, "\(args): \(parser.status) \(parser.stderr)")
                    #expect(quick.status == 64, "\(args): \(quick.status) \(quick.stderr)")
                }
            }
        }
        for name in ["--version-table", "--ledger-table", "--db"] {
            let r = try revgraph(["current", name, ""], cwd: dir)
            #expect(r.status == 64 && r.stderr.contains("'\(name)' needs a value"), "\(name): \(r.status) \(r.stderr)")
        }
    }

    @Test func theLinesItReadsGiveWhatArgumentParserGives() throws {
        let dir = try fixture()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines: [[String]] = [
            ["heads"], ["heads", "-v"], ["heads", "--verbose"], ["heads", "--format", "json"], ["heads", "--format=json"],
            ["heads", "--format", "text", "-v"], ["heads", "--resolve-dependencies"], ["heads", "--resolve-dependencies", "--format", "json"],
            ["-c", "sub/alembic.ini", "heads"], ["heads", "-c", "sub/alembic.ini"], ["heads", "--config=sub/alembic.ini"],
            ["heads", "-c", "sub/alembic.ini", "-n", "other"], ["heads", "-c", "sub/alembic.ini", "--name", "missing"],
            ["heads", "--at", "HEAD"], ["heads", "--at=HEAD~1"], ["heads", "--at", "nosuchref"], ["heads", "--staged"],
            ["heads", "--versions", "sub/migrations/versions"], ["heads", "--versions", "sub/migrations/versions", "--recursive"],
            ["heads", "--versions", "migrations/versions", "--versions", "sub/migrations/versions", "--recursive"],
            ["heads", "--max-heads", "3"], ["heads", "-q", "--raiseerr"], ["heads", "--define", "x=1"],
            ["heads", "--define", "x=1", "--define", "y=2"], ["heads", "--project", "nosuch"], ["heads", "--no-owner-check"],
            ["heads", "--django"], ["heads", "--repo", "."], ["heads", "--repo", "/nonexistent", "--at", "HEAD"],
            ["--repo", ".", "heads", "--at", "HEAD"], ["heads", "-c", "nosuch.ini"],
        ]
        for args in lines {
            let (quick, parser) = try both(args, cwd: dir)
            #expect(quick.status != 64 || !quick.stderr.contains("left to ArgumentParser"), "the quick reader left \(args)")
            #expect(quick.status == parser.status, "\(args)")
            #expect(quick.stdout == parser.stdout, "\(args)")
            #expect(quick.stderr == parser.stderr, "\(args)")
        }
        // The cases that print something of substance do (the comparison is not of two empty outputs).
        let now = try revgraph(["heads"], cwd: dir).stdout
        let before = try revgraph(["heads", "--at", "HEAD"], cwd: dir).stdout
        let sub = try revgraph(["heads", "--versions", "sub/migrations/versions", "--recursive"], cwd: dir).stdout
        #expect(now == "c1 (core) (head)\n")
        #expect(before == "b1 (core) (effective head)\nb2 (core) (head)\n")
        #expect(sub == "s2 (head)\n")
    }

    /// `hook pre-commit` as the installed hook runs it: what it checks, what it blocks, and the
    /// exit code, read both ways; the other hooks (which take git's arguments) are left.
    @Test func thePreCommitHookReadsAsArgumentParserReadsIt() throws {
        let dir = try fixture()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines: [[String]] = [["hook", "pre-commit"], ["hook", "pre-commit", "-c", "sub/alembic.ini"],
                                 ["hook", "pre-commit", "--project", "nosuch"], ["hook", "pre-commit", "--no-owner-check"],
                                 ["hook", "pre-commit", "--staged"]]
        for args in lines {
            let (quick, parser) = try both(args, cwd: dir)
            #expect(quick.status != 64 || !quick.stderr.contains("left to ArgumentParser"), "the quick reader left \(args)")
            #expect(quick.status == parser.status && quick.stdout == parser.stdout && quick.stderr == parser.stderr, "\(args)")
        }
        // A staged fork blocks the commit, both ways.
        try write(migration("c2", down: ["b1"], message: "fork"), to: dir + "/migrations/versions/c2_fork.py")
        try git(["add", "-A"], cwd: dir)
        let (quick, parser) = try both(["hook", "pre-commit"], cwd: dir)
        #expect(quick.status == 1 && quick.stdout.contains("commit blocked"), "\(quick.stdout)\(quick.stderr)")
        #expect(quick.stdout == parser.stdout && quick.stderr == parser.stderr && quick.status == parser.status)
        for args in [["hook", "pre-push", "origin", "x"], ["hook", "post-merge", "0"], ["hook", "pre-commit", "extra"],
                     ["hook", "pre-commit", "--help"], ["hook"],
                     ["-c", "sub/alembic.ini", "hook", "pre-commit"]] {  // reordered: an option before the hook's name
            let left = try run(revgraphBinary, args, cwd: dir, input: "", env: ["REVGRAPH_ARGUMENT_PARSER": "quick"])
            #expect(left.status == 64 && left.stderr.contains("left to ArgumentParser"), "the quick reader took \(args)")
        }
    }

    @Test func theLinesItLeavesAreArgumentParsers() throws {
        let dir = try fixture()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines: [[String]] = [
            ["heads", "--format", "xml"], ["heads", "--format", "JSON"], ["heads", "-v", "-v"], ["heads", "-v", "--verbose"],
            ["heads", "--at", "HEAD", "--staged"], ["heads", "extra"], ["heads", "--help"], ["heads", "-h"],
            ["heads", "-x", "a=b"], ["heads", "--max-heads", "0"], ["heads", "--max-heads", "two"], ["heads", "--define", "noequals"],
            ["heads", "--define", "=v"], ["heads", "--at"], ["heads", "--at", "-1"], ["heads", "--merge-with", "HEAD"], ["heads", "-vq"],
            ["heads", "--recursive"], ["heads", "--at", "HEAD", "--at", "HEAD~1"], ["heads", "--"], ["heads", "--verbose=yes"],
            ["heads", "--django", "-c", "alembic.ini"], ["heads", "-c=alembic.ini"], ["heads", "--nosuch"], [""], ["heads", ""],
        ]
        for args in lines {
            let (quick, parser) = try both(args, cwd: dir)
            #expect(quick.status == 64 && quick.stderr.contains("left to ArgumentParser"), "the quick reader took \(args)")
            #expect(try revgraph(args, cwd: dir).stderr == parser.stderr, "\(args)")
        }
    }
}
