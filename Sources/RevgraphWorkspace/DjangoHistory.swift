import RevgraphCore
import RevgraphGit

/// `log` for a Django project: walks the commits (oldest first) and reports when an app got
/// several leaves, which commit (often a merge) brought them, and when it was resolved. Only
/// commits whose migration directories changed are read, each file version once.
public struct DjangoHistory {
    public enum Kind: String, Sendable { case fork, changed, resolved }

    public struct Event: Sendable {
        public var kind: Kind
        public var commit: GitCommitInfo
        public var app: String
        /// The app's leaves at that commit (for `resolved`: the ones before it).
        public var leaves: [DjangoKey]
        /// Where each leaf first appeared in the walk.
        public var firstSeen: [DjangoKey: GitCommitInfo]
        /// For `resolved`: the migrations the commit added in the app.
        public var added: [DjangoKey]
    }

    public struct Report: Sendable {
        public var events: [Event] = []
        public var walked = 0
        public var read = 0
        /// Conflicts at the tip, by app.
        public var unresolved: [(app: String, leaves: [DjangoKey])] = []
        /// The clone is shallow: history before its cut-off was not walked.
        public var shallow = false
    }

    let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    /// What the walk keeps of a commit it has read: its migrations directories' tree ids, the
    /// apps with several leaves, and the migrations it has.
    struct State {
        var directories: [GitObjectID?]
        var conflicts: [String: [DjangoKey]]
        var keys: Set<DjangoKey>
    }

    /// Walks from `tip` (down to, not including, `hiding`): the first-parent line, or with
    /// `allCommits` every commit, parents before children. Each commit is compared with its
    /// first parent, so a merge reports the fork it brings and a side branch its own.
    public func scan(tip: GitObjectID, hiding: GitObjectID?, allCommits: Bool = false) throws(WorkspaceError) -> Report? {
        let repository = try workspace.repository()
        guard let atTip = try workspace.loadDjango(from: workspace.gitTree(.commit(tip, spec: tip.hex))) else { return nil }
        var commits: [GitObjectID] = []
        var infos: [GitObjectID: GitCommitInfo] = [:]
        do {
            let walked = Set(try repository.commits(from: tip, hiding: hiding, firstParent: !allCommits))
            if allCommits {
                // Parents before children by parent links (a time sort is not stable for commits
                // made in the same second): an iterative post-order from the tip.
                var stack: [(GitObjectID, Bool)] = [(tip, false)]
                var seen = Set<GitObjectID>()
                while let (id, expanded) = stack.popLast() {
                    if expanded { commits.append(id); continue }
                    guard walked.contains(id), seen.insert(id).inserted else { continue }
                    let info = try repository.commitInfo(id)
                    infos[id] = info
                    stack.append((id, true))
                    for p in info.parents.reversed() { stack.append((p, false)) }
                }
            } else {
                var at: GitObjectID? = tip
                while let id = at, walked.contains(id), infos[id] == nil {
                    let info = try repository.commitInfo(id)
                    infos[id] = info
                    commits.append(id)
                    at = info.parents.first
                }
                commits.reverse()
            }
        } catch { throw .git(error) }
        let cache = DjangoProjectLoader.Cache()
        var report = Report()
        var states: [GitObjectID: State] = [:]
        // A state is kept until every commit whose first parent it is has been walked.
        var pendingChildren: [GitObjectID: Int] = [:]
        for id in commits { if let p = infos[id]!.parents.first { pendingChildren[p, default: 0] += 1 } }
        var firstSeen: [DjangoKey: GitCommitInfo] = [:]

        func directories(_ id: GitObjectID) throws(WorkspaceError) -> [GitObjectID?] {
            do {
                let commitTree = try repository.tree(ofCommit: id)
                return try atTip.apps.map { app throws(GitError) in try commitTree.entryID(app.directory) }
            } catch { throw .git(error) }
        }
        func read(_ id: GitObjectID, _ dirs: [GitObjectID?]) throws(WorkspaceError) -> State {
            report.read += 1
            let loader = DjangoProjectLoader(tree: try workspace.gitTree(.commit(id, spec: id.hex)), discoveryRoot: "",
                                             parseCache: workspace.cache)
            let project = try loader.load(root: atTip.root, name: atTip.name, settings: atTip.settings, known: atTip.apps, cache: cache)
            var conflicts: [String: [DjangoKey]] = [:]
            for c in project.graph.conflicts { conflicts[c.app] = c.leaves }
            return State(directories: dirs, conflicts: conflicts, keys: Set(project.graph.migrations.keys))
        }

        for id in commits {
            report.walked += 1
            let info = infos[id]!
            let dirs = try directories(id)
            // The first parent's state: walked before, or (the range's edge) read now.
            var before: State?
            if let p = info.parents.first {
                if let known = states[p] { before = known } else if allCommits || commits.first == id {
                    // The range's edge; in a shallow clone the parent may be absent: compared with nothing then.
                    if let pd = try? directories(p), let state = try? read(p, pd) {
                        before = state
                        states[p] = state
                    }
                }
            }
            if let p = info.parents.first {
                pendingChildren[p, default: 1] -= 1
                if pendingChildren[p] == 0 { states[p] = nil }
            }
            // The migrations directories' tree ids equal the parent's: nothing changed.
            if let before, before.directories == dirs {
                states[id] = before
                continue
            }
            let now = try read(id, dirs)
            states[id] = now
            let previousKeys = before?.keys ?? []
            for k in now.keys.subtracting(previousKeys) where firstSeen[k] == nil { firstSeen[k] = info }
            let previous = before?.conflicts ?? [:]
            for app in Set(now.conflicts.keys).union(previous.keys).sorted(by: DjangoKey.pythonPrecedes) {
                let was = previous[app], after = now.conflicts[app]
                guard was != after else { continue }
                let kind: Kind = after == nil ? .resolved : was == nil ? .fork : .changed
                let leaves = after ?? was ?? []
                report.events.append(Event(
                    kind: kind, commit: info, app: app, leaves: leaves,
                    firstSeen: Dictionary(uniqueKeysWithValues: leaves.compactMap { l in firstSeen[l].map { (l, $0) } }),
                    added: now.keys.subtracting(previousKeys).filter { $0.app == app }.sorted()))
            }
        }
        report.unresolved = atTip.graph.conflicts
        report.shallow = repository.isShallow
        workspace.cache.save()
        return report
    }
}
