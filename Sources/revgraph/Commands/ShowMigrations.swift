import ArgumentParser
import RevgraphCore
import RevgraphLedger
import RevgraphWorkspace

extension Revgraph {
    struct ShowMigrations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "showmigrations",
            abstract: "List a Django project's migrations, as 'manage.py showmigrations' does (read from the files, never imported).",
            discussion: "With --db (or $REVGRAPH_DATABASE_URL), applied migrations are marked from django_migrations, as Django marks them; otherwise every migration shows as unapplied ([ ]).")

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "App labels to show (default: all).") var appLabels: [String] = []
        @Flag(name: [.short, .customLong("plan")], help: "All migrations in the order they will be applied.") var plan = false
        @Flag(name: [.short, .customLong("list")], help: "Each app's migrations (the default).") var list = false
        @Option(name: [.short, .customLong("verbosity")], help: "2 adds each migration's dependencies to --plan.")
        var verbosity = 1
        @Option(help: "text or json.") var format: OutputFormat = .text
        @OptionGroup var database: DatabaseOptionGroup

        func run() throws {
            let workspace = project.workspace()
            let d = try project.loadDjango(workspace)
            Output.warn(d.problems)
            if d.graph.hasCycles { throw CLIError.problems }
            let unknown = appLabels.filter { !d.graph.apps.contains($0) }
            if !unknown.isEmpty {
                throw CLIError.couldNotRun(unknown.map { "No installed app with label '\($0)'." }.joined(separator: "\n"))
            }
            var f = DjangoFormat(project: d)
            if database.isExplicit {
                let (graph, recorded) = try DjangoLedger(target: try database.djangoTarget(), project: d, workspace: workspace).appliedGraph()
                f = DjangoFormat(project: d, graph: graph, recorded: recorded)
            }
            switch format {
            case .text:
                Output.write(plan ? f.plan(apps: appLabels, verbose: verbosity >= 2) : f.list(apps: appLabels))
            case .json:
                Output.json(DjangoJSON(d, command: "showmigrations", display: workspace.displayPath), command: "django")
            }
        }
    }
}
