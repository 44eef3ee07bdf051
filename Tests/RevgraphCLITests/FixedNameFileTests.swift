import Foundation
import RevgraphTestSupport
import Testing

/// The files revgraph opens by a fixed name (its snapshot and parse cache in .git, the merge
/// template) are opened without blocking, checked to be regular files and bounded in size.
@Suite struct FixedNameFileTests {
    @Test func aFIFOInPlaceOfTheProjectSnapshotIsPassedOver() throws {
        try withTemporaryDirectory("revgraph-fifo") { root in
            try makeRepository(at: root, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
            Thread.sleep(forTimeInterval: 1.2)  // settled: the snapshot is written
            #expect(try revgraph(["heads"], cwd: root).stdout == "b1 (head)\n")
            let names = try FileManager.default.contentsOfDirectory(atPath: root + "/.git").filter { $0.hasPrefix("revgraph-") }
            #expect(names.contains { $0.hasPrefix("revgraph-snapshot") }, "\(names)")
            for n in names {
                try FileManager.default.removeItem(atPath: root + "/.git/" + n)
                #expect(mkfifo(root + "/.git/" + n, 0o644) == 0)
            }
            // Bounded by timeout(1): a blocked open would be killed (exit 124).
            let r = try run("/usr/bin/timeout", ["20", revgraphBinary, "check"], cwd: root)
            #expect(r.status == 0, "\(r.status): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.hasPrefix("ok: 2 revisions, 1 head"))
        }
    }

    @Test func aTemplateOverTheSizeLimitOrAFIFOIsRefusedAtOnce() throws {
        try withTemporaryDirectory("revgraph-template") { root in
            try makeRepository(at: root, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"]),
                                                 "b2.py": migration("b2", down: ["a1"])])
            let template = root + "/migrations/script.py.mako"
            try Data(repeating: UInt8(ascii: "x"), count: 20 << 20).write(to: URL(fileURLWithPath: template))
            let big = try run("/usr/bin/timeout", ["20", revgraphBinary, "merge", "-m", "m"], cwd: root)
            #expect(big.status == 2, "\(big.status): \(big.stderr)")
            #expect(big.stderr.contains("script.py.mako") && big.stderr.contains("more than"), "\(big.stderr)")
            try FileManager.default.removeItem(atPath: template)
            #expect(mkfifo(template, 0o644) == 0)
            let fifo = try run("/usr/bin/timeout", ["20", revgraphBinary, "merge", "-m", "m"], cwd: root)
            #expect(fifo.status == 2, "\(fifo.status): \(fifo.stderr)")
            #expect(fifo.stderr.contains("not a regular file"), "\(fifo.stderr)")
        }
    }
}
