/// Text output in Alembic 1.20's formats (`Script._head_only`, `Script.log_entry`, `command.*`).
///
/// Where Alembic prints a Python set (propagated branch labels, `Branches into`, the children of a
/// branch point), its order changes from run to run; revgraph prints labels sorted and children in
/// load order.
public struct AlembicFormat {
    public let graph: RevisionGraph

    public init(graph: RevisionGraph) { self.graph = graph }

    func downText(_ i: Int) -> String {
        let r = graph.revision(i)
        return r.downRevisions.isEmpty ? "<base>" : r.downRevisions.joined(separator: ", ")
    }

    /// The one-line form (`cmd_format(verbose=False, …)`).
    public func short(
        _ i: Int, includeBranches: Bool = false, includeDoc: Bool = false, includeParents: Bool = false,
        treeIndicators: Bool = true, current: Set<Int> = []
    ) -> String {
        let r = graph.revision(i)
        var text = r.id
        if includeParents {
            if !r.dependencies.isEmpty {
                text = "\(downText(i)) (\(r.dependencies.joined(separator: ", "))) -> \(text)"
            } else {
                text = "\(downText(i)) -> \(text)"
            }
        }
        if includeBranches && !graph.labels[i].isEmpty {
            text += " (\(graph.sortedLabels(i).joined(separator: ", ")))"
        }
        if graph.isRealHead(i) { text += " (head)" }
        if graph.isEffectiveHead(i) { text += " (effective head)" }
        if current.contains(i) { text += " (current)" }
        if treeIndicators {
            if graph.isBranchPoint(i) { text += " (branchpoint)" }
            if graph.isMergePoint(i) { text += " (mergepoint)" }
        }
        if includeDoc { text += ", \(r.doc)" }
        return text
    }

    /// The verbose form (`log_entry`), ending with a newline.
    public func logEntry(_ i: Int, current: Set<Int> = []) -> String {
        let r = graph.revision(i)
        var entry = "Rev: \(r.id)"
        if graph.isHead(i) { entry += " (head)" }
        if graph.isBranchPoint(i) { entry += " (branchpoint)" }
        if graph.isMergePoint(i) { entry += " (mergepoint)" }
        if current.contains(i) { entry += " (current)" }
        entry += "\n"
        entry += graph.isMergePoint(i) ? "Merges: \(downText(i))\n" : "Parent: \(downText(i))\n"
        if !r.dependencies.isEmpty { entry += "Also depends on: \(r.dependencies.joined(separator: ", "))\n" }
        if graph.isBranchPoint(i) {
            entry += "Branches into: \(graph.children[i].map { graph.id($0) }.joined(separator: ", "))\n"
        }
        if !graph.labels[i].isEmpty { entry += "Branch names: \(graph.sortedLabels(i).joined(separator: ", "))\n" }
        entry += "Path: \(r.path)\n"
        let body = pythonSplitLines(r.longdoc).map { "    \($0)" }.joined(separator: "\n")
        entry += "\n\(body)\n"
        return entry
    }

    /// `alembic heads [-v] [--resolve-dependencies]`.
    public func heads(verbose: Bool, resolveDependencies: Bool) -> String {
        let list = resolveDependencies ? graph.realHeads : graph.heads
        return list.map { line(verbose ? logEntry($0) : short($0, includeBranches: true, treeIndicators: false)) }
            .joined()
    }

    /// `alembic branches [-v]`, for the branch points of `order` (history order).
    public func branches(order: [Int], verbose: Bool) -> String {
        var out = ""
        for i in order where graph.isBranchPoint(i) {
            let head = verbose ? logEntry(i) : short(i, includeBranches: true)
            let pad = String(repeating: " ", count: graph.id(i).count)
            let kids = graph.children[i].map { "\(pad) -> \(short($0, includeBranches: true, includeDoc: verbose))" }
            out += line("\(head)\n\(kids.joined(separator: "\n"))\n")
        }
        return out
    }

    /// `alembic history [-v]` for the given order.
    public func history(order: [Int], verbose: Bool, current: Set<Int> = []) -> String {
        order.map { i in
            line(verbose
                ? logEntry(i, current: current)
                : short(i, includeBranches: true, includeDoc: true, includeParents: true, current: current))
        }.joined()
    }

    /// `alembic show REV`.
    public func show(_ revisions: [Int]) -> String {
        revisions.map { line(logEntry($0)) }.joined()
    }

    private func line(_ s: String) -> String { s + "\n" }

    /// Python's `str.splitlines()` for the line breaks that occur in source files.
    func pythonSplitLines(_ s: String) -> [String] {
        if s.isEmpty { return [] }
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
