import Foundation
import RevgraphTestSupport
import Testing

/// libgit2 1.5 spins forever inflating a truncated loose object; revgraph reads loose objects
/// through its own bounded inflater and stops with a named error.
@Suite struct CorruptObjectTests {
    /// Cuts the loose object `id` to `bytes` bytes.
    func truncate(_ id: String, in dir: String, to bytes: Int) throws {
        let path = dir + "/.git/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try data.prefix(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// At most 20 seconds: a hang shows as status 124, not as a stuck test run.
    func bounded(_ args: [String], _ dir: String) throws -> RunResult {
        try run("/usr/bin/timeout", ["20", revgraphBinary] + args, cwd: dir)
    }

    /// A project whose second revision is large enough that a cut leaves a valid zlib prefix.
    func project(_ dir: String) throws {
        let filler = String(repeating: "x = 'abcdefghij' * 7  # filler line with some text\n", count: 4000)
        try makeRepository(at: dir, files: [
            "a1.py": migration("a1", down: []),
            "b2.py": migration("b2", down: ["a1"]) + filler,
        ])
    }

    @Test func aTruncatedBlobIsAnErrorNotAHang() throws {
        try withTemporaryDirectory { dir in
            try project(dir)
            let blob = try git(["rev-parse", "HEAD:migrations/versions/b2.py"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            try truncate(blob, in: dir, to: 600)
            for args in [["heads", "--at", "HEAD"], ["heads", "--staged"], ["check", "--at", "HEAD"]] {
                let r = try bounded(args, dir)
                #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("object \(blob)") && r.stderr.contains("is truncated"), "\(r.stderr)")
                #expect(r.stderr.contains("git fsck"))
            }
            // The work tree is intact: reading it needs no object.
            #expect(try bounded(["heads"], dir).stdout.contains("b2 (head)"))
        }
    }

    @Test func aTruncatedTreeOrCommitIsAnErrorNotAHang() throws {
        try withTemporaryDirectory { dir in
            try project(dir)
            let tree = try git(["rev-parse", "HEAD:migrations/versions"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            try truncate(tree, in: dir, to: 20)
            let r = try bounded(["heads", "--at", "HEAD"], dir)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("object \(tree)"), "\(r.stderr)")
        }
        try withTemporaryDirectory { dir in
            try project(dir)
            let commit = try git(["rev-parse", "HEAD"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            try truncate(commit, in: dir, to: 30)
            let r = try bounded(["heads", "--at", "HEAD"], dir)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("object \(commit)"), "\(r.stderr)")
        }
    }

    @Test func thePreCommitHookStopsOnATruncatedStagedBlob() throws {
        try withTemporaryDirectory { dir in
            try project(dir)
            try write(migration("c3", down: ["b2"]) + String(repeating: "y = 'klmnopqrst' * 9  # more filler text\n", count: 4000),
                      to: dir + "/migrations/versions/c3.py")
            try git(["add", "-A"], cwd: dir)
            let blob = try git(["rev-parse", ":migrations/versions/c3.py"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            try truncate(blob, in: dir, to: 500)
            let r = try bounded(["hook", "pre-commit"], dir)
            #expect(r.status != 0 && r.status != 124, "\(r.status)")
            #expect((r.stdout + r.stderr).contains("truncated"), "\(r.stdout)\(r.stderr)")
        }
    }
}
