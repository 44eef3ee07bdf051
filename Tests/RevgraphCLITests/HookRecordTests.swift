import Foundation
import RevgraphTestSupport
import Testing

/// The hooks check what git will record: the index git names in GIT_INDEX_FILE (`commit -a`,
/// `commit PATH`, `--only`, `--include`, `--amend -a`), a merge's result (pre-merge-commit), and
/// the repository forms git hands a hook (GIT_DIR/GIT_WORK_TREE, linked worktrees, sparse indexes).
/// revgraph is found by the path `hooks install` recorded: no REVGRAPH, no revgraph on PATH.
@Suite(.serialized) struct HookRecordTests {
    @discardableResult
    func g(_ args: [String], _ cwd: String, env: [String: String] = [:]) throws -> RunResult {
        try developerGit(args, cwd, env: ["REVGRAPH": "", "PATH": "/usr/bin:/bin"].merging(env) { $1 })
    }

    /// A repository whose main has a1 <- b1 and an untracked-free work tree, hooks installed.
    func setUp(_ name: String = "revgraph-record") throws -> (work: String, root: String) {
        let root = try makeTempDir(name)
        let work = root + "/work"
        try g(["init", "-q", "-b", "main", work], root)
        try makeProject(at: work, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        try write("notes\n", to: work + "/README")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "base"], work)
        let install = try revgraph(["hooks", "install"], cwd: work)
        #expect(install.status == 0, "\(install.stderr)")
        return (work, root)
    }

    /// The heads of HEAD's graph, as revgraph reads the commit.
    func headsAtHEAD(_ work: String) throws -> [String] {
        try revgraph(["heads", "--at", "HEAD"], cwd: work).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    func v(_ id: String) -> String { "migrations/versions/\(id).py" }

    @Test(arguments: ["-a", "PATH", "--only", "--include", "--amend -a"])
    func aForkCommittedThroughATemporaryIndexIsRefused(form: String) throws {
        let (work, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // c1 is committed; c2 (also on b1) is tracked but its staged copy is harmless (on c1),
        // so only what the commit form adds from the work tree forks the graph.
        try write(migration("c1", down: ["b1"]), to: work + "/" + v("c1"))
        try write(migration("c2", down: ["c1"]), to: work + "/" + v("c2"))
        try g(["add", "-A"], work)
        #expect(try g(["commit", "-qm", "c1 c2"], work).status == 0)
        try write(migration("c2", down: ["b1"], message: "forks"), to: work + "/" + v("c2"))
        let args: [String]
        switch form {
        case "-a": args = ["commit", "-qam", "fork"]
        case "PATH": args = ["commit", "-qm", "fork", v("c2")]
        case "--only": args = ["commit", "-q", "--only", "-m", "fork", v("c2")]
        case "--include": args = ["commit", "-q", "--include", "-m", "fork", v("c2")]
        default: args = ["commit", "-q", "--amend", "-a", "-m", "fork"]
        }
        let r = try g(args, work)
        #expect(r.status != 0, "git \(args.joined(separator: " ")) committed a fork: \(r.stdout)\(r.stderr)")
        #expect((r.stdout + r.stderr).contains("commit blocked"), "\(r.stdout)\(r.stderr)")
        #expect((r.stdout + r.stderr).contains("c1, c2"))
        #expect(try headsAtHEAD(work) == ["c2"])
        // The same forms with a harmless change pass (and name what they checked).
        try write("notes, more\n", to: work + "/README")
        try write(migration("c2", down: ["c1"]), to: work + "/" + v("c2"))
        let ok = try g(form == "-a" || form.hasPrefix("--amend") ? args : ["commit", "-qm", "readme", "README"], work)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stderr.contains("revgraph: checked 4 revisions, 1 head"), "\(ok.stderr)")
    }

    @Test func aMergeThatForksIsRefusedAndOneThatKeepsOneHeadPasses() throws {
        let (work, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let hooks = try String(contentsOfFile: work + "/.git/hooks/pre-merge-commit", encoding: .utf8)
        #expect(hooks.contains("revgraph hook"))
        try g(["checkout", "-qb", "side"], work)
        try write(migration("s1", down: ["b1"]), to: work + "/" + v("s1"))
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "s1"], work)
        try g(["checkout", "-q", "main"], work)
        try write(migration("m1", down: ["b1"]), to: work + "/" + v("m1"))
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "m1"], work)
        let before = try git(["rev-parse", "HEAD"], cwd: work)
        let merge = try g(["merge", "--no-edit", "side"], work)
        #expect(merge.status != 0)
        #expect((merge.stdout + merge.stderr).contains("merge blocked"), "\(merge.stdout)\(merge.stderr)")
        #expect((merge.stdout + merge.stderr).contains("m1, s1"))
        #expect(try git(["rev-parse", "HEAD"], cwd: work) == before)
        // Finishing it with a plain commit is refused too, until a merge revision is staged.
        #expect(try g(["commit", "-qm", "merge"], work).status != 0)
        try g(["merge", "--abort"], work)
        // --no-commit, then commit: refused by pre-commit.
        #expect(try g(["merge", "--no-commit", "side"], work).status == 0)
        let finish = try g(["commit", "-qm", "merge"], work)
        #expect(finish.status != 0)
        #expect((finish.stdout + finish.stderr).contains("merge blocked"))
        try write(migration("mm", down: ["m1", "s1"]), to: work + "/" + v("mm"))
        try g(["add", "-A"], work)
        let merged = try g(["commit", "-qm", "merge with a merge revision"], work)
        #expect(merged.status == 0, "\(merged.stdout)\(merged.stderr)")
        #expect(try headsAtHEAD(work) == ["mm"])
        // A merge that keeps one head passes the pre-merge-commit hook.
        try g(["checkout", "-qb", "docs", "HEAD~1"], work)
        try write("docs\n", to: work + "/DOCS")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "docs"], work)
        try g(["checkout", "-q", "main"], work)
        let clean = try g(["merge", "--no-edit", "docs"], work)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stderr.contains("revgraph: checked"))
    }

    @Test func gitDirAndWorkTreeAndLinkedWorktreesAreRead() throws {
        let (work, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // git --git-dir=... --work-tree=... commit: the hook gets GIT_DIR and GIT_WORK_TREE.
        let other = root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let gw = ["--git-dir=\(work)/.git", "--work-tree=\(other)"]
        try g(gw + ["checkout", "-q", "HEAD", "--", "."], other)
        try write(migration("w1", down: ["b1"]), to: other + "/" + v("w1"))
        try write(migration("w2", down: ["b1"]), to: other + "/" + v("w2"))
        try g(gw + ["add", "-A"], other)
        let fork = try g(gw + ["commit", "-qm", "fork"], other)
        #expect(fork.status != 0)
        #expect((fork.stdout + fork.stderr).contains("commit blocked"), "\(fork.stdout)\(fork.stderr)")
        try g(gw + ["rm", "-q", "--cached", v("w2")], other)
        let ok = try g(gw + ["commit", "-qm", "w1"], other)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        // Commands under GIT_DIR/GIT_WORK_TREE read the same repository.
        let heads = try run(revgraphBinary, ["heads", "--at", "HEAD"], cwd: other,
                            env: ["GIT_DIR": work + "/.git", "GIT_WORK_TREE": other])
        #expect(heads.status == 0, "\(heads.stderr)")
        #expect(heads.stdout.hasPrefix("w1 (head)"))
        let check = try run(revgraphBinary, ["check"], cwd: other, env: ["GIT_DIR": work + "/.git", "GIT_WORK_TREE": other])
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")  // w2 is in this work tree: two heads
        // A linked worktree: its own index (GIT_INDEX_FILE under .git/worktrees/).
        try g(["worktree", "add", "-q", root + "/wt", "-b", "wt"], work)
        try write(migration("x1", down: ["w1"]), to: root + "/wt/" + v("x1"))
        try g(["add", "-A"], root + "/wt")
        #expect(try g(["commit", "-qm", "x1"], root + "/wt").status == 0)
        try write(migration("x2", down: ["w1"]), to: root + "/wt/" + v("x2"))
        #expect(try g(["commit", "-qm", "readme", "--allow-empty"], root + "/wt").status == 0)  // x2 untracked: not recorded
        try g(["add", "-A"], root + "/wt")
        #expect(try g(["commit", "-qm", "x2"], root + "/wt").status != 0)
        // A bare clone: --at reads commits.
        try g(["clone", "-q", "--bare", work, root + "/bare.git"], root)
        let bare = try revgraph(["heads", "--at", "main"], cwd: root + "/bare.git")
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stdout.hasPrefix("w1 (head)"))
    }

    @Test func aSparseIndexIsReadAndItsForksRefused() throws {
        let (work, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("doc\n", to: work + "/docs/guide/intro.md")
        try write("x\n", to: work + "/lib/pkg/mod.py")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "docs"], work)
        try g(["sparse-checkout", "init", "--cone", "--sparse-index"], work)
        try g(["sparse-checkout", "set", "migrations"], work)
        let listing = try git(["ls-files", "--sparse", "--stage"], cwd: work)
        #expect(listing.contains("040000"), "not sparse: \(listing)")
        try write(migration("c1", down: ["b1"]), to: work + "/" + v("c1"))
        try g(["add", "migrations"], work)
        let one = try g(["commit", "-qm", "c1"], work)
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        #expect(one.stderr.contains("checked 3 revisions, 1 head"))
        try write(migration("c2", down: ["b1"]), to: work + "/" + v("c2"))
        try g(["add", "migrations"], work)
        let two = try g(["commit", "-qm", "c2"], work)
        #expect(two.status != 0)
        #expect((two.stdout + two.stderr).contains("c1, c2"), "\(two.stdout)\(two.stderr)")
        // A README-only commit in the sparse repository passes.
        try g(["rm", "-q", "--cached", v("c2")], work)
        try write("notes, more\n", to: work + "/README")
        try g(["add", "README"], work)
        let readme = try g(["commit", "-qm", "readme"], work)
        #expect(readme.status == 0, "\(readme.stdout)\(readme.stderr)")
    }
}
