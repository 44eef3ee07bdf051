extension RevisionGraph {
    /// Orders `revisions` newest first, each before its parents and dependencies, exactly as
    /// Alembic's `_topological_sort` does: depth first along each branch, heads in load order,
    /// a branch point only after every branch above it.
    ///
    /// - Throws: ``RevisionGraphError/cycle(_:)`` when the graph has a cycle.
    public func topologicalOrder(_ revisions: Set<Int>, heads: [Int]) throws(RevisionGraphError) -> [Int] {
        guard cyclic.isDisjoint(with: revisions) else {
            throw .cycle(cyclic.map { id($0) }.sorted())
        }
        var todo = revisions
        var output: [Int] = []
        output.reserveCapacity(revisions.count)
        var start = Array(Set(heads.filter { todo.contains($0) })).sorted()
        while !todo.isEmpty {
            if start.isEmpty {
                // Alembic asserts here (a range whose heads are outside it); revgraph continues
                // from the tips of what is left, in load order.
                let inner = Set(todo.flatMap { normalizedDown($0) })
                start = todo.filter { !inner.contains($0) }.sorted()
                if start.isEmpty { start = [todo.min()!] }
            }
            if isConvexAndCovered(todo, by: start) {
                emitLinear(from: start, todo: &todo, into: &output)
            } else {
                emit(from: start, todo: &todo, into: &output)
            }
            start = []
        }
        return output
    }

    /// Alembic's algorithm as it is written: one ancestor set per lane, recomputed at merge and
    /// branch points (quadratic on wide graphs). Used where `emitLinear`'s conditions fail.
    private func emit(from heads: [Int], todo: inout Set<Int>, into output: inout [Int]) {
        var current = heads
        var ancestorsByHead = current.map { Set(ancestors(of: [$0])) }
        var idx = 0
        while !current.isEmpty {
            let candidate = current[idx]
            var redirected = false
            for (j, anc) in ancestorsByHead.enumerated() where j != idx && anc.contains(candidate) {
                idx = j
                redirected = true
                break
            }
            if redirected { continue }
            if todo.remove(candidate) != nil { output.append(candidate) }
            let add = normalizedDown(candidate).filter { todo.contains($0) && !current.contains($0) }
            if add.isEmpty {
                current.remove(at: idx)
                ancestorsByHead.remove(at: idx)
                idx = max(idx - 1, 0)
            } else if normalizedDependencies[candidate].isEmpty && revisions_downCount(candidate) == 1 {
                current[idx] = add[0]
                ancestorsByHead[idx].remove(candidate)
            } else {
                current[idx] = add[0]
                current.append(contentsOf: add.dropFirst())
                ancestorsByHead[idx] = Set(ancestors(of: [add[0]]))
                ancestorsByHead.append(contentsOf: add.dropFirst().map { Set(ancestors(of: [$0])) })
            }
        }
    }

    private func revisions_downCount(_ i: Int) -> Int { revisions[i].downRevisions.count }

    /// Every revision, newest first (what `alembic history` prints with no range).
    public func fullHistory() throws(RevisionGraphError) -> [Int] {
        try topologicalOrder(Set(0..<count), heads: realHeads)
    }

    /// Whether every revision between two of `todo` is in `todo`, and every one is below (or is)
    /// one of `heads`: the conditions under which `emitLinear` gives Alembic's order.
    func isConvexAndCovered(_ todo: Set<Int>, by heads: [Int]) -> Bool {
        let n = count
        var below = [Bool](repeating: false, count: n)
        for r in ancestors(of: heads) { below[r] = true }
        guard todo.allSatisfy({ below[$0] }) else { return false }
        var up = [[Int]](repeating: [], count: n)
        for x in 0..<n { for p in normalizedDown(x) where up[p].last != x { up[p].append(x) } }
        var above = [Bool](repeating: false, count: n)
        var stack = Array(todo)
        while let r = stack.popLast() {
            for c in up[r] where !above[c] {
                above[c] = true
                stack.append(c)
            }
        }
        return ancestors(of: Array(todo)).allSatisfy { todo.contains($0) || !above[$0] }
    }

    /// The same order as `emit`, in time linear in revisions and edges on every shape the
    /// benchmark draws. When `todo` is convex and covered by the lanes' heads, a revision is an
    /// ancestor of another lane's head exactly when one of its children in `todo` is still
    /// waiting (every waiting revision is below some head, and every path between two of `todo`
    /// stays in it), so the ancestor sets become a count of waiting children; the lane Alembic
    /// moves to (the first whose head is above the candidate) is found by a walk up from the
    /// candidate that stops at the first lane. Lanes keep their order as a linked list.
    private func emitLinear(from heads: [Int], todo: inout Set<Int>, into output: inout [Int]) {
        let n = count
        var inTodo = [Bool](repeating: false, count: n)
        for t in todo { inTodo[t] = true }
        var down = [[Int]](repeating: [], count: n)  // normalizedDown within todo, each once
        var kids = [[Int]](repeating: [], count: n)  // waiting children within todo
        var slot = [[Int]](repeating: [], count: n)  // slot[x][k]: where x sits in kids[down[x][k]]
        var seen = [Int](repeating: -1, count: n)
        for x in todo.sorted() {
            for p in normalizedDown(x) where inTodo[p] && seen[p] != x {
                seen[p] = x
                down[x].append(p)
                slot[x].append(kids[p].count)
                kids[p].append(x)
            }
        }
        var laneHead: [Int] = [], prev: [Int] = [], next: [Int] = []
        var laneOf = [Int](repeating: -1, count: n)
        var first = -1, last = -1
        func append(_ h: Int) {
            let k = laneHead.count
            laneHead.append(h); prev.append(last); next.append(-1)
            if last >= 0 { next[last] = k } else { first = k }
            last = k
            laneOf[h] = k
        }
        func remove(_ k: Int) {
            if prev[k] >= 0 { next[prev[k]] = next[k] } else { first = next[k] }
            if next[k] >= 0 { prev[next[k]] = prev[k] } else { last = prev[k] }
            laneOf[laneHead[k]] = -1
        }
        for h in heads { append(h) }
        var emitted = [Bool](repeating: false, count: n)
        var stamp = [Int](repeating: 0, count: n)
        var generation = 0
        var cur = first
        while first >= 0 {
            let c = laneHead[cur]
            if !kids[c].isEmpty {
                let best = first == cur ? next[cur] : first
                // Most often the first other lane's head is a child of the candidate.
                if best >= 0, down[laneHead[best]].contains(c) {
                    cur = best
                    continue
                }
                generation += 1
                var found = Int.max
                var stack = kids[c]
                while let r = stack.popLast() {
                    guard stamp[r] != generation else { continue }
                    stamp[r] = generation
                    let k = laneOf[r]
                    if k >= 0, k != cur, k < found {
                        found = k
                        if k == best { break }
                    }
                    stack.append(contentsOf: kids[r])
                }
                if found != Int.max {
                    cur = found
                    continue
                }
            }
            todo.remove(c)
            emitted[c] = true
            output.append(c)
            for (k, p) in down[c].enumerated() {
                let at = slot[c][k]
                let moved = kids[p].removeLast()
                if at < kids[p].count {
                    kids[p][at] = moved
                    if let m = down[moved].firstIndex(of: p) { slot[moved][m] = at }
                }
            }
            let add = down[c].filter { !emitted[$0] && laneOf[$0] < 0 }
            if add.isEmpty {
                let before = prev[cur]
                remove(cur)
                cur = before >= 0 ? before : first
            } else {
                laneOf[c] = -1
                laneHead[cur] = add[0]
                laneOf[add[0]] = cur
                for a in add.dropFirst() { append(a) }
            }
        }
    }
}
