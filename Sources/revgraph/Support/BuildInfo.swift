import RevgraphDatabase
import RevgraphGit

/// What `--version` prints: the version, the commit it was built from, the C libraries it runs with.
enum BuildInfo {
    /// The project's version; `scripts/package.sh` reads it from here for the tarball, the wheel and the tag.
    static let version = "0.3.0"

    /// `revgraph 0.3.0 (commit 1a2b3c4d5e6f)` and the library versions, one per line.
    static var text: String {
        let commit = BuildCommit.id.map { "commit \($0)" } ?? "commit unknown (not built by scripts/package.sh)"
        return """
            revgraph \(version) (\(commit))
            libgit2 \(GitRepository.libraryVersion), libpq \(ClientLibraries.libpq), SQLite \(ClientLibraries.sqlite)
            """
    }
}
