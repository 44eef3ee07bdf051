import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pin schema versions to release tags: tag, list, show, diff.",
            subcommands: [Tag.self, List.self, ShowRelease.self, Diff.self])

        /// A release's schema: its graph and file checksums.
        struct Snapshot {
            var project: LoadedProject
            var checksums: [String: String] { project.checksums }
            var pin: SchemaPin { SchemaPin(graph: project.graph, checksums: checksums) }
        }

        static func snapshot(_ project: ProjectOptionGroup, _ repository: GitRepository, commit: GitObjectID, name: String,
                             cache: ParseCache) throws -> Snapshot
        {
            let tree = try project.GitSourceTreeOrFail(repository, .commit(commit, spec: name))
            return Snapshot(project: try project.load(tree, options: project.options(repository: repository), cache: cache))
        }

        /// Pinned revisions that the other snapshot edited, rewrote or deleted.
        static func changes(pinned: Snapshot, now: Snapshot) -> [String] {
            var out: [String] = []
            for r in pinned.project.graph.revisions {
                guard let i = now.project.graph.index[r.id] else { out.append("\(r.id) deleted"); continue }
                if Set(now.project.graph.revision(i).downRevisions) != Set(r.downRevisions) {
                    out.append("\(r.id) rewritten (down_revision)")
                } else if now.checksums[r.id] != pinned.checksums[r.id] {
                    out.append("\(r.id) edited")
                }
            }
            return out
        }

        static func pattern(_ project: ProjectOptionGroup, _ given: String?) -> String {
            given ?? (try? project.load().config?.revgraphSettings["release_pattern"]) ?? "v*"
        }

        struct Tag: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create an annotated tag whose message pins the schema (Schema-Head, Schema-Revisions, Schema-Manifest).",
                discussion: "Refuses conflicting heads, unparseable files and edited published revisions (unless --allow-heads for heads). Never moves an existing tag.")
            @OptionGroup var project: ProjectOptionGroup
            @Argument(help: "The tag name.") var name: String
            @Option(name: [.short, .customLong("message")], help: "The tag message (trailers are added).") var message: String?
            @Flag(name: .customLong("allow-heads"), help: "Tag even with several heads in one branch.") var allowHeads = false

            func run() throws {
                let repository = try project.openRepository()
                let commit = try project.commit(repository)
                let cache = project.makeCache(readsGit: true)
                let snap = try Release.snapshot(project, repository, commit: commit, name: project.at ?? "HEAD", cache: cache)
                let blocking = snap.project.problems.filter {
                    $0.severity == .error && !(allowHeads && $0.kind == .conflictingHeads)
                }
                var published = Hook.list(snap.project.config?.revgraphSettings["published_refs"]) ?? []
                published += (try? repository.tagNames(matching: Release.pattern(project, nil))) ?? []
                var options = project
                if options.at == nil { options.at = commit.hex }
                let findings = try PublishedCheck(project: options, checked: snap.project, cache: cache)
                    .run(refs: published.filter { (try? repository.commit($0)) != nil })
                if !blocking.isEmpty || !findings.isEmpty {
                    Output.write(blocking.map(Output.diagnostic).joined() + findings.map(\.text).joined())
                    Output.error("not tagging '\(name)': fix the problems above\(blocking.contains { $0.kind == .conflictingHeads } ? " (or pass --allow-heads)" : "")")
                    throw Exit.problems
                }
                let text = (message ?? "Release \(name)") + "\n\n" + snap.pin.trailers
                do { try repository.createAnnotatedTag(name, commit: commit, message: text) } catch {
                    Output.error(error.code == -4 ? "tag '\(name)' already exists; revgraph never moves a tag" : error.description)
                    throw Exit.couldNotRun
                }
                Output.write("tagged \(name) at \(commit.hex.prefix(12)): \(snap.pin.heads.joined(separator: ", ")), \(snap.pin.revisionCount) revisions, \(snap.pin.manifest)\n")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every release tag, newest first, with its schema and whether it still holds.")
            @OptionGroup var project: ProjectOptionGroup
            @Option(name: .customLong("pattern"), help: "Tag glob (default v*, or [revgraph] release_pattern).") var pattern: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            struct Entry: Encodable {
                var tag: String, commit: String, date: String, heads: [String], revisions: Int, manifest: String
                var made_by_revgraph: Bool, trailers_match: Bool?, changed_since: [String]
            }

            func run() throws {
                let repository = try project.openRepository()
                let cache = project.makeCache(readsGit: true)
                let head = try Release.snapshot(project, repository, commit: try project.commit(repository), name: "HEAD", cache: cache)
                var entries: [Entry] = []
                let names = (try? repository.tagNames(matching: Release.pattern(project, pattern))) ?? []
                var infos = names.compactMap { try? repository.tag($0) }
                infos.sort { ($0.time, $0.name) > ($1.time, $1.name) }
                for info in infos {
                    guard let snap = try? Release.snapshot(project, repository, commit: info.commit, name: info.name, cache: cache) else { continue }
                    let claimed = info.message.flatMap(SchemaPin.parse)
                    let date = Log.date(seconds: info.time)
                    entries.append(Entry(tag: info.name, commit: info.commit.hex, date: date, heads: snap.pin.heads,
                                         revisions: snap.pin.revisionCount, manifest: snap.pin.manifest,
                                         made_by_revgraph: claimed != nil, trailers_match: claimed.map { $0 == snap.pin },
                                         changed_since: Release.changes(pinned: snap, now: head)))
                }
                cache.save()
                switch format {
                case .json: Output.json(entries)
                case .text:
                    var out = ""
                    for e in entries {
                        out += "\(e.tag)  \(e.date)  \(e.heads.joined(separator: ", "))  \(e.revisions) revisions"
                        if e.trailers_match == false { out += "  TAG LIES: its trailers do not match its tree" }
                        if !e.made_by_revgraph { out += "  (not made by revgraph)" }
                        if !e.changed_since.isEmpty { out += "  changed since: \(e.changed_since.joined(separator: "; "))" }
                        out += "\n"
                    }
                    Output.write(out.isEmpty ? "no release tags match '\(Release.pattern(project, pattern))'\n" : out)
                }
            }
        }

        struct ShowRelease: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "A release's pinned schema.")
            @OptionGroup var project: ProjectOptionGroup
            @Argument(help: "The tag.") var name: String
            @Option(help: "text or json.") var format: OutputFormat = .text

            struct Report: Encodable {
                var tag: String, commit: String, heads: [String], revisions: [String], manifest: String
                var made_by_revgraph: Bool, trailers_match: Bool?
            }

            func run() throws {
                let repository = try project.openRepository()
                let info: GitTagInfo
                do { info = try repository.tag(name) } catch { throw project.fail(.git(error)) }
                let cache = project.makeCache(readsGit: true)
                let snap = try Release.snapshot(project, repository, commit: info.commit, name: name, cache: cache)
                cache.save()
                let claimed = info.message.flatMap(SchemaPin.parse)
                let g = snap.project.graph
                let order = (try? g.history()) ?? Array(0..<g.count)
                let report = Report(tag: name, commit: info.commit.hex, heads: snap.pin.heads, revisions: order.map { g.id($0) },
                                    manifest: snap.pin.manifest, made_by_revgraph: claimed != nil,
                                    trailers_match: claimed.map { $0 == snap.pin })
                switch format {
                case .json: Output.json(report)
                case .text:
                    var out = "release \(name) (\(info.commit.hex.prefix(12)))\nheads: \(report.heads.joined(separator: ", "))\n"
                    out += "revisions: \(g.count)\nmanifest: \(report.manifest)\n"
                    if let claimed, claimed != snap.pin {
                        out += "TAG LIES: its trailers claim heads \(claimed.heads.joined(separator: ", ")), \(claimed.revisionCount) revisions, \(claimed.manifest)\n"
                    } else if claimed == nil {
                        out += "(not made by revgraph: read from its tree)\n"
                    }
                    Output.write(out)
                    if claimed.map({ $0 != snap.pin }) == true { throw Exit.problems }
                }
            }
        }

        struct Diff: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The revisions release B adds over release A, in upgrade order (release notes).")
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
                let repository = try project.openRepository()
                let cache = project.makeCache(readsGit: true)
                let aID = try project.commit(repository, a), bID = try project.commit(repository, b)
                let sa = try Release.snapshot(project, repository, commit: aID, name: a, cache: cache)
                let sb = try Release.snapshot(project, repository, commit: bID, name: b, cache: cache)
                cache.save()
                let gb = sb.project.graph
                let order = ((try? gb.history()) ?? Array(0..<gb.count)).reversed()  // upgrade order: oldest first
                let added = order.filter { sa.project.graph.index[gb.id($0)] == nil }
                let containsHeads = sa.pin.heads.allSatisfy { gb.index[$0] != nil }
                // Who added each file: the first commit in A..B whose tree has it.
                var introducer: [String: GitCommitInfo] = [:]
                var remaining = Set(added.map { gb.revision($0).path })
                for c in (try? repository.commits(from: bID, hiding: aID, firstParent: false)) ?? [] where !remaining.isEmpty {
                    guard let tree = try? repository.tree(ofCommit: c) else { continue }
                    for p in remaining where ((try? tree.blobID(p)) ?? nil) != nil {
                        introducer[p] = try? repository.commitInfo(c)
                        remaining.remove(p)
                    }
                }
                let report = Report(
                    from: a, to: b, contains_from_heads: containsHeads,
                    added: added.map { i in
                        let r = gb.revision(i)
                        let c = introducer[r.path]
                        return Added(revision: r.id, doc: r.doc, path: r.path, commit: c?.id.hex,
                                     author: c.map { "\($0.authorName) <\($0.authorEmail)>" })
                    },
                    only_in_from: sa.project.graph.revisions.map(\.id).filter { gb.index[$0] == nil })
                switch format {
                case .json: Output.json(report)
                case .markdown:
                    var out = "## Schema changes from \(a) to \(b)\n\n"
                    if !containsHeads { out += "> \(b) does not contain \(a)'s heads: the releases are forked (or \(b) is older).\n\n" }
                    out += report.added.isEmpty ? "No new migrations.\n" : "| revision | description | added in |\n|---|---|---|\n"
                    for x in report.added {
                        out += "| `\(x.revision)` | \(x.doc.replacingOccurrences(of: "|", with: "\\|")) | \(x.commit.map { "`\($0.prefix(12))` \(x.author ?? "")" } ?? "") |\n"
                    }
                    if !report.only_in_from.isEmpty { out += "\nOnly in \(a): \(report.only_in_from.map { "`\($0)`" }.joined(separator: ", "))\n" }
                    Output.write(out)
                case .text:
                    var out = containsHeads ? "" : "\(b) does not contain \(a)'s heads (\(sa.pin.heads.joined(separator: ", "))): forked or older release\n"
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
}
