import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
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

    /// Loader options; `baseDirectory` is the current directory's place in `repository`, when given.
    func options(repository: GitRepository?) -> ProjectOptions {
        var options = ProjectOptions()
        options.configPaths = config
        options.section = name
        options.versionDirectories = versions
        options.maxHeads = maxHeads
        options.environmentConfig = ProcessInfo.processInfo.environment["ALEMBIC_CONFIG"]
        if let workdir = repository?.workdir, repo == nil {
            // Default discovery starts from the current directory's place in the repository.
            let root = normalizePath(workdir)
            let here = normalizePath(FileManager.default.currentDirectoryPath)
            if here.hasPrefix(root + "/") { options.baseDirectory = String(here.dropFirst(root.count + 1)) }
        }
        return options
    }

    /// Opens the repository (`--repo`, or discovered from the current directory).
    func openRepository() throws -> GitRepository {
        do {
            return try GitRepository(discovering: repo ?? FileManager.default.currentDirectoryPath, ownerCheck: !noOwnerCheck)
        } catch {
            throw fail(.git(error))
        }
    }

    /// The commit `--at` names (default HEAD).
    func commit(_ repository: GitRepository, _ spec: String? = nil) throws -> GitObjectID {
        do { return try repository.commit(spec ?? at ?? "HEAD") } catch { throw fail(.git(error)) }
    }

    /// Loads the project from the tree the options name, or prints why not and exits 2.
    /// The parse cache: for reads from git (`readsGit`, or `--at`/`--staged`), kept in the
    /// repository's git directory between runs.
    func makeCache(readsGit: Bool = false) -> ParseCache {
        guard readsGit || at != nil || staged,
              let file = ParseCache.defaultFile(from: repo ?? FileManager.default.currentDirectoryPath)
        else { return ParseCache() }
        return ParseCache(persistentAt: file)
    }

    func load(cache given: ParseCache? = nil) throws -> LoadedProject {
        try load(cache: given, nilWithoutConfig: false)!
    }

    /// Loads the project; with `nilWithoutConfig`, a tree with no Alembic config gives nil
    /// instead of an error (a git hook in a repository that has no migrations passes).
    func load(cache given: ParseCache?, nilWithoutConfig: Bool) throws -> LoadedProject? {
        let cache = given ?? makeCache()
        if at != nil || staged {
            let repository = try openRepository()
            let kind: GitSourceTree.Kind = staged ? .index : .commit(try commit(repository), spec: at!)
            return try load(GitSourceTreeOrFail(repository, kind), options: options(repository: repository), cache: cache,
                            nilWithoutConfig: nilWithoutConfig)
        }
        if let repo { _ = FileManager.default.changeCurrentDirectoryPath(repo) }
        return try load(FileSystemTree(), options: options(repository: nil), cache: cache, nilWithoutConfig: nilWithoutConfig)
    }

    func GitSourceTreeOrFail(_ repository: GitRepository, _ kind: GitSourceTree.Kind) throws -> GitSourceTree {
        do { return try GitSourceTree(repository: repository, kind: kind) } catch { throw fail(error) }
    }

    func load(_ tree: SourceTree, options: ProjectOptions, cache: ParseCache) throws -> LoadedProject {
        try load(tree, options: options, cache: cache, nilWithoutConfig: false)!
    }

    func load(_ tree: SourceTree, options: ProjectOptions, cache: ParseCache, nilWithoutConfig: Bool) throws -> LoadedProject? {
        do {
            let loaded = try ProjectLoader(options: options, cache: cache).load(from: tree)
            cache.save()
            return loaded
        } catch {
            if nilWithoutConfig, case .noConfig = error { return nil }
            throw fail(error)
        }
    }

    func fail(_ error: WorkspaceError) -> ExitCode {
        Output.error(error.description)
        return Exit.couldNotRun
    }
}

/// `--format` for read commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
