import RevgraphCore
import RevgraphGit

/// Walks git history and reports where the graph forked (conflicting heads appeared) and how
/// and when each fork was resolved. Commits whose config and version directories are unchanged
/// reuse the previous answer; changed files are parsed once per blob (``ParseCache``).
public final class HistoryScanner {
    /// One revision as a side of a fork: where it is and who added it.
    public struct Attribution: Sendable {
        public var revision: String
        public var path: String
        public var commit: GitCommitInfo?
    }

    public enum Resolution: Sendable {
        case mergeRevision(String, merges: [String])
        case downRevisionRewritten(String, from: [String], to: [String])
        case removed([String])
        case other
    }

    public struct Event: Sendable {
        public enum Kind: String, Sendable { case fork, changed, resolved }
        public var kind: Kind
        public var commit: GitCommitInfo
        /// The conflicting head groups after this commit.
        public var conflicts: [[String]]
        /// For a merge commit: the branch named in its subject.
        public var mergedBranch: String?
        /// Revisions the merged side brought (merge commits), or the commit added (others).
        public var brought: [Attribution]
        /// Conflicting heads already on the mainline (merge commits).
        public var mainline: [Attribution]
        public var resolution: Resolution?
        /// For `resolved`: how long the graph stayed forked.
        public var forkedSince: GitCommitInfo?
        public var forkedCommits: Int?
    }

    public struct Report: Sendable {
        public var events: [Event]
        public var scanned: Int
        public var skipped: Int
        public var forkedCommits: Int
        /// Still forked at the end of the walk, since this commit.
        public var openSince: GitCommitInfo?
        public var openCommits: Int
        public var shallow: Bool
    }

    struct State {
        var conflicts: [[String]]
        var revisions: [String: Revision]
        var absent: Bool
        var locations: [String]
        static let none = State(conflicts: [], revisions: [:], absent: true, locations: [])
    }

    let repository: GitRepository
    let options: ProjectOptions
    let cache = ParseCache()
    private var stateByCommit: [GitObjectID: State] = [:]

    public init(repository: GitRepository, options: ProjectOptions) {
        self.repository = repository
        self.options = options
    }

    /// Paths whose object ids decide the answer: config candidates and version locations.
    private func fingerprint(_ tree: GitTree, locations: [String]) throws(GitError) -> [GitObjectID?] {
        var paths = options.configPaths
        if paths.isEmpty {
            let base = options.baseDirectory
            paths = [base.joiningPath("alembic.ini"), base.joiningPath("pyproject.toml"), base.joiningPath("migrations/alembic.ini")]
        }
        paths += options.versionDirectories + locations
        var out: [GitObjectID?] = []
        for p in paths { out.append(try tree.entryID(normalizePath(p) == "." ? "" : normalizePath(p))) }
        return out
    }

    private func load(_ commit: GitObjectID) -> State {
        if let s = stateByCommit[commit] { return s }
        let state: State
        do {
            let tree = try GitSourceTree(repository: repository, kind: .commit(commit, spec: commit.hex))
            let loaded = try ProjectLoader(options: options, cache: cache).load(from: tree)
            var revs: [String: Revision] = [:]
            for r in loaded.graph.revisions { revs[r.id] = r }
            state = State(conflicts: loaded.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions),
                          revisions: revs, absent: false, locations: loaded.versionLocations)
        } catch {
            state = .none
        }
        stateByCommit[commit] = state
        return state
    }

    /// Scans `tip`'s history (hiding `hide`), oldest first.
    public func scan(tip: GitObjectID, hiding hide: GitObjectID?, firstParent: Bool) throws(GitError) -> Report {
        let commits = try repository.commits(from: tip, hiding: hide, firstParent: firstParent)
        var events: [Event] = []
        var previous = State.none
        var previousPrint: [GitObjectID?]?
        var previousLocations: [String] = []
        var skipped = 0
        var forked = 0
        var forkStart: (GitCommitInfo, Int)?
        for (n, id) in commits.enumerated() {
            let tree = try repository.tree(ofCommit: id)
            let print = try fingerprint(tree, locations: previousLocations)
            var state: State
            if let pp = previousPrint, pp == print, stateByCommit[id] == nil {
                state = previous
                stateByCommit[id] = state
            } else {
                state = load(id)
                previousLocations = state.locations
                previousPrint = try fingerprint(tree, locations: previousLocations)
            }
            if state.absent { skipped += 1 }
            if !state.conflicts.isEmpty { forked += 1 }
            let before = Set(previous.conflicts), after = Set(state.conflicts)
            if before != after {
                let info = try repository.commitInfo(id)
                if before.isEmpty {
                    events.append(try forkEvent(.fork, info, state: state, previous: previous))
                    forkStart = (info, n)
                } else if after.isEmpty {
                    var e = Event(kind: .resolved, commit: info, conflicts: [], brought: [], mainline: [])
                    e.resolution = resolution(previous: previous, current: state)
                    e.forkedSince = forkStart?.0
                    e.forkedCommits = forkStart.map { n - $0.1 }
                    events.append(e)
                    forkStart = nil
                } else {
                    events.append(try forkEvent(.changed, info, state: state, previous: previous))
                }
            }
            previous = state
        }
        return Report(events: events, scanned: commits.count, skipped: skipped, forkedCommits: forked,
                      openSince: forkStart?.0, openCommits: forkStart.map { commits.count - $0.1 } ?? 0,
                      shallow: repository.isShallow)
    }

    private func forkEvent(_ kind: Event.Kind, _ info: GitCommitInfo, state: State, previous: State) throws(GitError) -> Event {
        var e = Event(kind: kind, commit: info, conflicts: state.conflicts, brought: [], mainline: [])
        let heads = Set(state.conflicts.flatMap { $0 })
        if info.isMerge {
            e.mergedBranch = Self.mergedBranch(info.summary)
            let first = load(info.parents[0])
            let base = try repository.mergeBase(info.parents[0], info.parents[1])
            for h in heads.sorted() {
                guard let r = state.revisions[h] else { continue }
                if first.revisions[h] == nil {
                    e.brought.append(Attribution(revision: h, path: r.path,
                                                 commit: try introducer(r.path, tip: info.parents[1], hiding: base)))
                } else {
                    e.mainline.append(Attribution(revision: h, path: r.path,
                                                  commit: try introducer(r.path, tip: info.parents[0], hiding: base)))
                }
            }
        } else {
            for h in heads.sorted() where previous.revisions[h] == nil {
                if let r = state.revisions[h] { e.brought.append(Attribution(revision: h, path: r.path, commit: info)) }
            }
        }
        return e
    }

    /// The oldest commit between `hiding` and `tip` whose tree has `path`.
    private func introducer(_ path: String, tip: GitObjectID, hiding: GitObjectID?) throws(GitError) -> GitCommitInfo? {
        for c in try repository.commits(from: tip, hiding: hiding, firstParent: false) {
            if try repository.tree(ofCommit: c).entryID(path) != nil { return try repository.commitInfo(c) }
        }
        return nil
    }

    private func resolution(previous: State, current: State) -> Resolution {
        let heads = Set(previous.conflicts.flatMap { $0 })
        for (id, r) in current.revisions.sorted(by: { $0.key < $1.key }) where previous.revisions[id] == nil {
            let merged = r.downRevisions.filter { heads.contains($0) }
            if merged.count >= 2 { return .mergeRevision(id, merges: merged) }
        }
        for h in heads.sorted() {
            if let old = previous.revisions[h], let new = current.revisions[h], old.downRevisions != new.downRevisions {
                return .downRevisionRewritten(h, from: old.downRevisions, to: new.downRevisions)
            }
        }
        let removed = heads.filter { current.revisions[$0] == nil }.sorted()
        if !removed.isEmpty { return .removed(removed) }
        return .other
    }

    /// "Merge branch 'x'", "Merge pull request #12 from owner/x", "Merge remote-tracking branch 'origin/x'".
    static func mergedBranch(_ subject: String) -> String? {
        if let r = subject.firstRange(of: "branch '") {
            let rest = subject[r.upperBound...]
            if let end = rest.firstIndex(of: "'") { return String(rest[..<end]) }
        }
        if subject.hasPrefix("Merge pull request"), let r = subject.firstRange(of: " from ") {
            return String(subject[r.upperBound...].prefix { $0 != " " })
        }
        return nil
    }
}

@available(*, unavailable)
extension HistoryScanner: Sendable {}
