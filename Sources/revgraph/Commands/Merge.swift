import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a merge revision, the file 'alembic merge' would write.",
            discussion: """
                Renders the project's script.py.mako (the constructs Alembic's bundled templates use). \
                With --auto, writes one merge revision per group of conflicting heads.
                """)

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "Revisions to merge (default: heads).") var revisions: [String] = []
        @Option(name: [.short, .customLong("message")], help: "Message.") var message: String?
        @Option(name: .customLong("rev-id"), help: "Revision id to use instead of a generated one.") var revID: String?
        @Option(name: .customLong("branch-label"), help: "Branch label for the new revision.") var branchLabel: String?
        @Option(name: .customLong("version-path"), help: "Version location to write into.") var versionPath: String?
        @Flag(name: .customLong("splice"), help: "Allow merging revisions that are not heads.") var splice = false
        @Flag(name: .customLong("auto"), help: "Merge each group of conflicting heads.") var auto = false
        @Flag(name: .customLong("dry-run"), help: "Print the path and content; write nothing.") var dryRun = false
        @Flag(name: .customLong("stage"), help: "Add the new file to the git index.") var stage = false
        @Flag(name: .customLong("builtin-template"), help: "Use Alembic's generic template instead of script.py.mako.")
        var builtinTemplate = false
        @Option(name: .customLong("date"), help: "Create Date to write, 'YYYY-MM-DD HH:MM:SS[.ffffff]' (default: now).")
        var date: String?

        func validate() throws {
            if project.at != nil || project.staged { throw ValidationError("'merge' writes to the work tree; drop '--at'/'--staged'") }
            if auto && !revisions.isEmpty { throw ValidationError("'--auto' takes no revisions") }
            if auto && revID != nil { throw ValidationError("'--auto' may write several files; drop '--rev-id'") }
        }

        func run() throws {
            let loaded = try project.load()
            let g = loaded.graph
            guard let config = loaded.config else {
                Output.error("'merge' needs the project's config (script_location, file_template); run it where alembic.ini is")
                throw Exit.couldNotRun
            }
            var groups: [[Int]] = []
            if auto {
                groups = g.headConflicts(maxHeads: project.maxHeads ?? config.maxHeads).compactMap { p in
                    let ids = p.revisions.compactMap { g.index[$0] }
                    return ids.count > 1 ? ids : nil
                }
                if groups.isEmpty {
                    Output.write("nothing to merge: no conflicting heads\n")
                    return
                }
            } else {
                var heads: [Int] = []
                do {
                    for r in revisions.isEmpty ? ["heads"] : revisions {
                        for i in try g.resolveRevisions(r) {
                            if heads.contains(i) {
                                Output.error("Duplicate head revisions specified ('\(g.id(i))')")
                                throw Exit.usage
                            }
                            heads.append(i)
                        }
                    }
                } catch let e as RevisionGraphError {
                    throw Output.fail(e)
                }
                if !splice, let notHead = heads.first(where: { !g.isHead($0) }) {
                    Output.error("Revision \(g.id(notHead)) is not a head revision; please specify --splice to create a new branch from this revision")
                    throw Exit.usage
                }
                groups = [heads]
            }
            let template = try loadTemplate(config)
            var rng = SystemRandomNumberGenerator()
            for heads in groups {
                let id = revID ?? RevisionFileName.newRevisionID(using: &rng)
                try write(id: id, heads: heads, graph: g, config: config, template: template)
            }
        }

        func loadTemplate(_ config: ProjectConfig) throws -> MakoTemplate {
            let path = config.scriptLocation.joiningPath("script.py.mako")
            if builtinTemplate { return try! MakoTemplate(BuiltinTemplate.generic) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                Output.error("cannot read '\(path)'; restore it, or pass --builtin-template to use Alembic's generic template")
                throw Exit.couldNotRun
            }
            do {
                return try MakoTemplate(text)
            } catch {
                Output.error("\(path):\(error.line): unsupported template construct \(error.construct); simplify the template, or pass --builtin-template")
                throw Exit.couldNotRun
            }
        }

        func write(id: String, heads: [Int], graph g: RevisionGraph, config: ProjectConfig, template: MakoTemplate) throws {
            if let bad = Revision.illegalCharacters(in: id) {
                Output.error("Character(s) '\(bad)' not allowed in revision identifier '\(id)'")
                throw Exit.usage
            }
            if id.isEmpty || id.contains("/") || id.contains("\\") || id == "." || id == ".." {
                Output.error("revision identifier '\(id)' cannot be used in a file name")
                throw Exit.usage
            }
            if g.index[id] != nil {
                Output.error("revision '\(id)' already exists; pass another --rev-id")
                throw Exit.usage
            }
            // Where the file goes: --version-path (must be a version location), the first head's directory, or the only location.
            let locations = project.versions.isEmpty ? config.versionLocations : project.versions
            let cwd = FileManager.default.currentDirectoryPath
            func absolute(_ p: String) -> String { normalizePath(p.hasPrefix("/") ? p : cwd.joiningPath(p)) }
            var dir: String
            if let versionPath {
                guard let match = locations.first(where: { absolute($0) == absolute(versionPath) }) else {
                    Output.error("Path \(versionPath) is not represented in current version locations (\(locations.joined(separator: ", ")))")
                    throw Exit.usage
                }
                dir = match
            } else if locations.count > 1 {
                guard let first = heads.first else {
                    Output.error("Multiple version locations present, please specify --version-path")
                    throw Exit.usage
                }
                dir = (g.revision(first).path as NSString).deletingLastPathComponent
            } else {
                dir = locations[0]
            }
            let createDate = try makeDate(config)
            let fileName: String
            do {
                fileName = try RevisionFileName.fileName(
                    template: config.fileTemplate, rev: id, message: message, date: createDate,
                    truncateLength: config.truncateSlugLength)
            } catch {
                Output.error(error.description)
                throw Exit.couldNotRun
            }
            let path = dir.joiningPath(fileName)
            // The name comes from the id, the slug (word characters only) and numbers, but check anyway.
            guard !fileName.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !fileName.hasPrefix("/") else {
                Output.error("file_template produced '\(fileName)', which leaves the versions directory")
                throw Exit.couldNotRun
            }
            let context: [String: PythonValue] = [
                "up_revision": .string(id),
                "down_revision": .revisions(heads.map { g.id($0) }),
                "branch_labels": branchLabel.map { .tuple([$0]) } ?? .none,
                "depends_on": .none,
                "create_date": .datetime(createDate.pythonString),
                "message": .string(message ?? "empty message"),
            ]
            let text: String
            do { text = try template.render(context, mainOptions: config.mainOptions) } catch {
                let path = builtinTemplate ? "built-in template" : config.scriptLocation.joiningPath("script.py.mako")
                Output.error("\(path):\(error.line): unsupported template construct \(error.construct); simplify the template, or pass --builtin-template")
                throw Exit.couldNotRun
            }
            if dryRun {
                Output.write("would write \(path)\n\(text)")
                return
            }
            do {
                try SafeFileWriter.createNew(absolute(path), contents: text)
            } catch {
                Output.error(error.description)
                throw Exit.couldNotRun
            }
            Output.write("  Generating \(absolute(path)) ...  done\n")
            if stage {
                do {
                    let repo = try GitRepository(discovering: cwd, ownerCheck: !project.noOwnerCheck)
                    let root = normalizePath(repo.workdir ?? "/nonexistent")
                    let abs = absolute(path)
                    guard abs.hasPrefix(root + "/") else {
                        Output.error("wrote '\(abs)' but cannot stage it: it is outside the repository's work tree")
                        throw Exit.couldNotRun
                    }
                    try repo.stage(String(abs.dropFirst(root.count + 1)))
                } catch let e as GitError {
                    Output.error("wrote the file but could not stage it: \(e)")
                    throw Exit.couldNotRun
                }
            }
        }

        func makeDate(_ config: ProjectConfig) throws -> RevisionFileName.Date {
            if let date {
                let parts = date.split(whereSeparator: { "- :.".contains($0) }).compactMap { Int($0) }
                guard parts.count >= 6 else {
                    Output.error("--date must look like 'YYYY-MM-DD HH:MM:SS[.ffffff]'")
                    throw Exit.usage
                }
                let micro = parts.count > 6 ? Int(String(date.split(separator: ".").last!).padding(toLength: 6, withPad: "0", startingAt: 0))! : 0
                var comps = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
                comps.timeZone = config.timezone.flatMap { TimeZone(identifier: $0) } ?? TimeZone.current
                let epoch = Int(Calendar(identifier: .gregorian).date(from: comps)?.timeIntervalSince1970 ?? 0)
                return RevisionFileName.Date(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                                             second: parts[5], microsecond: micro, utcOffset: offset(config), epoch: epoch)
            }
            let now = Date()
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone.current
            if let tz = config.timezone {
                guard let zone = TimeZone(identifier: tz) ?? TimeZone(identifier: tz.uppercased()) else {
                    Output.error("Can't locate timezone: \(tz)")
                    throw Exit.couldNotRun
                }
                cal.timeZone = zone
            }
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: now)
            return RevisionFileName.Date(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!,
                                         second: c.second!, microsecond: c.nanosecond! / 1000, utcOffset: offset(config),
                                         epoch: Int(now.timeIntervalSince1970))
        }

        func offset(_ config: ProjectConfig) -> String? {
            guard let tz = config.timezone, let zone = TimeZone(identifier: tz) ?? TimeZone(identifier: tz.uppercased()) else { return nil }
            let secs = zone.secondsFromGMT()
            let sign = secs < 0 ? "-" : "+"
            return "\(sign)\(String(format: "%02d:%02d", abs(secs) / 3600, abs(secs) % 3600 / 60))"
        }
    }
}
