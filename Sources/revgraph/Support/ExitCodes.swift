/// revgraph's exit codes, documented in the README and pinned by end-to-end tests.
enum Exit {
    static let ok: Int32 = 0
    /// A check found problems.
    static let problems: Int32 = 1
    /// Could not run: bad config, unreadable file, git or database error.
    static let couldNotRun: Int32 = 2
    /// Usage error, including a revision argument that does not resolve.
    static let usage: Int32 = 64
}
