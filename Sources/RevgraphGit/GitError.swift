import CLibGit2

/// A libgit2 failure: the function that failed, its code, and libgit2's message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public var function: String
    public var code: Int32
    public var message: String

    public init(function: String, code: Int32, message: String) {
        self.function = function
        self.code = code
        self.message = message
    }

    /// libgit2 refused a repository owned by another user.
    public var isOwnership: Bool {
        message.contains("safe.directory") || message.contains("not owned by current user")
    }

    /// The repository uses SHA-256 object ids, which libgit2 1.5 cannot read.
    public var isUnsupportedObjectFormat: Bool { message.contains("objectformat") }

    public var description: String {
        var text = "\(function) failed: \(message)"
        if isOwnership {
            text += " (the repository belongs to another user; run as its owner, or add it with"
                + " 'git config --global --add safe.directory <path>')"
        }
        if message.contains("objectformat") {
            text += " (SHA-256 repositories are not supported by libgit2 1.5)"
        } else if message.contains("unsupported extension name") {
            text += " (this repository turns on a git extension revgraph's libgit2 1.5 does not read; 'git config --get-regexp ^extensions' lists them: check with 'git' itself, or bypass this once with --no-verify)"
        } else if message.contains("unsupported mandatory extension") {
            text += " (revgraph reads this index itself but libgit2 cannot write it: a sparse or split index; stage the file with 'git add')"
        }
        return text
    }
}

/// Throws a ``GitError`` for a negative libgit2 return code, reading `git_error_last()` at once.
@inline(__always)
func check(_ code: Int32, _ function: StaticString) throws(GitError) {
    guard code < 0 else { return }
    var message = "error \(code)"
    if let e = git_error_last(), let m = e.pointee.message { message = String(cString: m) }
    throw GitError(function: "\(function)", code: code, message: message)
}

/// Runs `git_libgit2_init` once, lazily: only commands that touch git pay for it.
enum LibGit2 {
    static let initialized: Int32 = {
        let rc = git_libgit2_init()
        _ = revgraph_git_set_tree_cache_limit(16 << 20)
        // Objects are read as git reads them, without a SHA-1 of each against its id: libgit2's
        // check was a quarter of a history walk and most of a merge base on a long branch. zlib's
        // checksum still catches corrupt data, and truncated loose objects are caught before
        // libgit2 reads them (LooseObject).
        _ = revgraph_git_set_strict_hash_verification(0)
        return rc
    }()
    static func ensure() { _ = initialized }
}
