import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the revision graph: in the terminal, or as Graphviz dot or Mermaid for a pull request.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, dot, mermaid, json }

        @OptionGroup var project: ProjectOptionGroup
        @Option(help: "text, dot, mermaid, or json.") var format: Format = .text
        @Option(name: .customLong("from"), help: "Draw from this revision up (as history's range start).") var from: String?
        @Option(name: .customLong("to"), help: "Draw up to this revision (as history's range end; default heads).") var to: String?

        func run() throws {
            let loaded = try project.loadWarning()
            let g = loaded.graph
            let order = try g.history(lower: from, upper: to)
            let r = GraphRenderer(graph: g, order: order)
            switch format {
            case .text: Output.write(r.ascii())
            case .dot: Output.write(r.dot())
            case .mermaid: Output.write(r.mermaid())
            case .json: Output.json(RevisionListJSON(g, order, problems: loaded.problems, paths: project.workspace().displayPath), command: "graph")
            }
        }
    }
}
