import RevgraphGit
import RevgraphWorkspace

/// `log --format json`.
struct LogJSON: Encodable {
    struct Commit: Encodable {
        var id: String, summary: String, author: String, email: String, time: String, parents: [String]
        init(_ c: GitCommitInfo) {
            id = c.id.hex; summary = c.summary; author = c.authorName; email = c.authorEmail; time = rfc3339(c.time)
            parents = c.parents.map(\.hex)
        }
    }
    struct Side: Encodable { var revision: String, path: String, commit: Commit?, changed: Bool }
    struct Event: Encodable {
        var kind: String, commit: Commit, conflicts: [[String]], merged_branch: String?
        var brought: [Side], mainline: [Side], resolution: [String: [String]]?, forked_since: String?, forked_commits: Int?
    }
    var project: String?
    var events: [Event]
    var scanned: Int, skipped: Int, forked_commits: Int, open_since: String?, shallow: Bool

    init(_ r: HistoryScanner.Report, project: String? = nil) {
        self.project = project
        events = r.events.map { e in
            var res: [String: [String]]?
            switch e.resolution {
            case .mergeRevision(let id, let m)?: res = ["merge_revision": [id], "merges": m]
            case .downRevisionRewritten(let id, let from, let to)?: res = ["rewritten": [id], "from": from, "to": to]
            case .removed(let ids)?: res = ["removed": ids]
            case .other?: res = ["unrecognised": []]
            case nil: res = nil
            }
            let side = { (a: HistoryScanner.Attribution) in
                Side(revision: a.revision, path: a.path, commit: a.commit.map(Commit.init), changed: a.changed)
            }
            return Event(kind: e.kind.rawValue, commit: Commit(e.commit), conflicts: e.conflicts, merged_branch: e.mergedBranch,
                         brought: e.brought.map(side), mainline: e.mainline.map(side), resolution: res,
                         forked_since: e.forkedSince?.id.hex, forked_commits: e.forkedCommits)
        }
        scanned = r.scanned; skipped = r.skipped; forked_commits = r.forkedCommits; open_since = r.openSince?.id.hex
        shallow = r.shallow
    }
}

/// `log --format json` on a Django project (`revgraph/django-log/v1`).
struct DjangoLogJSON: Encodable {
    struct Leaf: Encodable { var migration: String, firstSeen: LogJSON.Commit? }
    struct Event: Encodable {
        var kind: String, app: String, commit: LogJSON.Commit, leaves: [Leaf], added: [String]
    }
    struct Unresolved: Encodable { var app: String, leaves: [String] }
    var events: [Event]
    var walked: Int, read: Int
    var unresolved: [Unresolved]
    var shallow: Bool

    init(_ r: DjangoHistory.Report) {
        events = r.events.map { e in
            Event(kind: e.kind.rawValue, app: e.app, commit: LogJSON.Commit(e.commit),
                  leaves: e.leaves.map { Leaf(migration: $0.description, firstSeen: e.firstSeen[$0].map(LogJSON.Commit.init)) },
                  added: e.added.map(\.description))
        }
        walked = r.walked
        read = r.read
        unresolved = r.unresolved.map { Unresolved(app: $0.app, leaves: $0.leaves.map(\.name)) }
        shallow = r.shallow
    }
}
