import CLibGit2

/// A tag as revgraph reads it.
public struct GitTagInfo: Sendable {
    public var name: String
    /// The commit the tag points at (peeled).
    public var commit: GitObjectID
    /// False for a lightweight tag.
    public var annotated: Bool
    public var message: String?
    public var taggerName: String?
    /// Tagger time for an annotated tag, else the commit's time (seconds since the epoch).
    public var time: Int64
}

extension GitRepository {
    /// Tag names matching a glob (`v*`), as `git tag -l` gives them.
    public func tagNames(matching pattern: String) throws(GitError) -> [String] {
        var names = git_strarray()
        try check(git_tag_list_match(&names, pattern, handle), "git_tag_list_match")
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }

    public func tag(_ name: String) throws(GitError) -> GitTagInfo {
        var obj: OpaquePointer?
        try check(git_revparse_single(&obj, handle, "refs/tags/" + name), "git_revparse_single")
        defer { git_object_free(obj) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, obj, GIT_OBJECT_COMMIT), "git_object_peel")
        defer { git_object_free(commit) }
        let commitID = GitObjectID(git_object_id(commit)!.pointee)
        if git_object_type(obj) == GIT_OBJECT_TAG {
            let tagger = git_tag_tagger(obj)?.pointee
            return GitTagInfo(
                name: name, commit: commitID, annotated: true,
                message: git_tag_message(obj).map { String(cString: $0) },
                taggerName: tagger?.name.map { String(cString: $0) },
                time: tagger?.when.time ?? 0)
        }
        return GitTagInfo(name: name, commit: commitID, annotated: false, message: nil, taggerName: nil,
                          time: try commitInfo(commitID).time)
    }

    /// Creates an annotated tag on `commit`, tagger from git config. Never moves an existing tag.
    public func createAnnotatedTag(_ name: String, commit: GitObjectID, message: String) throws(GitError) {
        var oid = commit.raw
        var target: OpaquePointer?
        try check(git_object_lookup(&target, handle, &oid, GIT_OBJECT_COMMIT), "git_object_lookup")
        defer { git_object_free(target) }
        var signature: UnsafeMutablePointer<git_signature>?
        let rc = git_signature_default(&signature, handle)
        if rc < 0 {
            throw GitError(function: "git_signature_default", code: rc,
                           message: "no tagger identity: set user.name and user.email (git config)")
        }
        defer { git_signature_free(signature) }
        var out = git_oid()
        try check(git_tag_create(&out, handle, name, target, signature, message, 0), "git_tag_create")
    }
}
