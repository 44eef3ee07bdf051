/// A position reached by a relative walk: Alembic's `None` (below every base, before a walk up) or `"base"`.
public enum WalkPosition: Equatable, Sendable {
    case start
    case base
    case revision(Int)

    var index: Int? {
        if case .revision(let i) = self { return i }
        return nil
    }
}

extension RevisionGraph {
    /// Splits `label@rest` and expands `head`, `heads` and `base` (Alembic's `_resolve_revision_number`).
    func resolveNumber(_ identifier: String?) throws(RevisionGraphError) -> (ids: [String], label: String?) {
        guard var id = identifier else { return ([], nil) }
        var label: String?
        if let at = id.firstIndex(of: "@") {
            label = String(id[..<at])
            id = String(id[id.index(after: at)...])
        }
        switch id {
        case "heads":
            if let label { return (try filterForLineage(heads, label).map { self.id($0) }, label) }
            return (realHeads.map { self.id($0) }, nil)
        case "head":
            if let h = try currentHead(label: label) { return ([self.id(h)], label) }
            return ([], label)
        case "base", "":
            return ([], label)
        default:
            return ([id], label)
        }
    }

    /// The single versioned head (of `label`'s lineage, when given); nil for an empty graph.
    public func currentHead(label: String? = nil) throws(RevisionGraphError) -> Int? {
        var hs = heads
        if let label { hs = try filterForLineage(hs, label) }
        if hs.count > 1 {
            throw .multipleHeads(heads: hs.map { id($0) }, argument: label.map { "\($0)@head" } ?? "head")
        }
        return hs.first
    }

    /// Resolves one identifier that must name at most one revision (Alembic's `get_revision`).
    public func resolveOne(_ identifier: String?) throws(RevisionGraphError) -> Int? {
        let (ids, label) = try resolveNumber(identifier)
        if ids.count > 1 { throw .multipleHeads(heads: ids, argument: identifier ?? "") }
        return try revisionFor(ids.first, branch: label)
    }

    /// Resolves an identifier that may name several revisions (Alembic's `get_revisions`).
    /// A nil entry is Alembic's `None`: a relative walk that went past the end.
    public func resolve(_ identifier: String?) throws(RevisionGraphError) -> [WalkPosition?] {
        let (ids, label) = try resolveNumber(identifier)
        if ids.count == 1, ids[0].hasPrefix("-"), ids[0].count > 1,
           ids[0].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }), steps(ids[0]) < 0
        {
            let steps = steps(ids[0])
            var selected = realHeads
            if let label { selected = selected.filter { labels[$0].contains(label) } }
            var out: [WalkPosition?] = []
            for h in selected { out.append(try walk(from: .revision(h), steps: steps)) }
            return out
        }
        var out: [WalkPosition?] = []
        for id in ids {
            if let i = try revisionFor(id, branch: label) { out.append(.revision(i)) }
        }
        return out
    }

    /// Resolves to revision indices only; `base` gives none.
    public func resolveRevisions(_ identifier: String) throws(RevisionGraphError) -> [Int] {
        var out: [Int] = []
        for p in try resolve(identifier) {
            guard let p else { throw .walkedTooFar }
            if let i = p.index, !out.contains(i) { out.append(i) }
        }
        return out
    }

    /// Map keys in Alembic's order: revision ids in load order, then branch labels (sorted here).
    private var mapKeys: [String] { revisions.map(\.id) + labelOwner.keys.sorted() }

    /// The revision an exact id or label names. Swift's dictionaries match canonically
    /// equivalent strings; Alembic compares code points, so the bytes are checked too.
    func lookup(_ key: String) -> Int? {
        if let i = index[key], revisions[i].id.sameCodePoints(key) { return i }
        if let i = labelOwner[key], revisions[i].branchLabels.contains(where: { $0.sameCodePoints(key) }) {
            return i
        }
        return nil
    }

    func resolveBranch(_ label: String) throws(RevisionGraphError) -> Int? {
        if let i = lookup(label) { return i }
        do {
            return try revisionFor(label, branch: nil)
        } catch {
            throw .noSuchBranch(label)
        }
    }

    /// Alembic's `_revision_for_ident`: exact id or label, else a unique prefix of more than three characters.
    func revisionFor(_ resolved: String?, branch: String?) throws(RevisionGraphError) -> Int? {
        let branchRev = try branch.map { (b) throws(RevisionGraphError) in try resolveBranch(b) } ?? nil
        guard let resolved else { return nil }
        var found = lookup(resolved)
        if found == nil {
            // Python's `len` and `startswith` count and compare code points.
            var candidates = mapKeys.filter { $0.unicodeScalars.count > 3 && $0.utf8.starts(with: resolved.utf8) }
            if let branch, branchRev != nil {
                candidates = try filterForLineage(candidates.compactMap { lookup($0) }, branch).map { id($0) }
            }
            if candidates.isEmpty { throw .noSuchRevision(resolved) }
            if candidates.count > 1 { throw .ambiguousPrefix(resolved, candidates: candidates) }
            found = lookup(candidates[0])
        }
        if let branch, let b = branchRev, let f = found, !sharesLineage(f, [b]) {
            throw .notMemberOfBranch(revision: id(f), branch: branch)
        }
        return found
    }

    /// Keeps the targets that are ancestors or descendants of what `checkAgainst` names.
    public func filterForLineage(
        _ targets: [Int], _ checkAgainst: String, includeDependencies: Bool = false
    ) throws(RevisionGraphError) -> [Int] {
        let (ids, label) = try resolveNumber(checkAgainst)
        var against: [Int] = []
        for s in (label.map { [$0] } ?? []) + ids {
            if let i = try revisionFor(s, branch: nil) { against.append(i) }
        }
        if against.isEmpty && label == nil && ids.isEmpty { return targets }
        return targets.filter { sharesLineage($0, against, includeDependencies: includeDependencies) }
    }

    func sharesLineage(_ target: Int, _ against: [Int], includeDependencies: Bool = false) -> Bool {
        if against.isEmpty { return true }
        let related = Set(descendants(of: [target], includeDependencies: includeDependencies))
            .union(ancestors(of: [target], includeDependencies: includeDependencies))
        return against.contains { related.contains($0) }
    }

    /// A relative step count (`+2`, `-1`, `-99999999999999999999`), clamped to what the graph can
    /// walk: past `count + 1` steps every walk has run off the graph, so a larger number (or one
    /// past `Int`) means the same.
    func steps(_ text: some StringProtocol) -> Int {
        let limit = count + 2
        let negative = text.hasPrefix("-")
        let digits = text.drop { $0 == "-" || $0 == "+" }
        guard let n = Int(digits) else { return negative ? -limit : limit }
        return negative ? -min(n, limit) : min(n, limit)
    }

    /// Alembic's `_walk`: `steps` up (positive) or down (negative), one edge at a time.
    /// Returns nil when the walk runs off the graph and `noOverwalk` is set.
    public func walk(
        from start: WalkPosition, steps: Int, branch: String? = nil, noOverwalk: Bool = true
    ) throws(RevisionGraphError) -> WalkPosition? {
        var position = start
        for _ in 0..<abs(steps) {
            var next: [WalkPosition] = []
            if steps > 0 {
                var up: [Int]
                switch position {
                case .start, .base: up = bases
                case .revision(let i): up = children[i]
                }
                if let branch { up = try filterForLineage(up, branch) }
                next = up.map { .revision($0) }
            } else {
                switch position {
                case .base: next = []
                case .start: next = heads.map { .revision($0) }
                case .revision(let i): next = parents[i].map { .revision($0) }; if next.isEmpty { next = [.base] }
                }
            }
            if next.isEmpty { return noOverwalk ? nil : position }
            if next.count > 1 { throw .ambiguousWalk }
            position = next[0]
        }
        return position
    }

    /// Alembic's `_relative_destination`: `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`, matched at the start.
    static func matchRelative(_ s: String) -> (label: String?, symbol: String?, relative: String)? {
        let chars = Array(s)
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        // Try every possible `label@` split (lazy: shortest first), then no label.
        var starts: [(String?, Int)] = []
        for (i, c) in chars.enumerated() where c == "@" && i > 0 { starts.append((String(chars[0..<i]), i + 1)) }
        starts.append((nil, 0))
        for (label, from) in starts.sorted(by: { ($0.0 == nil ? 1 : 0, $0.1) < ($1.0 == nil ? 1 : 0, $1.1) }) {
            var j = from
            while j < chars.count, isWord(chars[j]) { j += 1 }
            // The word is greedy but may give back characters so that `[+-]\d+` follows.
            var end = j
            while end >= from {
                if end < chars.count, chars[end] == "+" || chars[end] == "-" {
                    var k = end + 1
                    while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
                    if k > end + 1 {
                        let symbol = end > from ? String(chars[from..<end]) : nil
                        return (label, symbol, String(chars[end..<k]))
                    }
                }
                end -= 1
            }
        }
        return nil
    }

    /// Alembic's `_parse_upgrade_target` with `current` as the lower end of a range.
    func parseUpgradeTarget(current: String?, target: String, assertLength: Bool) throws(RevisionGraphError)
        -> [WalkPosition?]
    {
        guard let m = Self.matchRelative(target) else { return try resolve(target) }
        let relative = steps(m.relative)
        if relative > 0 {
            if let symbol = m.symbol {
                let start = try resolveOne(symbol).map { WalkPosition.revision($0) } ?? .start
                return [try walk(from: start, steps: relative, branch: m.label, noOverwalk: assertLength)]
            }
            var starts: [WalkPosition] = [.start]
            if let current {
                starts = try resolve(current).map { $0 ?? .start }
                if starts.isEmpty { starts = [.start] }
            }
            if let label = m.label {
                let revs = starts.compactMap(\.index)
                var filtered = try filterForLineage(revs, label)
                if filtered.isEmpty {
                    let active = try filterForLineage(ancestors(of: revs), label)
                    let downs = Set(active.flatMap { normalizedDown($0) })
                    filtered = active.filter { !downs.contains($0) }
                }
                starts = filtered.isEmpty ? [.start] : filtered.map { .revision($0) }
            }
            if starts.count > 1 { throw .ambiguousUpgrade }
            guard let r = try walk(from: starts[0], steps: relative, branch: m.label, noOverwalk: assertLength) else {
                throw .relativeDidNotProduce(relative: m.relative, count: relative)
            }
            return [r]
        }
        guard let symbol = m.symbol else { throw .relativeDidNotProduce(relative: m.relative, count: abs(relative)) }
        let start = try resolveOne(m.label.map { "\($0)@\(symbol)" } ?? symbol).map { WalkPosition.revision($0) } ?? .start
        return [try walk(from: start, steps: relative, noOverwalk: assertLength)]
    }

    /// Alembic's `_parse_downgrade_target`, for a relative lower end of a history range.
    func parseDowngradeTarget(current: String?, target: String, assertLength: Bool) throws(RevisionGraphError)
        -> WalkPosition?
    {
        if let m = Self.matchRelative(target) {
            let rel = steps(m.relative)
            if rel >= 0 {
                guard let symbol = m.symbol else { throw .relativeDidNotProduce(relative: m.relative, count: rel) }
                let start = try resolveOne(symbol).map { WalkPosition.revision($0) } ?? .start
                guard let r = try walk(from: start, steps: rel, branch: m.label, noOverwalk: assertLength) else {
                    throw .walkedTooFar
                }
                return r
            }
            var label = m.label
            var symbol = m.symbol
            if symbol == nil {
                if let l = label {
                    let cur = try resolveRevisions(current ?? "base")
                    let list = try filterForLineage(cur, l)
                    guard list.count == 1 else { throw .ambiguousWalk }
                    symbol = id(list[0])
                } else {
                    guard let current, !current.isEmpty else {
                        throw .relativeDidNotProduce(relative: m.relative, count: abs(rel))
                    }
                    symbol = current
                    label = current
                }
            }
            let startID = label.map { "\($0)@\(symbol!)" } ?? symbol!
            let start = try resolveOne(startID).map { WalkPosition.revision($0) } ?? .start
            guard let r = try walk(from: start, steps: rel, noOverwalk: assertLength) else {
                if m.symbol == nil { throw .relativeDidNotProduce(relative: m.relative, count: abs(rel)) }
                throw .walkedTooFar
            }
            return r
        }
        // Alembic drops the label here: `rpartition("@")`, then the symbol alone.
        let symbol = target.lastIndex(of: "@").map { String(target[target.index(after: $0)...]) } ?? target
        return try resolveOne(symbol).map { .revision($0) } ?? .base
    }
}
