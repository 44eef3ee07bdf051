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
    }

    let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Walks the first-parent line from `tip` (down to, not including, `hiding`).
    public func scan(tip: GitObjectID, hiding: GitObjectID?) throws(WorkspaceError) -> Report? {
        let repository = try workspace.repository()
        guard let atTip = try workspace.loadDjango(from: workspace.gitTree(.commit(tip, spec: tip.hex))) else { return nil }
        // The first-parent line by its parent links, oldest first (a time sort is not stable for
        // commits made in the same second).
        var commits: [GitObjectID] = []
        var infos: [GitObjectID: GitCommitInfo] = [:]
        do {
            let walked = Set(try repository.commits(from: tip, hiding: hiding, firstParent: true))
            var at: GitObjectID? = tip
            while let id = at, walked.contains(id), infos[id] == nil {
                let info = try repository.commitInfo(id)
                infos[id] = info
                commits.append(id)
                at = info.parents.first
            }
        } catch { throw .git(error) }
        commits.reverse()
        let cache = DjangoProjectLoader.Cache()
        var report = Report()
        var previousDirectories: [GitObjectID?]?
        var previous: [String: [DjangoKey]] = [:]
        var previousKeys = Set<DjangoKey>()
        var firstSeen: [DjangoKey: GitCommitInfo] = [:]
        for id in commits {
            report.walked += 1
            // The migrations directories' tree ids: equal to the previous commit's, nothing changed.
            let directories: [GitObjectID?]
            do {
                let commitTree = try repository.tree(ofCommit: id)
                directories = try atTip.apps.map { app throws(GitError) in try commitTree.entryID(app.directory) }
            } catch { throw .git(error) }
            if directories == previousDirectories { continue }
            previousDirectories = directories
            let tree = try workspace.gitTree(.commit(id, spec: id.hex))
            report.read += 1
            let loader = DjangoProjectLoader(tree: tree, discoveryRoot: "", parseCache: workspace.cache)
            let project = try loader.load(root: atTip.root, name: atTip.name, settings: atTip.settings, known: atTip.apps, cache: cache)
            let info = infos[id]!
            let keys = Set(project.graph.migrations.keys)
            for k in keys.subtracting(previousKeys) where firstSeen[k] == nil { firstSeen[k] = info }
            var now: [String: [DjangoKey]] = [:]
            for c in project.graph.conflicts { now[c.app] = c.leaves }
            for app in Set(now.keys).union(previous.keys).sorted(by: DjangoKey.pythonPrecedes) {
                let before = previous[app], after = now[app]
                guard before != after else { continue }
                let kind: Kind = after == nil ? .resolved : before == nil ? .fork : .changed
                let leaves = after ?? before ?? []
                report.events.append(Event(
                    kind: kind, commit: info, app: app, leaves: leaves,
                    firstSeen: Dictionary(uniqueKeysWithValues: leaves.compactMap { l in firstSeen[l].map { (l, $0) } }),
                    added: keys.subtracting(previousKeys).filter { $0.app == app }.sorted()))
            }
            previous = now
            previousKeys = keys
        }
        report.unresolved = atTip.graph.conflicts
        workspace.cache.save()
        return report
    }
}
