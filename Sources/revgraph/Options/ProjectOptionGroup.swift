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

    func validate() throws {
        if at != nil && staged { throw ValidationError("'--at' and '--staged' cannot be used together") }
        if let m = maxHeads, m < 1 { throw ValidationError("'--max-heads' must be at least 1") }
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
        s.ownerCheck = !noOwnerCheck
        s.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
        return s
    }

    /// A workspace for the selection.
    /// - Parameter readsGit: the command also reads commits (keep the parse cache between runs).
    func workspace(readsGit: Bool = false) -> Workspace { Workspace(selection, readsGit: readsGit) }
}

/// `--format` for read commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension ProjectOptionGroup {
    /// The preamble of the read commands: load the selected tree and print its problems as warnings.
    func loadWarning(_ workspace: Workspace? = nil) throws -> LoadedProject {
        let loaded = try (workspace ?? self.workspace()).load()
        Output.warn(loaded.problems)
        return loaded
    }
}
