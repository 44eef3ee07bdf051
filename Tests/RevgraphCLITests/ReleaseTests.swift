import Foundation
import RevgraphTestSupport
import Testing

/// Release tags that pin the schema, on real repositories.
@Suite struct ReleaseTests {
    func repo() throws -> String {
        let dir = try makeTempDir("revgraph-release")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1.py": migration("a1", down: [], message: "base"),
                                         "b1.py": migration("b1", down: ["a1"], message: "users")])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        return dir
    }

    func env() -> [String: String] {
        ["GIT_AUTHOR_NAME": "Rel", "GIT_AUTHOR_EMAIL": "rel@example.com", "GIT_COMMITTER_NAME": "Rel",
         "GIT_COMMITTER_EMAIL": "rel@example.com"]
    }

    func rg(_ args: [String], _ dir: String) throws -> RunResult {
        try run(revgraphBinary, args, cwd: dir, env: env())
    }

    @Test func tagPinsTheSchemaAndNeverMoves() throws {
        let dir = try repo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["config", "user.name", "Rel"], cwd: dir)
        try git(["config", "user.email", "rel@example.com"], cwd: dir)
        let tag = try rg(["release", "tag", "v1.0.0", "-m", "First release"], dir)
        #expect(tag.status == 0, "\(tag.stderr)")
        let message = try git(["cat-file", "-p", "v1.0.0"], cwd: dir)
        #expect(message.contains("tagger Rel <rel@example.com>"))
        #expect(message.contains("First release\n\nSchema-Head: b1\nSchema-Revisions: 2\nSchema-Manifest: sha256:"))
        let again = try rg(["release", "tag", "v1.0.0"], dir)
        #expect(again.status == 2)
        #expect(again.stderr.contains("never moves a tag"))
        // A forked tree is refused unless --allow-heads.
        try write(migration("c1", down: ["b1"]), to: dir + "/migrations/versions/c1.py")
        try write(migration("c2", down: ["b1"]), to: dir + "/migrations/versions/c2.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "fork"], cwd: dir)
        #expect(try rg(["release", "tag", "v1.1.0"], dir).status == 1)
        #expect(try rg(["release", "tag", "v1.1.0", "--allow-heads"], dir).status == 0)
        #expect(try git(["cat-file", "-p", "v1.1.0"], cwd: dir).contains("Schema-Head: c1\nSchema-Head: c2\n"))
    }

    @Test func listShowAndDiffAcrossReleasesWithLiesAndLaterEdits() throws {
        let dir = try repo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["config", "user.name", "Rel"], cwd: dir)
        try git(["config", "user.email", "rel@example.com"], cwd: dir)
        #expect(try rg(["release", "tag", "v1.0.0"], dir).status == 0)
        try git(["tag", "v0.9-light", "HEAD"], cwd: dir)                      // lightweight
        try git(["tag", "-a", "v0.9-plain", "-m", "made by git", "HEAD"], cwd: dir)  // annotated, no trailers
        try git(["checkout", "-qb", "side"], cwd: dir)
        try write(migration("s1", down: ["b1"], message: "side work"), to: dir + "/migrations/versions/s1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "side work"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        try write(migration("c1", down: ["b1"], message: "orders"), to: dir + "/migrations/versions/c1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "orders"], cwd: dir)
        try git(["merge", "-q", "--no-edit", "side"], cwd: dir)
        try write(migration("m1", down: ["c1", "s1"], message: "merge"), to: dir + "/migrations/versions/m1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "merge heads"], cwd: dir)
        #expect(try rg(["release", "tag", "v2.0.0"], dir).status == 0)
        try git(["tag", "-a", "v2.0.1", "-m", "lies\n\nSchema-Head: zzz\nSchema-Revisions: 1\nSchema-Manifest: sha256:00"], cwd: dir)

        let diff = try rg(["release", "diff", "v1.0.0", "v2.0.0"], dir)
        let lines = diff.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "3 revisions added from v1.0.0 to v2.0.0, in upgrade order:")
        // Upgrade order: parents before children; the merge last.
        let order = lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }
        #expect(order.last == "m1")
        #expect(Set(order) == ["c1", "s1", "m1"])
        #expect(diff.stdout.contains("s1  side work  ("))
        let md = try rg(["release", "diff", "v1.0.0", "v2.0.0", "--format", "markdown"], dir)
        #expect(md.stdout.hasPrefix("## Schema changes from v1.0.0 to v2.0.0"))
        let backwards = try rg(["release", "diff", "v2.0.0", "v1.0.0"], dir)
        #expect(backwards.stdout.contains("v1.0.0 does not contain v2.0.0's heads"))

        let lie = try rg(["release", "show", "v2.0.1"], dir)
        #expect(lie.status == 1)
        #expect(lie.stdout.contains("TAG LIES"))
        #expect(try rg(["release", "show", "v0.9-light"], dir).stdout.contains("not made by revgraph"))

        // An edit of a pinned revision after the release.
        try write(migration("b1", down: ["a1"], message: "users, edited"), to: dir + "/migrations/versions/b1.py")
        try git(["commit", "-qam", "edit b1"], cwd: dir)
        let list = try rg(["release", "list"], dir)
        #expect(list.status == 0)
        let listed = list.stdout.split(separator: "\n").map(String.init)
        #expect(listed.first { $0.hasPrefix("v1.0.0 ") }?.contains("changed since: b1 edited") == true)
        #expect(listed.first { $0.hasPrefix("v2.0.1 ") }?.contains("TAG LIES") == true)
        #expect(listed.first { $0.hasPrefix("v0.9-plain ") }?.contains("not made by revgraph") == true)
        let verify = try rg(["verify", "--release", "v1.0.0"], dir)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("revision b1, published in v1.0.0, was edited"))
        #expect(verify.stdout.contains(": edit b1"))
        #expect(try rg(["verify", "--release", "v1.0.0", "--at", "v2.0.0"], dir).status == 0)
    }
}
