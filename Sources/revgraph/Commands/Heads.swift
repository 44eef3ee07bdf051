import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension Revgraph {
    struct Heads: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "heads",
            abstract: "Show the current heads, as 'alembic heads' does.")

        @OptionGroup var project: ProjectOptionGroup
        @Flag(name: [.short, .long], help: "Verbose output.") var verbose = false
        @Flag(name: .customLong("resolve-dependencies"), help: "Treat depends_on as down revisions.")
        var resolveDependencies = false
        @Option(help: "text or json.") var format: OutputFormat = .text
        @Option(name: .customLong("merge-with"), help: "Show the heads that merging the checked commit (--at, default HEAD) with REF would give.")
        var mergeWith: String?

        func validate() throws {
            if mergeWith?.isEmpty == true { throw ValidationError("'--merge-with' needs a value; it was given an empty one") }
            if mergeWith != nil && project.staged {
                throw ValidationError("'--merge-with' merges commits; use it with '--at REV' (default HEAD), not '--staged'")
            }
        }

        func run() throws {
            try Self.run(project.options, verbose: verbose, resolveDependencies: resolveDependencies, format: format, mergeWith: mergeWith)
        }

        /// The command, from its values (ArgumentParser's or QuickArguments').
        static func run(_ project: ProjectOptionValues, verbose: Bool, resolveDependencies: Bool, format: OutputFormat, mergeWith: String?) throws {
            let loaded: LoadedProject
            if let mergeWith, try project.isDjango(project.workspace()) {
                let workspace = project.workspace()
                guard let merge = try DjangoProspectiveMerge.load(workspace, with: mergeWith) else {
                    throw CLIError.couldNotRun("no Django project at \(workspace.tipName)")
                }
                Output.stderr(merge.report())
                let d = workspace.forDisplay(merge.merged)
                Output.warn(d.problems)
                switch format {
                case .text: Output.write(DjangoFormat(project: d).heads(verbose: verbose, display: workspace.displayPath))
                case .json: Output.json(DjangoJSON(d, command: "heads", display: workspace.displayPath), command: "django")
                }
                return
            }
            if let mergeWith {
                let merge = try ProspectiveMerge.load(project.workspace(), with: mergeWith)
                Output.stderr(merge.report())
                loaded = merge.merged
                Output.warn(loaded.problems)
            } else {
                let workspace = project.workspace()
                switch try project.loadAny(workspace) {
                case .alembic(let l): loaded = l
                case .django(let d):
                    Output.warn(d.problems)
                    switch format {
                    case .text: Output.write(DjangoFormat(project: d).heads(verbose: verbose, display: workspace.displayPath))
                    case .json: Output.json(DjangoJSON(d, command: "heads", display: workspace.displayPath), command: "django")
                    }
                    return
                }
            }
            let g = loaded.graph
            try g.requireAcyclic()
            switch format {
            case .text:
                Output.write(AlembicFormat(graph: g).heads(verbose: verbose, resolveDependencies: resolveDependencies))
            case .json:
                Output.json(RevisionListJSON(g, resolveDependencies ? g.realHeads : g.heads, problems: loaded.problems, paths: project.workspace().displayPath), command: "heads")
            }
        }
    }
}
