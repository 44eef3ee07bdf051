import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphHooks
import RevgraphWorkspace

extension HookName: ExpressibleByArgument {}

extension Revgraph {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a git hook's checks (called by the scripts 'revgraph hooks install' writes).",
            discussion: """
                pre-commit: the staged graph, and no edit or deletion of revisions in the protected refs \
                ([revgraph] protected_refs; default: the current branch's upstream and origin/HEAD). \
                pre-push: each pushed tip's graph, its prospective merge with the remote's target branch \
                ([revgraph] push_target; default: the remote's HEAD branch), and no edit of revisions the remote has. \
                post-merge: when the merge forked the graph, [revgraph] post_merge decides: off, suggest (default), \
                create, create-and-stage.
                """)

        @Argument(help: "pre-commit, pre-push or post-merge.") var name: HookName
        @Argument(parsing: .captureForPassthrough, help: "git's arguments.") var gitArguments: [String] = []

        /// The project as git runs the hook: from the current directory, with `$ALEMBIC_CONFIG`.
        var selection: ProjectSelection {
            var s = ProjectSelection(currentDirectory: FileManager.default.currentDirectoryPath)
            s.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
            return s
        }

        func run() throws {
            switch name {
            case .preCommit:
                guard let report = try PreCommitCheck(selection: selection).run(), !report.isEmpty else { return }
                Output.write("revgraph: commit blocked: the staged migrations have problems\n" + Self.text(report)
                    + "revgraph: fix them and commit again (to commit anyway: git commit --no-verify)\n")
                throw CLIError.problems
            case .prePush:
                var input = ""
                while let line = readLine() { input += line + "\n" }
                let reports = try PrePushCheck(selection: selection, remote: gitArguments.first ?? "origin")
                    .run(PushLine.parse(input)).filter { !$0.isEmpty }
                guard !reports.isEmpty else { return }
                Output.write("revgraph: push blocked\n" + reports.map { "revgraph: \($0.location):\n" + Self.text($0) }.joined()
                    + "revgraph: fix it and push again (to push anyway: git push --no-verify)\n")
                throw CLIError.problems
            case .postMerge:
                try postMerge()
            }
        }

        static func text(_ r: HookReport) -> String {
            r.problems.map(Output.diagnostic).joined() + r.findings.map(\.text).joined()
        }

        func postMerge() throws {
            switch try PostMergeCheck(selection: selection).run() {
            case .nothing: return
            case .suggest(let heads):
                Output.write("revgraph: the merge forked the migration graph: heads \(Self.list(heads))\n"
                    + "revgraph: fix: revgraph merge --auto -m \"merge heads\" (or set [revgraph] post_merge = create)\n")
            case .create(let heads, let stage):
                Output.write("revgraph: the merge forked the migration graph (heads \(Self.list(heads))); writing a merge revision\n")
                var request = MergePlanner.Request()
                request.auto = true
                request.message = "merge heads"
                try Merge.write(request, workspace: Workspace(selection), dryRun: false, stage: stage)
            }
        }

        static func list(_ heads: [[String]]) -> String { heads.map { $0.joined(separator: ", ") }.joined(separator: "; ") }
    }
}
