import ArgumentParser
import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Walk git history and report when the graph forked, which merge brought it, and how it was resolved.",
            discussion: """
                Walks each project found at the tip (or the one -c, --versions or --project names). \
                Commits where its config or versions directory does not exist yet are skipped; a tip \
                with no project at all is an error (exit 2), unless the range predates the project.
                """)

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "REV or A..B (default: HEAD).") var range: String?
        @Flag(name: .customLong("first-parent"), help: "Follow only first parents (the default).") var firstParent = false
        @Flag(name: .customLong("all-commits"), help: "Walk every commit, not only the first-parent line.") var allCommits = false
        @Option(help: "text or json.") var format: OutputFormat = .text

        func validate() throws {
            if firstParent && allCommits { throw ValidationError("'--first-parent' and '--all-commits' cannot be used together") }
            if project.at != nil || project.staged { throw ValidationError("'log' walks history; give a range instead of '--at'/'--staged'") }
        }

        func run() throws {
            let workspace = project.workspace()
            let repository = try workspace.repository()
            var tipSpec = range ?? "HEAD"
            var hide: GitObjectID?
            if let r = range, let dots = r.firstRange(of: "..") {
                hide = try workspace.commit(String(r[..<dots.lowerBound]))
                tipSpec = String(r[dots.upperBound...])
                if tipSpec.isEmpty { tipSpec = "HEAD" }
            }
            let tip = try workspace.commit(tipSpec)
            if project.django || (project.config.isEmpty && project.versions.isEmpty
                                  && (try? Workspace(project.selection.reading(.commit(tip.hex))).loadAll().isEmpty) == true) {
                if let report = try DjangoHistory(workspace: workspace).scan(tip: tip, hiding: hide, allCommits: allCommits) {
                    if format == .json { return Output.json(DjangoLogJSON(report), command: "django-log") }
                    return Output.write(Self.djangoText(report))
                }
                if project.django { throw CLIError.couldNotRun("no Django project at \(tipSpec) (no manage.py, no [django] root in revgraph.toml)") }
            }
            // Never a silent all-clear: the projects must exist at the tip (their errors are the user's).
            let atTip = Workspace(project.selection.reading(.commit(tip.hex)))
            let projects = try atTip.loadAll()
            if projects.isEmpty {
                if (try? Workspace(project.selection.reading(.commit("HEAD"))).loadAll().isEmpty) == false {
                    Output.write("no Alembic project at \(tipSpec): the range predates the project\n")
                    return
                }
                throw CLIError.couldNotRun("no Alembic project at \(tipSpec) (no alembic.ini, no pyproject.toml with [tool.alembic], no revgraph.toml); pass -c FILE or --versions DIR")
            }
            var reports: [(String?, HistoryScanner.Report)] = []
            for p in projects {
                let options = p.spec.map { atTip.options(for: $0, git: true) } ?? atTip.options(forGit: true)
                let scanner = HistoryScanner(repository: repository, options: options)
                do { reports.append((p.projectName, try scanner.scan(tip: tip, hiding: hide, firstParent: !allCommits))) } catch {
                    throw WorkspaceError.git(error)
                }
            }
            let several = reports.count > 1
            switch format {
            case .text:
                Output.write(reports.map { (name, r) in (several ? "project \(name ?? "."):\n" : "") + Self.text(r) }.joined())
            case .json:
                let all = reports.map { LogJSON($0.1, project: $0.0) }
                if several { Output.json(["projects": all], command: "log") } else { Output.json(all[0], command: "log") }
            }
        }

        static func date(_ c: GitCommitInfo) -> String { utcDate(c.time) }

        /// The Django walk: each change in an app's leaves, with the commit that brought it.
        static func djangoText(_ r: DjangoHistory.Report) -> String {
            var out = ""
            for e in r.events {
                let head = "\(date(e.commit)) \(e.commit.id.hex.prefix(12))"
                let names = e.leaves.map(\.name).joined(separator: ", ")
                switch e.kind {
                case .fork, .changed:
                    out += "\(head)  \(e.kind == .fork ? "fork" : "fork changed") in \(e.app): leaves \(names)  (\(e.commit.summary))\n"
                    if e.commit.isMerge {
                        out += "    merge commit, parents \(e.commit.parents.map { String($0.hex.prefix(12)) }.joined(separator: " "))\n"
                    }
                    for l in e.leaves {
                        if let c = e.firstSeen[l] { out += "    \(l) first seen in \(c.id.hex.prefix(12)) (\(c.summary))\n" }
                    }
                case .resolved:
                    let by = e.added.isEmpty ? "" : " by " + e.added.map(\.description).joined(separator: ", ")
                    out += "\(head)  resolved in \(e.app)\(by): leaves were \(names)  (\(e.commit.summary))\n"
                }
            }
            for u in r.unresolved {
                out += "unresolved at the tip: \(u.app) has leaves \(u.leaves.map(\.name).joined(separator: ", ")); run 'revgraph merge'\n"
            }
            if r.shallow { out += "note: this is a shallow clone; history before its cut-off was not walked\n" }
            out += "walked \(r.walked) commit\(r.walked == 1 ? "" : "s"), read the migrations at \(r.read)"
            out += r.events.isEmpty && r.unresolved.isEmpty ? "; no app ever had several leaves\n" : "\n"
            return out
        }

        static func who(_ c: GitCommitInfo?) -> String {
            guard let c else { return "commit not found in the walked history" }
            return "added in \(c.id.hex.prefix(12)) by \(c.authorName) <\(c.authorEmail)>"
        }

        static func days(_ from: GitCommitInfo, _ to: GitCommitInfo) -> String {
            CivilTime.days(seconds: Int64(to.time - from.time))
        }

        static func text(_ r: HistoryScanner.Report) -> String {
            var out = ""
            for e in r.events {
                let head = "\(date(e.commit)) \(e.commit.id.hex.prefix(12))"
                switch e.kind {
                case .fork, .changed:
                    let groups = e.conflicts.map { $0.joined(separator: ", ") }.joined(separator: "; ")
                    out += "\(head)  \(e.kind == .fork ? "fork" : "fork changed"): heads \(groups)  (\(e.commit.summary))\n"
                    if e.commit.isMerge {
                        out += "    merge commit, parents \(e.commit.parents.map { String($0.hex.prefix(12)) }.joined(separator: " "))"
                        out += e.mergedBranch.map { ", merged branch '\($0)'" } ?? ""
                        out += "\n"
                    }
                    for a in e.brought {
                        if a.changed {
                            out += "    changed (not added) in this commit: \(a.revision) (\(a.path))\n"
                        } else {
                            out += "    \(e.commit.isMerge ? "brought by the merge" : "added"): \(a.revision) (\(a.path), \(who(a.commit)))\n"
                        }
                    }
                    for a in e.mainline { out += "    already on the mainline: \(a.revision) (\(a.path), \(who(a.commit)))\n" }
                case .resolved:
                    var how = "resolved"
                    switch e.resolution {
                    case .mergeRevision(let id, let merges)?: how += " by merge revision \(id) (merges \(merges.joined(separator: ", ")))"
                    case .downRevisionRewritten(let id, let from, let to)?:
                        how += " by rewriting down_revision of \(id) (\(from.joined(separator: ", ")) -> \(to.joined(separator: ", ")))"
                    case .removed(let ids)?: how += " by removing \(ids.joined(separator: ", ")) (deleted, or moved out of the versions directory)"
                    case .other?, nil: how += " (by a change revgraph does not name: no merge revision, rewrite or removal of the heads)"
                    }
                    if let since = e.forkedSince, let n = e.forkedCommits {
                        how += " after \(days(since, e.commit)), \(n) commit\(n == 1 ? "" : "s")"
                    }
                    out += "\(head)  \(how)  (\(e.commit.summary))\n"
                }
            }
            if let open = r.openSince {
                out += "still forked since \(open.id.hex.prefix(12)) (\(r.openCommits) commit\(r.openCommits == 1 ? "" : "s"))\n"
            }
            out += "scanned \(r.scanned) commits (\(r.skipped) without a migrations config); \(r.forkedCommits) with a forked graph\n"
            if r.shallow { out += "note: this is a shallow clone; history before its cut-off was not scanned\n" }
            return out
        }
    }
}
