import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Draw the revision graph: in the terminal, or as Graphviz dot or Mermaid for a pull request.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, dot, mermaid, json }

        @OptionGroup var project: ProjectOptionGroup
        @Option(help: "text, dot, mermaid, or json.") var format: Format = .text
        @Option(name: .customLong("from"), help: "Draw from this revision up (as history's range start).") var from: String?
        @Option(name: .customLong("to"), help: "Draw up to this revision (as history's range end; default heads).") var to: String?

        func run() throws {
            let workspace = project.workspace()
            let loaded: LoadedProject
            switch try project.loadAny(workspace) {
            case .alembic(let l): loaded = l
            case .django(let d):
                Output.warn(d.problems)
                if from != nil || to != nil { throw CLIError.usage("'--from'/'--to' take Alembic revisions; a Django graph is drawn whole") }
                if d.graph.hasCycles { throw CLIError.problems }
                // Each migration a revision `app.name` whose down revisions are its dependencies,
                // drawn newest first (the plan reversed).
                let plan = d.graph.plan()
                let revisions = plan.map { k in
                    Revision(id: k.description, downRevisions: (d.graph.parents[k] ?? []).map(\.description),
                             path: d.graph.migrations[k]?.path ?? "")
                }
                let g = RevisionGraph(revisions: revisions)
                let r = GraphRenderer(graph: g, order: Array((0..<g.count).reversed()))
                switch format {
                case .text: Output.write(r.ascii())
                case .dot: Output.write(r.dot())
                case .mermaid: Output.write(r.mermaid())
                case .json: Output.json(DjangoJSON(d, command: "graph", display: workspace.displayPath), command: "django")
                }
                return
            }
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
