import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Heads: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the current heads, as 'alembic heads' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Flag(name: .customLong("resolve-dependencies"), help: "Treat depends_on as down revisions.")
        var resolveDependencies = false
        @Option(help: "text or json.") var format: OutputFormat = .text
        @Option(name: .customLong("merge-with"), help: "Show the heads that merging the checked commit (--at, default HEAD) with REF would give.")
        var mergeWith: String?

        func run() throws {
            let merge = try mergeWith.map { try ProspectiveMerge.load(project: project, with: $0) }
            let loaded = try merge?.merged ?? project.load()
            if let merge { FileHandleOutput.stderr(merge.report()) }
            let g = loaded.graph
            Output.warn(loaded.problems)
            switch format {
            case .text:
                Output.write(AlembicFormat(graph: g).heads(verbose: verbose, resolveDependencies: resolveDependencies))
            case .json:
                Output.json(RevisionListJSON(g, resolveDependencies ? g.realHeads : g.heads, problems: loaded.problems))
            }
        }
    }
}
