import Foundation
import RevgraphGit
import RevgraphTestSupport
import Testing

/// revgraph's own index reader against `git ls-files --stage` on the same index: versions 2, 3
/// and 4, intent-to-add entries, gitlinks, conflicts, and a sparse index expanded from its trees.
@Suite struct GitIndexFileTests {
    /// `mode id stage\tpath` for every stage-0 entry git lists (sparse directories expanded),
    /// intent-to-add placeholders left out as a commit leaves them out.
    func gitListing(_ repo: String) throws -> [String] {
        return try git(["ls-files", "--stage"], cwd: repo).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            guard fields[2] == "0" else { return nil }
            return "\(fields[0]) \(fields[1])\t\(parts[1])"
        }
    }

    func ours(_ repo: String) throws -> [String] {
        let r = try GitRepository(discovering: repo, environment: GitEnvironment(currentDirectory: repo))
        let (files, submodules) = try r.stagedEntries()
        let all = files.map { "100644 \($0.blob.hex)\t\($0.path)" }
        let links = try submodules.sorted().map { p in
            "160000 " + (try git(["rev-parse", ":" + p], cwd: repo).trimmingCharacters(in: .whitespacesAndNewlines)) + "\t" + p
        }
        return (all + links).sorted { $0.split(separator: "\t")[1].utf8.lexicographicallyPrecedes($1.split(separator: "\t")[1].utf8) }
    }

    func normalised(_ lines: [String]) -> [String] {
        // Executable bits and symlinks are not what revgraph reads: compare ids and paths.
        lines.map { $0.replacingOccurrences(of: "100755 ", with: "100644 ").replacingOccurrences(of: "120000 ", with: "100644 ") }
            .sorted { $0.split(separator: "\t")[1].utf8.lexicographicallyPrecedes($1.split(separator: "\t")[1].utf8) }
    }

    func makeRepository() throws -> String {
        let repo = try makeTempDir("revgraph-index")
        _ = try git(["init", "-q", "-b", "main", repo], cwd: "/")
        // Shared prefixes (index v4 compresses them), a long path, nested directories.
        for p in ["a.txt", "a/b.txt", "a/b/c.txt", "a/b/cd.txt", "ab/x.txt", "migrations/versions/0001_init.py",
                  "migrations/versions/0002_more.py", "docs/guide/deep/er/page.md",
                  (0..<12).map { _ in String(repeating: "n", count: 200) }.joined(separator: "/") + "/long.txt"] {
            try write("content of \(p)\n", to: repo + "/" + p)
        }
        try write("#!/bin/sh\n", to: repo + "/run.sh")
        _ = try git(["add", "-A"], cwd: repo)
        _ = try git(["update-index", "--chmod=+x", "run.sh"], cwd: repo)
        _ = try git(["update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "ab", count: 20)),vendor/sub"], cwd: repo)
        _ = try git(["commit", "-qm", "base"], cwd: repo)
        return repo
    }

    @Test(arguments: [2, 3, 4])
    func everyVersionReadsAsGitListsIt(version: Int) throws {
        let repo = try makeRepository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try write("new\n", to: repo + "/later.txt")
        if version >= 3 { _ = try git(["add", "-N", "later.txt"], cwd: repo) }  // extended flags (v3)
        _ = try git(["update-index", "--index-version", "\(version)"], cwd: repo)
        let header = try Data(contentsOf: URL(fileURLWithPath: repo + "/.git/index")).prefix(8)
        #expect(header.last == UInt8(version))
        let expected = normalised(try gitListing(repo)).filter { !$0.hasSuffix("\tlater.txt") }
        #expect(try ours(repo) == expected)
    }

    @Test func conflictStagesAreLeftOut() throws {
        let repo = try makeRepository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        _ = try git(["checkout", "-qb", "side"], cwd: repo)
        try write("side\n", to: repo + "/a.txt")
        _ = try git(["commit", "-qam", "side"], cwd: repo)
        _ = try git(["checkout", "-q", "main"], cwd: repo)
        try write("main\n", to: repo + "/a.txt")
        _ = try git(["commit", "-qam", "main"], cwd: repo)
        _ = try? git(["merge", "side"], cwd: repo)
        #expect(try git(["ls-files", "--stage", "a.txt"], cwd: repo).contains(" 2\ta.txt"))
        #expect(try ours(repo) == normalised(try gitListing(repo)))
        #expect(try !ours(repo).contains { $0.hasSuffix("\ta.txt") })
    }

    @Test func aSparseIndexIsExpandedFromItsTrees() throws {
        let repo = try makeRepository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        _ = try git(["sparse-checkout", "init", "--cone", "--sparse-index"], cwd: repo)
        _ = try git(["sparse-checkout", "set", "migrations"], cwd: repo)
        #expect(try git(["ls-files", "--sparse", "--stage"], cwd: repo).contains("040000 "))
        #expect(try ours(repo) == normalised(try gitListing(repo)))
    }

    @Test func damagedIndexesAreNamedErrors() throws {
        let repo = try makeRepository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: repo + "/.git/index")))
        // Every prefix of the file is an error or the empty index, never a crash or a misread entry.
        var refused = 0
        for n in stride(from: 0, to: bytes.count, by: 7) {
            do { _ = try GitIndexFile(bytes: Array(bytes.prefix(n))) } catch { refused += 1 }
        }
        #expect(refused == (bytes.count + 6) / 7)
        #expect(throws: GitIndexFile.ReadError.unsupportedVersion(9)) {
            var b = bytes
            b[7] = 9
            _ = try GitIndexFile(bytes: b)
        }
        // A split index (mandatory 'link' extension) is named, with the way out.
        _ = try git(["update-index", "--split-index"], cwd: repo)
        #expect(throws: GitError.self) { _ = try GitIndexFile.read(repo + "/.git/index") }
        do { _ = try GitIndexFile.read(repo + "/.git/index") } catch { #expect(error.message.contains("split index"), "\(error)") }
    }
}
