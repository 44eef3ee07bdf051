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
            emit(from: start, todo: &todo, into: &output)
            start = []
        }
        return output
    }

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
}
