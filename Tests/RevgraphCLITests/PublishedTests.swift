import Foundation
import RevgraphTestSupport
import Testing

/// `verify --published REF` on real repositories.
@Suite struct PublishedTests {
    func published() throws -> String {
        let dir = try makeTempDir("revgraph-pub")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: [
            "a1.py": migration("a1", down: [], message: "base"),
            "b1.py": migration("b1", down: ["a1"], message: "users"),
            "c1.py": migration("c1", down: ["b1"], message: "orders"),
        ])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "three revisions"], cwd: dir)
        try git(["tag", "v1"], cwd: dir)
        return dir
    }

    @Test func unchangedTreePasses() throws {
        let dir = try published()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("d1", down: ["c1"]), to: dir + "/migrations/versions/d1.py")
        try write(migration("d1", down: ["c1"], message: "unpublished edits are fine"), to: dir + "/migrations/versions/d1.py")
        let r = try revgraph(["verify", "--published", "v1"], cwd: dir)
        #expect(r.status == 0, "\(r.stdout)")
    }

    @Test func editAfterPublishingIsNamedWithItsCommit() throws {
        let dir = try published()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("b1", down: ["a1"], message: "users, edited"), to: dir + "/migrations/versions/b1.py")
        let uncommitted = try revgraph(["verify", "--published", "v1"], cwd: dir)
        #expect(uncommitted.status == 1)
        #expect(uncommitted.stdout.contains("revision b1, published in v1, was edited (uncommitted change in the work tree)"))
        try git(["commit", "-qam", "touch up b1"], cwd: dir)
        let committed = try revgraph(["verify", "--published", "v1"], cwd: dir)
        #expect(committed.stdout.contains("changed in "))
        #expect(committed.stdout.contains(": touch up b1"))
        #expect(try revgraph(["verify", "--published", "v1", "--at", "v1"], cwd: dir).status == 0)
    }

    @Test func rewriteOfDownRevisionAndDeletionAreReported() throws {
        let dir = try published()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("c1", down: ["a1"], message: "orders"), to: dir + "/migrations/versions/c1.py")
        try git(["commit", "-qam", "rebase c1"], cwd: dir)
        let rewritten = try revgraph(["verify", "--published", "v1", "--format", "json"], cwd: dir)
        #expect(rewritten.status == 1)
        #expect(rewritten.stdout.contains("\"kind\" : \"rewritten\""))
        #expect(rewritten.stdout.contains("rebase c1"))
        try git(["rm", "-q", "migrations/versions/a1.py"], cwd: dir)
        try git(["commit", "-qm", "drop a1"], cwd: dir)
        let deleted = try revgraph(["verify", "--published", "v1"], cwd: dir)
        #expect(deleted.stdout.contains("revision a1, published in v1, was deleted"))
        #expect(deleted.stdout.contains(": drop a1"))
        // A rebase (history rewritten, so pre-commit never ran) is caught from the pushed commit.
        #expect(try revgraph(["verify", "--published", "v1", "--at", "HEAD"], cwd: dir).status == 1)
    }
}
