import ArgumentParser
import RevgraphCore
import RevgraphDatabase

extension Revgraph {
    struct Current: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the database's revisions, as 'alembic current' does (without running env.py).")

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false

        func run() throws {
            let loaded = try project.load()
            let (url, heads) = try database.heads(loaded.config)
            let g = loaded.graph
            var out = verbose ? "Current revision(s) for \(url):\n" : ""
            let known = heads.compactMap { g.index[$0] }
            for i in g.allCurrent(heads: known) { out += (verbose ? AlembicFormat(graph: g).logEntry(i) : g.currentLine(i)) + "\n" }
            for h in heads where g.index[h] == nil { out += "\(h) (unknown to this tree)\n" }
            Output.write(out)
        }
    }
}
