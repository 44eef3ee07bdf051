import RevgraphCore
import RevgraphGit

/// `verify --published REF`: revisions present in a published ref must be unchanged in the checked tree.
///
/// What counts as published is the ref's tree at its merge base with the checked commit: the
/// revisions this line of history received from the ref. Revisions the ref gained later (a
/// colleague's new migration on main) are not ours to have deleted.
public struct PublishedCheck {
    let workspace: Workspace
    let checked: LoadedProject

    public init(workspace: Workspace, checked: LoadedProject) {
        self.workspace = workspace
        self.checked = checked
    }

    /// What was found, and which refs were compared and which could not be.
    public struct Result: Sendable {
        public var findings: [Finding] = []
        /// Refs whose revisions were compared with the checked tree.
        public var compared: [String] = []
        /// Refs that were not compared, each with the reason (said, never silently passed).
        public var skipped: [String] = []
    }

    /// - Parameter atMergeBase: compare with the ref at its merge base with the checked commit
    ///   (published branches); false compares with the ref itself (a release pins exactly its tree).
    /// - Throws: when the repository or a ref cannot be read.
    public func run(refs: [String], atMergeBase: Bool = true) throws(WorkspaceError) -> Result {
        let repository = try workspace.repository()
        let tip = try workspace.tip()
        var result = Result()
        var findings: [Finding] = []
        var seen = Set<String>()  // (kind, revision): a revision published in several refs is reported once
        for ref in refs {
            let refTip = try workspace.commit(ref)
            let base = atMergeBase ? ((try? repository.mergeBase(tip, refTip)) ?? nil) : refTip
            guard let refID = base else {
                result.skipped.append("\(ref): no history in common with \(workspace.tipName), nothing of it was published here")
                continue
            }
            let published: LoadedProject
            do {
                published = try workspace.load(commit: refID, name: ref, like: checked)
            } catch {
                switch error {
                case .noConfig, .scriptLocationMissing, .noVersionLocation:
                    result.skipped.append("\(ref): no migrations there yet")
                default:
                    result.skipped.append("\(ref): its project could not be read (\(error.description))")
                }
                continue
            }
            result.compared.append(ref)
            // The same config and the same blobs at the same paths: nothing to compare.
            if published.fingerprint != nil, published.fingerprint == checked.fingerprint { continue }
            // Commits on the checked line that the ref does not have.
            let since = Set((try? repository.commits(from: tip, hiding: refID, firstParent: false)) ?? [])
            let blame = try workspace.blame()
            let changes = RevisionChange.between(old: published.graph, oldChecksums: published.checksums,
                                                 new: checked.graph, newChecksums: checked.checksums)
            for change in changes {
                let id = change.revision
                guard let i = change.newIndex else {
                    var f = Finding(kind: "deleted", revision: id, path: change.oldPath,
                                    message: "revision \(id), published in \(ref), was deleted",
                                    fix: "restore it: git checkout \(ref) -- \(change.oldPath)")
                    f.ref = ref
                    f.commits = deletingCommits(change.oldPath, tip: tip, since: since, repository: repository)
                    if seen.insert("deleted \(id)").inserted { findings.append(f) }
                    continue
                }
                let r = checked.graph.revision(i)
                let rewritten = change.kind == .rewritten
                var f = Finding(
                    kind: change.kind.rawValue, revision: id, path: workspace.relativePath(r.path), line: r.line,
                    message: rewritten
                        ? "down_revision of \(id), published in \(ref), was rewritten (\(change.oldDownRevisions.joined(separator: ", ")) -> \(r.downRevisions.joined(separator: ", "))): this breaks every database that applied the old graph"
                        : "revision \(id), published in \(ref), was edited",
                    fix: "restore it (git checkout \(ref) -- \(change.oldPath)) and put the change in a new revision")
                f.ref = ref
                f.recordedChecksum = change.oldChecksum
                f.currentChecksum = change.newChecksum
                let history = (try? blame.changes(revision: id, path: workspace.relativePath(r.path), tip: tip)) ?? []
                f.commits = history.filter { since.contains($0.commit.id) }.map { Finding.CommitRef($0.commit) }
                if f.commits.isEmpty, workspace.selection.commitSpec == nil {
                    f.message += " (uncommitted change in the \(workspace.selection.tree == .index ? "index" : "work tree"))"
                }
                if seen.insert("\(f.kind) \(id)").inserted { findings.append(f) }
            }
        }
        workspace.cache.save()
        result.findings = findings
        return result
    }

    /// The commits (in the checked line, not in the ref) after which `path` no longer exists.
    private func deletingCommits(_ path: String, tip: GitObjectID, since: Set<GitObjectID>, repository: GitRepository)
        -> [Finding.CommitRef]
    {
        var out: [Finding.CommitRef] = []
        for c in (try? repository.commits(from: tip, hiding: nil, firstParent: false)) ?? [] where since.contains(c) {
            guard let info = try? repository.commitInfo(c) else { continue }
            let here = (try? repository.tree(ofCommit: c).blobID(path)) ?? nil
            guard here == nil else { continue }
            let parentHad = info.parents.contains { p in ((try? repository.tree(ofCommit: p).blobID(path)) ?? nil) != nil }
            if parentHad { out.append(Finding.CommitRef(info)) }
        }
        return out
    }
}

extension Finding.CommitRef {
    /// The commit's id, author and subject.
    public init(_ c: GitCommitInfo) {
        self.init(commit: c.id.hex, author: c.authorName, email: c.authorEmail, time: c.time, subject: c.summary)
    }
}
