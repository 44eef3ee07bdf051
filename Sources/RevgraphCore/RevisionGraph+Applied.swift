extension RevisionGraph {
    /// Everything a database at `heads` has applied: the heads and their ancestors, dependencies included.
    public func applied(heads: [Int]) -> [Int] {
        ancestors(of: heads).sorted()
    }

    /// What `alembic current` lists for a database at `heads` (Alembic's `_get_all_current`):
    /// the applied revisions that no other applied revision builds on through `down_revision`.
    /// Alembic prints a set; revgraph uses load order.
    public func allCurrent(heads: [Int]) -> [Int] {
        let top = Set(ancestors(of: heads))
        return top.filter { r in !descendants(of: [r], includeDependencies: false).contains { $0 != r && top.contains($0) } }
            .sorted()
    }

    /// `alembic current`'s line for one revision.
    public func currentLine(_ i: Int) -> String {
        var text = id(i)
        if isRealHead(i) { text += " (head)" }
        if isEffectiveHead(i) { text += " (effective head)" }
        if isBranchPoint(i) { text += " (branchpoint)" }
        if isMergePoint(i) { text += " (mergepoint)" }
        return text
    }
}
