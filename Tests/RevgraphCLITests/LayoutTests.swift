import Foundation
import RevgraphTestSupport
import Testing

/// Real repository layouts, with `revgraph hooks install` and nothing else (plus `revgraph.toml`
/// where the layout exists only in code).
@Suite(.serialized) struct LayoutTests {
    @discardableResult
    func g(_ args: [String], _ cwd: String) throws -> RunResult { try developerGit(args, cwd) }

    /// `dir/alembic.ini` with `script_location = %(here)s/migrations` and revisions a1 <- b1.
    func project(_ dir: String, ini: String = "[alembic]\nscript_location = %(here)s/migrations\n") throws {
        try write(ini, to: dir + "/alembic.ini")
        try write("", to: dir + "/migrations/env.py")
        try write(migration("\(URL(fileURLWithPath: dir).lastPathComponent)a1", down: []), to: dir + "/migrations/versions/a1.py")
    }

    func fork(_ versions: String, parent: String, _ ids: [String]) throws {
        for id in ids { try write(migration(id, down: [parent]), to: versions + "/\(id).py") }
    }

    func repository(_ name: String) throws -> String {
        let dir = try makeTempDir(name)
        try g(["init", "-q", "-b", "main", dir], "/")
        return dir
    }

    @Test func configInASubdirectory() throws {
        let root = try repository("revgraph-layout-sub")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try project(root + "/backend")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        try g(["add", "-A"], root)
        let first = try g(["commit", "-qm", "base"], root)
        #expect(first.status == 0)
        #expect(first.stderr.contains("revgraph: checked 1 project: backend (1 revision, 1 head)"), "\(first.stderr)")
        try fork(root + "/backend/migrations/versions", parent: "backenda1", ["c1", "c2"])
        try g(["add", "-A"], root)
        let refused = try g(["commit", "-qm", "fork"], root)
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("revgraph: project backend:"), "\(refused.stdout)")
        #expect((refused.stdout + refused.stderr).contains("backend/migrations/versions/c1.py:"), "\(refused.stdout)")
        // Alembic's habits: global options before the subcommand.
        let heads = try revgraph(["-c", "backend/alembic.ini", "heads"], cwd: root)
        #expect(heads.stdout == "c1 (head)\nc2 (head)\n", "\(heads.stderr)")
        #expect(try revgraph(["-c", "backend/alembic.ini", "-q", "--raiseerr", "history"], cwd: root).status == 0)
        let x = try revgraph(["-x", "tenant=a", "heads"], cwd: root)
        #expect(x.status == 64 && x.stderr.contains("never runs"))
        // From the root, the only project is found.
        #expect(try revgraph(["heads"], cwd: root).stdout == "c1 (head)\nc2 (head)\n")
    }

    @Test func twoProjectsInOneRepository() throws {
        let root = try repository("revgraph-layout-two")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try project(root + "/backend")
        try project(root + "/billing")
        try write("{}\n", to: root + "/node_modules/pkg/alembic.ini")  // vendored: never a project
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        try g(["add", "-A"], root)
        let first = try g(["commit", "-qm", "base"], root)
        #expect(first.stderr.contains("checked 2 projects: backend (1 revision, 1 head), billing (1 revision, 1 head)"),
                "\(first.stderr)")
        try fork(root + "/billing/migrations/versions", parent: "billinga1", ["p1", "p2"])
        try g(["add", "-A"], root)
        let refused = try g(["commit", "-qm", "fork billing"], root)
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("project billing"), "\(refused.stdout)")
        #expect(!(refused.stdout + refused.stderr).contains("project backend"))
        let several = try revgraph(["heads"], cwd: root)
        #expect(several.status == 2 && several.stderr.contains("2 Alembic projects (backend, billing)"), "\(several.stderr)")
        #expect(try revgraph(["heads", "--project", "billing"], cwd: root).stdout == "p1 (head)\np2 (head)\n")
        let all = try revgraph(["check", "--all-projects"], cwd: root)
        #expect(all.status == 1)
        #expect(all.stdout.contains("billing/migrations/versions/p1.py:"), "\(all.stdout)")
        #expect(all.stdout.contains("checked 2 projects"), "\(all.stdout)")
    }

    @Test func versionLocationsBuiltInCodeDescribedByRevgraphToml() throws {
        let root = try repository("revgraph-layout-toml")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // neutron-style: release subdirectories, expand/contract labels from a constant in code.
        let v = root + "/app/db/migration/versions"
        try write("from app.db import migration\nrevision = 'base1'\ndown_revision = None\n", to: v + "/base.py")
        try write("from app.db import migration\nrevision = 'e1'\ndown_revision = 'base1'\nbranch_labels = (migration.EXPAND_BRANCH,)\n",
                  to: v + "/2024/expand/e1.py")
        try write("from app.db import migration\nrevision = 'c1'\ndown_revision = 'base1'\nbranch_labels = (migration.CONTRACT_BRANCH,)\n",
                  to: v + "/2024/contract/c1.py")
        try write("""
            [projects.app]
            versions = ["app/db/migration/versions"]
            recursive = true
            "name.migration.EXPAND_BRANCH" = "expand"
            "name.migration.CONTRACT_BRANCH" = "contract"
            """, to: root + "/revgraph.toml")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        try g(["add", "-A"], root)
        let first = try g(["commit", "-qm", "base"], root)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stderr.contains("checked 1 project: app (3 revisions, 2 heads)"), "\(first.stderr)")
        try write("revision = 'e2'\ndown_revision = 'e1'\n", to: v + "/2025/expand/e2.py")
        try write("revision = 'e3'\ndown_revision = 'e1'\n", to: v + "/2025/expand/e3.py")
        try g(["add", "-A"], root)
        let refused = try g(["commit", "-qm", "fork expand"], root)
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("multiple heads in branch 'expand'"), "\(refused.stdout)\(refused.stderr)")
        // A listed path that does not exist is an error, never a pass.
        try write("[projects.app]\nversions = [\"app/db/migrations/versions\"]\n", to: root + "/revgraph.toml")
        try g(["add", "-A"], root)
        let missing = try g(["commit", "-qm", "typo"], root)
        #expect(missing.status != 0, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stderr.contains("project 'app' in 'revgraph.toml' names 'app/db/migrations/versions', which does not exist"))
    }

    @Test func pushToARemoteAddedAfterInitWithNoRemoteHEAD() throws {
        let root = try makeTempDir("revgraph-layout-push")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "/work", remote = root + "/remote.git", other = root + "/other"
        try g(["init", "-q", "--bare", "-b", "main", remote], root)
        try g(["init", "-q", "-b", "main", work], root)
        try project(work)
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "base"], work)
        // As `git remote add origin … && git push -u origin main` leaves it: no refs/remotes/origin/HEAD.
        try g(["remote", "add", "origin", remote], work)
        try g(["push", "-q", "-u", "origin", "main"], work)
        #expect(try g(["rev-parse", "-q", "--verify", "refs/remotes/origin/HEAD"], work).status != 0)
        #expect(try revgraph(["hooks", "install"], cwd: work).status == 0)
        try g(["clone", "-q", remote, other], root)
        try fork(other + "/migrations/versions", parent: "worka1", ["c1"])
        try g(["add", "-A"], other)
        try g(["commit", "-qm", "c1"], other)
        try g(["push", "-q", "origin", "main"], other)
        try g(["fetch", "-q", "origin"], work)
        try g(["checkout", "-q", "-b", "feature"], work)
        try fork(work + "/migrations/versions", parent: "worka1", ["c2"])
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "c2"], work)
        let push = try g(["push", "-q", "origin", "feature"], work)
        #expect(push.status != 0)
        #expect((push.stdout + push.stderr).contains("merging this push into refs/remotes/origin/main forks the graph"), "\(push.stdout)\(push.stderr)")
        #expect(push.stderr.contains("checked the merge into refs/remotes/origin/main as last fetched"), "\(push.stderr)")
        // A stale tracking ref: the hook says to fetch.
        try write("[alembic]\nscript_location = %(here)s/migrations\n\n[revgraph]\nstale_fetch_hours = 0\n", to: work + "/alembic.ini")
        try g(["rm", "-q", "migrations/versions/c2.py"], work)
        try g(["commit", "-qam", "drop c2"], work)
        let stale = try g(["push", "-q", "origin", "feature"], work)
        #expect(stale.status == 0, "\(stale.stdout)\(stale.stderr)")
        #expect(stale.stderr.contains("run 'git fetch origin'"), "\(stale.stderr)")
    }
}
