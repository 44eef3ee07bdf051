import RevgraphCore
import RevgraphGit

extension Workspace {
    /// How a path is shown in diagnostics, JSON and annotations: relative to the repository root
    /// when inside one, else to the current directory (git trees already give repository-relative paths).
    public func displayPath(_ path: String) -> String {
        guard selection.tree == .workTree else { return path }
        let abs = absolutePath(path)
        if let root, abs.hasPrefix(root + "/") { return String(abs.dropFirst(root.count + 1)) }
        let here = selection.currentDirectory
        if abs.hasPrefix(here + "/") { return String(abs.dropFirst(here.count + 1)) }
        return path
    }

    /// `loaded` as the user should see its problems: display paths, and each conflicting-heads
    /// problem attached to the head the checked change added (``changedRevisions(_:)``), not to
    /// whichever head loads first.
    /// - Parameter added: revisions known to be new (the other side of a prospective merge);
    ///   nil computes them against the commit before the checked tree.
    public func forDisplay(_ loaded: LoadedProject, added: Set<String>? = nil) -> LoadedProject {
        var out = loaded
        let conflicts = loaded.problems.contains { $0.kind == .conflictingHeads }
        let fresh = conflicts ? (added ?? changedRevisions(loaded)) : []
        out.problems = loaded.problems.map { p in
            var q = p
            if q.kind == .conflictingHeads, let id = q.revisions.first(where: fresh.contains), let i = loaded.graph.index[id] {
                q.path = loaded.graph.revision(i).path
                q.line = loaded.graph.revision(i).line
            }
            q.path = q.path.map(displayPath)
            // One of several projects: the merge command names it.
            if q.kind == .conflictingHeads, let name = loaded.spec?.name, name != ".", selection.projectName == nil {
                q.fix = q.fix?.replacing("revgraph merge -m", with: "revgraph merge --project \(name) -m")
            }
            return q
        }
        return out
    }

    /// Revisions the checked tree has and the commit before it does not: for the work tree and the
    /// index, HEAD; for `--at REV`, REV's first parent. Empty when that cannot be read.
    public func changedRevisions(_ loaded: LoadedProject) -> Set<String> {
        let base: String
        switch selection.tree {
        case .workTree, .index: base = "HEAD"
        case .commit(let spec): base = spec + "^"
        }
        guard let id = try? commit(base), let before = try? load(commit: id, name: base, like: loaded) else { return [] }
        return Set(loaded.graph.revisions.map(\.id)).subtracting(before.graph.revisions.map(\.id))
    }
}
