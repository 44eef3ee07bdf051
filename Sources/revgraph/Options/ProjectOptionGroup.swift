import ArgumentParser
import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphWorkspace

/// Options every read command shares: where the project is and which tree to read.
struct ProjectOptionGroup: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "Alembic config file (alembic.ini or pyproject.toml); repeatable.")
    var config: [String] = []

    @Option(name: [.short, .customLong("name")], help: "Section of the ini file.")
    var name = "alembic"

    @Option(name: .customLong("versions"), help: "Read this versions directory with no config; repeatable.")
    var versions: [String] = []

    @Flag(name: .customLong("recursive"), help: "With --versions: read subdirectories too (recursive_version_locations).")
    var recursive = false

    @Option(name: .customLong("define"), help: ArgumentHelp(
        "NAME=VALUE: the value of a name migration files use but do not bind (as [revgraph] name.NAME); repeatable.",
        valueName: "name=value"))
    var define: [String] = []

    @Option(name: .customLong("project"), help: "One project of a repository that has several (its name in 'check --all-projects').")
    var project: String?

    @Flag(name: [.short, .customLong("quiet")], help: ArgumentHelp("Accepted for alembic compatibility; no effect.", visibility: .hidden))
    var quiet = false

    @Flag(name: .customLong("raiseerr"), help: ArgumentHelp("Accepted for alembic compatibility; no effect.", visibility: .hidden))
    var raiseerr = false

    @Option(name: .customShort("x"), help: ArgumentHelp("Refused: revgraph never runs env.py.", visibility: .hidden))
    var xArguments: [String] = []

    @Option(name: .customLong("at"), help: "Read the project at this git revision (sha, branch, tag, HEAD~3), with no checkout.")
    var at: String?

    @Flag(name: .customLong("staged"), help: "Read the project from the git index (what a commit would contain).")
    var staged = false

    @Option(name: .customLong("repo"), help: "The git repository (default: discovered from the current directory).")
    var repo: String?

    @Flag(name: .customLong("no-owner-check"), help: "Read a repository owned by another user.")
    var noOwnerCheck = false

    @Option(name: .customLong("max-heads"), help: "Allow up to N heads in total instead of one per branch.")
    var maxHeads: Int?

    @Flag(name: .customLong("django"), help: "Read the Django project (each app's migrations package); the default when the tree has no Alembic project and has a manage.py.")
    var django = false

    func validate() throws {
        if let message = options.validationMessage { throw ValidationError(message) }
    }

    /// The values, for the code that reads them (QuickArguments fills the same struct).
    var options: ProjectOptionValues {
        ProjectOptionValues(config: config, name: name, versions: versions, recursive: recursive, define: define,
                       project: project, xArguments: xArguments, at: at, staged: staged, repo: repo,
                       noOwnerCheck: noOwnerCheck, maxHeads: maxHeads, django: django)
    }

    /// The selection these options describe.
    var selection: ProjectSelection { options.selection }

    /// A workspace for the selection.
    func workspace() -> Workspace { options.workspace() }
    func loadWarning(_ workspace: Workspace? = nil) throws -> LoadedProject { try options.loadWarning(workspace) }
    func loadAny(_ workspace: Workspace, withChecksums: Bool = false) throws -> AnyProject {
        try options.loadAny(workspace, withChecksums: withChecksums)
    }
    func isDjango(_ workspace: Workspace) throws -> Bool { try options.isDjango(workspace) }
    func loadDjango(_ workspace: Workspace, withChecksums: Bool = false) throws -> DjangoProject {
        try options.loadDjango(workspace, withChecksums: withChecksums)
    }
}

/// `--format` for read commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
