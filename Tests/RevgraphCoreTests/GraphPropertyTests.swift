import RevgraphCore
import RevgraphTestSupport
import Testing

/// The graph's linear algorithms against direct (quadratic) reference implementations written
/// here from Alembic's code, over random shapes: branches, merges, dependencies, labels, load
/// orders unlike the topological one, and (for cycle detection) back edges.
@Suite struct GraphPropertyTests {
    /// A random graph of up to `size` revisions; `cycles` adds edges that may close loops.
    static func randomRevisions(_ rng: inout SplitMix, size: Int, cycles: Bool = false) -> [Revision] {
        let n = Int.random(in: 1...size, using: &rng)
        var revs: [Revision] = []
        for i in 0..<n {
            var parents: [String] = []
            if i > 0, Int.random(in: 0..<8, using: &rng) != 0 {
                let k = Int.random(in: 0..<6, using: &rng) == 0 ? 2 + Int.random(in: 0..<2, using: &rng) : 1
                for _ in 0..<k {
                    let p = "r\(Int.random(in: max(0, i - 6)..<i, using: &rng))"
                    if !parents.contains(p) { parents.append(p) }
                }
            }
            if cycles, Int.random(in: 0..<10, using: &rng) == 0 {
                parents.append("r\(Int.random(in: 0..<n, using: &rng))")
            }
            var deps: [String] = []
            if i > 1, Int.random(in: 0..<5, using: &rng) == 0 {
                deps.append("r\(Int.random(in: 0..<i, using: &rng))")
            }
            let labels = Int.random(in: 0..<6, using: &rng) == 0 ? ["L\(i)"] : []
            revs.append(Revision(id: "r\(i)", downRevisions: parents, dependencies: deps, branchLabels: labels,
                                 path: "versions/r\(i).py"))
        }
        revs.shuffle(using: &rng)  // load order is file order, not topological
        return revs
    }

    @Test func headsAndHistoryAgreeWithTheReference() throws {
        var rng = SplitMix(state: 12)
        for _ in 0..<400 {
            let g = RevisionGraph(revisions: Self.randomRevisions(&rng, size: 30))
            let ref = Reference(g)
            #expect(g.heads == ref.heads())
            #expect(g.cyclic == ref.cyclic())
            #expect(g.normalizedDependencies == ref.normalizedDependencies())
            #expect(g.labels == ref.labels())
            if g.cyclic.isEmpty {
                let order = try g.fullHistory()
                #expect(order == ref.topologicalOrder(Set(0..<g.count), heads: g.realHeads))
            }
        }
    }

    @Test func cycleDetectionAgreesWithTheReference() {
        var rng = SplitMix(state: 99)
        var cyclicSeen = 0
        for _ in 0..<400 {
            let g = RevisionGraph(revisions: Self.randomRevisions(&rng, size: 20, cycles: true))
            let ref = Reference(g)
            #expect(g.cyclic == ref.cyclic())
            if !g.cyclic.isEmpty { cyclicSeen += 1 }
        }
        #expect(cyclicSeen > 50)  // the generator does make cycles
    }

    @Test func rangesAgreeWithTheReferenceOrder() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<200 {
            let g = RevisionGraph(revisions: Self.randomRevisions(&rng, size: 25))
            guard g.cyclic.isEmpty, g.count > 2 else { continue }
            let pick = g.id(Int.random(in: 0..<g.count, using: &rng))
            guard let range = try? g.history(lower: pick, upper: nil) else { continue }
            let ref = Reference(g)
            let heads = try g.resolveRevisions("heads")
            #expect(try g.topologicalOrder(Set(range), heads: heads) == ref.topologicalOrder(Set(range), heads: heads))
            // A part of the range no head covers: revgraph goes on from the tips of what is left.
            let part = Set(range.dropFirst())
            #expect(try g.topologicalOrder(part, heads: heads) == ref.topologicalOrder(part, heads: heads))
        }
    }
}

/// Direct translations of Alembic's `RevisionMap` walks: ancestor sets everywhere.
struct Reference {
    let g: RevisionGraph
    init(_ g: RevisionGraph) { self.g = g }

    func heads() -> [Int] { (0..<g.count).filter { i in !g.parents.contains { $0.contains(i) } } }

    func reach(_ from: Int, _ next: (Int) -> [Int]) -> Set<Int> {
        var seen: Set<Int> = [from]
        var stack = [from]
        while let r = stack.popLast() { for x in next(r) where seen.insert(x).inserted { stack.append(x) } }
        return seen
    }

    /// On a cycle, above one, or cut off from every head or every base (Alembic's `_detect_cycles`).
    func cyclic() -> Set<Int> {
        let n = g.count
        func members(_ up: [[Int]]) -> Set<Int> {
            let down = (0..<n).map { i in (0..<n).filter { up[$0].contains(i) } }
            let onCycle = (0..<n).filter { i in down[i].contains { reach($0) { down[$0] }.contains(i) } }
            var out = Set<Int>()
            for i in 0..<n where !reach(i, { down[$0] }).isDisjoint(with: onCycle) { out.insert(i) }
            let tips = (0..<n).filter { i in up[i].isEmpty }
            let roots = (0..<n).filter { down[$0].isEmpty }
            for i in 0..<n {
                if !tips.contains(where: { reach($0) { down[$0] }.contains(i) })
                    || !roots.contains(where: { reach($0) { up[$0] }.contains(i) }) { out.insert(i) }
            }
            return out
        }
        let up = (0..<n).map { i in (0..<n).filter { g.parents[$0].contains(i) } }
        let first = members(up)
        if !first.isEmpty { return first }
        let allUp = (0..<n).map { i in (0..<n).filter { g.parents[$0].contains(i) || g.resolvedDependencies[$0].contains(i) } }
        return members(allUp)
    }

    func normalizedDependencies() -> [[Int]] {
        guard g.cyclic.isEmpty else { return g.resolvedDependencies }
        return (0..<g.count).map { i in
            var implied = Set<Int>()
            for a in reach(i, { g.parents[$0] }) where a != i { implied.formUnion(g.resolvedDependencies[a]) }
            return g.resolvedDependencies[i].filter { !implied.contains($0) }
        }
    }

    /// `_add_branches` with each revision's own labels, children visited as revgraph orders them.
    func labels() -> [Set<String>] {
        var labels = g.revisions.map { Set($0.branchLabels) }
        guard g.cyclic.isEmpty else { return g.labels }
        for (i, r) in g.revisions.enumerated() where !r.branchLabels.isEmpty {
            var seen = Set<Int>()
            var stack = [i]
            var last = i
            while let x = stack.popLast() {
                guard seen.insert(x).inserted else { continue }
                labels[x].formUnion(r.branchLabels)
                last = x
                stack.append(contentsOf: g.children[x])
            }
            var node: Int? = last
            while let p = node, g.allChildren[p].count <= 1, g.revisions[p].downRevisions.count <= 1 {
                labels[p].formUnion(r.branchLabels)
                node = g.revisions[p].downRevisions.first.flatMap { g.index[$0] }
            }
        }
        return labels
    }

    func down(_ i: Int) -> [Int] {
        var out = g.parents[i]
        for d in g.normalizedDependencies[i] where !out.contains(d) { out.append(d) }
        return out
    }

    /// `_topological_sort`, line by line; where Alembic asserts (heads that leave part of the set
    /// uncovered), revgraph's documented continuation from the tips of what is left.
    func topologicalOrder(_ revisions: Set<Int>, heads: [Int]) -> [Int] {
        var todo = revisions
        var output: [Int] = []
        var start = Array(Set(heads.filter { todo.contains($0) })).sorted()
        while !todo.isEmpty {
            if start.isEmpty {
                let inner = Set(todo.flatMap { down($0) })
                start = todo.filter { !inner.contains($0) }.sorted()
            }
            output += sort(&todo, start)
            start = []
        }
        return output
    }

    func sort(_ todo: inout Set<Int>, _ heads: [Int]) -> [Int] {
        var current = heads
        var ancestors = current.map { reach($0, down) }
        var output: [Int] = []
        var idx = 0
        while !current.isEmpty {
            let candidate = current[idx]
            if let j = ancestors.indices.first(where: { $0 != idx && ancestors[$0].contains(candidate) }) {
                idx = j
                continue
            }
            if todo.remove(candidate) != nil { output.append(candidate) }
            let add = down(candidate).filter { todo.contains($0) && !current.contains($0) }
            if add.isEmpty {
                current.remove(at: idx)
                ancestors.remove(at: idx)
                idx = max(idx - 1, 0)
            } else {
                current[idx] = add[0]
                ancestors[idx] = reach(add[0], down)
                for a in add.dropFirst() {
                    current.append(a)
                    ancestors.append(reach(a, down))
                }
            }
        }
        return output
    }
}
