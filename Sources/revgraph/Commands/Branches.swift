import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Branches: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "branches",
            abstract: "Show the branch points, as 'alembic branches' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let loaded = try project.loadWarning()
            let g = loaded.graph
            let order = try g.history()
            switch format {
            case .text: Output.write(AlembicFormat(graph: g).branches(order: order, verbose: verbose))
            case .json: Output.json(RevisionListJSON(g, order.filter { g.isBranchPoint($0) }, problems: loaded.problems, paths: project.workspace().displayPath), command: "branches")
            }
        }
    }
}
