import Foundation
import RevgraphCore
@testable import RevgraphWorkspace
import RevgraphGit
import Testing

@Suite struct ParseCacheTests {
    @Test func codecRoundTripsRevisionsAndProblems() {
        let r = Revision(id: "a\tb", downRevisions: ["x", "y\u{1F}z"], dependencies: ["d"], branchLabels: ["l"],
                         path: "", longdoc: "doc\nwith \\ lines", line: 7)
        let p = GraphProblem(kind: .nonLiteralValue, severity: .warning, path: nil, line: 3, revisions: ["a"],
                             message: "m\tn", fix: "f")
        let entries = ["k1": MigrationParser.Outcome(revision: r, problems: [p], checksum: "abc"),
                       "k2": MigrationParser.Outcome(revision: nil, problems: [])]
        let back = ParseCacheCodec.decode(ParseCacheCodec.encode(entries))
        #expect(back["k1"]?.revision == r)
        #expect(back["k1"]?.problems == [p])
        #expect(back["k1"]?.checksum == "abc")
        #expect(back["k2"] != nil && back["k2"]?.revision == nil)
        #expect(ParseCacheCodec.decode(Data("garbage\nR\tx".utf8)).isEmpty)
    }

    /// A second read of a commit takes its parse results from the cache file, unchanged.
    @Test func persistentCacheServesGitReadsAcrossRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/v", withIntermediateDirectories: true)
        try "revision = 'aaaa'\ndown_revision = None\n".write(toFile: dir + "/v/a.py", atomically: false, encoding: .utf8)
        try "revision = 'bbbb'\ndown_revision = 'aaaa'\nbranch_labels = (x.Y,)\n".write(toFile: dir + "/v/b.py", atomically: false, encoding: .utf8)
        for args in [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            try p.run()
            p.waitUntilExit()
        }
        var options = ProjectOptions()
        options.versionDirectories = ["v"]
        let file = try #require(ParseCache.defaultFile(from: dir))
        #expect(file == dir + "/.git/revgraph-parse-cache")
        let repository = try RevgraphGit.GitRepository(discovering: dir)
        func load() throws -> LoadedProject {
            let cache = ParseCache(persistentAt: file)
            let tree = try GitSourceTree(repository: repository, kind: .commit(try repository.commit("HEAD"), spec: "HEAD"))
            defer { cache.save() }
            return try ProjectLoader(options: options, cache: cache).load(from: tree)
        }
        let first = try load()
        #expect(ParseCache(persistentAt: file).count == 2)
        let second = try load()
        #expect(second.graph.revisions == first.graph.revisions)
        #expect(second.problems == first.problems)
        #expect(second.checksums == first.checksums && first.checksums.count == 2)
        #expect(second.problems.contains { $0.kind == .nonLiteralValue && $0.path == "v/b.py" })
        // A damaged cache file is an empty cache.
        try "\(ParseCacheCodec.header)\nR\tbroken".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ParseCache(persistentAt: file).count == 0)
    }
}
