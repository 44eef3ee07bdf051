import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "List revisions newest first, as 'alembic history' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Option(name: [.short, .customLong("rev-range")], help: "Range: [start]:[end], [start]:, or :[end].")
        var revRange: String?
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Flag(name: [.short, .customLong("indicate-current")], help: "Mark the database's revisions (current).")
        var indicateCurrent = false
        @OptionGroup var database: DatabaseOptionGroup
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let workspace = project.workspace()
            let loaded: LoadedProject
            switch try project.loadAny(workspace) {
            case .alembic(let l): loaded = l
            case .django(let d):
                Output.warn(d.problems)
                if d.graph.hasCycles { throw CLIError.problems }
                switch format {
                case .text: Output.write(DjangoFormat(project: d).plan(verbose: verbose))
                case .json: Output.json(DjangoJSON(d, command: "history", display: workspace.displayPath), command: "django")
                }
                return
            }
            let g = loaded.graph
            var lower: String?
            var upper: String?
            if let revRange { (lower, upper) = try RevisionGraph.parseRange(revRange) }
            var current = Set<Int>()
            if lower == "current" || upper == "current" || indicateCurrent {
                // `current` is the database's revision, read from its version table (env.py is not run).
                let heads = try database.target(loaded.config).heads()
                if indicateCurrent { current = Set(heads.compactMap { g.index[$0] }) }
                if lower == "current" || upper == "current" {
                    guard heads.count <= 1 else {
                        throw CLIError.usage("the database has several heads (\(heads.joined(separator: ", "))); name one instead of 'current'")
                    }
                    let at = heads.first ?? "base"
                    if lower == "current" { lower = at }
                    if upper == "current" { upper = at }
                }
            }
            let order = try g.history(lower: lower, upper: upper)
            switch format {
            case .text: Output.write(AlembicFormat(graph: g).history(order: order, verbose: verbose, current: current))
            case .json: Output.json(RevisionListJSON(g, order, problems: loaded.problems, paths: project.workspace().displayPath), command: "history")
            }
        }
    }
}
