import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Current: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "current",
            abstract: "Show the database's revisions, as 'alembic current' does (without running env.py).")

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Option(help: "text or json.") var format: OutputFormat = .text

        /// `current --format json`: the database (URL masked), its revisions, ids it holds that the tree lacks.
        struct Report: Encodable {
            var database: String
            var revisions: [RevisionJSON]
            var unknown: [String]
        }

        func run() throws {
            let workspace = project.workspace()
            let loaded = try workspace.load()
            let target = try database.target(loaded.config)
            let heads = try target.heads()
            let g = loaded.graph
            if format == .json {
                let current = g.allCurrent(heads: heads.compactMap { g.index[$0] })
                Output.json(Report(database: target.url.description, revisions: current.map { RevisionJSON(g, $0, paths: workspace.displayPath) },
                                   unknown: heads.filter { g.index[$0] == nil }), command: "current")
                return
            }
            var out = verbose ? "Current revision(s) for \(target.url):\n" : ""
            for i in g.allCurrent(heads: heads.compactMap { g.index[$0] }) {
                out += (verbose ? AlembicFormat(graph: g).logEntry(i) : g.currentLine(i)) + "\n"
            }
            for h in heads where g.index[h] == nil { out += "\(h.displaySafe) (unknown to this tree)\n" }
            Output.write(out)
        }
    }
}
