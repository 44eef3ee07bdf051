import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            var kind: String, path: String, renamed_from: String?, commit: String, author: String, email: String, time: Int64, summary: String
        }
        struct ShowJSON: Encodable {
            var revisions: [Entry]
            var problems: [ProblemJSON]
        }

        func validate() throws {
            if git && project.staged { throw ValidationError("'--git' reads history; use it with the work tree or '--at'") }
        }

        func run() throws {
            let cache = project.makeCache(readsGit: git)
            let loaded = try project.load(cache: cache)
            let g = loaded.graph
            Output.warn(loaded.problems)
            var list: [Int] = []
            do {
                for r in revisions { list += try g.resolveRevisions(r) }
            } catch {
                throw Output.fail(error)
            }
            var history: [Int: [RevisionBlame.Change]] = [:]
            if git {
                let repository = try project.openRepository()
                let tip = try project.commit(repository)
                let root = repository.workdir.map(normalizePath)
                let blame = RevisionBlame(repository: repository, options: project.options(repository: repository), cache: cache)
                for i in list {
                    var path = g.revision(i).path
                    if project.at == nil, let root {
                        // Work-tree paths are absolute or relative to the current directory.
                        let abs = normalizePath(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath.joiningPath(path))
                        if abs.hasPrefix(root + "/") { path = String(abs.dropFirst(root.count + 1)) }
                    }
                    do { history[i] = try blame.changes(revision: g.id(i), path: path, tip: tip) } catch {
                        throw project.fail(.git(error))
                    }
                }
            }
            switch format {
            case .text:
                let f = AlembicFormat(graph: g)
                var out = ""
                for i in list {
                    out += f.logEntry(i) + "\n"
                    if let changes = history[i] {
                        out += changes.isEmpty ? "Git: the file is not in the history of \(project.at ?? "HEAD") (not committed yet?)\n\n" : "Git:\n"
                        for c in changes {
                            var kind = "modified"
                            if case .added = c.kind { kind = "added" }
                            if case .renamed(let from) = c.kind { kind = "renamed from \(from)" }
                            out += "    \(Log.date(c.commit)) \(c.commit.id.hex.prefix(12)) \(kind), \(c.commit.authorName) <\(c.commit.authorEmail)>: \(c.commit.summary)\n"
                        }
                        if !changes.isEmpty { out += "\n" }
                    }
                }
                Output.write(out)
            case .json:
                Output.json(ShowJSON(revisions: list.map { i in
                    Entry(revision: RevisionJSON(g, i), git: history[i].map { $0.map { c in
                        var kind = "modified", from: String?
                        if case .added = c.kind { kind = "added" }
                        if case .renamed(let f) = c.kind { kind = "renamed"; from = f }
                        return Change(kind: kind, path: c.path, renamed_from: from, commit: c.commit.id.hex, author: c.commit.authorName,
                                      email: c.commit.authorEmail, time: c.commit.time, summary: c.commit.summary)
                    } })
                }, problems: loaded.problems.map(ProblemJSON.init)))
            }
        }
    }
}
