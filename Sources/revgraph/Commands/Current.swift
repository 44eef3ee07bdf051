import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Current: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the database's revisions, as 'alembic current' does (without running env.py).")

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false

        func run() throws {
            let loaded = try project.workspace().load()
            let target = try database.target(loaded.config)
            let heads = try target.heads()
            let g = loaded.graph
            var out = verbose ? "Current revision(s) for \(target.url):\n" : ""
            for i in g.allCurrent(heads: heads.compactMap { g.index[$0] }) {
                out += (verbose ? AlembicFormat(graph: g).logEntry(i) : g.currentLine(i)) + "\n"
            }
            for h in heads where g.index[h] == nil { out += "\(h.displaySafe) (unknown to this tree)\n" }
            Output.write(out)
        }
    }
}
