import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

/// What a blocking hook found in one checked tree.
public struct HookReport: Sendable {
    /// Where: empty for pre-commit; `refs/heads/x -> origin refs/heads/x` for a pushed ref.
    public var location: String
    /// Graph problems (errors only) of the checked tree or of its prospective merge.
    public var problems: [GraphProblem] = []
    /// Edited, rewritten or deleted revisions of protected or published refs.
    public var findings: [Finding] = []

    public var isEmpty: Bool { problems.isEmpty && findings.isEmpty }
}

/// pre-commit: the staged graph must have no error, and no revision of a protected ref may be
/// edited or deleted ([revgraph] protected_refs; default: the branch's upstream and origin/HEAD).
public struct PreCommitCheck {
    let selection: ProjectSelection

    /// - Parameter selection: the project to check; its tree is replaced by the index.
    public init(selection: ProjectSelection) { self.selection = selection.reading(.index) }

    /// nil when the repository has no Alembic project (never blocked).
    public func run() throws(WorkspaceError) -> HookReport? {
        let workspace = Workspace(selection, readsGit: true)
        guard let loaded = try workspace.loadIfPresent() else { return nil }
        let repository = try workspace.repository()
        var report = HookReport(location: "")
        report.problems = loaded.problems.filter { $0.severity == .error }
        var refs = loaded.config?.settings.protectedRefs ?? []
        if loaded.config?.settings.protectedRefs == nil {
            if let branch = repository.currentBranch(), let up = repository.upstream(of: branch) { refs.append(up) }
            if repository.symbolicTarget("refs/remotes/origin/HEAD") != nil { refs.append("refs/remotes/origin/HEAD") }
        }
        refs = refs.filter { (try? repository.commit($0)) != nil }
        if !refs.isEmpty { report.findings = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: refs) }
        return report
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

    /// One report per pushed ref that holds a project (empty reports included).
    public func run(_ lines: [PushLine]) throws(WorkspaceError) -> [HookReport] {
        var reports: [HookReport] = []
        for line in lines where !line.isDeletion {
            let workspace = Workspace(selection.reading(.commit(line.localSHA)), readsGit: true)
            guard let loaded = try workspace.loadIfPresent() else { continue }
            let repository = try workspace.repository()
            var report = HookReport(location: "\(line.localRef) -> \(remote) \(line.remoteRef)")
            report.problems = loaded.problems.filter { $0.severity == .error }
            var target = loaded.config?.settings.pushTarget
            if target == nil { target = repository.symbolicTarget("refs/remotes/\(remote)/HEAD") }
            let targetID = target.flatMap { try? repository.commit($0) }
            if let target, let targetID, targetID.hex != line.localSHA {
                let merge = try ProspectiveMerge.load(workspace, with: target)
                for p in merge.newConflicts {
                    report.problems.append(GraphProblem(
                        kind: .conflictingHeads, path: p.path, line: p.line, revisions: p.revisions,
                        message: "merging this push into \(target) forks the graph: \(p.revisions.joined(separator: ", "))",
                        fix: "merge \(target) into your branch and add a merge revision (revgraph merge --auto), then push"))
                }
                report.problems += merge.merged.problems.filter { $0.kind == .mergeConflict }
            }
            var refs: [String] = []
            if !line.isNew, repository.hasCommit(line.remoteSHA) { refs.append(line.remoteSHA) }
            if let target, targetID != nil { refs.append(target) }
            if !refs.isEmpty { report.findings = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: refs) }
            reports.append(report)
        }
        return reports
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

    public func run() throws(WorkspaceError) -> Action {
        let workspace = Workspace(selection)
        guard let loaded = try workspace.loadIfPresent() else { return .nothing }
        let conflicts = loaded.problems.filter { $0.kind == .conflictingHeads }
        guard !conflicts.isEmpty else { return .nothing }
        // Only a fork this merge made: the graph before it (ORIG_HEAD) had none of these.
        if let before = try? Workspace(selection.reading(.commit("ORIG_HEAD"))).loadIfPresent() {
            let old = Set(before.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
            if conflicts.allSatisfy({ old.contains($0.revisions) }) { return .nothing }
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
