import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Pin schema versions to release tags: tag, list, show, diff.",
            subcommands: [Tag.self, List.self, ShowRelease.self, Diff.self])

        struct Tag: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "tag",
                abstract: "Create an annotated tag whose message pins the schema (Schema-Head, Schema-Revisions, Schema-Manifest).",
                discussion: "Refuses conflicting heads, unparseable files and edited published revisions (unless --allow-heads for heads). Never moves an existing tag.")
            @OptionGroup var project: ProjectOptionGroup
            @Argument(help: "The tag name.") var name: String
            @Option(name: [.short, .customLong("message")], help: "The tag message (trailers are added).") var message: String?
            @Flag(name: .customLong("allow-heads"), help: "Tag even with several heads in one branch.") var allowHeads = false

            func run() throws {
                let releases = Releases(workspace: project.workspace())
                let outcome = try project.isDjango(releases.workspace)
                    ? releases.tagDjango(name, message: message, allowHeads: allowHeads)
                    : releases.tag(name, message: message, allowHeads: allowHeads)
                switch outcome {
                case .tagged(let commit, let pin):
                    Output.write("tagged \(name) at \(commit.hex.prefix(12)): \(pin.heads.joined(separator: ", ")), \(pin.revisionCount) revisions, \(pin.manifest)\n")
                case .exists:
                    throw CLIError.couldNotRun("tag '\(name)' already exists; revgraph never moves a tag")
                case .refused(let r):
                    Output.write(r.problems.map(Output.diagnostic).joined() + r.findings.map(\.text).joined())
                    throw CLIError(code: Exit.problems,
                                   message: "not tagging '\(name)': fix the problems above\(r.conflictingHeads ? " (or pass --allow-heads)" : "")")
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "Every release tag, newest first, with its schema and whether it still holds.")
            @OptionGroup var project: ProjectOptionGroup
            @Option(name: .customLong("pattern"), help: "Tag glob (default v*, or [revgraph] release_pattern).") var pattern: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let releases = Releases(workspace: project.workspace())
                let (glob, entries) = try project.isDjango(releases.workspace)
                    ? releases.listDjango(pattern: pattern) : releases.list(pattern: pattern)
                switch format {
                case .json: Output.json(["releases": entries.map(ReleaseJSON.init)], command: "release-list")
                case .text:
                    var out = ""
                    for e in entries {
                        out += "\(e.tag.name)  \(utcDate(e.tag.time))  \(e.pin.heads.joined(separator: ", "))  \(e.pin.revisionCount) revisions"
                        if e.trailersMatch == false { out += "  TAG LIES: its trailers do not match its tree" }
                        if !e.madeByRevgraph { out += "  (not made by revgraph)" }
                        if !e.changedSince.isEmpty { out += "  changed since: \(e.changedSince.map(\.summary).joined(separator: "; "))" }
                        out += "\n"
                    }
                    Output.write(out.isEmpty ? "no release tags match '\(glob)'\n" : out)
                }
            }
        }

        struct ShowRelease: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "A release's pinned schema.",
                                                            discussion: "Exits 1 when the tag's trailers do not match its tree.")
            @OptionGroup var project: ProjectOptionGroup
            @Argument(help: "The tag.") var name: String
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let releases = Releases(workspace: project.workspace())
                let found = try project.isDjango(releases.workspace) ? releases.showDjango(name) : releases.show(name)
                guard let e = found else { throw CLIError.couldNotRun("release '\(name)' has no Django project") }
                switch format {
                case .json: Output.json(ReleaseShowJSON(e), command: "release-show")
                case .text:
                    var out = "release \(name) (\(e.tag.commit.hex.prefix(12)))\nheads: \(e.pin.heads.joined(separator: ", "))\n"
                    out += "revisions: \(e.pin.revisionCount)\nmanifest: \(e.pin.manifest)\n"
                    if let claimed = e.claimed, claimed != e.pin {
                        out += "TAG LIES: its trailers claim heads \(claimed.heads.joined(separator: ", ")), \(claimed.revisionCount) revisions, \(claimed.manifest)\n"
                    } else if e.claimed == nil {
                        out += "(not made by revgraph: read from its tree)\n"
                    }
                    Output.write(out)
                }
                if e.trailersMatch == false { throw CLIError.problems }
            }
        }
    }
}
