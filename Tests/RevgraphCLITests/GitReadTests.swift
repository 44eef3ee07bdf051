import Foundation
import Testing

/// `--at` and `--staged` on real repositories built with the git CLI.
@Suite struct GitReadTests {
    /// main: a1 <- b1; feature: a1 <- f1; merged into main at HEAD.
    func forkedRepository() throws -> String {
        let dir = try makeTempDir("revgraph-git")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [], message: "base")])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        try git(["checkout", "-qb", "feature"], cwd: dir)
        try write(migration("f1", down: ["a1"], message: "feature"), to: dir + "/migrations/versions/f1_feature.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "feature"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        try write(migration("b1", down: ["a1"], message: "main"), to: dir + "/migrations/versions/b1_main.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "main"], cwd: dir)
        try git(["merge", "-q", "--no-edit", "feature"], cwd: dir)
        return dir
    }

    @Test func forkAppearsAtTheMergeCommitOnly() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try revgraph(["check", "--at", "HEAD^1"], cwd: dir).status == 0)
        #expect(try revgraph(["check", "--at", "feature"], cwd: dir).status == 0)
        let merged = try revgraph(["check", "--at", "HEAD"], cwd: dir)
        #expect(merged.status == 1)
        #expect(merged.stdout.contains("migrations/versions/b1_main.py:"))  // repository-relative path
        #expect(try revgraph(["heads", "--at", "main"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
    }

    @Test func atMatchesACheckoutOfTheSameCommit() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for rev in ["HEAD", "HEAD^1", "feature", "HEAD~2"] {
            let fromGit = try revgraph(["history", "--at", rev], cwd: dir)
            try git(["checkout", "-q", "--detach", rev], cwd: dir)
            let fromTree = try revgraph(["history"], cwd: dir)
            try git(["checkout", "-q", "main"], cwd: dir)
            #expect(fromGit.status == 0)
            #expect(!fromGit.stdout.isEmpty)
            #expect(fromGit.stdout == fromTree.stdout, "at \(rev)")
            let heads = try revgraph(["heads", "--at", rev], cwd: dir).stdout
            try git(["checkout", "-q", "--detach", rev], cwd: dir)
            #expect(heads == (try revgraph(["heads"], cwd: dir).stdout))
            try git(["checkout", "-q", "main"], cwd: dir)
        }
    }

    @Test func stagedSeesTheIndexNotTheWorkTree() throws {
        let dir = try makeTempDir("revgraph-git")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [])])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        // Staged, not committed: a second head.
        try write(migration("s1", down: ["a1"]), to: dir + "/migrations/versions/s1.py")
        try write(migration("s2", down: ["a1"]), to: dir + "/migrations/versions/s2.py")
        try git(["add", "migrations/versions/s1.py", "migrations/versions/s2.py"], cwd: dir)
        // Unstaged edit that would fix it: the index must not see it.
        try write(migration("s2", down: ["s1"]), to: dir + "/migrations/versions/s2.py")
        let staged = try revgraph(["check", "--staged"], cwd: dir)
        #expect(staged.status == 1)
        #expect(staged.stdout.contains("s1, s2"))
        #expect(try revgraph(["check"], cwd: dir).status == 0)
        // From a subdirectory the repository is still found.
        #expect(try revgraph(["heads", "--staged", "-c", "alembic.ini"], cwd: dir + "/migrations").status == 0)
    }

    @Test func unknownRevisionAndNoRepositoryExitTwo() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = try revgraph(["heads", "--at", "nosuchbranch"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("git_revparse_single"))
        let outside = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        #expect(try revgraph(["heads", "--staged"], cwd: outside).status == 2)
    }

    @Test func configIsReadFromTheCommit() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Move the versions directory in a later commit; old commits keep the old config.
        try git(["mv", "migrations", "db"], cwd: dir)
        try write("[alembic]\nscript_location = %(here)s/db\npath_separator = os\n", to: dir + "/alembic.ini")
        try git(["commit", "-qam", "move"], cwd: dir)
        #expect(try revgraph(["heads", "--at", "HEAD"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
        #expect(try revgraph(["heads", "--at", "HEAD~1"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
        let paths = try revgraph(["show", "b1", "--at", "HEAD"], cwd: dir).stdout
        #expect(paths.contains("Path: db/versions/b1_main.py"))
    }
}
