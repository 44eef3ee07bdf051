import RevgraphCore
import RevgraphGit

/// Release tags for a Django project: the same trailers, with each app's leaves as the heads and
/// the manifest over `app.name checksum` lines.
extension Releases {
    /// The Django project at a commit and its pin; nil when the commit has none.
    public func djangoSnapshot(_ id: GitObjectID, name: String) throws(WorkspaceError) -> (project: DjangoProject, pin: SchemaPin)? {
        guard let p = try workspace.loadDjango(from: workspace.gitTree(.commit(id, spec: name)), withChecksums: true) else { return nil }
        var sums: [String: String] = [:]
        for (k, v) in p.checksums { sums[k.description] = v }
        return (p, SchemaPin(heads: p.graph.leaves().map(\.description), revisionCount: p.graph.migrations.count,
                             manifest: SchemaPin.manifest(sums)))
    }

    /// `release tag` on a Django project: refuses an app with several leaves (unless
    /// `allowHeads`), errors, and edited or deleted migrations of published refs and earlier releases.
    public func tagDjango(_ name: String, message: String?, allowHeads: Bool) throws(WorkspaceError) -> TagOutcome {
        let repository = try workspace.repository()
        let commit = try workspace.tip()
        guard let snap = try djangoSnapshot(commit, name: workspace.tipName) else { throw .noConfig(directory: workspace.tipName) }
        let blocking = snap.project.problems.filter { $0.severity == .error && !(allowHeads && $0.kind == .conflictingHeads) }
        let tags = (try? repository.tagNames(matching: RevgraphSettings().releasePattern)) ?? []
        let atCommit = Workspace(workspace.selection.reading(.commit(commit.hex)))
        let findings = try DjangoPublishedCheck(workspace: atCommit, checked: snap.project)
            .run(refs: tags.filter { (try? repository.commit($0)) != nil }).findings
        return try create(name, message: message, at: commit, pin: snap.pin, blocking: blocking, findings: findings,
                          in: repository)
    }

    /// One release tag of a Django project (its plan, newest first, as the order).
    public func djangoEntry(_ info: GitTagInfo) throws(WorkspaceError) -> Entry? {
        guard let snap = try djangoSnapshot(info.commit, name: info.name) else { return nil }
        let order = snap.project.graph.hasCycles ? [] : snap.project.graph.plan().reversed().map(\.description)
        return Entry(tag: info, pin: snap.pin, claimed: info.message.flatMap(SchemaPin.parse), changedSince: [], order: order)
    }

    public func showDjango(_ name: String) throws(WorkspaceError) -> Entry? {
        let repository = try workspace.repository()
        let info: GitTagInfo
        do { info = try repository.tag(name) } catch { throw .git(error) }
        return try djangoEntry(info)
    }

    /// Every matching tag that has a Django project, newest first.
    public func listDjango(pattern given: String?) throws(WorkspaceError) -> (pattern: String, entries: [Entry]) {
        let repository = try workspace.repository()
        let pattern = given ?? RevgraphSettings().releasePattern
        let names: [String]
        do { names = try repository.tagNames(matching: pattern) } catch { throw .git(error) }
        var infos = names.compactMap { try? repository.tag($0) }
        infos.sort { ($0.time, $0.name) > ($1.time, $1.name) }
        return (pattern, infos.compactMap { (try? djangoEntry($0)) ?? nil })
    }
}
