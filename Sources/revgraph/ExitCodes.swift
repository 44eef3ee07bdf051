import ArgumentParser

/// revgraph's exit codes, documented in the README and pinned by end-to-end tests.
enum Exit {
    static let ok = ExitCode(0)
    /// `check` found problems.
    static let problems = ExitCode(1)
    /// Could not run: bad config, unreadable file, git error.
    static let couldNotRun = ExitCode(2)
    /// Usage error, including a revision argument that does not resolve.
    static let usage = ExitCode(64)
}
