import Foundation
import RevgraphTestSupport
import Testing

/// The git hooks end to end: real git, a bare remote, hooks installed by `revgraph hooks install`.
@Suite(.serialized) struct HookTests {
    /// git with revgraph found through $REVGRAPH, as a developer's PATH would.
    @discardableResult
    func g(_ args: [String], _ cwd: String, env: [String: String] = [:]) throws -> RunResult { try developerGit(args, cwd, env: env) }

    /// A clone of a bare remote whose main has a1 <- b1, with hooks installed.
    func setUp() throws -> (work: String, remote: String, root: String) {
        let root = try makeTempDir("revgraph-hooks")
        let remote = root + "/remote.git"
        let work = root + "/work"
        try g(["init", "-q", "--bare", "-b", "main", remote], root)
        try g(["init", "-q", "-b", "main", work], root)
        try makeProject(at: work, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        try write(BuiltinTemplateText.text, to: work + "/migrations/script.py.mako")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "base"], work)
        try g(["remote", "add", "origin", remote], work)
        try g(["push", "-q", "-u", "origin", "main"], work)
        try g(["remote", "set-head", "origin", "main"], work)
        let install = try revgraph(["hooks", "install"], cwd: work)
        #expect(install.status == 0, "\(install.stderr)")
        return (work, remote, root)
    }

    @Test func hookFilesInTheRepositoryAreWhatInstallWrites() throws {
        for name in ["pre-commit", "pre-merge-commit", "pre-push", "post-merge"] {
            let file = try String(contentsOfFile: packageRoot.appendingPathComponent("hooks/\(name)").path, encoding: .utf8)
            #expect(file == (try revgraph(["hooks", "print", name], cwd: "/").stdout))
        }
    }

    @Test func forkingCommitIsRefusedCleanCommitPassesNoVerifyBypasses() throws {
        let (work, _, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(migration("c1", down: ["b1"]), to: work + "/migrations/versions/c1.py")
        try write(migration("c2", down: ["b1"]), to: work + "/migrations/versions/c2.py")
        try g(["add", "-A"], work)
        let refused = try g(["commit", "-qm", "two heads"], work)
        #expect(refused.status != 0)
        #expect(refused.stdout.contains("commit blocked") || refused.stderr.contains("commit blocked"))
        #expect((refused.stdout + refused.stderr).contains("migrations/versions/c1.py"))
        #expect((refused.stdout + refused.stderr).contains("revgraph merge"))
        try g(["rm", "-q", "--cached", "migrations/versions/c2.py"], work)
        #expect(try g(["commit", "-qm", "one head"], work).status == 0)
        try g(["add", "-A"], work)
        #expect(try g(["commit", "-q", "--no-verify", "-m", "forced"], work).status == 0)
    }

    @Test func editOfAPublishedRevisionIsRefusedAtCommitAndAtPush() throws {
        let (work, _, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(migration("b1", down: ["a1"], message: "edited"), to: work + "/migrations/versions/b1.py")
        try g(["add", "-A"], work)
        let commit = try g(["commit", "-qm", "edit b1"], work)
        #expect(commit.status != 0)
        #expect((commit.stdout + commit.stderr).contains("revision b1, published in refs/remotes/origin/main, was edited"))
        #expect(try g(["commit", "-q", "--no-verify", "-m", "edit b1"], work).status == 0)
        let push = try g(["push", "-q", "origin", "main"], work)
        #expect(push.status != 0)
        #expect((push.stdout + push.stderr).contains("push blocked"))
        #expect((push.stdout + push.stderr).contains(": edit b1"))  // the commit that did it
    }

    @Test func rebaseThatRewritesAPublishedRevisionIsCaughtAtPush() throws {
        let (work, _, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(migration("c1", down: ["b1"]), to: work + "/migrations/versions/c1.py")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "c1"], work)
        // Rewrite history without running pre-commit: amend the published b1 in a rebase.
        try g(["checkout", "-q", "-b", "rewrite", "HEAD~1"], work)
        try write(migration("b1", down: [], message: "rebased"), to: work + "/migrations/versions/b1.py")
        try g(["commit", "-q", "--no-verify", "-am", "rewrite b1"], work)
        let push = try g(["push", "-q", "origin", "rewrite"], work)
        #expect(push.status != 0)
        #expect((push.stdout + push.stderr).contains("down_revision of b1"))
        #expect(try g(["push", "-q", "--no-verify", "origin", "rewrite"], work).status == 0)
    }

    @Test func pushThatForksOnlyOnceMergedWithMainIsRefused() throws {
        let (work, remote, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A colleague pushes c1 to main.
        let other = root + "/other"
        try g(["clone", "-q", remote, other], root)
        try write(migration("c1", down: ["b1"]), to: other + "/migrations/versions/c1.py")
        try g(["add", "-A"], other)
        try g(["commit", "-qm", "c1 on main"], other)
        try g(["push", "-q", "origin", "main"], other)
        // We add c2 on b1 in a feature branch; alone it is fine.
        try g(["fetch", "-q", "origin"], work)
        try g(["checkout", "-q", "-b", "feature"], work)
        try write(migration("c2", down: ["b1"]), to: work + "/migrations/versions/c2.py")
        try g(["add", "-A"], work)
        #expect(try g(["commit", "-qm", "c2"], work).status == 0)
        let push = try g(["push", "-q", "origin", "feature"], work)
        #expect(push.status != 0)
        #expect((push.stdout + push.stderr).contains("merging this push into refs/remotes/origin/main forks the graph"),
                "\(push.stdout)\(push.stderr)")
        // Deleting a remote branch is never blocked.
        #expect(try g(["push", "-q", "--no-verify", "origin", "feature"], work).status == 0)
        #expect(try g(["push", "-q", "origin", "--delete", "feature"], work).status == 0)
    }

    @Test func existingHookIsChainedAndRestoredByUninstall() throws {
        let root = try makeTempDir("revgraph-hooks")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try g(["init", "-q", "-b", "main", root], "/")
        try makeProject(at: root, files: ["a1.py": migration("a1", down: [])])
        let user = "#!/bin/sh\necho user-hook-ran >&2\nexit ${USER_HOOK_EXIT:-0}\n"
        try write(user, to: root + "/.git/hooks/pre-commit")
        chmod(root + "/.git/hooks/pre-commit", 0o755)
        let install = try revgraph(["hooks", "install"], cwd: root)
        #expect(install.stdout.contains("kept the existing hook"))
        #expect(try revgraph(["hooks", "install"], cwd: root).stdout.contains("already installed"))  // idempotent
        #expect(try revgraph(["hooks", "status"], cwd: root).stdout.contains("pre-commit: chained"))
        try g(["add", "-A"], root)
        let ok = try g(["commit", "-qm", "x"], root)
        #expect(ok.status == 0)
        #expect(ok.stderr.contains("user-hook-ran"))
        try write("x", to: root + "/y.txt")
        try g(["add", "-A"], root)
        #expect(try g(["commit", "-qm", "y"], root, env: ["USER_HOOK_EXIT": "3"]).status != 0)  // its failure stops the hook
        #expect(try revgraph(["hooks", "uninstall"], cwd: root).status == 0)
        #expect(try String(contentsOfFile: root + "/.git/hooks/pre-commit", encoding: .utf8) == user)
        #expect(!FileManager.default.fileExists(atPath: root + "/.git/hooks/pre-push"))
        #expect(try revgraph(["hooks", "status"], cwd: root).stdout.contains("pre-push: missing"))
    }

    @Test func hooksPathAndWorktreesAreHonoured() throws {
        let root = try makeTempDir("revgraph-hooks")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try g(["init", "-q", "-b", "main", root + "/repo"], "/")
        let repo = root + "/repo"
        try makeProject(at: repo, files: ["a1.py": migration("a1", down: [])])
        try g(["add", "-A"], repo)
        try g(["commit", "-qm", "base"], repo)
        try g(["config", "core.hooksPath", ".githooks"], repo)
        #expect(try revgraph(["hooks", "install"], cwd: repo).stdout.contains("\(repo)/.githooks"))
        #expect(FileManager.default.fileExists(atPath: repo + "/.githooks/pre-commit"))
        try g(["config", "--unset", "core.hooksPath"], repo)
        try g(["worktree", "add", "-q", root + "/wt", "-b", "wt"], repo)
        let inWorktree = try revgraph(["hooks", "install", "--hook", "pre-commit"], cwd: root + "/wt")
        #expect(inWorktree.stdout.contains("\(repo)/.git/hooks"))
        try write(migration("x1", down: ["a1"]), to: root + "/wt/migrations/versions/x1.py")
        try write(migration("x2", down: ["a1"]), to: root + "/wt/migrations/versions/x2.py")
        try g(["add", "-A"], root + "/wt")
        #expect(try g(["commit", "-qm", "fork"], root + "/wt").status != 0)
    }

    @Test(arguments: ["off", "suggest", "create", "create-and-stage"])
    func postMergeModes(mode: String) throws {
        let (work, _, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ini = try String(contentsOfFile: work + "/alembic.ini", encoding: .utf8)
        try (ini + "\n[revgraph]\npost_merge = \(mode)\n").write(toFile: work + "/alembic.ini", atomically: true, encoding: .utf8)
        try g(["commit", "-qam", "post_merge mode"], work)
        try g(["checkout", "-qb", "side"], work)
        try write(migration("s1", down: ["b1"]), to: work + "/migrations/versions/s1.py")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "s1"], work)
        try g(["checkout", "-q", "main"], work)
        try write(migration("m1", down: ["b1"]), to: work + "/migrations/versions/m1.py")
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "m1"], work)
        // The pre-merge-commit hook refuses the fork, and under create modes writes the merge
        // revision (staged for create-and-stage): git has written the merge's tree before the hook,
        // so the merge stops and 'git commit' finishes it with the merge revision.
        let blocked = try g(["merge", "--no-edit", "side"], work)
        let blockedOut = blocked.stdout + blocked.stderr
        #expect(blocked.status != 0)
        #expect(blockedOut.contains(mode.hasPrefix("create") ? "merge stopped" : "merge blocked"), "\(blockedOut)")
        #expect(blockedOut.contains("Generating") == mode.hasPrefix("create"))
        if mode == "create-and-stage" {
            let finish = try g(["commit", "--no-edit"], work)
            #expect(finish.status == 0, "\(finish.stdout)\(finish.stderr)")
            #expect(try git(["rev-list", "--parents", "-1", "HEAD"], cwd: work).split(separator: " ").count == 3)
            #expect(try revgraph(["check", "--at", "HEAD"], cwd: work).status == 0)
            return
        }
        try g(["merge", "--abort"], work)
        try g(["clean", "-qfd"], work)
        // Bypassed (--no-verify skips pre-merge-commit, not post-merge): post_merge decides.
        let merge = try g(["merge", "--no-verify", "--no-edit", "side"], work)
        let out = merge.stdout + merge.stderr
        let check = try revgraph(["check"], cwd: work)
        let staged = try revgraph(["check", "--staged"], cwd: work)
        switch mode {
        case "off":
            #expect(!out.contains("revgraph"))
            #expect(check.status == 1)
        case "suggest":
            #expect(out.contains("the merge forked the migration graph"))
            #expect(out.contains("revgraph merge --auto"))
            #expect(check.status == 1)
        default:
            #expect(out.contains("Generating"))
            #expect(check.status == 0)
            #expect(staged.status == 1)
        }
    }

    @Test func missingRevgraphFailsWithTheBypassOrPassesByPolicy() throws {
        let (work, _, root) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Installed by a revgraph that is then removed: the recorded path no longer works.
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: revgraphBinary, toPath: root + "/bin/revgraph")
        #expect(try run(root + "/bin/revgraph", ["hooks", "install"], cwd: work).status == 0)
        try FileManager.default.removeItem(atPath: root + "/bin/revgraph")
        try write("x", to: work + "/x.txt")
        try g(["add", "-A"], work)
        let missing = try g(["commit", "-qm", "x"], work, env: ["REVGRAPH": "/nonexistent/revgraph", "PATH": "/usr/bin:/bin"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("git commit --no-verify"))
        // All three places are named.
        #expect(missing.stderr.contains("not at '\(root)/bin/revgraph'"), "\(missing.stderr)")
        #expect(missing.stderr.contains("REVGRAPH='/nonexistent/revgraph'"))
        #expect(missing.stderr.contains("not on PATH"))
        // The policy is found in a CRLF pyproject.toml below the root, quoted and indented, too.
        try write("[tool.revgraph]\r\n  on_missing = \"pass\"\r\n", to: work + "/backend/pyproject.toml")
        try g(["add", "-A"], work)
        let passed = try g(["commit", "-qm", "x"], work, env: ["REVGRAPH": "/nonexistent/revgraph", "PATH": "/usr/bin:/bin"])
        #expect(passed.status == 0, "\(passed.stderr)")
        try g(["rm", "-q", "backend/pyproject.toml"], work)
        let ini = try String(contentsOfFile: work + "/alembic.ini", encoding: .utf8)
        try (ini + "\n[revgraph]\non_missing = pass\n").write(toFile: work + "/alembic.ini", atomically: true, encoding: .utf8)
        try g(["add", "-A"], work)
        #expect(try g(["commit", "-qm", "x"], work, env: ["REVGRAPH": "/nonexistent/revgraph", "PATH": "/usr/bin:/bin"]).status == 0)
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv (REVGRAPH_ALEMBIC_PYTHON)"))
    func preCommitFrameworkManifestIsValid() throws {
        let python = try Requirement.python()
        let preCommit = (python as NSString).deletingLastPathComponent + "/pre-commit"
        guard FileManager.default.isExecutableFile(atPath: preCommit) else {
            throw TestFailure("pre-commit is not installed in the test virtualenv")
        }
        let r = try run(preCommit, ["validate-manifest", packageRoot.appendingPathComponent(".pre-commit-hooks.yaml").path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func repositoryWithoutMigrationsIsNeverBlocked() throws {
        let root = try makeTempDir("revgraph-hooks")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try g(["init", "-q", "-b", "main", root], "/")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        try write("hello\n", to: root + "/README")
        try g(["add", "-A"], root)
        let commit = try g(["commit", "-qm", "no migrations here"], root)
        #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")
        // Never a silent all-clear: it says there was nothing to check.
        #expect(commit.stderr.contains("revgraph: no Alembic or Django project in this repository: nothing to check"))
    }
}
