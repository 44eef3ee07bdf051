import Foundation
import RevgraphCore
@testable import RevgraphWorkspace
import Testing

@Suite struct ParseCacheTests {
    @Test func codecRoundTripsRevisionsAndProblems() {
        let r = Revision(id: "a\tb", downRevisions: ["x", "y\u{1F}z"], dependencies: ["d"], branchLabels: ["l"],
                         path: "", longdoc: "doc\nwith \\ lines", line: 7)
        let p = GraphProblem(kind: .nonLiteralValue, severity: .warning, path: nil, line: 3, revisions: ["a"],
                             message: "m\tn", fix: "f")
        let entries = ["k1": MigrationParser.Outcome(revision: r, problems: [p]),
                       "k2": MigrationParser.Outcome(revision: nil, problems: [])]
        let back = ParseCacheCodec.decode(ParseCacheCodec.encode(entries))
        #expect(back["k1"]?.revision == r)
        #expect(back["k1"]?.problems == [p])
        #expect(back["k2"] != nil && back["k2"]?.revision == nil)
        #expect(ParseCacheCodec.decode(Data("garbage\nR\tx".utf8)).isEmpty)
    }

    /// A cached work-tree file that is edited (even keeping its size) is read again, never served stale.
    @Test func editedFileIsNeverServedStale() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/v", withIntermediateDirectories: true)
        try "revision = 'aaaa'\ndown_revision = None\n".write(toFile: dir + "/v/a.py", atomically: false, encoding: .utf8)
        try "revision = 'bbbb'\ndown_revision = 'aaaa'\n".write(toFile: dir + "/v/b.py", atomically: false, encoding: .utf8)
        Thread.sleep(forTimeInterval: 3)  // past the racy-clean window
        var options = ProjectOptions()
        options.versionDirectories = ["v"]
        let file = try #require(ParseCache.defaultFile(from: dir))
        #expect(file == dir + "/.git/revgraph-parse-cache")
        let first = ParseCache(persistentAt: file)
        _ = try ProjectLoader(options: options, cache: first).load(from: FileSystemTree(currentDirectory: dir))
        first.save()
        #expect(ParseCache(persistentAt: file).count == 2)
        // Same size, new content: down_revision changes from 'aaaa' to 'cccc'... of equal length.
        try "revision = 'bbbb'\ndown_revision = 'cccc'\n".write(toFile: dir + "/v/b.py", atomically: false, encoding: .utf8)
        let second = try ProjectLoader(options: options, cache: ParseCache(persistentAt: file))
            .load(from: FileSystemTree(currentDirectory: dir))
        #expect(second.graph.revisions.first { $0.id == "bbbb" }?.downRevisions == ["cccc"])
        // A damaged cache file is an empty cache.
        try "revgraph-parse-cache 1\nR\tbroken".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ParseCache(persistentAt: file).count == 0)
    }
}
