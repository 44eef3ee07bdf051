import ArgumentParser

@main
struct Revgraph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revgraph",
        abstract: "Reads and checks the Alembic revision graph and Django's migration graph without executing migration code.",
        discussion: """
            A Django project (found from manage.py when the tree has no Alembic project, or named with \
            --django) is read by heads, history, show, check, graph, merge, log, record, verify, release \
            and the hooks, and by showmigrations.

            Exit codes: 0 all good; 1 problems found (check, verify, hooks); 2 could not run (bad config, \
            unreadable file, git or database error); 64 usage error (bad option or revision argument).
            """,
        // The full text (library versions: libpq loaded to ask it) is printed by main, not built at
        // every start; this one is what --help knows.
        version: BuildInfo.version,
        subcommands: [Heads.self, Branches.self, History.self, Show.self, Check.self, Graph.self, Merge.self, Log.self,
                      Lint.self, ShowMigrations.self, Current.self, Status.self, Record.self, Verify.self, Hooks.self, Hook.self, Release.self])

    /// The subcommand `arguments` name, parsed on its own, when that succeeds. Parsing from the
    /// root first reflects over the root's declarations and tries its completion-script commands
    /// (about 3 M instructions, under a millisecond here); a subcommand parsed directly skips that. Anything it does not
    /// parse cleanly (help, a usage error, a group such as `hooks`) is parsed from the root, so
    /// every message and exit code is the root's.
    static func direct(_ arguments: [String]) -> ParsableCommand? {
        guard let name = arguments.first, !name.hasPrefix("-"), !GlobalOptions.groups.contains(name),
              let type = configuration.subcommands.first(where: { $0.configuration.commandName == name })
        else { return nil }
        return try? type.parse(Array(arguments.dropFirst()))
    }

    /// Parses, runs, and reports a failure once: every error reaches this one place.
    static func main() {
        if CommandLine.arguments.dropFirst().first == "--version" {
            print(BuildInfo.text)
            return
        }
        do {
            let arguments = GlobalOptions.reorder(Array(CommandLine.arguments.dropFirst()))
            if try QuickArguments.run(arguments) { return }
            var command = try direct(arguments) ?? parseAsRoot(arguments)
            try command.run()
        } catch {
            guard let failure = CLIError.from(error) else { exit(withError: error) }
            if let message = failure.message { Output.error(message) }
            exit(withError: ExitCode(failure.code))
        }
    }
}
