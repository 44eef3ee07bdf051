import RevgraphCore
import RevgraphTestSupport
@testable import RevgraphWorkspace
import Testing

/// `log`'s incremental heads (kept up to date as files come and go) must give exactly the
/// conflicts that building the graph and asking `headConflicts` gives, on any graph.
@Suite struct IncrementalHeadsPropertyTests {
    @Test(arguments: 1...60)
    func incrementalConflictsEqualTheGraphs(seed: Int) {
        var rng = SplitMix(state: UInt64(seed))
        var w = HistoryScanner.Working()
        w.locations = ["v"]
        w.maxHeads = seed % 5 == 0 ? 2 : nil
        var ids: [String] = []
        for step in 0..<40 {
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 2, !w.byPath.isEmpty {
                // A file goes away (a rebase, a revert).
                let path = w.byPath.keys.sorted()[Int.random(in: 0..<w.byPath.count, using: &rng)]
                w.remove(path)
            } else {
                let id = roll == 2 && !ids.isEmpty ? ids.randomElement(using: &rng)! : "r\(step)"  // sometimes a duplicate id
                var parents: [String] = []
                if !ids.isEmpty {
                    for _ in 0..<Int.random(in: 0...2, using: &rng) {
                        // Earlier ids only (no cycles), sometimes a missing one.
                        parents.append(Int.random(in: 0..<8, using: &rng) == 0 ? "gone\(step)" : ids.randomElement(using: &rng)!)
                    }
                }
                let labels = Int.random(in: 0..<12, using: &rng) == 0 ? ["l\(step % 3)"] : []
                let path = "v/\(String(format: "%03d", step)).py"
                w.add(Revision(id: id, downRevisions: Array(Set(parents)).sorted(), branchLabels: labels, path: path), at: path)
                if !ids.contains(id) { ids.append(id) }
            }
            // Reference load order, independent of the scanner's: location, then path bytes.
            func location(_ p: String) -> Int { w.locations.firstIndex { p.hasPrefix($0 + "/") } ?? 0 }
            let ordered = w.byPath.keys.sorted { a, b in
                location(a) != location(b) ? location(a) < location(b) : a.utf8.lexicographicallyPrecedes(b.utf8)
            }.map { w.byPath[$0]! }
            let g = RevisionGraph(revisions: ordered)
            let expected = g.hasCycles ? [] : g.headConflicts(maxHeads: w.maxHeads).map(\.revisions)
            #expect(w.conflicts() == expected, "seed \(seed) step \(step)")
        }
    }
}
