import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

/// What a blocking hook found in one project of one checked tree.
public struct HookReport: Sendable {
    /// Where: empty for pre-commit; `refs/heads/x -> origin refs/heads/x` for a pushed ref.
    public var location: String
    /// The project's name when the repository has several (or it was found outside the root).
    public var project: String?
    /// What was checked: the revision and head counts.
    public var revisions = 0
    public var heads = 0
    /// Notes that are not findings (a check that was skipped, and why).
    public var notes: [String] = []
    /// Graph problems (errors only) of the checked tree or of its prospective merge.
    public var problems: [GraphProblem] = []
    /// Edited, rewritten or deleted revisions of protected or published refs.
    public var findings: [Finding] = []
    /// Lint findings of the revisions the commit adds or changes ([revgraph.lint] hook: warn or block).
    public var lint: [LintFinding] = []
    /// `hook = block`: error-severity lint findings stop the commit.
    public var lintBlocks = false
    /// How many revisions were linted (nil: lint is off for the hook).
    public var linted: Int?

    /// Whether the report stops the hook.
    public var isEmpty: Bool { problems.isEmpty && findings.isEmpty && !(lintBlocks && lint.contains { $0.severity == .error }) }

    /// For a Django project: what `revisions` and `heads` count are migrations and leaves.
    public var isDjango = false

    /// A report that only counts what a Django project holds (for summaries).
    public init(summarizing django: DjangoProject) {
        self.init(location: "", django: django)
        problems = []
    }

    /// A report on a Django project, with its errors.
    init(location: String, django p: DjangoProject) {
        self.location = location
        project = "django " + p.name
        revisions = p.graph.migrations.count
        heads = p.graph.leaves().count
        problems = p.problems.filter { $0.severity == .error }
        isDjango = true
    }

    /// A report that only counts what `loaded` holds (for summaries).
    public init(summarizing loaded: LoadedProject) {
        self.init(location: "", loaded)
        problems = []
    }

    /// A report on `loaded`, with its errors.
    init(location: String, _ loaded: LoadedProject) {
        self.location = location
        project = loaded.projectName
        revisions = loaded.graph.count
        heads = loaded.graph.heads.count
        problems = loaded.problems.filter { $0.severity == .error }
    }
}

/// pre-commit: the staged graph must have no error, and no revision of a protected ref may be
/// edited or deleted ([revgraph] protected_refs; default: the branch's upstream and origin/HEAD).
public struct PreCommitCheck {
    let selection: ProjectSelection

    /// - Parameter selection: the project to check; its tree is replaced by the index.
    public init(selection: ProjectSelection) { self.selection = selection.reading(.index) }

    /// One report per project in the index; none when the repository has no Alembic project
    /// (never blocked).
    public func run() throws(WorkspaceError) -> [HookReport] {
        let workspace = Workspace(selection)
        let repository = try workspace.repository()
        var reports: [HookReport] = []
        for loaded in try workspace.loadAll().map({ workspace.forDisplay($0) }) {
            var report = HookReport(location: "", loaded)
            var refs = loaded.config?.settings.protectedRefs ?? []
            if loaded.config?.settings.protectedRefs == nil {
                if let branch = repository.currentBranch(), let up = repository.upstream(of: branch) { refs.append(up) }
                if repository.symbolicTarget("refs/remotes/origin/HEAD") != nil { refs.append("refs/remotes/origin/HEAD") }
            }
            refs = refs.filter { (try? repository.commit($0)) != nil }
            if !refs.isEmpty {
                let r = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: refs)
                report.findings = r.findings
                report.notes += r.skipped.map { "not compared with \($0)" }
            }
            try lint(loaded, workspace: workspace, into: &report)
            reports.append(report)
        }
        let refs = defaultProtectedRefs(repository)
        if let django = try workspace.loadDjangoForHook(withChecksums: !refs.isEmpty) {
            var report = HookReport(location: "", django: django)
            if !refs.isEmpty {
                let r = try DjangoPublishedCheck(workspace: workspace, checked: django).run(refs: refs)
                report.findings = r.findings
                report.notes += r.skipped.map { "not compared with \($0)" }
            }
            reports.append(report)
        }
        return reports
    }

    /// The paths the commit changes: the index against HEAD (every path before the first commit).
    public func changedPaths() throws(WorkspaceError) -> [String] {
        let workspace = Workspace(selection)
        let repository = try workspace.repository()
        let staged: [GitFile]
        do { staged = try repository.stagedEntries().files } catch { throw .git(error) }
        var head: [String: GitObjectID] = [:]
        if let id = try? repository.commit("HEAD") {
            do {
                for f in try repository.tree(ofCommit: id).find(skipping: [], matching: { _ in true }) { head[f.path] = f.blob }
            } catch { throw .git(error) }
        }
        var changed: [String] = []
        for f in staged {
            if head.removeValue(forKey: f.path) != f.blob { changed.append(f.path) }
        }
        return (changed + head.keys).sorted()
    }

    /// Whether a path can change what a migration check reads: a file under a directory named
    /// like a migrations or versions directory, a config (`*.ini`, `*.toml`, `setup.cfg`), a
    /// template, or a Django file that places migrations (`manage.py`, `apps.py`, settings).
    public static func isMigrationRelated(_ path: String) -> Bool {
        let parts = path.lowercased().split(separator: "/")
        guard let name = parts.last else { return false }
        if parts.dropLast().contains(where: { $0.contains("migration") || $0.contains("alembic") || $0 == "versions" }) { return true }
        if name.hasSuffix(".ini") || name.hasSuffix(".toml") || name.hasSuffix(".mako") || name == "setup.cfg" { return true }
        return name == "manage.py" || name == "apps.py" || name == "env.py" || (name.hasPrefix("settings") && name.hasSuffix(".py"))
    }

    /// The branch's upstream and origin/HEAD, where they exist.
    func defaultProtectedRefs(_ repository: GitRepository) -> [String] {
        var refs: [String] = []
        if let branch = repository.currentBranch(), let up = repository.upstream(of: branch) { refs.append(up) }
        if repository.symbolicTarget("refs/remotes/origin/HEAD") != nil { refs.append("refs/remotes/origin/HEAD") }
        return refs.filter { (try? repository.commit($0)) != nil }
    }
}

extension Workspace {
    /// The Django project a hook checks: the selected tree's, with display paths; nil when
    /// there is none, or when the user named an Alembic project (`-c`, `--versions`).
    public func loadDjangoForHook(withChecksums: Bool = false) throws(WorkspaceError) -> DjangoProject? {
        guard selection.configPaths.isEmpty, selection.versionDirectories.isEmpty else { return nil }
        do {
            return try loadDjango(withChecksums: withChecksums).map(forDisplay)
        } catch {
            // `--project` named an Alembic project: not a Django one.
            if case .unknownProject = error { return nil }
            throw error
        }
    }
}

extension PreCommitCheck {
    /// Lints the revisions the index adds or changes against HEAD (all of them before the first commit).
    func lint(_ loaded: LoadedProject, workspace: Workspace, into report: inout HookReport) throws(WorkspaceError) {
        let settings = loaded.config?.settings.lint ?? LintSettings()
        guard settings.hook != .off else { return }
        // Against HEAD's listing of the version directories (blob ids; nothing parsed); before the
        // first commit everything is new.
        let changed: Set<Int>
        if let head = try? workspace.commit("HEAD"), let c = try LintRun.changed(loaded, since: workspace.gitTree(.commit(head, spec: "HEAD"))) {
            changed = c
        } else {
            changed = Set(0..<loaded.graph.count)
        }
        report.linted = changed.count
        guard !changed.isEmpty else { return }
        let (findings, unreadable) = try LintRun.run(loaded, tree: try workspace.sourceTree(), selected: changed, paths: workspace.displayPath)
        report.lint = findings
        report.notes += unreadable.map { "not linted: \($0)" }
        report.lintBlocks = settings.hook == .block
    }
}

/// One line git writes to a pre-push hook's standard input.
public struct PushLine: Sendable, Equatable {
    public var localRef: String, localSHA: String, remoteRef: String, remoteSHA: String

    public init(localRef: String, localSHA: String, remoteRef: String, remoteSHA: String) {
        (self.localRef, self.localSHA, self.remoteRef, self.remoteSHA) = (localRef, localSHA, remoteRef, remoteSHA)
    }

    /// A deletion of the remote ref.
    public var isDeletion: Bool { localSHA.allSatisfy { $0 == "0" } }
    /// The remote did not have the ref.
    public var isNew: Bool { remoteSHA.allSatisfy { $0 == "0" } }

    /// The lines of `<local ref> <local sha> <remote ref> <remote sha>`; malformed lines are skipped.
    public static func parse(_ text: String) -> [PushLine] {
        text.split(separator: "\n").compactMap { line in
            let p = line.split(separator: " ").map(String.init)
            guard p.count == 4 else { return nil }
            return PushLine(localRef: p[0], localSHA: p[1], remoteRef: p[2], remoteSHA: p[3])
        }
    }
}

/// pre-push: each pushed tip's graph, its prospective merge with the remote's target branch
/// ([revgraph] push_target; default: the remote's HEAD branch), and no edit of revisions the remote has.
public struct PrePushCheck {
    let selection: ProjectSelection
    let remote: String

    public init(selection: ProjectSelection, remote: String) {
        self.selection = selection
        self.remote = remote
    }

    /// The branch a push will be merged into, and how it was found.
    public struct Target: Sendable, Equatable {
        public var ref: String
        /// When the ref last moved (its last fetch), from the reflog.
        public var fetchedAt: Int64?
    }

    /// The target: `push_target`, else `refs/remotes/<remote>/HEAD`, else the remote's branch named
    /// by `init.defaultBranch`, `main` or `master`, else the pushed branch's upstream.
    func target(configured: String?, pushing localRef: String, in repository: GitRepository) -> Target? {
        var candidates: [String] = []
        if let configured { candidates.append(configured) }
        if let head = repository.symbolicTarget("refs/remotes/\(remote)/HEAD") { candidates.append(head) }
        if let configuredDefault = try? repository.configString("init.defaultBranch") {
            candidates.append("refs/remotes/\(remote)/\(configuredDefault)")
        }
        candidates += ["refs/remotes/\(remote)/main", "refs/remotes/\(remote)/master"]
        if let up = repository.upstream(of: localRef) { candidates.append(up) }
        for c in candidates where (try? repository.commit(c)) != nil {
            let full = repository.hasReference(c) ? c : "refs/remotes/\(c)"
            return Target(ref: c, fetchedAt: repository.lastUpdate(of: full) ?? repository.lastUpdate(of: c))
        }
        return nil
    }

    /// One report per pushed ref and project (empty reports included).
    /// - Parameter now: the time, to tell a stale fetch (seconds since the epoch).
    public func run(_ lines: [PushLine], now: Int64) throws(WorkspaceError) -> [HookReport] {
        var reports: [HookReport] = []
        for line in lines where !line.isDeletion {
            let workspace = Workspace(selection.reading(.commit(line.localSHA)))
            let repository = try workspace.repository()
            for loaded in try workspace.loadAll().map({ workspace.forDisplay($0) }) {
                reports.append(try check(line, loaded, workspace, repository, now: now))
            }
            if let django = try workspace.loadDjangoForHook(withChecksums: true) {
                reports.append(try check(line, django, workspace, repository, now: now))
            }
        }
        return reports
    }

    /// The Django side of a pushed ref: its graph, its merge into the target, no edit of what the remote has.
    func check(_ line: PushLine, _ django: DjangoProject, _ workspace: Workspace, _ repository: GitRepository,
               now: Int64) throws(WorkspaceError) -> HookReport
    {
        var report = HookReport(location: "\(line.localRef) -> \(remote) \(line.remoteRef)", django: django)
        let target = target(configured: nil, pushing: line.localRef, in: repository)
        if let target, let targetID = try? repository.commit(target.ref), targetID.hex != line.localSHA,
           let merge = try DjangoProspectiveMerge.load(workspace, with: target.ref) {
            report.notes.append("checked the Django migrations' merge into \(target.ref)")
            for p in merge.newConflicts {
                var q = p
                q.path = q.path.map(workspace.displayPath)
                q.message = "merging this push into \(target.ref) gives an app several leaves: " + p.message
                q.fix = "merge \(target.ref) into your branch and add a merge migration (revgraph merge), then push"
                report.problems.append(q)
            }
            report.problems += merge.merged.problems.filter { $0.kind == .mergeConflict }
        }
        var refs: [String] = []
        if !line.isNew, repository.hasCommit(line.remoteSHA) { refs.append(line.remoteSHA) }
        if let target { refs.append(target.ref) }
        if !refs.isEmpty {
            let r = try DjangoPublishedCheck(workspace: workspace, checked: django).run(refs: refs)
            report.findings = r.findings
            report.notes += r.skipped.map { "not compared with \($0)" }
        }
        return report
    }

    func check(_ line: PushLine, _ loaded: LoadedProject, _ workspace: Workspace, _ repository: GitRepository,
               now: Int64) throws(WorkspaceError) -> HookReport
    {
        var report = HookReport(location: "\(line.localRef) -> \(remote) \(line.remoteRef)", loaded)
        let settings = loaded.config?.settings ?? RevgraphSettings()
        let target = target(configured: settings.pushTarget, pushing: line.localRef, in: repository)
        if let target {
            var note = "checked the merge into \(target.ref)"
            if let t = target.fetchedAt {
                let hours = max(0, now - t) / 3600
                note += " as last fetched \(hours < 1 ? "less than an hour" : "\(hours) hour\(hours == 1 ? "" : "s")") ago"
                if hours >= settings.staleFetchHours { note += "; run 'git fetch \(remote)' to check against what it holds now" }
            }
            report.notes.append(note)
            if let targetID = try? repository.commit(target.ref), targetID.hex != line.localSHA {
                let merge = try ProspectiveMerge.load(workspace, with: target.ref, spec: loaded.spec)
                // The diagnostic points at the pushed side's revision.
                let pushed = Set(merge.added(by: merge.ours, over: merge.theirs).map { merge.ours.graph.id($0) })
                let shown = workspace.forDisplay(merge.merged, added: pushed)
                for p in merge.newConflicts {
                    let at = shown.problems.first { $0.kind == .conflictingHeads && $0.revisions == p.revisions } ?? p
                    report.problems.append(GraphProblem(
                        kind: .conflictingHeads, path: at.path, line: at.line, revisions: p.revisions,
                        message: "merging this push into \(target.ref) forks the graph: \(p.revisions.joined(separator: ", "))",
                        fix: "merge \(target.ref) into your branch and add a merge revision (revgraph merge --auto), then push"))
                }
                report.problems += merge.merged.problems.filter { $0.kind == .mergeConflict }
            }
        } else {
            report.notes.append("the prospective-merge check was skipped: \(remote) has no HEAD, main or master branch here and \(line.localRef) has no upstream; set [revgraph] push_target = <remote branch>")
        }
        var refs: [String] = []
        if !line.isNew, repository.hasCommit(line.remoteSHA) { refs.append(line.remoteSHA) }
        if let target { refs.append(target.ref) }
        if !refs.isEmpty {
                let r = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: refs)
                report.findings = r.findings
                report.notes += r.skipped.map { "not compared with \($0)" }
            }
        return report
    }
}

/// post-merge: decides what to do when the merge forked the graph.
public struct PostMergeCheck {
    /// What the hook should do.
    public enum Action: Sendable, Equatable {
        /// Nothing: no new fork, or `post_merge = off`.
        case nothing
        /// Print the heads and the command that merges them.
        case suggest(heads: [[String]])
        /// Write merge revisions (and stage them).
        case create(heads: [[String]], stage: Bool)
    }

    let selection: ProjectSelection

    public init(selection: ProjectSelection) { self.selection = selection.reading(.workTree) }

    /// What to do for each project in the work tree (in ``Workspace/projects()`` order); the
    /// project comes along so that the merge revision is written into the right one.
    public func run() throws(WorkspaceError) -> [(project: LoadedProject, action: Action)] {
        let workspace = Workspace(selection)
        let before = Workspace(selection.reading(.commit("ORIG_HEAD")))
        return try workspace.loadAll().map { loaded in (loaded, action(loaded, before: before)) }
    }

    func action(_ loaded: LoadedProject, before: Workspace) -> Action {
        let conflicts = loaded.problems.filter { $0.kind == .conflictingHeads }
        guard !conflicts.isEmpty else { return .nothing }
        // Only a fork this merge made: the graph before it (ORIG_HEAD) had none of these.
        let old: LoadedProject?
        if let spec = loaded.spec { old = try? before.load(spec, from: before.sourceTree()) } else { old = try? before.load() }
        if let old {
            let known = Set(old.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
            if conflicts.allSatisfy({ known.contains($0.revisions) }) { return .nothing }
        }
        let heads = conflicts.map(\.revisions)
        switch loaded.config?.settings.postMerge ?? .suggest {
        case .off: return .nothing
        case .suggest: return .suggest(heads: heads)
        case .create: return .create(heads: heads, stage: false)
        case .createAndStage: return .create(heads: heads, stage: true)
        }
    }
}
