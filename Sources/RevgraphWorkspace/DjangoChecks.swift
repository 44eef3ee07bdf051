import RevgraphCore
import RevgraphGit

/// `--merge-with REF` for a Django project: the graph of the tree merging the checked commit with
/// REF would give, computed in memory.
public struct DjangoProspectiveMerge {
    public var ours: DjangoProject
    public var theirs: DjangoProject?
    public var merged: DjangoProject
    public var oursName: String
    public var theirsName: String
    public var baseID: GitObjectID?

    /// Loads both sides and their merge; nil when the checked commit has no Django project.
    public static func load(_ workspace: Workspace, with ref: String) throws(WorkspaceError) -> DjangoProspectiveMerge? {
        let repository = try workspace.repository()
        let ourID = try workspace.tip()
        let theirID = try workspace.commit(ref)
        let mergedTrees: GitRepository.MergedTree
        do { mergedTrees = try repository.mergeTrees(ours: ourID, theirs: theirID) } catch { throw .git(error) }
        let oursName = workspace.tipName
        guard let ours = try workspace.loadDjango(from: workspace.gitTree(.commit(ourID, spec: oursName))) else { return nil }
        let theirs = try workspace.loadDjango(from: workspace.gitTree(.commit(theirID, spec: ref)))
        var files = mergedTrees.files
        for (path, sides) in mergedTrees.conflicts { if let o = sides[1] { files[path] = o } }
        let tree = try workspace.gitTree(.files(files, name: "merge of \(oursName) and \(ref)"))
        guard var merged = try workspace.loadDjango(from: tree) else { return nil }
        for path in mergedTrees.conflicts.keys.sorted() where merged.apps.contains(where: { path.hasPrefix($0.directory + "/") }) {
            merged.problems.insert(GraphProblem(
                kind: .mergeConflict, path: path, line: 1,
                message: "merging \(oursName) with \(ref) gives a textual conflict in '\(path)'",
                fix: "merge by hand and resolve '\(path)' before anything else"), at: 0)
        }
        return DjangoProspectiveMerge(ours: ours, theirs: theirs, merged: merged, oursName: oursName, theirsName: ref,
                                      baseID: mergedTrees.base)
    }

    /// Apps with several leaves after the merge that neither side had on its own.
    public var newConflicts: [GraphProblem] {
        let before = Set(ours.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
            .union((theirs?.problems ?? []).filter { $0.kind == .conflictingHeads }.map(\.revisions))
        return merged.problems.filter { $0.kind == .conflictingHeads && !before.contains($0.revisions) }
    }

    /// Migrations one side has and the other does not, sorted.
    public func added(by side: DjangoProject?, over other: DjangoProject?) -> [DjangoKey] {
        guard let side else { return [] }
        return side.graph.migrations.keys.filter { other?.graph.migrations[$0] == nil }.sorted()
    }

    public func report() -> String {
        var out = "prospective merge of \(oursName) with \(theirsName)"
        out += baseID.map { ", merge base \($0.hex.prefix(12))" } ?? ", no common ancestor"
        out += "\n"
        for (name, side, other) in [(oursName, ours as DjangoProject?, theirs), (theirsName, theirs, ours as DjangoProject?)] {
            let keys = added(by: side, over: other)
            out += "  migrations only on \(name): \(keys.isEmpty ? "none" : keys.map(\.description).joined(separator: ", "))\n"
        }
        out += "  leaves after the merge: \(merged.graph.leaves().map(\.description).joined(separator: ", "))\n"
        let fresh = newConflicts
        out += fresh.isEmpty ? "  no new conflict from the merge\n"
            : fresh.map { "  the merge forks app migrations: \($0.revisions.joined(separator: ", "))\n" }.joined()
        return out
    }
}

/// Migrations of published refs that the checked Django project edited or deleted (by the
/// checksum of each file's bytes).
public struct DjangoPublishedCheck {
    public let workspace: Workspace
    public let checked: DjangoProject

    public init(workspace: Workspace, checked: DjangoProject) {
        self.workspace = workspace
        self.checked = checked
    }

    public func run(refs: [String]) throws(WorkspaceError) -> PublishedCheck.Result {
        let repository = try workspace.repository()
        // The checked side's checksums, read once (a plain load leaves them out).
        var checked = self.checked
        if checked.checksums.isEmpty, !checked.graph.migrations.isEmpty,
           let again = try workspace.loadDjango(withChecksums: true) {
            checked.checksums = again.checksums
        }
        let tip = try workspace.tip()
        var result = PublishedCheck.Result()
        var seen = Set<String>()
        for ref in refs {
            let refTip = try workspace.commit(ref)
            guard let base = (try? repository.mergeBase(tip, refTip)) ?? nil else {
                result.skipped.append("\(ref): no history in common with \(workspace.tipName), nothing of it was published here")
                continue
            }
            guard let published = try workspace.loadDjango(from: workspace.gitTree(.commit(base, spec: ref)), withChecksums: true) else {
                result.skipped.append("\(ref): no Django migrations there yet")
                continue
            }
            result.compared.append(ref)
            for (key, sum) in published.checksums.sorted(by: { $0.key < $1.key }) {
                let oldPath = published.graph.migrations[key]!.path
                guard let now = checked.checksums[key] else {
                    var f = Finding(kind: "deleted", revision: key.description, path: oldPath,
                                    message: "migration \(key), published in \(ref), was deleted",
                                    fix: "restore it: git checkout \(ref) -- \(oldPath)")
                    f.ref = ref
                    if seen.insert("deleted \(key)").inserted { result.findings.append(f) }
                    continue
                }
                guard now != sum, let m = checked.graph.migrations[key] else { continue }
                var f = Finding(kind: "edited", revision: key.description, path: workspace.relativePath(m.path), line: m.line,
                                message: "migration \(key), published in \(ref), was edited: every database that applied it keeps the old version",
                                fix: "restore it (git checkout \(ref) -- \(oldPath)) and put the change in a new migration")
                f.ref = ref
                f.recordedChecksum = sum
                f.currentChecksum = now
                if seen.insert("edited \(key)").inserted { result.findings.append(f) }
            }
        }
        return result
    }
}
