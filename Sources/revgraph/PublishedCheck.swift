import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

/// `verify --published REF`: revisions present in a published ref must be unchanged in the checked tree.
///
/// What counts as published is the ref's tree at its merge base with the checked commit: the
/// revisions this line of history received from the ref. Revisions the ref gained later (a
/// colleague's new migration on main) are not ours to have deleted.
struct PublishedCheck {
    let project: ProjectOptionGroup
    let checked: LoadedProject
    let cache: ParseCache

    /// - Parameter atMergeBase: compare with the ref at its merge base with the checked commit
    ///   (published branches); false compares with the ref itself (a release pins exactly its tree).
    func run(refs: [String], atMergeBase: Bool = true) throws -> [Finding] {
        let repository = try project.openRepository()
        let options = project.options(repository: repository)
        let tip = try project.commit(repository, project.at ?? "HEAD")
        let g = checked.graph
        let root = repository.workdir.map(normalizePath)
        var findings: [Finding] = []
        var seen = Set<String>()  // (kind, revision): a revision published in several refs is reported once
        for ref in refs {
            let refTip = try project.commit(repository, ref)
            let base = atMergeBase ? ((try? repository.mergeBase(tip, refTip)) ?? nil) : refTip
            guard let refID = base else { continue }  // unrelated history
            let published: LoadedProject
            do {
                published = try ProjectLoader(options: options, cache: cache)
                    .load(from: try GitSourceTree(repository: repository, kind: .commit(refID, spec: ref)))
            } catch {
                continue  // no migrations there yet
            }
            let pg = published.graph
            // Commits on the checked line that the ref does not have.
            let since = Set((try? repository.commits(from: tip, hiding: refID, firstParent: false)) ?? [])
            let blame = RevisionBlame(repository: repository, options: options, cache: cache)
            for p in pg.revisions {
                guard let i = g.index[p.id] else {
                    var f = Finding(kind: "deleted", revision: p.id, path: p.path,
                                    message: "revision \(p.id), published in \(ref), was deleted",
                                    fix: "restore it: git checkout \(ref) -- \(p.path)")
                    f.ref = ref
                    f.commits = try deletingCommits(p.path, tip: tip, since: since, repository: repository)
                    if seen.insert("deleted \(p.id)").inserted { findings.append(f) }
                    continue
                }
                let r = g.revision(i)
                var relative = r.path
                if project.at == nil && !project.staged, let root {
                    let abs = normalizePath(r.path.hasPrefix("/") ? r.path : FileManager.default.currentDirectoryPath.joiningPath(r.path))
                    if abs.hasPrefix(root + "/") { relative = String(abs.dropFirst(root.count + 1)) }
                }
                // Both loads computed the checksums when they read the files (or took them from the cache).
                guard let publishedSum = published.checksums[p.id], let currentSum = checked.checksums[p.id],
                      publishedSum != currentSum
                else { continue }
                let rewritten = Set(r.downRevisions) != Set(p.downRevisions)
                var f = Finding(
                    kind: rewritten ? "rewritten" : "edited", revision: p.id, path: r.path, line: r.line,
                    message: rewritten
                        ? "down_revision of \(p.id), published in \(ref), was rewritten (\(p.downRevisions.joined(separator: ", ")) -> \(r.downRevisions.joined(separator: ", "))): this breaks every database that applied the old graph"
                        : "revision \(p.id), published in \(ref), was edited",
                    fix: "restore it (git checkout \(ref) -- \(p.path)) and put the change in a new revision")
                f.ref = ref
                f.recordedChecksum = publishedSum
                f.currentChecksum = currentSum
                let changes = (try? blame.changes(revision: p.id, path: relative, tip: tip)) ?? []
                f.commits = changes.filter { since.contains($0.commit.id) }.map { Finding.CommitRef($0.commit) }
                if f.commits.isEmpty, project.at == nil {
                    f.message += " (uncommitted change in the \(project.staged ? "index" : "work tree"))"
                }
                if seen.insert("\(f.kind) \(p.id)").inserted { findings.append(f) }
            }
        }
        cache.save()
        return findings
    }

    /// The commits (in the checked line, not in the ref) after which `path` no longer exists.
    private func deletingCommits(_ path: String, tip: GitObjectID, since: Set<GitObjectID>, repository: GitRepository) throws
        -> [Finding.CommitRef]
    {
        var out: [Finding.CommitRef] = []
        for c in (try? repository.commits(from: tip, hiding: nil, firstParent: false)) ?? [] where since.contains(c) {
            let info = try repository.commitInfo(c)
            let here = (try? repository.tree(ofCommit: c).blobID(path)) ?? nil
            guard here == nil else { continue }
            let parentHad = info.parents.contains { p in ((try? repository.tree(ofCommit: p).blobID(path)) ?? nil) != nil }
            if parentHad { out.append(Finding.CommitRef(info)) }
        }
        return out
    }
}
