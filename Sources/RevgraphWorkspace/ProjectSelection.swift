/// Which project the user means and which tree to read it from: the value every command builds
/// from its options (`--at`, `--staged`, `--repo`, `-c`, `-n`, `--versions`, `--max-heads`).
public struct ProjectSelection: Sendable, Equatable {
    /// The tree to read.
    public enum Tree: Sendable, Equatable {
        case workTree
        /// The git index: what a commit would contain.
        case index
        /// A commit, as the user named it (sha, branch, tag, `HEAD~3`).
        case commit(String)
    }

    public var tree: Tree = .workTree
    /// `--repo`: the repository (and, for the work tree, the directory paths start from).
    public var repository: String?
    /// `-c/--config`.
    public var configPaths: [String] = []
    /// `-n/--name`: the ini section.
    public var section = "alembic"
    /// `--versions DIR`: read these directories with no config.
    public var versionDirectories: [String] = []
    /// `--recursive`: the `--versions` directories' subdirectories too.
    public var recursiveVersions = false
    /// `--define NAME=VALUE`: values for names migration files use but do not bind.
    public var definedNames: [String: String] = [:]
    /// `--project NAME`: one of the repository's projects (see ``ProjectSpec``).
    public var projectName: String?
    /// `--max-heads N`.
    public var maxHeads: Int?
    /// `--django`: the user says the tree is a Django project, so any `manage.py` roots one
    /// (found by itself, only Django's `manage.py` with Django migrations under it does).
    public var djangoRequested = false
    /// False turns off libgit2's ownership check (`--no-owner-check`).
    public var ownerCheck = true
    /// `$ALEMBIC_CONFIG`, used when no `-c` is given.
    public var environmentConfig: String?
    /// The absolute directory the command runs in.
    public var currentDirectory: String

    public init(currentDirectory: String) {
        self.currentDirectory = normalizePath(currentDirectory)
    }

    /// The commit spec `--at` gave, if any.
    public var commitSpec: String? {
        if case .commit(let spec) = tree { return spec }
        return nil
    }

    /// Whether the tree is read from git's object database.
    public var readsGit: Bool { tree != .workTree }

    /// The same selection, reading another tree.
    public func reading(_ tree: Tree) -> ProjectSelection {
        var copy = self
        copy.tree = tree
        return copy
    }

    /// `path` made absolute against the current directory.
    public func absolute(_ path: String) -> String {
        normalizePath(path.hasPrefix("/") ? path : currentDirectory.joiningPath(path))
    }

    /// The directory work-tree paths are relative to: `--repo` when given, else the current directory.
    public var baseDirectory: String { repository.map(absolute) ?? currentDirectory }
}
