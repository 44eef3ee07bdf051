import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List revisions newest first, as 'alembic history' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Option(name: [.short, .customLong("rev-range")], help: "Range: [start]:[end], [start]:, or :[end].")
        var revRange: String?
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let loaded = try project.load()
            let g = loaded.graph
            Output.warn(loaded.problems)
            let order: [Int]
            do {
                var lower: String?
                var upper: String?
                if let revRange { (lower, upper) = try RevisionGraph.parseRange(revRange) }
                if lower == "current" || upper == "current" {
                    Output.error("'current' needs a database; pass revisions instead")
                    throw Exit.usage
                }
                order = try g.history(lower: lower, upper: upper)
            } catch let e as RevisionGraphError {
                throw Output.fail(e)
            }
            switch format {
            case .text: Output.write(AlembicFormat(graph: g).history(order: order, verbose: verbose))
            case .json: Output.json(RevisionListJSON(g, order, problems: loaded.problems))
            }
        }
    }
}
