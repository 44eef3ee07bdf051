extension RevisionGraph {
    /// The revisions `alembic history -r lower:upper` lists, in its order (newest first).
    ///
    /// `lower` and `upper` default to `base` and `heads`. This follows Alembic's
    /// `_collect_upgrade_revisions` with `inclusive` on and `implicit_base` off.
    public func history(lower: String? = nil, upper: String? = nil) throws(RevisionGraphError) -> [Int] {
        try requireAcyclic()
        let upperArg = (upper?.isEmpty ?? true) ? "heads" : upper!
        var lowerArg: String? = (lower?.isEmpty ?? true) ? "base" : lower!
        var targets: [Int] = []
        for t in try parseUpgradeTarget(current: lowerArg, target: upperArg, assertLength: false) {
            guard let t, let i = t.index else { throw .walkedTooFar }
            targets.append(i)
        }
        if let l = lowerArg, let at = l.firstIndex(of: "@") {
            var branch = String(l[..<at])
            if let b = try resolveOne(branch), id(b) == branch {
                // A revision id used as a label: its only label stands for it.
                if labels[b].count == 1 { branch = labels[b].first! }
            }
            targets = targets.filter { labels[$0].contains(branch) }
        }
        let required = try checkedClosure(targets, next: { self.normalizedDown($0) })
        var current = try resolve(lowerArg)
        for c in current {
            // A relative walk that ended at "base" is not in the required set either.
            if c == .base || c?.index.map({ !required.contains($0) }) == true {
                throw .rangeNotAncestor(lower: lowerArg ?? "base", upper: upperArg)
            }
        }
        if let first = current.first, first == nil {
            let r = try parseDowngradeTarget(current: upperArg, target: lowerArg ?? "base", assertLength: false)
            switch r {
            case .revision(let i)?:
                current = [.revision(i)]
                lowerArg = id(i)
            default:
                current = []
                lowerArg = nil
            }
        }
        let currentIdx = current.compactMap { $0?.index }
        let currentSet = try checkedClosure(currentIdx, next: { self.normalizedDown($0) })
        var needs = required.subtracting(currentSet)
        if let lowerArg { needs.formUnion(try resolveRevisions(lowerArg)) }
        if !currentIdx.isEmpty {
            needs.formIntersection(try checkedClosure(currentIdx, next: { self.children[$0] }))
        }
        return try topologicalOrder(needs, heads: targets)
    }

    /// The targets and everything reachable from them through `next`; two targets where one
    /// reaches the other is Alembic's "overlaps" error.
    func checkedClosure(_ targets: [Int], next: (Int) -> [Int]) throws(RevisionGraphError) -> Set<Int> {
        var seen = Set<Int>()
        let targetSet = Set(targets)
        for t in targets {
            var perTarget = Set<Int>()
            var stack = [t]
            while let r = stack.popLast() {
                perTarget.insert(r)
                guard seen.insert(r).inserted else { continue }
                stack.append(contentsOf: next(r))
            }
            let overlaps = perTarget.intersection(targetSet).subtracting([t])
            if !overlaps.isEmpty {
                throw .overlappingTargets(revision: id(t), others: overlaps.sorted().map { id($0) })
            }
        }
        return seen
    }

    /// Parses `history -r` syntax: `a:b`, `a:`, `:b`.
    public static func parseRange(_ range: String) throws(RevisionGraphError) -> (lower: String?, upper: String?) {
        let parts = range.trimmingPythonWhitespace().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .badRange(range) }
        return (parts[0].isEmpty ? nil : String(parts[0]), parts[1].isEmpty ? nil : String(parts[1]))
    }
}

extension RevisionGraph {
    /// Throws ``RevisionGraphError/cycle(_:)`` when any revision sits on or above a cycle: no
    /// order, head or range means anything then (Alembic refuses to build such a map).
    public func requireAcyclic() throws(RevisionGraphError) {
        if hasCycles { throw .cycle(cyclic.map { id($0) }.sorted()) }
    }
}
