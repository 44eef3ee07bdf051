import ArgumentParser
import RevgraphWorkspace

extension Revgraph.Release {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "diff", abstract: "The revisions release B adds over release A, in upgrade order (release notes).")
        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "The older release.") var a: String
        @Argument(help: "The newer release.") var b: String
        enum Format: String, ExpressibleByArgument { case text, json, markdown }
        @Option(help: "text, json or markdown.") var format: Format = .text

        struct Added: Encodable { var revision: String, doc: String, path: String, commit: String?, author: String? }
        struct Report: Encodable {
            var from: String, to: String, contains_from_heads: Bool, added: [Added], only_in_from: [String]
        }

        func run() throws {
            let d = try Releases(workspace: project.workspace()).diff(a, b)
            let report = Report(
                from: a, to: b, contains_from_heads: d.containsFromHeads,
                added: d.added.map { x in
                    Added(revision: x.revision, doc: x.doc, path: x.path, commit: x.commit?.id.hex,
                          author: x.commit.map { "\($0.authorName) <\($0.authorEmail)>" })
                },
                only_in_from: d.onlyInFrom)
            switch format {
            case .json: Output.json(report, command: "release-diff")
            case .markdown:
                var out = "## Schema changes from \(a) to \(b)\n\n"
                if !d.containsFromHeads { out += "> \(b) does not contain \(a)'s heads: the releases are forked (or \(b) is older).\n\n" }
                out += report.added.isEmpty ? "No new migrations.\n" : "| revision | description | added in |\n|---|---|---|\n"
                for x in report.added {
                    out += "| `\(x.revision)` | \(x.doc.replacingAll("|", with: "\\|")) | \(x.commit.map { "`\($0.prefix(12))` \(x.author ?? "")" } ?? "") |\n"
                }
                if !report.only_in_from.isEmpty { out += "\nOnly in \(a): \(report.only_in_from.map { "`\($0)`" }.joined(separator: ", "))\n" }
                Output.write(out)
            case .text:
                var out = d.containsFromHeads ? "" : "\(b) does not contain \(a)'s heads (\(d.fromHeads.joined(separator: ", "))): forked or older release\n"
                out += "\(report.added.count) revision\(report.added.count == 1 ? "" : "s") added from \(a) to \(b), in upgrade order:\n"
                for x in report.added {
                    out += "  \(x.revision)  \(x.doc)\(x.commit.map { "  (\($0.prefix(12)) \(x.author ?? ""))" } ?? "")\n"
                }
                if !report.only_in_from.isEmpty { out += "only in \(a): \(report.only_in_from.joined(separator: ", "))\n" }
                Output.write(out)
            }
        }
    }
}
