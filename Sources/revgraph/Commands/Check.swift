import ArgumentParser
import RevgraphCore
import RevgraphHooks
import RevgraphWorkspace

extension Revgraph {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the graph: conflicting heads, duplicates, missing parents, cycles, unparseable files.",
            discussion: "Exits 1 when it finds an error (warnings alone exit 0).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, github, sarif, gitlab }

        @OptionGroup var project: ProjectOptionGroup
        @Option(help: "text, json, github (GitHub Actions annotations), sarif (SARIF 2.1.0, for code scanning) or gitlab (GitLab Code Quality report).")
        var format: Format = .text
        @Flag(name: .customLong("strict"), help: "Treat warnings as errors.") var strict = false
        @Option(name: .customLong("merge-with"), help: "Check the tree that merging the checked commit (--at, default HEAD) with REF would give.")
        var mergeWith: String?
        @Flag(name: .customLong("no-lint"), help: "With --merge-with: do not lint the incoming revisions.")
        var noLint = false

        @Flag(name: [.short, .long], help: "Also say what project discovery passed over, and why (a template's alembic.ini).")
        var verbose = false

        @Flag(name: .customLong("all-projects"), help: "Check every Alembic project of the repository (each config found at any depth, or revgraph.toml's list).")
        var allProjects = false

        struct Report: Encodable {
            var ok: Bool
            var project: String?
            var revisionCount: Int
            var heads: [String]
            var problems: [ProblemJSON]
            var merge: ProspectiveMerge.JSON?
            /// With --merge-with: lint findings of the incoming revisions.
            var lint: [LintJSON.Item]?
        }

        struct AllReport: Encodable {
            var ok: Bool
            var projects: [Report]
            /// Django projects of the repository (`--all-projects`).
            var djangoProjects: [DjangoJSON]?
        }

        func validate() throws {
            if mergeWith?.isEmpty == true { throw ValidationError("'--merge-with' needs a value; it was given an empty one") }
            if mergeWith != nil && project.staged {
                throw ValidationError("'--merge-with' merges commits; use it with '--at REV' (default HEAD), not '--staged'")
            }
            if allProjects && (project.project != nil || !project.config.isEmpty || !project.versions.isEmpty) {
                throw ValidationError("'--all-projects' checks them all; drop '--project', '-c' and '--versions'")
            }
        }

        /// One checked project: what it is, and the prospective merge it was checked in.
        struct Checked {
            var loaded: LoadedProject
            var merge: ProspectiveMerge?
            /// With --merge-with: lint findings of the incoming revisions.
            var lint: [LintFinding] = []
            /// Problems and lint findings, for the annotation and report formats.
            var allProblems: [GraphProblem] { loaded.problems + lint.map(\.asProblem) }
        }

        func run() throws {
            let workspace = project.workspace()
            defer { if verbose { for note in workspace.discoveryNotes { Output.stderr("revgraph: \(note)\n") } } }
            var preloaded: LoadedProject?
            if !allProjects {
                switch try djangoProject(workspace) {
                case .django(let d):
                    guard let mergeWith else { return try checkDjango(d, workspace) }
                    guard let merge = try DjangoProspectiveMerge.load(workspace, with: mergeWith) else {
                        throw CLIError.couldNotRun("no Django project at \(workspace.tipName)")
                    }
                    var merged = workspace.forDisplay(merge.merged)
                    merged.problems = merged.problems.map { p in
                        guard p.kind == .conflictingHeads, merge.newConflicts.contains(where: { $0.revisions == p.revisions }) else { return p }
                        var q = p
                        q.message = "merging \(merge.oursName) with \(mergeWith) gives an app several leaves: " + p.message
                        return q
                    }
                    if format == .text { Output.write(merge.report()) }
                    return try checkDjango(merged, workspace)
                case .alembic(let l): if mergeWith == nil { preloaded = l }
                case nil: break
                }
            }
            var checked: [Checked] = []
            let targets: [LoadedProject?] = allProjects ? try workspace.loadAll() : [nil]
            let django = allProjects && mergeWith == nil ? try workspace.loadDjangoForHook() : nil
            if allProjects && targets.isEmpty && django == nil {
                throw CLIError.couldNotRun("no Alembic or Django project in this tree (no alembic.ini, no pyproject.toml with [tool.alembic], no revgraph.toml, no manage.py)")
            }
            for target in targets {
                if let mergeWith {
                    let merge = try ProspectiveMerge.load(workspace, with: mergeWith, spec: target?.spec)
                    let theirs = Set(merge.added(by: merge.theirs, over: merge.ours).map { merge.theirs.graph.id($0) })
                    let (lint, unreadable) = noLint ? ([], []) : try merge.lintIncoming(paths: workspace.displayPath)
                    for u in unreadable { Output.stderr("\(u): warning: lint could not read the file, so it was not linted\n") }
                    checked.append(Checked(loaded: workspace.forDisplay(merge.merged, added: theirs), merge: merge, lint: lint))
                } else {
                    checked.append(Checked(loaded: workspace.forDisplay(try target ?? preloaded ?? workspace.load())))
                }
            }
            let djangoProblems = django?.problems ?? []
            let failing = checked.contains { c in c.allProblems.contains { $0.severity == .error || strict } }
                || djangoProblems.contains { $0.severity == .error || strict }
            switch format {
            case .text:
                var out = ""
                for c in checked {
                    if allProjects, checked.count > 1, !c.loaded.problems.isEmpty {
                        out += "project \(c.loaded.projectName ?? "."):\n"
                    }
                    if let merge = c.merge { out += merge.report() }
                    out += c.loaded.problems.map(Output.diagnostic).joined() + c.lint.map(\.text).joined()
                }
                if let django, !django.problems.isEmpty {
                    out += "project django \(django.name):\n" + django.problems.map(Output.diagnostic).joined()
                }
                if allProjects {
                    out += Hook.summary(checked.map { HookReport(summarizing: $0.loaded) } + (django.map { [HookReport(summarizing: $0)] } ?? [])) + "\n"
                } else if !failing, let loaded = checked.first?.loaded {
                    let heads = loaded.graph.heads.map { loaded.graph.id($0) }
                    out += "ok: \(loaded.graph.count) revisions, \(heads.count) head\(heads.count == 1 ? "" : "s")"
                        + (heads.isEmpty ? "" : " (\(heads.joined(separator: ", ")))") + "\n"
                }
                Output.write(out)
            case .json:
                let reports = checked.map { c in
                    Report(ok: !c.allProblems.contains { $0.severity == .error || strict },
                           project: c.loaded.projectName, revisionCount: c.loaded.graph.count,
                           heads: c.loaded.graph.heads.map { c.loaded.graph.id($0) },
                           problems: c.loaded.problems.map(ProblemJSON.init), merge: c.merge?.json,
                           lint: c.merge == nil ? nil : c.lint.map(LintJSON.Item.init))
                }
                if allProjects {
                    let d = django.map { [DjangoJSON($0, command: "check", display: workspace.displayPath)] }
                    Output.json(AllReport(ok: !failing, projects: reports, djangoProjects: d), command: "check")
                } else { Output.json(reports[0], command: "check") }
            case .github:
                Output.write((checked.flatMap(\.allProblems) + djangoProblems).map(Self.annotation).joined())
            case .sarif:
                Output.write(CodeScanning.sarif(checked.flatMap(\.allProblems) + djangoProblems, ruleIDs: { $0.kind == .lint ? $0.message.ruleID : nil }))
            case .gitlab:
                Output.write(CodeScanning.gitlab(checked.flatMap(\.allProblems) + djangoProblems))
            }
            if failing { throw CLIError.problems }
        }

        /// The Django project to check: with `--django`, or when the tree has no Alembic project.
        func djangoProject(_ workspace: Workspace) throws -> AnyProject? {
            if project.django { return .django(try project.loadDjango(workspace)) }
            guard project.config.isEmpty, project.versions.isEmpty else { return nil }
            do { return .alembic(try workspace.load()) } catch {
                guard case .noConfig = error, let d = try workspace.loadDjango() else { throw error }
                return .django(workspace.forDisplay(d))
            }
        }

        func checkDjango(_ d: DjangoProject, _ workspace: Workspace) throws {
            let failing = d.problems.contains { $0.severity == .error || strict }
            switch format {
            case .text:
                var out = d.problems.map(Output.diagnostic).joined()
                if !failing { out += DjangoFormat(project: d).summary }
                Output.write(out)
            case .json: Output.json(DjangoJSON(d, command: "check", display: workspace.displayPath), command: "django")
            case .github: Output.write(d.problems.map(Self.annotation).joined())
            case .sarif: Output.write(CodeScanning.sarif(d.problems, ruleIDs: { _ in nil }))
            case .gitlab: Output.write(CodeScanning.gitlab(d.problems))
            }
            if failing { throw CLIError.problems }
        }

        /// `::error file=…,line=…,title=…::message`, escaped as GitHub Actions wants.
        static func annotation(_ p: GraphProblem) -> String {
            func escapeData(_ s: String) -> String {
                s.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D")
                    .replacingAll("\n", with: "%0A")
            }
            func escapeProperty(_ s: String) -> String {
                escapeData(s).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
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
