/// Branch-label propagation (Alembic's `_add_branches`) in time and memory linear in the graph,
/// up to the labels themselves: label sets are interned and shared, so a chain where every
/// tenth revision is labelled holds one set per labelled revision, not one per revision.
extension RevisionGraph {
    /// A table of distinct label sets; revisions refer to them by number and unions are memoized.
    struct LabelSets {
        private(set) var sets: [Set<String>] = [[]]
        private var unions: [Int: Int] = [:]  // key: the smaller number in the high 32 bits

        mutating func intern(_ s: Set<String>) -> Int {
            if s.isEmpty { return 0 }
            sets.append(s)
            return sets.count - 1
        }

        mutating func union(_ a: Int, _ b: Int) -> Int {
            if a == b || b == 0 { return a }
            if a == 0 { return b }
            let (x, y) = a < b ? (a, b) : (b, a)
            let key = x << 32 | y
            if let u = unions[key] { return u }
            let result: Int
            if sets[x].isSuperset(of: sets[y]) {
                result = x
            } else if sets[y].isSuperset(of: sets[x]) {
                result = y
            } else {
                result = intern(sets[x].union(sets[y]))
            }
            unions[key] = result
            return result
        }
    }

    /// Every label spreads to the descendants of the revision declaring it (through
    /// `down_revision`), and down from the last descendant a depth-first visit reaches, until a
    /// real branch point or a merge point. Alembic visits children from a `frozenset`, so which
    /// descendant is last can differ between its runs; revgraph visits them in load order.
    static func propagateLabels(
        _ revs: [Revision], children: [[Int]], allChildren: [[Int]], parents: [[Int]], index: [String: Int]
    ) -> (labels: [Set<String>], sorted: [[String]]) {
        let n = revs.count
        guard revs.contains(where: { !$0.branchLabels.isEmpty }) else {
            return (Array(repeating: [], count: n), Array(repeating: [], count: n))
        }
        guard let order = topologicalIndices(parents: parents, children: children) else {
            let labels = propagateLabelsBounded(revs, children: children, allChildren: allChildren, index: index)
            return (labels, labels.map { $0.sorted() })
        }
        var table = LabelSets()
        // Through descendants: a revision carries its own labels and its parents' sets.
        var inherited = Array(repeating: 0, count: n)
        for i in order {
            var s = revs[i].branchLabels.isEmpty ? 0 : table.intern(Set(revs[i].branchLabels))
            for p in parents[i] { s = table.union(s, inherited[p]) }
            inherited[i] = s
        }
        // Down from each labelled revision's last descendant: one walk per distinct start.
        let last = lastDescendants(revs, children: children)
        var fromStart: [Int: Int] = [:]
        var starts: [Int] = []
        for (i, r) in revs.enumerated() where !r.branchLabels.isEmpty {
            let start = last[i]
            if fromStart[start] == nil { starts.append(start) }
            fromStart[start] = table.union(fromStart[start] ?? 0, table.intern(Set(r.branchLabels)))
        }
        var walked = Array(repeating: 0, count: n)
        for start in starts {
            let s = fromStart[start]!
            var node: Int? = start
            while let p = node, allChildren[p].count <= 1, revs[p].downRevisions.count <= 1 {
                walked[p] = table.union(walked[p], s)
                guard let down = revs[p].downRevisions.first else { break }
                node = index[down]
            }
        }
        var labels: [Set<String>] = []
        var sorted: [[String]] = []
        var sortedByID: [Int: [String]] = [:]  // each distinct set sorted once, the array shared
        labels.reserveCapacity(n)
        sorted.reserveCapacity(n)
        for i in 0..<n {
            let id = table.union(inherited[i], walked[i])
            labels.append(table.sets[id])
            if sortedByID[id] == nil { sortedByID[id] = table.sets[id].sorted() }
            sorted.append(sortedByID[id]!)
        }
        return (labels, sorted)
    }

    /// The last revision a depth-first visit from each revision yields (Alembic's `node` after
    /// `_get_descendant_nodes`). A revision with one child has its child's answer; others are
    /// visited. Only meaningful, and only called, on an acyclic graph.
    static func lastDescendants(_ revs: [Revision], children: [[Int]]) -> [Int] {
        let n = revs.count
        var last = Array(repeating: -1, count: n)
        var stamp = Array(repeating: 0, count: n)
        var generation = 0
        var path: [Int] = []
        for i in 0..<n where !revs[i].branchLabels.isEmpty && last[i] < 0 {
            path.removeAll(keepingCapacity: true)
            var x = i
            while last[x] < 0, children[x].count == 1 {
                path.append(x)
                x = children[x][0]
            }
            if last[x] < 0 {
                if children[x].isEmpty {
                    last[x] = x
                } else {
                    generation += 1
                    var stack = [x]
                    var result = x
                    while let r = stack.popLast() {
                        guard stamp[r] != generation else { continue }
                        stamp[r] = generation
                        result = r
                        stack.append(contentsOf: children[r])
                    }
                    last[x] = result
                }
            }
            for p in path { last[p] = last[x] }
        }
        return last
    }

    /// Revisions with every parent before its children (Kahn's algorithm); nil when a cycle
    /// leaves some unordered. `children` lists each child once; `parents` may repeat one.
    static func topologicalIndices(parents: [[Int]], children: [[Int]]) -> [Int]? {
        let n = parents.count
        var pending = parents.map { ps in ps.indices.filter { k in !ps[..<k].contains(ps[k]) }.count }
        var ready = (0..<n).filter { pending[$0] == 0 }.reversed() as [Int]
        var out: [Int] = []
        out.reserveCapacity(n)
        while let i = ready.popLast() {
            out.append(i)
            for c in children[i] {
                pending[c] -= 1
                if pending[c] == 0 { ready.append(c) }
            }
        }
        return out.count == n ? out : nil
    }

    /// The direct form of the propagation, used when the graph has a cycle: each label walked
    /// separately, with a guard so that a cycle cannot make a walk endless.
    static func propagateLabelsBounded(
        _ revs: [Revision], children: [[Int]], allChildren: [[Int]], index: [String: Int]
    ) -> [Set<String>] {
        var labels = revs.map { Set($0.branchLabels) }
        for (i, r) in revs.enumerated() where !r.branchLabels.isEmpty {
            let own = Set(r.branchLabels)
            let descendants = dfs(from: [i], children)
            for d in descendants { labels[d].formUnion(own) }
            var node: Int? = descendants.last
            var visited = Set<Int>()
            while let p = node, visited.insert(p).inserted, allChildren[p].count <= 1, revs[p].downRevisions.count <= 1 {
                labels[p].formUnion(own)
                guard let down = revs[p].downRevisions.first else { break }
                node = index[down]
            }
        }
        return labels
    }
}
