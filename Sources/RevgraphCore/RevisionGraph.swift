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
    /// The same labels sorted (revisions with the same set share one array).
    let sortedLabelLists: [[String]]
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
        let (revs, index) = Self.dedupe(input, &problems)
        let n = revs.count
        let labelOwner = Self.labelOwners(revs, index, &problems)
        let e = Self.edges(revs, index, labelOwner, &problems)

        var heads: [Int] = []
        var realHeads: [Int] = []
        var bases: [Int] = []
        for i in 0..<n {
            if e.children[i].isEmpty { heads.append(i) }
            if e.allChildren[i].isEmpty { realHeads.append(i) }
            if revs[i].downRevisions.isEmpty { bases.append(i) }
        }

        self.revisions = revs
        self.index = index
        self.labelOwner = labelOwner
        self.children = e.children
        self.allChildren = e.allChildren
        self.parents = e.parents
        self.resolvedDependencies = e.deps
        self.heads = heads
        self.realHeads = realHeads
        self.bases = bases

        // Cycles through down_revision first; only a graph without them is checked through depends_on.
        var cyclic = Self.cycleMembers(tips: heads, parents: e.parents, children: e.children)
        if !cyclic.isEmpty {
            problems.append(Self.cycleProblem(cyclic, revs, kind: .cycle, "Cycle",
                                              fix: "follow down_revision through these files and break the loop"))
        } else if e.deps.contains(where: { !$0.isEmpty }) {
            // (Without dependencies this is the check just made.)
            let allParents = (0..<n).map { e.parents[$0] + e.deps[$0] }
            cyclic = Self.cycleMembers(tips: realHeads, parents: allParents, children: e.allChildren)
            if !cyclic.isEmpty {
                problems.append(Self.cycleProblem(cyclic, revs, kind: .dependencyCycle, "Dependency cycle",
                                                  fix: "remove one of the depends_on entries that form the loop"))
            }
        }
        self.cyclic = cyclic
        self.normalizedDependencies = cyclic.isEmpty ? Self.normalize(e.deps, parents: e.parents, children: e.children) : e.deps
        (self.labels, self.sortedLabelLists) = Self.propagateLabels(
            revs, children: e.children, allChildren: e.allChildren, parents: e.parents, index: index)
        self.problems = problems
    }

    /// Keeps one revision per id: the later file, at the earlier position (as Alembic's map does).
    static func dedupe(_ input: [Revision], _ problems: inout [GraphProblem]) -> ([Revision], [String: Int]) {
        // The common case, every id once: the input is the answer, shared, not copied.
        var unique: [String: Int] = [:]
        unique.reserveCapacity(input.count)
        var allUnique = true
        for i in input.indices where unique.updateValue(i, forKey: input[i].id) != nil {
            allUnique = false
            break
        }
        if allUnique { return (input, unique) }
        var revs: [Revision] = []
        revs.reserveCapacity(input.count)
        var index: [String: Int] = [:]
        index.reserveCapacity(input.count)
        var firstPaths: [String] = []  // by slot: the path that first held each id
        firstPaths.reserveCapacity(input.count)
        for r in input {
            guard let i = index[r.id] else {
                index[r.id] = revs.count
                firstPaths.append(r.path)
                revs.append(r)
                continue
            }
            if !revs[i].id.sameCodePoints(r.id) {
                // Swift's String equality is canonical equivalence; alembic compares code points.
                problems.append(GraphProblem(
                    kind: .duplicateRevision, path: r.path, line: r.line, revisions: [revs[i].id, r.id],
                    message: "revision ids '\(revs[i].id)' ('\(firstPaths[i])') and '\(r.id)' ('\(r.path)') differ only in Unicode normalization: alembic reads them as two revisions, revgraph cannot tell them apart",
                    fix: "rename one of the revisions with plain ASCII characters"))
                continue
            }
            problems.append(GraphProblem(
                kind: .duplicateRevision, path: r.path, line: r.line, revisions: [r.id],
                message: "revision '\(r.id)' is present more than once: '\(firstPaths[i])' and '\(r.path)'",
                fix: "give one of the files a new revision id (and update the down_revision that points at it)"))
            revs[i] = r
        }
        return (revs, index)
    }

    /// Branch labels name revisions too; a label used twice (or equal to an id) is a problem.
    static func labelOwners(_ revs: [Revision], _ index: [String: Int], _ problems: inout [GraphProblem]) -> [String: Int] {
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
        return labelOwner
    }

    /// The graph's edges; a missing parent or dependency is a problem and its edge is left out.
    static func edges(_ revs: [Revision], _ index: [String: Int], _ labelOwner: [String: Int],
                      _ problems: inout [GraphProblem])
        -> (parents: [[Int]], deps: [[Int]], children: [[Int]], allChildren: [[Int]])
    {
        let n = revs.count
        var parents = Array(repeating: [Int](), count: n)
        var deps = Array(repeating: [Int](), count: n)
        var children = Array(repeating: [Int](), count: n)
        var allChildren = Array(repeating: [Int](), count: n)
        // By index, not `for r in revs`: a Revision copied per iteration retains every field.
        for i in revs.indices {
            for d in revs[i].dependencies {
                if let j = index[d] ?? labelOwner[d], revs[j].id.sameCodePoints(d) || labelOwner[d] != nil {
                    if !deps[i].contains(j) { deps[i].append(j) }
                } else {
                    let r = revs[i]
                    problems.append(GraphProblem(
                        kind: .missingDependency, path: r.path, line: r.line, revisions: [r.id],
                        message: "revision '\(r.id)' in '\(r.path)' depends on '\(d)', which is not present",
                        fix: "restore the revision '\(d)' or remove it from depends_on"))
                }
            }
            for p in revs[i].downRevisions {
                if let j = index[p], revs[j].id.sameCodePoints(p) {
                    parents[i].append(j)
                } else {
                    let r = revs[i]
                    problems.append(GraphProblem(
                        kind: .missingParent, path: r.path, line: r.line, revisions: [r.id],
                        message: "Revision \(p) referenced from revision '\(r.id)' in '\(r.path)' is not present",
                        fix: "restore the revision '\(p)' or point down_revision at an existing revision"))
                }
            }
        }
        for i in 0..<n {
            for p in parents[i] where children[p].last != i { children[p].append(i) }
        }
        // Without any depends_on (most projects), the edges through dependencies are these.
        guard deps.contains(where: { !$0.isEmpty }) else { return (parents, deps, children, children) }
        for i in 0..<n {
            var all: [Int] = parents[i]
            for d in deps[i] where !all.contains(d) { all.append(d) }
            for p in all where allChildren[p].last != i { allChildren[p].append(i) }
        }
        return (parents, deps, children, allChildren)
    }

    /// Revisions on a cycle or above one. Alembic's `_detect_cycles` (what is not both below a tip
    /// and above a root), plus what a topological peel cannot reach: a cycle that hangs between a
    /// base and a head is caught too. Iterative and linear in revisions and edges.
    static func cycleMembers(tips: [Int], parents: [[Int]], children: [[Int]]) -> Set<Int> {
        let n = parents.count
        let roots = (0..<n).filter { parents[$0].isEmpty }
        let down = reachable(from: tips, parents)
        let up = reachable(from: roots, children)
        // Kahn: peel revisions whose parents are all peeled; what remains sits on or above a cycle.
        // `children` lists each child once; a repeated parent counts once.
        var pending = parents.map { ps in ps.count < 2 ? ps.count : Set(ps).count }
        var queue = roots
        var peeled = 0
        while let i = queue.popLast() {
            peeled += 1
            for c in children[i] {
                pending[c] -= 1
                if pending[c] == 0 { queue.append(c) }
            }
        }
        var out = Set<Int>()
        for i in 0..<n where !down[i] || !up[i] || (peeled < n && pending[i] > 0) { out.insert(i) }
        return out
    }

    /// Everything reachable from `targets` through `next` (the targets included), as flags.
    static func reachable(from targets: [Int], _ next: [[Int]]) -> [Bool] {
        var seen = [Bool](repeating: false, count: next.count)
        var stack = targets
        while let r = stack.popLast() {
            guard !seen[r] else { continue }
            seen[r] = true
            stack.append(contentsOf: next[r])
        }
        return seen
    }

    static func cycleProblem(_ members: Set<Int>, _ revs: [Revision], kind: GraphProblem.Kind, _ name: String,
                             fix: String) -> GraphProblem
    {
        let ids = members.map { revs[$0].id }.sorted()
        let first = members.min()!
        return GraphProblem(kind: kind, path: revs[first].path, line: revs[first].line, revisions: ids,
                            message: "\(name) is detected in revisions (\(ids.joined(separator: ", ")))", fix: fix)
    }

    /// Dependencies already implied by a versioned ancestor's dependencies are dropped
    /// (Alembic's `_normalize_depends_on`). Only called on an acyclic graph. The ancestors are
    /// searched only when another revision with the same dependency comes earlier in a
    /// topological order, and only as far down as the earliest such revision.
    static func normalize(_ deps: [[Int]], parents: [[Int]], children: [[Int]]) -> [[Int]] {
        guard deps.contains(where: { !$0.isEmpty }),
              let order = topologicalIndices(parents: parents, children: children) else { return deps }
        let n = deps.count
        var position = Array(repeating: 0, count: n)
        for (k, i) in order.enumerated() { position[i] = k }
        // The two earliest dependents of each revision, by position.
        var earliest = Array(repeating: (Int.max, Int.max), count: n)
        for i in 0..<n {
            for d in deps[i] {
                let p = position[i]
                if p < earliest[d].0 { earliest[d] = (p, earliest[d].0) } else if p < earliest[d].1, p != earliest[d].0 { earliest[d].1 = p }
            }
        }
        var stamp = Array(repeating: 0, count: n)
        var generation = 0
        var normalized = deps
        for i in 0..<n where !deps[i].isEmpty {
            normalized[i] = deps[i].filter { d in
                let floor = earliest[d].0 == position[i] ? earliest[d].1 : earliest[d].0
                guard floor < position[i] else { return true }
                generation += 1
                var stack = parents[i]
                while let r = stack.popLast() {
                    guard stamp[r] != generation, position[r] >= floor else { continue }
                    if deps[r].contains(d) { return false }
                    stamp[r] = generation
                    stack.append(contentsOf: parents[r])
                }
                return true
            }
        }
        return normalized
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
    public func sortedLabels(_ i: Int) -> [String] { sortedLabelLists[i] }

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
