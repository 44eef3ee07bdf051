import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show revisions in detail, as 'alembic show' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "Revisions: ids, prefixes, labels, head, heads, label@head, relative -N.")
        var revisions: [String]
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let loaded = try project.load()
            let g = loaded.graph
            Output.warn(loaded.problems)
            var list: [Int] = []
            do {
                for r in revisions { list += try g.resolveRevisions(r) }
            } catch {
                throw Output.fail(error)
            }
            switch format {
            case .text: Output.write(AlembicFormat(graph: g).show(list))
            case .json: Output.json(RevisionListJSON(g, list, problems: loaded.problems))
            }
        }
    }
}
