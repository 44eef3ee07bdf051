import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the graph: conflicting heads, duplicates, missing parents, cycles, unparseable files.",
            discussion: "Exits 1 when it finds an error (warnings alone exit 0).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, github }

        @OptionGroup var project: ProjectOptionGroup
        @Option(help: "text, json, or github (GitHub Actions annotations).") var format: Format = .text
        @Flag(name: .customLong("strict"), help: "Treat warnings as errors.") var strict = false
        @Option(name: .customLong("merge-with"), help: "Check the tree that merging the checked commit (--at, default HEAD) with REF would give.")
        var mergeWith: String?

        struct Report: Encodable {
            var ok: Bool
            var revisions: Int
            var heads: [String]
            var problems: [ProblemJSON]
            var merge: ProspectiveMerge.JSON?
        }

        func validate() throws {
            if mergeWith != nil && project.staged {
                throw ValidationError("'--merge-with' merges commits; use it with '--at REV' (default HEAD), not '--staged'")
            }
        }

        func run() throws {
            let workspace = project.workspace()
            let merge = try mergeWith.map { try ProspectiveMerge.load(workspace, with: $0) }
            let loaded = try merge?.merged ?? workspace.load()
            let problems = loaded.problems
            let failing = problems.contains { $0.severity == .error || strict }
            switch format {
            case .text:
                if let merge { Output.write(merge.report()) }
                Output.write(problems.map(Output.diagnostic).joined())
                if !failing {
                    let heads = loaded.graph.heads.map { loaded.graph.id($0) }
                    Output.write("ok: \(loaded.graph.count) revisions, \(heads.count) head\(heads.count == 1 ? "" : "s")"
                        + (heads.isEmpty ? "" : " (\(heads.joined(separator: ", ")))") + "\n")
                }
            case .json:
                Output.json(Report(
                    ok: !failing, revisions: loaded.graph.count,
                    heads: loaded.graph.heads.map { loaded.graph.id($0) }, problems: problems.map(ProblemJSON.init),
                    merge: merge?.json))
            case .github:
                Output.write(problems.map(Self.annotation).joined())
            }
            if failing { throw CLIError.problems }
        }

        /// `::error file=…,line=…,title=…::message`, escaped as GitHub Actions wants.
        static func annotation(_ p: GraphProblem) -> String {
            func escapeData(_ s: String) -> String {
                s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                    .replacingOccurrences(of: "\n", with: "%0A")
            }
            func escapeProperty(_ s: String) -> String {
                escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
            }
            var props: [String] = []
            if let path = p.path { props.append("file=\(escapeProperty(path))") }
            if let line = p.line { props.append("line=\(line)") }
            props.append("title=\(escapeProperty("revgraph: \(p.kind.rawValue)"))")
            var message = p.message
            if let fix = p.fix { message += "\nfix: \(fix)" }
            return "::\(p.severity.rawValue) \(props.joined(separator: ","))::\(escapeData(message))\n"
        }
    }
}
