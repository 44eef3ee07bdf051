import CLibGit2
import Glibc

extension GitRepository {
    /// The common git directory (shared by all worktrees), where `hooks/` lives by default.
    public var commonDirectory: String { String(cString: git_repository_commondir(handle)) }

    /// A config value (`core.hooksPath`), or nil when unset.
    public func configString(_ name: String) throws(GitError) -> String? {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, handle), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        let rc = git_config_get_string_buf(&buf, config, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_config_get_string_buf")
        return String(cString: buf.ptr)
    }

    /// The directory git runs hooks from: `core.hooksPath` (relative to the work tree root, or to
    /// the git directory of a bare repository) or `<common git dir>/hooks`.
    public func hooksDirectory() throws(GitError) -> String {
        if let configured = try configString("core.hooksPath") {
            var path = configured
            if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst(1) }
            if path.hasPrefix("/") { return path }
            let base = workdir ?? gitdir
            return (base.hasSuffix("/") ? base : base + "/") + path
        }
        let common = commonDirectory
        return (common.hasSuffix("/") ? common : common + "/") + "hooks"
    }

    /// The full name of the branch HEAD points at (`refs/heads/main`), or nil when detached or unborn.
    public func currentBranch() -> String? {
        var ref: OpaquePointer?
        guard git_repository_head(&ref, handle) == 0 else { return nil }
        defer { git_reference_free(ref) }
        guard git_reference_is_branch(ref) == 1 else { return nil }
        return String(cString: git_reference_name(ref))
    }

    /// The upstream of a local branch (`refs/remotes/origin/main`), or nil.
    public func upstream(of branch: String) -> String? {
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        guard git_branch_upstream_name(&buf, handle, branch) == 0 else { return nil }
        return String(cString: buf.ptr)
    }

    /// Where a symbolic reference points (`refs/remotes/origin/HEAD` -> `refs/remotes/origin/main`), or nil.
    public func symbolicTarget(_ name: String) -> String? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, handle, name) == 0 else { return nil }
        defer { git_reference_free(ref) }
        return git_reference_symbolic_target(ref).map { String(cString: $0) }
    }

    /// Whether a reference exists (`refs/remotes/origin/main`).
    public func hasReference(_ name: String) -> Bool {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, handle, name) == 0 else { return false }
        git_reference_free(ref)
        return true
    }

    /// When the reference last moved, from its reflog (seconds since the epoch), or nil without one.
    public func lastUpdate(of name: String) -> Int64? {
        var log: OpaquePointer?
        guard git_reflog_read(&log, handle, name) == 0 else { return nil }
        defer { git_reflog_free(log) }
        guard git_reflog_entrycount(log) > 0, let entry = git_reflog_entry_byindex(log, 0),
              let who = git_reflog_entry_committer(entry)
        else { return nil }
        return Int64(who.pointee.when.time)
    }

    /// Whether an object exists (a remote sha the local repository may not have).
    public func hasCommit(_ hex: String) -> Bool {
        (try? commit(hex)) != nil
    }
}
