import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show revisions in detail, as 'alembic show' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "Revisions: ids, prefixes, labels, head, heads, label@head, relative -N.")
        var revisions: [String]
        @Option(help: "text or json.") var format: OutputFormat = .text
        @Flag(name: .customLong("git"), help: "Also list the commit that added each revision's file and every later commit that changed it.")
        var git = false

        struct Entry: Encodable {
            var revision: RevisionJSON
            var git: [Change]?
        }
        struct Change: Encodable {
            var kind: String, path: String, renamed_from: String?, commit: String, author: String, email: String, time: String, summary: String
            /// The commit time for text; JSON carries `time` (RFC 3339).
            var seconds: Int64 = 0
            enum CodingKeys: String, CodingKey { case kind, path, renamed_from, commit, author, email, time, summary }
            init(_ c: RevisionBlame.Change) {
                kind = "modified"
                if case .added = c.kind { kind = "added" }
                if case .renamed(let f) = c.kind { (kind, renamed_from) = ("renamed", f) }
                (path, commit, author, email, seconds, summary) = (c.path, c.commit.id.hex, c.commit.authorName,
                                                                   c.commit.authorEmail, c.commit.time, c.commit.summary)
                time = rfc3339(seconds)
            }
            var text: String {
                let how = kind == "renamed" ? "renamed from \(renamed_from ?? "?")" : kind
                return "    \(utcDate(seconds)) \(commit.prefix(12)) \(how), \(author) <\(email)>: \(summary)\n"
            }
        }
        struct ShowJSON: Encodable {
            var revisions: [Entry]
            var problems: [ProblemJSON]
        }

        func validate() throws {
            if git && project.staged { throw ValidationError("'--git' reads history; use it with the work tree or '--at'") }
        }

        func run() throws {
            let workspace = project.workspace()
            let loaded: LoadedProject
            switch try project.loadAny(workspace) {
            case .alembic(let l): loaded = l
            case .django(let d):
                Output.warn(d.problems)
                let f = DjangoFormat(project: d)
                let keys = try revisions.map(f.resolve)
                switch format {
                case .text: Output.write(keys.map { f.show($0, display: workspace.displayPath) }.joined(separator: "\n"))
                case .json: Output.json(DjangoJSON(d, command: "show", only: keys, display: workspace.displayPath), command: "django")
                }
                return
            }
            let g = loaded.graph
            try g.requireAcyclic()
            var list: [Int] = []
            for r in revisions {
                // `show ''` or `show 'x@'` names nothing: an error, not an empty answer (`show base`
                // prints nothing, as in alembic).
                if r.trimmingPythonWhitespace().isEmpty || r.hasSuffix("@") {
                    throw CLIError.usage("'\(r)' names no revision; run 'revgraph heads' or 'revgraph history' to list them")
                }
                list += try g.resolveRevisions(r)
            }
            var history: [Int: [Change]] = [:]
            if git {
                let tip = try workspace.tip()
                let blame = try workspace.blame()
                for i in list {
                    do {
                        history[i] = try blame.changes(revision: g.id(i), path: workspace.relativePath(g.revision(i).path), tip: tip)
                            .map(Change.init)
                    } catch { throw WorkspaceError.git(error) }
                }
            }
            switch format {
            case .text:
                let f = AlembicFormat(graph: g)
                var out = ""
                for i in list {
                    out += f.logEntry(i) + "\n"
                    guard let changes = history[i] else { continue }
                    out += changes.isEmpty ? "Git: the file is not in the history of \(workspace.tipName) (not committed yet?)\n\n" : "Git:\n"
                    out += changes.map(\.text).joined()
                    if !changes.isEmpty { out += "\n" }
                }
                Output.write(out)
            case .json:
                Output.json(ShowJSON(revisions: list.map { Entry(revision: RevisionJSON(g, $0, paths: workspace.displayPath), git: history[$0]) },
                                     problems: loaded.problems.map(ProblemJSON.init)), command: "show")
            }
        }
    }
}
