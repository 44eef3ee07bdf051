import Foundation
import RevgraphTestSupport
import Testing

/// The real pre-commit framework (from the test virtualenv) running this repository's hooks from a
/// local clone, as a team that installed revgraph (on PATH) would configure it.
@Suite(.serialized)
struct InstalledHooksFrameworkTests {
    func g(_ args: [String], _ cwd: String, env: [String: String] = [:]) throws -> RunResult {
        var e = ["GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
                 "GIT_COMMITTER_EMAIL": "dev@example.com", "GIT_CONFIG_NOSYSTEM": "1"]
        for (k, v) in env { e[k] = v }
        return try run("/usr/bin/git", args, cwd: cwd, env: e)
    }

    @Test(.enabled(if: Requirement.alembic, "needs pre-commit and alembic in the test virtualenv (REVGRAPH_ALEMBIC_PYTHON)"))
    func installedHooksPassAFreshProjectAndRefuseAFork() throws {
        let python = try Requirement.python()
        let bin = (python as NSString).deletingLastPathComponent
        let root = try makeTempDir("revgraph-precommit")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The hooks repository: a clone of this one, with the working tree's manifest committed.
        let hooksRepo = root + "/revgraph-clone"
        try #require(g(["clone", "-q", packageRoot.path, hooksRepo], root).status == 0)
        try FileManager.default.removeItem(atPath: hooksRepo + "/.pre-commit-hooks.yaml")
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent(".pre-commit-hooks.yaml").path,
                                         toPath: hooksRepo + "/.pre-commit-hooks.yaml")
        _ = try g(["commit", "-qam", "manifest under test", "--allow-empty"], hooksRepo)
        let rev = try g(["rev-parse", "HEAD"], hooksRepo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // A fresh `alembic init` project.
        let project = root + "/app"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try #require(g(["init", "-q", "-b", "main"], project).status == 0)
        try #require(run(python, ["-m", "alembic", "init", "migrations"], cwd: project).status == 0)
        try write("""
            repos:
              - repo: \(hooksRepo)
                rev: \(rev)
                hooks:
                  - id: revgraph-check-installed
                  - id: revgraph-verify-published-installed

            """, to: project + "/.pre-commit-config.yaml")
        // revgraph installed: the built binary's directory on PATH; pre-commit's cache kept in the test.
        let binDir = (revgraphBinary as NSString).deletingLastPathComponent
        let env = ["PATH": "\(binDir):\(bin):/usr/bin:/bin", "PRE_COMMIT_HOME": root + "/cache", "HOME": root]
        let install = try run(bin + "/pre-commit", ["install", "--hook-type", "pre-commit", "--hook-type", "pre-merge-commit",
                                                    "--hook-type", "pre-push"], cwd: project, env: env)
        try #require(install.status == 0, "\(install.stdout)\(install.stderr)")

        try #require(run(python, ["-m", "alembic", "revision", "-m", "create users", "--rev-id", "aaaa1111"], cwd: project).status == 0)
        _ = try g(["add", "-A"], project)
        let first = try g(["commit", "-m", "first migration"], project, env: env)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let firstOutput = first.stdout + first.stderr
        #expect(firstOutput.contains("Alembic migration graph (revgraph, installed)") && firstOutput.contains("Passed"), "\(firstOutput)")
        #expect(firstOutput.contains("No published Alembic revision edited (revgraph, installed)"), "\(firstOutput)")
        // It compared nothing, and says so (verbose: pre-commit shows a passing hook's output).
        #expect(firstOutput.contains("nothing was compared: no published refs are configured"), "\(firstOutput)")

        // Two revisions on the same parent: the graph forks, the commit is refused and told the fix.
        for (id, msg) in [("bbbb2222", "add email"), ("cccc3333", "add invoices")] {
            try #require(run(python, ["-m", "alembic", "revision", "-m", msg, "--rev-id", id, "--head", "aaaa1111", "--splice"], cwd: project).status == 0)
        }
        _ = try g(["add", "-A"], project)
        let fork = try g(["commit", "-m", "two migrations on one parent"], project, env: env)
        let forkOutput = fork.stdout + fork.stderr
        #expect(fork.status != 0, "\(forkOutput)")
        #expect(forkOutput.contains("Failed"), "\(forkOutput)")
        #expect(forkOutput.contains("bbbb2222") && forkOutput.contains("cccc3333"), "\(forkOutput)")
        #expect(forkOutput.contains("revgraph merge"), "the message names the fix: \(forkOutput)")
        #expect(try g(["rev-list", "--count", "HEAD"], project).stdout.hasPrefix("1"), "the forking commit was not made")

        // `git commit -a` hands the framework a temporary index (GIT_INDEX_FILE): refused too.
        let versions = project + "/migrations/versions"
        let third = try FileManager.default.contentsOfDirectory(atPath: versions).first { $0.hasPrefix("cccc3333") }!
        _ = try g(["rm", "-q", "--cached", "migrations/versions/" + third], project)
        let one = try g(["commit", "-m", "one migration"], project, env: env)
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        _ = try g(["add", "-N", "migrations/versions/" + third], project)
        let all = try g(["commit", "-a", "-m", "commit -a with a fork"], project, env: env)
        #expect(all.status != 0, "\(all.stdout)\(all.stderr)")
        #expect((all.stdout + all.stderr).contains("cccc3333"))
        _ = try g(["rm", "-q", "--cached", "migrations/versions/" + third], project)

        // A merge whose result forks: the framework's pre-merge-commit stage stops it.
        _ = try g(["checkout", "-qb", "side", "HEAD~1"], project)
        _ = try g(["add", "migrations/versions/" + third], project)
        #expect(try g(["commit", "-m", "side migration"], project, env: env).status == 0)
        _ = try g(["checkout", "-q", "main"], project)
        let merge = try g(["merge", "--no-edit", "side"], project, env: env)
        #expect(merge.status != 0, "\(merge.stdout)\(merge.stderr)")
        #expect((merge.stdout + merge.stderr).contains("merge blocked"), "\(merge.stdout)\(merge.stderr)")
        #expect(try g(["rev-list", "--count", "HEAD"], project).stdout.hasPrefix("2"), "the forking merge was not made")
    }
}
