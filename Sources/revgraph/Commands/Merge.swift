import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a merge revision, the file 'alembic merge' would write.",
            discussion: """
                Renders the project's script.py.mako (the constructs Alembic's bundled templates use). \
                With --auto, writes one merge revision per group of conflicting heads.
                """)

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "Revisions to merge (default: heads).") var revisions: [String] = []
        @Option(name: [.short, .customLong("message")], help: "Message.") var message: String?
        @Option(name: .customLong("rev-id"), help: "Revision id to use instead of a generated one.") var revID: String?
        @Option(name: .customLong("branch-label"), help: "Branch label for the new revision.") var branchLabel: String?
        @Option(name: .customLong("version-path"), help: "Version location to write into.") var versionPath: String?
        @Flag(name: .customLong("splice"), help: "Allow merging revisions that are not heads.") var splice = false
        @Flag(name: .customLong("auto"), help: "Merge each group of conflicting heads.") var auto = false
        @Flag(name: .customLong("dry-run"), help: "Print the path and content; write nothing.") var dryRun = false
        @Flag(name: .customLong("stage"), help: "Add the new file to the git index.") var stage = false
        @Flag(name: .customLong("builtin-template"), help: "Use Alembic's generic template instead of script.py.mako.")
        var builtinTemplate = false
        @Option(name: .customLong("date"), help: "Create Date to write, 'YYYY-MM-DD HH:MM:SS[.ffffff]' (default: now).")
        var date: String?

        func validate() throws {
            if project.at != nil || project.staged { throw ValidationError("'merge' writes to the work tree; drop '--at'/'--staged'") }
            if auto && !revisions.isEmpty { throw ValidationError("'--auto' takes no revisions") }
            if auto && revID != nil { throw ValidationError("'--auto' may write several files; drop '--rev-id'") }
            if let date, CreateDateCheck.invalid(date) {
                throw ValidationError("'--date' must be a real date and time of the form 'YYYY-MM-DD HH:MM:SS[.ffffff]'")
            }
        }

        var request: MergePlanner.Request {
            var r = MergePlanner.Request()
            r.revisions = revisions
            r.auto = auto
            r.message = message
            r.revID = revID
            r.branchLabel = branchLabel
            r.versionPath = versionPath
            r.splice = splice
            r.builtinTemplate = builtinTemplate
            r.date = date
            r.maxHeads = project.maxHeads
            return r
        }

        func run() throws {
            let workspace = project.workspace()
            try Self.write(request, project: workspace.load(), workspace: workspace, dryRun: dryRun, stage: stage)
        }

        /// Plans and writes (or prints) the merge revisions; shared with the post-merge hook.
        static func write(_ request: MergePlanner.Request, project: LoadedProject, workspace: Workspace, dryRun: Bool,
                          stage: Bool) throws
        {
            let planner = MergePlanner(workspace: workspace, project: project)
            let files = try planner.plan(request)
            if files.isEmpty { Output.write("nothing to merge: no conflicting heads\n") }
            for file in files {
                if dryRun {
                    Output.write("would write \(file.path)\n\(file.text)")
                } else {
                    let path = try planner.write(file, stage: stage)
                    Output.write("  Generating \(path) ...  done\n")
                }
            }
        }
    }
}

/// `--date` is checked while parsing, so a malformed date is a usage error (64).
enum CreateDateCheck {
    static func invalid(_ text: String) -> Bool { RevgraphCore.CreateDate(parsing: text) == nil }
}
