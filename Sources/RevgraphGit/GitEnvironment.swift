import Glibc

/// The variables git hands a hook or a command run under `git --git-dir/--work-tree`, resolved
/// as git resolves them: relative paths against the current directory (a hook runs at the work
/// tree's root with `GIT_INDEX_FILE=.git/index`, `GIT_WORK_TREE=.`).
public struct GitEnvironment: Sendable, Equatable {
    public var gitDirectory: String?
    public var workTree: String?
    public var indexFile: String?
    /// `GIT_CEILING_DIRECTORIES`, as libgit2 takes it (colon-separated).
    public var ceilingDirectories: String?
    public var currentDirectory: String

    public init(gitDirectory: String? = nil, workTree: String? = nil, indexFile: String? = nil,
                ceilingDirectories: String? = nil, currentDirectory: String)
    {
        func resolve(_ p: String?) -> String? {
            guard let p, !p.isEmpty else { return nil }
            if p.hasPrefix("/") { return p }
            return p == "." ? currentDirectory : (currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/") + p
        }
        self.currentDirectory = currentDirectory
        self.gitDirectory = resolve(gitDirectory)
        self.workTree = resolve(workTree)
        self.indexFile = resolve(indexFile)
        self.ceilingDirectories = ceilingDirectories.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// This process's environment.
    public static var current: GitEnvironment {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "/"
        return GitEnvironment(gitDirectory: variable("GIT_DIR"), workTree: variable("GIT_WORK_TREE"),
                              indexFile: variable("GIT_INDEX_FILE"),
                              ceilingDirectories: variable("GIT_CEILING_DIRECTORIES"), currentDirectory: cwd)
    }
}
