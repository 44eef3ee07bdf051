import ArgumentParser
import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphGit
import RevgraphHooks
import RevgraphWorkspace

extension HookName: ExpressibleByArgument {}

extension Revgraph {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
            abstract: "Run a git hook's checks (called by the scripts 'revgraph hooks install' writes).",
            discussion: """
                Checks every Alembic project of the repository (each alembic.ini or pyproject.toml with \
                [tool.alembic] at any depth, or the projects revgraph.toml lists), or the one -c names. \
                pre-commit: the staged graph, and no edit or deletion of revisions in the protected refs \
                ([revgraph] protected_refs; default: the current branch's upstream and origin/HEAD). \
                pre-push: each pushed tip's graph, its prospective merge with the remote's target branch \
                ([revgraph] push_target; else the remote's HEAD, main or master branch, else the upstream), \
                and no edit of revisions the remote has. post-merge: when the merge forked the graph, \
                [revgraph] post_merge decides: off, suggest (default), create, create-and-stage.
                """)

        @Argument(help: "pre-commit, pre-merge-commit, pre-push or post-merge.") var name: HookName
        @OptionGroup var project: ProjectOptionGroup
        @Argument(parsing: .allUnrecognized, help: "git's arguments.") var gitArguments: [String] = []

        func run() throws {
            try Self.run(name, selection: project.selection, gitArguments: gitArguments)
        }

        /// The command, from its values (ArgumentParser's or QuickArguments').
        static func run(_ name: HookName, selection: ProjectSelection, gitArguments: [String]) throws {
            do { try check(name, selection: selection, gitArguments: gitArguments) } catch let e as WorkspaceError {
                // A repository revgraph cannot read at all must not block every commit: say so, pass.
                guard case .git(let g) = e, g.isUnsupportedObjectFormat else { throw e }
                Output.stderr("revgraph: this repository uses SHA-256 object ids, which libgit2 1.5 cannot read: nothing was checked\n")
            }
        }

        static func check(_ name: HookName, selection: ProjectSelection, gitArguments: [String]) throws {
            switch name {
            case .preCommit where !isMerging(selection):
                guard let reports = try readable(selection) else { return }
                try Self.finish(reports, blocked: "commit blocked: the staged migrations have problems",
                                retry: "fix them and commit again (to commit anyway: git commit --no-verify)")
            case .preCommit, .preMergeCommit:
                // A merge being recorded (pre-merge-commit, or the pre-commit framework's
                // pre-merge-commit stage, which runs the pre-commit entry).
                // The index git hands the hook is the merge's result, about to be committed. git
                // has already written the merge's tree: a file staged here is not in that commit.
                guard let reports = try readable(selection) else { return }
                if reports.contains(where: { !$0.isEmpty }), let staged = try writeMergeRevisions(selection) {
                    try Self.finish(reports, blocked: "merge stopped: it forks the migration graph, and the merge revision was written ([revgraph] post_merge)",
                                    retry: staged ? "the merge revision is staged: 'git commit' finishes the merge with it"
                                        : "'git add' the merge revision and 'git commit' to finish the merge")
                }
                try Self.finish(reports, blocked: "merge blocked: the merge's migrations have problems; the merge is left uncommitted",
                                retry: "write the merge revision the fix names, 'git add' it and 'git commit' to finish the merge (or 'git merge --abort'; to commit the merge anyway: git commit --no-verify)")
            case .prePush:
                var input = ""
                while let line = readLine() { input += line + "\n" }
                let reports = try PrePushCheck(selection: selection, remote: gitArguments.first ?? "origin")
                    .run(PushLine.parse(input), now: Int64(Date().timeIntervalSince1970))
                try Self.finish(reports, blocked: "push blocked",
                                retry: "fix it and push again (to push anyway: git push --no-verify)")
            case .postMerge:
                try postMerge(selection)
            }
        }

        /// Whether a merge is being recorded: `git merge` or `git pull` (GIT_REFLOG_ACTION; git
        /// writes MERGE_HEAD only after pre-merge-commit), or a `git commit` finishing a merge (MERGE_HEAD).
        static func isMerging(_ selection: ProjectSelection) -> Bool {
            if let action = getenv("GIT_REFLOG_ACTION").map({ String(cString: $0) }),
               action.hasPrefix("merge") || action.hasPrefix("pull") { return true }
            // The git directory git names (a hook runs at the work tree's root, so `.git` there),
            // without opening the repository; a worktree's `.git` file needs the repository.
            var gitdir = getenv("GIT_DIR").map { String(cString: $0) } ?? selection.absolute(".git")
            var st = stat()
            if stat(gitdir, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
                guard let dir = try? Workspace(selection).repository().gitdir else { return false }
                gitdir = dir
            }
            return access((gitdir.hasSuffix("/") ? gitdir : gitdir + "/") + "MERGE_HEAD", F_OK) == 0
        }

        /// The reports of the commit's projects; nil when they cannot be read and the commit changes
        /// none of their files (said in one line: a README commit is never blocked by a project
        /// revgraph cannot read). A commit that does change one is refused with the fix.
        static func readable(_ selection: ProjectSelection) throws -> [HookReport]? {
            let check = PreCommitCheck(selection: selection)
            do { return try check.run() } catch {
                guard let changed = try? check.changedPaths() else { throw error }
                let related = changed.filter(PreCommitCheck.isMigrationRelated)
                if related.isEmpty {
                    Output.stderr("revgraph: nothing checked: \(error); this commit changes no migration file or config (\(changed.count) file\(changed.count == 1 ? "" : "s")), so it is not blocked\n")
                    return nil
                }
                Output.stderr("revgraph: this commit changes \(related.prefix(3).joined(separator: ", "))\(related.count > 3 ? " and \(related.count - 3) more" : ""), and the migrations could not be read\n"
                    + "revgraph: fix: describe the project in revgraph.toml ([[project]] with config, versions, recursive; see docs/configuration.md), or commit with --no-verify\n")
                throw error
            }
        }

        /// Prints what was checked (stderr) or what blocks (stdout), and fails when anything does.
        static func finish(_ reports: [HookReport], blocked: String, retry: String) throws {
            for note in Set(reports.flatMap(\.notes)).sorted() { Output.stderr("revgraph: \(note)\n") }
            let failing = reports.filter { !$0.isEmpty }
            guard !failing.isEmpty else {
                // Lint findings that do not block (hook = warn, or warnings only) are shown, never silent.
                let lint = reports.flatMap(\.lint)
                if !lint.isEmpty { Output.stderr(lint.map(\.text).joined()) }
                Output.stderr("revgraph: " + Self.summary(reports) + Self.lintSummary(reports) + "\n")
                return
            }
            var out = "revgraph: \(blocked)\n"
            for r in failing {
                // The root project needs no name; the others are named.
                let project = r.project.flatMap { $0 == "." ? nil : "project \($0)" }
                let place = [r.location, project].compactMap { $0?.isEmpty == false ? $0 : nil }
                if !place.isEmpty { out += "revgraph: \(place.joined(separator: ", ")):\n" }
                out += r.problems.map(Output.diagnostic).joined() + r.findings.map(\.text).joined() + r.lint.map(\.text).joined()
            }
            Output.write(out + "revgraph: \(retry)\n")
            throw CLIError.problems
        }

        /// `; linted 2 changed revisions: 1 finding` (nothing when lint is off for the hook).
        static func lintSummary(_ reports: [HookReport]) -> String {
            let linted = reports.compactMap(\.linted)
            guard !linted.isEmpty else { return "" }
            let n = linted.reduce(0, +), f = reports.flatMap(\.lint).count
            return "; linted \(n) added or changed revision\(n == 1 ? "" : "s"): \(f == 0 ? "no findings" : "\(f) finding\(f == 1 ? "" : "s")")"
        }

        /// `checked 2 projects: backend (142 revisions, 1 head), billing (37 revisions, 1 head)`.
        static func summary(_ reports: [HookReport]) -> String {
            guard !reports.isEmpty else { return "no Alembic or Django project in this repository: nothing to check" }
            func counts(_ r: HookReport) -> String {
                if r.isDjango {
                    return "\(r.revisions) migration\(r.revisions == 1 ? "" : "s"), \(r.heads) lea\(r.heads == 1 ? "f" : "ves")"
                }
                return "\(r.revisions) revision\(r.revisions == 1 ? "" : "s"), \(r.heads) head\(r.heads == 1 ? "" : "s")"
            }
            var seen = Set<String>()
            let unique = reports.filter { seen.insert($0.project ?? "").inserted }
            if unique.count == 1, unique[0].project == nil || unique[0].project == "." { return "checked \(counts(unique[0]))" }
            let each = unique.map { "\($0.project ?? ".") (\(counts($0)))" }
            return "checked \(unique.count) project\(unique.count == 1 ? "" : "s"): \(each.joined(separator: ", "))"
        }

        /// pre-merge-commit under `post_merge = create` or `create-and-stage`: writes the merge
        /// revisions of the forks this merge makes (staged for the second); nil when it wrote none,
        /// else whether they were staged.
        static func writeMergeRevisions(_ selection: ProjectSelection) throws -> Bool? {
            var wrote: Bool?
            for (loaded, action) in try PostMergeCheck(selection: selection).run() {
                guard case .create(let heads, let stage) = action else { continue }
                let which = loaded.projectName.map { $0 == "." ? "" : " of \($0)" } ?? ""
                Output.write("revgraph: this merge forks the migration graph\(which) (heads \(Self.list(heads))); writing a merge revision ([revgraph] post_merge)\n")
                var request = MergePlanner.Request()
                request.auto = true
                request.message = "merge heads"
                try Merge.write(request, project: loaded, workspace: Workspace(selection), dryRun: false, stage: stage)
                wrote = (wrote ?? true) && stage
            }
            return wrote
        }

        static func postMerge(_ selection: ProjectSelection) throws {
            for (loaded, action) in try PostMergeCheck(selection: selection).run() {
                let which = loaded.projectName.map { $0 == "." ? "" : " of \($0)" } ?? ""
                switch action {
                case .nothing: continue
                case .suggest(let heads):
                    Output.write("revgraph: the merge forked the migration graph\(which): heads \(Self.list(heads))\n"
                        + "revgraph: fix: revgraph merge --auto -m \"merge heads\"\(loaded.projectName.map { $0 == "." ? "" : " --project \($0)" } ?? "") (or set [revgraph] post_merge = create)\n")
                case .create(let heads, let stage):
                    Output.write("revgraph: the merge forked the migration graph\(which) (heads \(Self.list(heads))); writing a merge revision\n")
                    var request = MergePlanner.Request()
                    request.auto = true
                    request.message = "merge heads"
                    try Merge.write(request, project: loaded, workspace: Workspace(selection), dryRun: false, stage: stage)
                }
            }
            // The Django project: apps the merge gave several leaves (ORIG_HEAD had fewer).
            let now = Workspace(selection.reading(.workTree))
            if let django = try now.loadDjangoForHook() {
                let before = try? Workspace(selection.reading(.commit("ORIG_HEAD"))).loadDjangoForHook()
                let known = Set((before?.graph.conflicts ?? []).map { $0.leaves })
                for c in django.graph.conflicts where !known.contains(c.leaves) {
                    Output.write("revgraph: the merge gave Django app \(c.app) several leaves: \(c.leaves.map(\.name).joined(separator: ", "))\n"
                        + "revgraph: fix: revgraph merge \(c.app) (it writes the file 'makemigrations --merge' would)\n")
                }
            }
        }

        static func list(_ heads: [[String]]) -> String { heads.map { $0.joined(separator: ", ") }.joined(separator: "; ") }
    }
}
