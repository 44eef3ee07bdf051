import ArgumentParser
import Foundation
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
        if at != nil && staged { throw ValidationError("'--at' and '--staged' cannot be used together") }
        if let m = maxHeads, m < 1 { throw ValidationError("'--max-heads' must be at least 1") }
        if !xArguments.isEmpty {
            throw ValidationError("'-x' passes arguments to env.py, which revgraph never runs; give names their values with '--define NAME=VALUE'")
        }
        if django && (!config.isEmpty || !versions.isEmpty) {
            throw ValidationError("'--django' reads a Django project; '-c' and '--versions' are for Alembic projects")
        }
        if recursive && versions.isEmpty { throw ValidationError("'--recursive' goes with '--versions DIR'") }
        for d in define where !d.contains("=") || d.hasPrefix("=") {
            throw ValidationError("'--define' takes NAME=VALUE, got '\(d)'")
        }
    }

    /// The selection these options describe.
    var selection: ProjectSelection {
        var s = ProjectSelection(currentDirectory: FileManager.default.currentDirectoryPath)
        s.tree = staged ? .index : at.map { .commit($0) } ?? .workTree
        s.repository = repo
        s.configPaths = config
        s.section = name
        s.versionDirectories = versions
        s.maxHeads = maxHeads
        s.recursiveVersions = recursive
        s.projectName = project
        for d in define {
            let eq = d.firstIndex(of: "=")!
            s.definedNames[d[..<eq].lowercased()] = String(d[d.index(after: eq)...])
        }
        s.ownerCheck = !noOwnerCheck
        s.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
        return s
    }

    /// A workspace for the selection.
    func workspace() -> Workspace { Workspace(selection) }
}

/// `--format` for read commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension ProjectOptionGroup {
    /// The preamble of the read commands: load the selected tree and print its problems as warnings.
    func loadWarning(_ workspace: Workspace? = nil) throws -> LoadedProject {
        let w = workspace ?? self.workspace()
        let loaded = w.forDisplay(try w.load())
        ProcessLifetime.keep(loaded)
        Output.warn(loaded.problems)
        return loaded
    }
}

/// The project a read command works on.
enum AnyProject {
    case alembic(LoadedProject)
    case django(DjangoProject)
}

extension ProjectOptionGroup {
    /// Alembic, unless `--django`, or unless the tree has no Alembic project and has a Django one.
    /// - Parameter withChecksums: a Django project's file checksums too (the ledger).
    func loadAny(_ workspace: Workspace, withChecksums: Bool = false) throws -> AnyProject {
        if django { return .django(try loadDjango(workspace, withChecksums: withChecksums)) }
        do {
            return .alembic(try loadWarning(workspace))
        } catch let e as WorkspaceError {
            guard case .noConfig = e, config.isEmpty, versions.isEmpty, let d = try workspace.loadDjango(withChecksums: withChecksums) else { throw e }
            return .django(workspace.forDisplay(d))
        }
    }

    /// Whether the command works on a Django project: `--django`, or no Alembic project in the
    /// selected tree and a Django one.
    func isDjango(_ workspace: Workspace) throws -> Bool {
        if django { return true }
        guard config.isEmpty, versions.isEmpty, try workspace.loadIfPresent() == nil else { return false }
        return try workspace.loadDjango() != nil
    }

    /// The Django project, or an error (exit 2) when the tree has none.
    func loadDjango(_ workspace: Workspace, withChecksums: Bool = false) throws -> DjangoProject {
        guard let d = try workspace.loadDjango(withChecksums: withChecksums) else {
            throw CLIError.couldNotRun("no Django project in this tree (no manage.py, no [django] root in revgraph.toml)")
        }
        return workspace.forDisplay(d)
    }
}
