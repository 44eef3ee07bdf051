/// The revision graph of one Alembic project, built as Alembic's `RevisionMap` builds it.
///
/// Revisions keep their load order (the order Alembic reads the files), which decides the order of
/// heads, bases and history exactly as in Alembic. Where Alembic crashes (a missing parent, an unknown
/// dependency) or warns and keeps a broken map (duplicate ids), the graph records a ``GraphProblem``
/// and leaves the offending edge or file out, so that every command can still answer.
public struct RevisionGraph: Sendable {
    /// Revisions in load order. A duplicated id keeps the later file, at the earlier position (as Alembic's map does).
    public let revisions: [Revision]
    /// Revision id to position in `revisions`.
    public let index: [String: Int]
    /// Branch label (as declared) to the revision that declares it.
    public let labelOwner: [String: Int]
    /// Children through `down_revision` (Alembic's `nextrev`), in load order.
    public let children: [[Int]]
    /// Children through `down_revision` and `depends_on` (Alembic's `_all_nextrev`), in load order.
    public let allChildren: [[Int]]
    /// Parents that exist in the graph (missing ones are problems).
    public let parents: [[Int]]
    /// `depends_on`, resolved to revisions (labels resolved).
    public let resolvedDependencies: [[Int]]
    /// Dependencies not already depended on by a versioned ancestor.
    public let normalizedDependencies: [[Int]]
    /// Branch labels after propagation.
    public let labels: [Set<String>]
    /// Versioned heads (Alembic's `heads`, what `alembic heads` prints), in load order.
    public let heads: [Int]
    /// Real heads: nothing builds on them, not even through `depends_on` (the symbol `heads`).
    public let realHeads: [Int]
    /// Revisions whose `down_revision` is None, in load order.
    public let bases: [Int]
    /// Revisions that sit on a cycle or above one; no ordering is possible for them.
    public let cyclic: Set<Int>
    /// Everything found wrong while building the graph.
    public let problems: [GraphProblem]

    public var count: Int { revisions.count }
    public var hasCycles: Bool { !cyclic.isEmpty }

    public init(revisions input: [Revision]) {
        var problems: [GraphProblem] = []
        var revs: [Revision] = []
        var index: [String: Int] = [:]
        var firstPath: [String: String] = [:]
        for r in input {
            if let i = index[r.id] {
                problems.append(GraphProblem(
                    kind: .duplicateRevision, path: r.path, line: r.line, revisions: [r.id],
                    message: "revision '\(r.id)' is present more than once: '\(firstPath[r.id]!)' and '\(r.path)'",
                    fix: "give one of the files a new revision id (and update the down_revision that points at it)"))
                revs[i] = r  // the later file wins, as in Alembic
            } else {
                index[r.id] = revs.count
                firstPath[r.id] = r.path
                revs.append(r)
            }
        }
        let n = revs.count

        // Branch labels name revisions too.
        var labelOwner: [String: Int] = [:]
        for (i, r) in revs.enumerated() {
            for label in r.branchLabels {
                if let owner = labelOwner[label] ?? index[label] {
                    problems.append(GraphProblem(
                        kind: .branchLabelCollision, path: r.path, line: r.line, revisions: [r.id, revs[owner].id],
                        message: "Branch name '\(label)' in revision \(r.id) already used by revision \(revs[owner].id)",
                        fix: "choose another branch label in '\(r.path)'"))
                } else {
                    labelOwner[label] = i
                }
            }
        }

        var parents = Array(repeating: [Int](), count: n)
        var deps = Array(repeating: [Int](), count: n)
        var children = Array(repeating: [Int](), count: n)
        var allChildren = Array(repeating: [Int](), count: n)
        for (i, r) in revs.enumerated() {
            for d in r.dependencies {
                if let j = index[d] ?? labelOwner[d] {
                    if !deps[i].contains(j) { deps[i].append(j) }
                } else {
                    problems.append(GraphProblem(
                        kind: .missingDependency, path: r.path, line: r.line, revisions: [r.id],
                        message: "revision '\(r.id)' in '\(r.path)' depends on '\(d)', which is not present",
                        fix: "restore the revision '\(d)' or remove it from depends_on"))
                }
            }
            for p in r.downRevisions {
                if let j = index[p] {
                    parents[i].append(j)
                } else {
                    problems.append(GraphProblem(
                        kind: .missingParent, path: r.path, line: r.line, revisions: [r.id],
                        message: "Revision \(p) referenced from revision '\(r.id)' in '\(r.path)' is not present",
                        fix: "restore the revision '\(p)' or point down_revision at an existing revision"))
                }
            }
        }
        for i in 0..<n {
            var all: [Int] = parents[i]
            for d in deps[i] where !all.contains(d) { all.append(d) }
            for p in all {
                if !allChildren[p].contains(i) { allChildren[p].append(i) }
                if parents[i].contains(p), !children[p].contains(i) { children[p].append(i) }
            }
        }

        var heads: [Int] = []
        var realHeads: [Int] = []
        var bases: [Int] = []
        for i in 0..<n {
            if children[i].isEmpty { heads.append(i) }
            if allChildren[i].isEmpty { realHeads.append(i) }
            if revs[i].downRevisions.isEmpty { bases.append(i) }
        }

        self.revisions = revs
        self.index = index
        self.labelOwner = labelOwner
        self.children = children
        self.allChildren = allChildren
        self.parents = parents
        self.resolvedDependencies = deps
        self.heads = heads
        self.realHeads = realHeads
        self.bases = bases

        // Cycles: what is not both below a head and above a root (Alembic's `_detect_cycles`).
        let roots = (0..<n).filter { parents[$0].isEmpty }
        let down = Self.reach(from: heads, parents)
        let up = Self.reach(from: roots, children)
        var cyclic = Set((0..<n).filter { !down.contains($0) || !up.contains($0) })
        if !cyclic.isEmpty {
            let ids = cyclic.map { revs[$0].id }.sorted()
            let first = cyclic.min()!
            problems.append(GraphProblem(
                kind: .cycle, path: revs[first].path, line: revs[first].line, revisions: ids,
                message: "Cycle is detected in revisions (\(ids.joined(separator: ", ")))",
                fix: "follow down_revision through these files and break the loop"))
        } else {
            var allParents = Array(repeating: [Int](), count: n)
            for i in 0..<n { allParents[i] = parents[i] + deps[i] }
            let realRoots = (0..<n).filter { allParents[$0].isEmpty }
            let down2 = Self.reach(from: realHeads, allParents)
            let up2 = Self.reach(from: realRoots, allChildren)
            let bad = Set((0..<n).filter { !down2.contains($0) || !up2.contains($0) })
            if !bad.isEmpty {
                let ids = bad.map { revs[$0].id }.sorted()
                let first = bad.min()!
                problems.append(GraphProblem(
                    kind: .dependencyCycle, path: revs[first].path, line: revs[first].line, revisions: ids,
                    message: "Dependency cycle is detected in revisions (\(ids.joined(separator: ", ")))",
                    fix: "remove one of the depends_on entries that form the loop"))
                cyclic = bad
            }
        }
        self.cyclic = cyclic

        // Dependencies already implied by a versioned ancestor's dependencies are dropped.
        var normalized = deps
        if cyclic.isEmpty {
            for i in 0..<n where !deps[i].isEmpty {
                var implied = Set<Int>()
                for a in Self.dfs(from: [i], parents) where a != i {
                    implied.formUnion(deps[a])
                }
                normalized[i] = deps[i].filter { !implied.contains($0) }
            }
        }
        self.normalizedDependencies = normalized
        self.labels = Self.propagateLabels(revs, children: children, allChildren: allChildren, index: index)
        self.problems = problems
    }

    /// Depth-first visit in Alembic's order (a stack; a node is yielded when popped the first time).
    static func dfs(from targets: [Int], _ next: [[Int]]) -> [Int] {
        var seen = Set<Int>()
        var out: [Int] = []
        var stack: [Int] = []
        for t in targets {
            stack.append(t)
            while let r = stack.popLast() {
                guard seen.insert(r).inserted else { continue }
                stack.append(contentsOf: next[r])
                out.append(r)
            }
        }
        return out
    }

    static func reach(from targets: [Int], _ next: [[Int]]) -> Set<Int> {
        Set(dfs(from: targets, next))
    }

    /// Alembic's `_add_branches`: a label spreads to every descendant, and down from the last
    /// descendant visited until a real branch point or a merge point.
    static func propagateLabels(
        _ revs: [Revision], children: [[Int]], allChildren: [[Int]], index: [String: Int]
    ) -> [Set<String>] {
        var labels = revs.map { Set($0.branchLabels) }
        for (i, r) in revs.enumerated() where !r.branchLabels.isEmpty {
            let own = Set(r.branchLabels)
            let descendants = dfs(from: [i], children)
            for d in descendants { labels[d].formUnion(own) }
            var node: Int? = descendants.last
            while let p = node, allChildren[p].count <= 1, revs[p].downRevisions.count <= 1 {
                labels[p].formUnion(own)
                guard let down = revs[p].downRevisions.first else { break }
                node = index[down]
            }
        }
        return labels
    }

    // MARK: - Per-revision facts

    public func revision(_ i: Int) -> Revision { revisions[i] }
    public func id(_ i: Int) -> String { revisions[i].id }
    public func isHead(_ i: Int) -> Bool { children[i].isEmpty }
    public func isRealHead(_ i: Int) -> Bool { allChildren[i].isEmpty }
    public func isEffectiveHead(_ i: Int) -> Bool { isHead(i) && !isRealHead(i) }
    public func isBranchPoint(_ i: Int) -> Bool { children[i].count > 1 }
    public func isRealBranchPoint(_ i: Int) -> Bool { allChildren[i].count > 1 }
    public func isMergePoint(_ i: Int) -> Bool { revisions[i].downRevisions.count > 1 }
    public func isBase(_ i: Int) -> Bool { revisions[i].downRevisions.isEmpty }

    /// Propagated branch labels, sorted (Alembic prints a set in no stable order).
    public func sortedLabels(_ i: Int) -> [String] { labels[i].sorted() }

    /// Parents plus normalised dependencies (Alembic's `_normalized_down_revisions`).
    func normalizedDown(_ i: Int) -> [Int] {
        var out = parents[i]
        for d in normalizedDependencies[i] where !out.contains(d) { out.append(d) }
        return out
    }

    /// Ancestors including the targets themselves, in visit order.
    public func ancestors(of targets: [Int], includeDependencies: Bool = true) -> [Int] {
        if includeDependencies {
            var seen = Set<Int>()
            var out: [Int] = []
            var stack: [Int] = []
            for t in targets {
                stack.append(t)
                while let r = stack.popLast() {
                    guard seen.insert(r).inserted else { continue }
                    stack.append(contentsOf: normalizedDown(r))
                    out.append(r)
                }
            }
            return out
        }
        return Self.dfs(from: targets, parents)
    }

    /// Descendants including the targets themselves, in visit order.
    public func descendants(of targets: [Int], includeDependencies: Bool = true) -> [Int] {
        Self.dfs(from: targets, includeDependencies ? allChildren : children)
    }
}
