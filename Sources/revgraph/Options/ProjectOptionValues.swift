import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphWorkspace

/// The project options' values as a plain struct: what the commands read, whichever parser filled
/// it (`ProjectOptionGroup` through ArgumentParser, or `QuickArguments`).
struct ProjectOptionValues: Equatable {
    var config: [String] = []
    var name = "alembic"
    var versions: [String] = []
    var recursive = false
    var define: [String] = []
    var project: String?
    var xArguments: [String] = []
    var at: String?
    var staged = false
    var repo: String?
    var noOwnerCheck = false
    var maxHeads: Int?
    var django = false

    /// Why these values cannot be used together, in ArgumentParser's validation words, or nil.
    var validationMessage: String? {
        // An empty value (`--at ""`) is never a silent default.
        let values: [(String, [String])] = [("-c/--config", config), ("-n/--name", [name]), ("--versions", versions),
                                            ("--project", project.map { [$0] } ?? []), ("--at", at.map { [$0] } ?? []),
                                            ("--repo", repo.map { [$0] } ?? [])]
        for (option, given) in values where given.contains("") { return "'\(option)' needs a value; it was given an empty one" }
        if at != nil && staged { return "'--at' and '--staged' cannot be used together" }
        if let m = maxHeads, m < 1 { return "'--max-heads' must be at least 1" }
        if !xArguments.isEmpty {
            return "'-x' passes arguments to env.py, which revgraph never runs; give names their values with '--define NAME=VALUE'"
        }
        if django && (!config.isEmpty || !versions.isEmpty) {
            return "'--django' reads a Django project; '-c' and '--versions' are for Alembic projects"
        }
        if recursive && versions.isEmpty { return "'--recursive' goes with '--versions DIR'" }
        for d in define where !d.contains("=") || d.hasPrefix("=") {
            return "'--define' takes NAME=VALUE, got '\(d)'"
        }
        return nil
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
        s.djangoRequested = django
        s.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
        return s
    }

    /// A workspace for the selection.
    func workspace() -> Workspace { Workspace(selection) }

    /// The preamble of the read commands: load the selected tree and print its problems as warnings.
    func loadWarning(_ workspace: Workspace? = nil) throws -> LoadedProject {
        let w = workspace ?? self.workspace()
        let loaded = w.forDisplay(try w.load())
        ProcessLifetime.keep(loaded)
        Output.warn(loaded.problems)
        return loaded
    }

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

/// The project a read command works on.
enum AnyProject {
    case alembic(LoadedProject)
    case django(DjangoProject)
}
