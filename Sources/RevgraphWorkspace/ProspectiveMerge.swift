import RevgraphCore
import RevgraphGit

/// `--merge-with REF`: the graph of the tree that merging the checked commit with REF would give,
/// computed in memory (merge base and three-way merge of the trees, as `git merge` does).
public struct ProspectiveMerge {
    public var ours: LoadedProject
    public var theirs: LoadedProject
    public var merged: LoadedProject
    public var oursName: String
    public var theirsName: String
    public var baseID: GitObjectID?
    /// The merged tree (the files of `merged`), for reading the revisions again (lint).
    public var mergedTree: SourceTree?

    /// Loads both sides and their merge.
    /// - Parameter ref: the other side; ours is the selection's commit (`--at`, default HEAD).
    /// - Parameter spec: which of the repository's projects (nil: the one the selection names).
    public static func load(_ workspace: Workspace, with ref: String, spec: ProjectSpec? = nil) throws(WorkspaceError)
        -> ProspectiveMerge
    {
        let repository = try workspace.repository()
        let ourID = try workspace.tip()
        let theirID = try workspace.commit(ref)
        let merged: GitRepository.MergedTree
        do { merged = try repository.mergeTrees(ours: ourID, theirs: theirID) } catch { throw .git(error) }
        let oursName = workspace.tipName
        func load(_ tree: GitSourceTree) throws(WorkspaceError) -> LoadedProject {
            if let spec { return try workspace.load(spec, from: tree) }
            return try workspace.load(from: tree)
        }
        let ours = try load(workspace.gitTree(.commit(ourID, spec: oursName)))
        let theirs = try load(workspace.gitTree(.commit(theirID, spec: ref)))
        var files = merged.files
        // A conflicted file is read as our side, and reported.
        for (path, sides) in merged.conflicts { if let o = sides[1] { files[path] = o } }
        let mergedTree = try workspace.gitTree(.files(files, name: "merge of \(oursName) and \(ref)"))
        var result = try load(mergedTree)
        let locations = result.versionLocations.map { normalizePath($0) }
        for path in merged.conflicts.keys.sorted() {
            let inVersions = locations.contains { path.hasPrefix($0 == "." ? "" : $0 + "/") }
            let isConfig = path.hasSuffix("alembic.ini") || path.hasSuffix("pyproject.toml")
            guard inVersions || isConfig else { continue }
            result.problems.insert(GraphProblem(
                kind: .mergeConflict, path: path, line: 1,
                message: "merging \(oursName) with \(ref) gives a textual conflict in '\(path)'",
                fix: "merge by hand and resolve '\(path)' before anything else"), at: 0)
        }
        return ProspectiveMerge(ours: ours, theirs: theirs, merged: result, oursName: oursName, theirsName: ref,
                                baseID: merged.base, mergedTree: mergedTree)
    }

    /// Lint findings of the revisions `theirs` brings into the merge (the incoming ones), judged
    /// against the merged graph's schema replay.
    /// Also the files lint could not read (`path:line: why`).
    public func lintIncoming(paths: (String) -> String) throws(WorkspaceError) -> (findings: [LintFinding], unreadable: [String]) {
        guard let mergedTree else { return ([], []) }
        let incoming = Set(added(by: theirs, over: ours).compactMap { merged.graph.index[theirs.graph.id($0)] })
        guard !incoming.isEmpty else { return ([], []) }
        return try LintRun.run(merged, tree: mergedTree, selected: incoming, paths: paths)
    }

    /// Revision ids that one side has and the other does not.
    public func added(by side: LoadedProject, over other: LoadedProject) -> [Int] {
        (0..<side.graph.count).filter { other.graph.index[side.graph.id($0)] == nil }
    }

    /// Conflicting heads after the merge that neither side had on its own.
    public var newConflicts: [GraphProblem] {
        let before = Set(ours.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
            .union(theirs.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
        return merged.problems.filter { $0.kind == .conflictingHeads && !before.contains($0.revisions) }
    }

    public func report() -> String {
        var out = "prospective merge of \(oursName) with \(theirsName)"
        out += baseID.map { ", merge base \($0.hex.prefix(12))" } ?? ", no common ancestor"
        out += "\n"
        for (name, side, other) in [(oursName, ours, theirs), (theirsName, theirs, ours)] {
            let ids = added(by: side, over: other)
            let text = ids.isEmpty ? "none" : ids.map { "\(side.graph.id($0)) (\(side.graph.revision($0).path))" }.joined(separator: ", ")
            out += "  revisions only on \(name): \(text)\n"
        }
        let g = merged.graph
        out += "  heads after the merge: \(g.heads.map { g.id($0) }.joined(separator: ", "))\n"
        let fresh = newConflicts
        out += fresh.isEmpty ? "  no new conflict from the merge\n"
            : fresh.map { "  the merge forks the graph: \($0.revisions.joined(separator: ", "))\n" }.joined()
        return out
    }

    public struct JSON: Encodable, Sendable {
        var ours: String
        var theirs: String
        var merge_base: String?
        var only_ours: [String]
        var only_theirs: [String]
        var heads_after_merge: [String]
        var new_conflicts: [[String]]
    }

    public var json: JSON {
        JSON(ours: oursName, theirs: theirsName, merge_base: baseID?.hex,
             only_ours: added(by: ours, over: theirs).map { ours.graph.id($0) },
             only_theirs: added(by: theirs, over: ours).map { theirs.graph.id($0) },
             heads_after_merge: merged.graph.heads.map { merged.graph.id($0) },
             new_conflicts: newConflicts.map(\.revisions))
    }
}
