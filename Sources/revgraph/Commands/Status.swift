import ArgumentParser
import RevgraphCore

extension Revgraph {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Applied, pending and unknown revisions of a database.",
            discussion: "Unknown: in the database, not in the graph (the database runs newer or other code).")

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Option(help: "text or json.") var format: OutputFormat = .text

        struct Report: Encodable {
            var database: String
            var heads: [String]
            var applied: [String]
            var pending: [String]
            var unknown: [String]
        }

        func run() throws {
            let loaded = try project.workspace().load()
            let target = try database.target(loaded.config)
            let heads = try target.heads()
            let g = loaded.graph
            let applied = Set(g.applied(heads: heads.compactMap { g.index[$0] }))
            let order = ((try? g.history()) ?? Array(0..<g.count)).reversed()
            let report = Report(
                database: target.url.description, heads: heads,
                applied: order.filter { applied.contains($0) }.map { g.id($0) },
                pending: order.filter { !applied.contains($0) }.map { g.id($0) },
                unknown: heads.filter { g.index[$0] == nil })
            switch format {
            case .json: Output.json(report, command: "status")
            case .text:
                var out = "database: \(report.database)\n"
                out += "heads: \(heads.isEmpty ? "(none: nothing applied)" : heads.map(\.displaySafe).joined(separator: ", "))\n"
                out += "applied: \(report.applied.count)\n"
                out += "pending: \(report.pending.count)\(report.pending.isEmpty ? "" : " (" + report.pending.joined(separator: ", ") + ")")\n"
                if !report.unknown.isEmpty {
                    out += "unknown: \(report.unknown.map(\.displaySafe).joined(separator: ", ")) (in the database, not in this tree: it runs newer or other code)\n"
                }
                Output.write(out)
            }
        }
    }
}
