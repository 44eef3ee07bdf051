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
        /// The commit changed the revision's existing file (rewrote its `down_revision`, say)
        /// rather than adding it.
        public var changed = false
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

    /// The revisions of one commit, kept up to date from tree diffs, with heads maintained
    /// incrementally so that a commit that adds one file costs one parse, not a rebuild.
    struct Working {
        var byPath: [String: Revision] = [:]
        var pathsByID: [String: Set<String>] = [:]
        var childCount: [String: Int] = [:]
        var heads: Set<String> = []
        var labelled = 0
        var duplicates = 0
        var locations: [String] = []
        var recursive = false
        var maxHeads: Int?
        var names: [String: String] = [:]
        var keySuffix = ""

        mutating func add(_ r: Revision, at path: String) {
            if byPath[path] != nil { remove(path) }
            byPath[path] = r
            if !pathsByID[r.id, default: []].isEmpty { duplicates += 1 }
            pathsByID[r.id, default: []].insert(path)
            for p in r.downRevisions {
                childCount[p, default: 0] += 1
                heads.remove(p)
            }
            if childCount[r.id, default: 0] == 0 { heads.insert(r.id) }
            if !r.branchLabels.isEmpty { labelled += 1 }
        }

        mutating func remove(_ path: String) {
            guard let r = byPath.removeValue(forKey: path) else { return }
            pathsByID[r.id]?.remove(path)
            if pathsByID[r.id]?.isEmpty == false { duplicates -= 1 } else {
                pathsByID[r.id] = nil
                heads.remove(r.id)
            }
            for p in r.downRevisions {
                childCount[p, default: 1] -= 1
                if childCount[p] == 0 {
                    childCount[p] = nil
                    if pathsByID[p] != nil { heads.insert(p) }
                }
            }
            if !r.branchLabels.isEmpty { labelled -= 1 }
        }

        /// The revision `id` names, as alembic resolves an id held by several files: the file it
        /// loads last replaces the earlier ones (load order, never a set's or dictionary's order).
        func revision(_ id: String) -> Revision? {
            guard let paths = pathsByID[id] else { return nil }
            if paths.count == 1 { return byPath[paths.first!] }
            return loadOrdered(paths).last.flatMap { byPath[$0] }
        }

        /// Load order: location order, then Python's sorted path order.
        /// Alembic's load order of the paths: by version location, then by path bytes. Each
        /// path's key is computed once, not per comparison.
        func loadOrdered<Paths: Sequence<String>>(_ paths: Paths) -> [String] {
            paths.map { p in (location: locations.firstIndex { p.hasPrefix($0 + "/") } ?? 0, bytes: Array(p.utf8), path: p) }
                .sorted { $0.location != $1.location ? $0.location < $1.location : bytesPrecede($0.bytes, $1.bytes) }
                .map(\.path)
        }

        /// Conflicting head groups, exactly as `RevisionGraph.headConflicts` gives them (the
        /// property tests compare the two on random histories).
        func conflicts() -> [[String]] {
            // Fast path: one unlabelled branch with no more heads than allowed has no conflict
            // (with or without a cycle), whatever the graph; only then is the graph built.
            if labelled == 0 && duplicates == 0 && heads.count <= (maxHeads ?? 1) { return [] }
            let ordered = loadOrdered(byPath.keys).map { byPath[$0]! }
            let graph = RevisionGraph(revisions: ordered)
            if graph.hasCycles { return [] }
            return graph.headConflicts(maxHeads: maxHeads).map(\.revisions)
        }
    }

    let repository: GitRepository
    let options: ProjectOptions
    let cache = ParseCache()

    public init(repository: GitRepository, options: ProjectOptions) {
        self.repository = repository
        self.options = options
    }

    /// Config candidates whose blob ids decide the settings.
    private lazy var configPaths: [String] = {
        if !options.configPaths.isEmpty { return options.configPaths.map(Self.key) }
        let base = options.baseDirectory
        return [base.joiningPath("alembic.ini"), base.joiningPath("pyproject.toml"), base.joiningPath("migrations/alembic.ini")]
            .map(Self.key)
    }()

    static func key(_ p: String) -> String { normalizePath(p) == "." ? "" : normalizePath(p) }

    /// A full load of one commit (first commit, config changes, merge parents).
    func fullLoad(_ commit: GitObjectID) -> Working? {
        guard let tree = try? GitSourceTree(repository: repository, kind: .commit(commit, spec: commit.hex)),
              let loaded = try? ProjectLoader(options: options, cache: cache).load(from: tree)
        else { return nil }
        var w = Working()
        w.locations = loaded.versionLocations.map(Self.key)
        w.recursive = loaded.config?.recursiveVersionLocations ?? options.recursiveVersions
        w.maxHeads = options.maxHeads ?? loaded.config?.maxHeads
        (w.names, w.keySuffix) = ProjectLoader.names(loaded.config, defined: options.definedNames)
        for r in loaded.graph.revisions { w.add(r, at: r.path) }
        // Duplicates: the graph kept one file per id; add the others so removals stay exact.
        for p in loaded.problems where p.kind == .duplicateRevision {
            if let path = p.path, let rev = w.revision(p.revisions[0]), w.byPath[path] == nil {
                var other = rev
                other.path = path
                w.add(other, at: path)
            }
        }
        return w
    }

    /// Scans `tip`'s history (hiding `hide`), oldest first.
    public func scan(tip: GitObjectID, hiding hide: GitObjectID?, firstParent: Bool) throws(GitError) -> Report {
        // The default walk (the whole first-parent line) reads each commit once, trees by id.
        var line: [(commit: GitObjectID, tree: GitObjectID)]?
        if firstParent && hide == nil { line = try repository.firstParentLine(from: tip) }
        let commits: [GitObjectID]
        if let line { commits = line.map(\.commit) } else {
            commits = try repository.commits(from: tip, hiding: hide, firstParent: firstParent)
        }
        var events: [Event] = []
        var working: Working?
        var configIDs: [GitObjectID?] = []
        var locationIDs: [GitObjectID?] = []
        var conflicts: [[String]] = []
        var forkHeads: [String: Revision] = [:]
        var skipped = 0
        var forked = 0
        var forkStart: (GitCommitInfo, Int)?
        // Top-level entries that hold every path that matters (alembic.ini, migrations/, …): while
        // their ids do not change, nothing under them did, and the commit is skipped at once.
        var topNames: [String] = []
        var topIDs: [GitObjectID?] = []
        func refreshTopNames(_ locations: [String]) {
            let all = (configPaths + locations).map { $0.isEmpty ? "" : String($0.split(separator: "/")[0]) }
            topNames = all.contains("") ? [] : Array(Set(all)).sorted()
        }
        refreshTopNames([])
        // A range (`A..B`) starts from the state at its first commit's parent: a fork that was
        // already there is not the first commit's doing.
        if hide != nil, let first = commits.first, let parent = try repository.commitInfo(first).parents.first,
           repository.hasCommit(parent.hex), let w = fullLoad(parent) {
            let parentTree = try repository.tree(ofCommit: parent)
            working = w
            configIDs = try configPaths.map { p throws(GitError) in try parentTree.entryID(p) }
            locationIDs = try w.locations.map { l throws(GitError) in try parentTree.entryID(l) }
            refreshTopNames(w.locations)
            topIDs = topNames.map { parentTree.topLevelID($0) }
            conflicts = w.conflicts()
            if !conflicts.isEmpty {
                for id in w.pathsByID.keys { forkHeads[id] = w.revision(id) }
                forkHeadIDs = Set(conflicts.flatMap { $0 })
                forkStart = (try repository.commitInfo(parent), 0)
            }
        }
        for (n, id) in commits.enumerated() {
            let tree: GitTree
            if let line { tree = try repository.tree(id: line[n].tree) } else { tree = try repository.tree(ofCommit: id) }
            if working != nil, !topNames.isEmpty {
                let now = topNames.map { tree.topLevelID($0) }
                if now == topIDs {
                    if !conflicts.isEmpty { forked += 1 }
                    continue
                }
                topIDs = now
            }
            var ids: [GitObjectID?] = []
            for p in configPaths { ids.append(try tree.entryID(p)) }
            var added = Set<String>()
            var modified = Set<String>()
            var changed = false
            var fullReload = false
            if var w = working, ids == configIDs {
                working = nil  // w is now the only reference: mutating it copies nothing
                changed = try update(&w, tree: tree, locationIDs: &locationIDs, added: &added, modified: &modified)
                working = w
            } else {
                let before = Set(working?.byPath.values.map(\.id) ?? [])
                changed = true
                fullReload = true
                working = fullLoad(id)
                configIDs = ids
                locationIDs = []
                for l in working?.locations ?? [] { locationIDs.append(try tree.entryID(l)) }
                refreshTopNames(working?.locations ?? [])
                topIDs = topNames.map { tree.topLevelID($0) }
                added = Set(working?.byPath.values.map(\.id) ?? []).subtracting(before)
            }
            guard let w = working else {
                skipped += 1
                continue
            }
            let now = changed ? w.conflicts() : conflicts
            // Walking every commit, the previous one may sit on another branch: the graph is only
            // resolved by a commit that descends from the fork and changed one of its revisions.
            if !firstParent, now.isEmpty, !conflicts.isEmpty, let start = forkStart {
                // Changed the graph: a fork revision edited or removed, or a revision added (a merge revision).
                let touched = !added.isEmpty || !modified.isDisjoint(with: forkHeads.keys)
                if !(repository.isDescendant(id, of: start.0.id) && (touched || fullReload)) {
                    forked += 1
                    continue
                }
            }
            if !now.isEmpty { forked += 1 }
            if Set(now) != Set(conflicts) {
                try record(now, previous: conflicts, at: n, commits: commits, working: w, added: added, modified: modified,
                           events: &events, forkHeads: &forkHeads, forkStart: &forkStart)
            }
            conflicts = now
        }
        return Report(events: events, scanned: commits.count, skipped: skipped, forkedCommits: forked,
                      openSince: forkStart?.0, openCommits: forkStart.map { commits.count - $0.1 } ?? 0,
                      shallow: repository.isShallow)
    }

    /// Applies the tree diffs of the version locations to `w`; false when none changed.
    private func update(_ w: inout Working, tree: GitTree, locationIDs: inout [GitObjectID?],
                        added: inout Set<String>, modified: inout Set<String>) throws(GitError) -> Bool
    {
        var newLocationIDs: [GitObjectID?] = []
        for l in w.locations { newLocationIDs.append(try tree.entryID(l)) }
        guard newLocationIDs != locationIDs else { return false }
        for (k, l) in w.locations.enumerated() where newLocationIDs[k] != locationIDs[k] {
            for change in try repository.diffTrees(locationIDs[k], newLocationIDs[k]) {
                let name = change.path.split(separator: "/").last.map(String.init) ?? change.path
                guard MigrationParser.isMigrationFileName(name),
                      w.recursive || !change.path.contains("/"),
                      !change.path.split(separator: "/").dropLast().contains(where: { $0.hasSuffix("__pycache__") })
                else { continue }
                let path = l.isEmpty ? change.path : l + "/" + change.path
                let before = w.byPath[path]?.id
                w.remove(path)
                guard let blob = change.new else {
                    if let before { modified.insert(before) }  // removed
                    continue
                }
                if let r = try parse(blob, path: path, name: name, working: w).revision {
                    w.add(r, at: path)
                    if before == r.id { modified.insert(r.id) } else { added.insert(r.id) }
                }
            }
        }
        locationIDs = newLocationIDs
        return true
    }

    /// One file's parse, from the cache when its blob was seen before.
    private func parse(_ blob: GitObjectID, path: String, name: String, working w: Working) throws(GitError)
        -> MigrationParser.Outcome
    {
        if let cached = cache.lookup(key: blob.hex + w.keySuffix + MigrationParser.cacheKeyPart(fileName: name), path: path) { return cached }
        let bytes = try repository.blob(blob)
        var outcome = MigrationParser.parse(path: path, fileName: name, bytes: bytes,
                                            names: w.names)
        outcome.checksum = Checksum.of(bytes)
        cache.store(key: blob.hex + w.keySuffix + MigrationParser.cacheKeyPart(fileName: name), path: path, outcome)
        return outcome
    }

    /// The event of commit `n`, whose conflicts differ from the previous commit's.
    private func record(_ now: [[String]], previous: [[String]], at n: Int, commits: [GitObjectID], working w: Working,
                        added: Set<String>, modified: Set<String>, events: inout [Event], forkHeads: inout [String: Revision],
                        forkStart: inout (GitCommitInfo, Int)?) throws(GitError)
    {
        let info = try repository.commitInfo(commits[n])
        let firstParentBefore = n > 0 && info.parents.first == commits[n - 1]
        if previous.isEmpty {
            events.append(try forkEvent(.fork, info, conflicts: now, working: w, added: added, modified: modified,
                                        previousIsFirstParent: firstParentBefore))
            forkStart = (info, n)
        } else if now.isEmpty {
            var e = Event(kind: .resolved, commit: info, conflicts: [], brought: [], mainline: [])
            e.resolution = resolution(heads: forkHeads, current: w)
            e.forkedSince = forkStart?.0
            e.forkedCommits = forkStart.map { n - $0.1 }
            events.append(e)
            forkStart = nil
        } else {
            events.append(try forkEvent(.changed, info, conflicts: now, working: w, added: added, modified: modified,
                                        previousIsFirstParent: firstParentBefore))
        }
        // What the graph looked like while forked: every revision, so that any rewrite can be named.
        forkHeads = [:]
        for id in w.pathsByID.keys { forkHeads[id] = w.revision(id) }
        forkHeadIDs = Set(now.flatMap { $0 })
    }

    private func forkEvent(_ kind: Event.Kind, _ info: GitCommitInfo, conflicts: [[String]], working w: Working,
                           added: Set<String>, modified: Set<String>, previousIsFirstParent: Bool) throws(GitError) -> Event
    {
        var e = Event(kind: kind, commit: info, conflicts: conflicts, brought: [], mainline: [])
        let heads = Set(conflicts.flatMap { $0 })
        if info.isMerge {
            e.mergedBranch = Self.mergedBranch(info.summary)
            // What the merge brought: new relative to the first parent (the previous commit of a first-parent walk).
            let first = previousIsFirstParent ? nil : fullLoad(info.parents[0])
            // In a shallow clone the parents may be missing: attribution is then unknown.
            let base = (try? repository.mergeBase(info.parents[0], info.parents[1])) ?? nil
            for h in heads.sorted() {
                guard let r = w.revision(h) else { continue }
                let brought = previousIsFirstParent ? added.contains(h) : first?.revision(h) == nil
                if brought {
                    e.brought.append(Attribution(revision: h, path: r.path,
                                                 commit: (try? introducer(r.path, tip: info.parents[1], hiding: base)) ?? nil))
                } else {
                    e.mainline.append(Attribution(revision: h, path: r.path,
                                                  commit: (try? introducer(r.path, tip: info.parents[0], hiding: base)) ?? nil))
                }
            }
        } else {
            for h in heads.sorted() where added.contains(h) || modified.contains(h) {
                if let r = w.revision(h) {
                    e.brought.append(Attribution(revision: h, path: r.path, commit: info, changed: !added.contains(h)))
                }
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

    /// The conflicting heads of the last fork event (``record``); `forkHeads` holds every revision then.
    private var forkHeadIDs = Set<String>()

    private func resolution(heads old: [String: Revision], current w: Working) -> Resolution {
        let heads = forkHeadIDs
        let newer = w.pathsByID.keys.filter { old[$0] == nil }.sorted().compactMap { w.revision($0) }
        for r in newer {
            let merged = r.downRevisions.filter { heads.contains($0) }
            if merged.count >= 2 { return .mergeRevision(r.id, merges: merged) }
        }
        for h in heads.sorted() {
            if let before = old[h], let after = w.revision(h), before.downRevisions != after.downRevisions {
                return .downRevisionRewritten(h, from: before.downRevisions, to: after.downRevisions)
            }
        }
        // A rewrite of a revision below a head (the head's chain moved onto the other branch).
        for id in old.keys.sorted() where !heads.contains(id) {
            if let before = old[id], let after = w.revision(id), Set(before.downRevisions) != Set(after.downRevisions) {
                return .downRevisionRewritten(id, from: before.downRevisions, to: after.downRevisions)
            }
        }
        let removed = heads.filter { w.revision($0) == nil }.sorted()
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
