import RevgraphCore
import RevgraphGit

/// Release tags that pin schema versions: tagging, listing, showing and diffing them.
public struct Releases {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// The release tag glob: `given`, else `release_pattern` of the selected tree's config.
    /// A config that cannot be read is an error, never a silent default.
    public func pattern(_ given: String?) throws(WorkspaceError) -> String {
        if let given { return given }
        return try workspace.loadIfPresent()?.config?.settings.releasePattern ?? RevgraphSettings().releasePattern
    }

    /// The project at a commit, and its pin.
    public func snapshot(_ id: GitObjectID, name: String) throws(WorkspaceError) -> (project: LoadedProject, pin: SchemaPin) {
        let p = try workspace.load(commit: id, name: name)
        return (p, SchemaPin(graph: p.graph, checksums: p.checksums))
    }

    // MARK: - tag

    /// Why `tag` refused.
    public struct Refusal: Error {
        public var problems: [GraphProblem]
        public var findings: [Finding]
        /// Whether `--allow-heads` would help.
        public var conflictingHeads: Bool
    }

    public enum TagOutcome {
        case tagged(commit: GitObjectID, pin: SchemaPin)
        case refused(Refusal)
        case exists
    }

    /// Creates an annotated tag at the checked commit whose message carries the schema trailers.
    /// Refuses conflicting heads (unless `allowHeads`), unparseable files and edited published
    /// revisions; never moves an existing tag.
    public func tag(_ name: String, message: String?, allowHeads: Bool) throws(WorkspaceError) -> TagOutcome {
        let repository = try workspace.repository()
        let commit = try workspace.tip()
        let snap = try snapshot(commit, name: workspace.tipName)
        let blocking = snap.project.problems.filter { $0.severity == .error && !(allowHeads && $0.kind == .conflictingHeads) }
        // The settings of the tagged commit itself (no second load of another tree).
        let settings = snap.project.config?.settings ?? RevgraphSettings()
        var published = settings.publishedRefs
        published += (try? repository.tagNames(matching: settings.releasePattern)) ?? []
        let atCommit = Workspace(workspace.selection.reading(.commit(commit.hex)))
        let findings = try PublishedCheck(workspace: atCommit, checked: snap.project)
            .run(refs: published.filter { (try? repository.commit($0)) != nil }).findings
        return try create(name, message: message, at: commit, pin: snap.pin, blocking: blocking, findings: findings,
                          in: repository)
    }

    /// The tag, unless something blocks it; never over an existing one.
    func create(_ name: String, message: String?, at commit: GitObjectID, pin: SchemaPin, blocking: [GraphProblem],
                findings: [Finding], in repository: GitRepository) throws(WorkspaceError) -> TagOutcome {
        if !blocking.isEmpty || !findings.isEmpty {
            return .refused(Refusal(problems: blocking, findings: findings,
                                    conflictingHeads: blocking.contains { $0.kind == .conflictingHeads }))
        }
        let text = (message ?? "Release \(name)") + "\n\n" + pin.trailers
        do { try repository.createAnnotatedTag(name, commit: commit, message: text) } catch {
            if error.code == -4 { return .exists }
            throw .git(error)
        }
        return .tagged(commit: commit, pin: pin)
    }

    // MARK: - list and show

    /// One release tag and whether it still holds.
    public struct Entry: Sendable {
        public var tag: GitTagInfo
        public var pin: SchemaPin
        /// The pin its trailers claim, when revgraph made the tag.
        public var claimed: SchemaPin?
        /// Pinned revisions the checked commit deleted, rewrote or edited.
        public var changedSince: [RevisionChange]
        /// The release's revisions in history order (newest first).
        public var order: [String]

        public var madeByRevgraph: Bool { claimed != nil }
        /// nil when revgraph did not make the tag.
        public var trailersMatch: Bool? { claimed.map { $0 == pin } }
    }

    /// Every tag matching the pattern, newest first (ties by name), compared with the checked commit.
    public func list(pattern given: String?) throws(WorkspaceError) -> (pattern: String, entries: [Entry]) {
        let repository = try workspace.repository()
        let pattern = try pattern(given)
        let now = try snapshot(try workspace.tip(), name: workspace.tipName)
        let names: [String]
        do { names = try repository.tagNames(matching: pattern) } catch { throw .git(error) }
        var infos = names.compactMap { try? repository.tag($0) }
        infos.sort { ($0.time, $0.name) > ($1.time, $1.name) }
        var entries: [Entry] = []
        for info in infos {
            // A tag from before the project existed has no schema to pin.
            guard let e = try? entry(info, now: now.project) else { continue }
            entries.append(e)
        }
        return (pattern, entries)
    }

    /// One release tag.
    public func show(_ name: String) throws(WorkspaceError) -> Entry {
        let repository = try workspace.repository()
        let info: GitTagInfo
        do { info = try repository.tag(name) } catch { throw .git(error) }
        return try entry(info, now: nil)
    }

    private func entry(_ info: GitTagInfo, now: LoadedProject?) throws(WorkspaceError) -> Entry {
        let snap = try snapshot(info.commit, name: info.name)
        let g = snap.project.graph
        let order = ((try? g.history()) ?? Array(0..<g.count)).map { g.id($0) }
        let changes = now.map {
            RevisionChange.between(old: g, oldChecksums: snap.project.checksums, new: $0.graph, newChecksums: $0.checksums)
        } ?? []
        return Entry(tag: info, pin: snap.pin, claimed: info.message.flatMap(SchemaPin.parse), changedSince: changes,
                     order: order)
    }

    // MARK: - diff

    /// A revision release B adds over release A.
    public struct Added: Sendable {
        public var revision: String, doc: String, path: String
        /// The first commit in A..B whose tree has the file.
        public var commit: GitCommitInfo?
    }

    public struct Diff: Sendable {
        public var from: String, to: String
        public var fromHeads: [String]
        /// Whether B contains A's heads (false: forked releases, or B is older).
        public var containsFromHeads: Bool
        /// In upgrade order, oldest first.
        public var added: [Added]
        public var onlyInFrom: [String]
    }

    /// The revisions `b` adds over `a`, in upgrade order.
    public func diff(_ a: String, _ b: String) throws(WorkspaceError) -> Diff {
        let repository = try workspace.repository()
        let aID = try workspace.commit(a), bID = try workspace.commit(b)
        let sa = try snapshot(aID, name: a), sb = try snapshot(bID, name: b)
        let gb = sb.project.graph
        let order = ((try? gb.history()) ?? Array(0..<gb.count)).reversed()
        let added = order.filter { sa.project.graph.index[gb.id($0)] == nil }
        var introducer: [String: GitCommitInfo] = [:]
        var remaining = Set(added.map { gb.revision($0).path })
        for c in (try? repository.commits(from: bID, hiding: aID, firstParent: false)) ?? [] where !remaining.isEmpty {
            guard let tree = try? repository.tree(ofCommit: c) else { continue }
            for p in remaining where ((try? tree.blobID(p)) ?? nil) != nil {
                introducer[p] = try? repository.commitInfo(c)
                remaining.remove(p)
            }
        }
        return Diff(
            from: a, to: b, fromHeads: sa.pin.heads, containsFromHeads: sa.pin.heads.allSatisfy { gb.index[$0] != nil },
            added: added.map { i in
                let r = gb.revision(i)
                return Added(revision: r.id, doc: r.doc, path: r.path, commit: introducer[r.path])
            },
            onlyInFrom: sa.project.graph.revisions.map(\.id).filter { gb.index[$0] == nil })
    }
}
