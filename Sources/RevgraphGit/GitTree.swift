import CLibGit2

/// A file found in a git tree: its repository-relative path and blob id.
public struct GitFile: Sendable, Hashable {
    public var path: String
    public var blob: GitObjectID

    public init(path: String, blob: GitObjectID) {
        self.path = path
        self.blob = blob
    }
}

/// One commit's tree. Owns the `git_tree` handle and frees it in `deinit`.
public final class GitTree {
    private let raw: OpaquePointer
    private let repository: GitRepository

    init(owning raw: OpaquePointer, repository: GitRepository) {
        self.raw = raw
        self.repository = repository
    }

    deinit { git_tree_free(raw) }

    /// Checks, through the bounded loose-object reader, every tree libgit2 will read to reach
    /// `path` (the directories on the way, and the last component when `includingLast`).
    private func verifyTrees(to path: String, includingLast: Bool) throws(GitError) {
        var parts = path.split(separator: "/")
        if !includingLast { parts = parts.dropLast() }
        var tree: OpaquePointer = raw
        var opened: [OpaquePointer] = []
        defer { for t in opened { git_tree_free(t) } }
        for part in parts {
            guard let e = git_tree_entry_byname(tree, String(part)), git_tree_entry_type(e) == GIT_OBJECT_TREE else { return }
            var oid = git_tree_entry_id(e)!.pointee
            try repository.verifyLoose(GitObjectID(oid))
            var sub: OpaquePointer?
            try check(git_tree_lookup(&sub, repository.handle, &oid), "git_tree_lookup")
            opened.append(sub!)
            tree = sub!
        }
    }

    /// The blob id at `path`, or nil when there is no file there.
    public func blobID(_ path: String) throws(GitError) -> GitObjectID? {
        try verifyTrees(to: path, includingLast: false)
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, raw, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return GitObjectID(git_tree_entry_id(entry)!.pointee)
    }

    /// The object id at `path` (a file or a directory), or nil. Reads no object.
    public func entryID(_ path: String) throws(GitError) -> GitObjectID? {
        if path.isEmpty { return GitObjectID(git_tree_id(raw)!.pointee) }
        try verifyTrees(to: path, includingLast: false)
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, raw, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return GitObjectID(git_tree_entry_id(entry)!.pointee)
    }

    /// The id of a top-level entry (one name, no `/`), or nil. A binary search in this tree only.
    public func topLevelID(_ name: String) -> GitObjectID? {
        guard let e = git_tree_entry_byname(raw, name) else { return nil }
        return GitObjectID(git_tree_entry_id(e)!.pointee)
    }

    /// Whether `path` is a submodule (a gitlink: its files live in another repository).
    public func isSubmodule(_ path: String) throws(GitError) -> Bool {
        try verifyTrees(to: path, includingLast: false)
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, raw, path)
        if rc == GIT_ENOTFOUND.rawValue { return false }
        try check(rc, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return git_tree_entry_type(entry) == GIT_OBJECT_COMMIT
    }

    /// The contents of the file at `path`, or nil.
    public func read(_ path: String) throws(GitError) -> [UInt8]? {
        guard let id = try blobID(path) else { return nil }
        return try repository.blob(id)
    }

    /// The files under `directory` ("" for the root), or nil when it is not a directory.
    /// Directories are walked in git's order only when `recursive`.
    public func files(in directory: String, recursive: Bool) throws(GitError) -> [GitFile]? {
        var sub: OpaquePointer?
        var owned = false
        if directory.isEmpty {
            sub = raw
        } else {
            try verifyTrees(to: directory, includingLast: true)
            var entry: OpaquePointer?
            let rc = git_tree_entry_bypath(&entry, raw, directory)
            if rc == GIT_ENOTFOUND.rawValue { return nil }
            try check(rc, "git_tree_entry_bypath")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return nil }
            try check(git_tree_lookup(&sub, repository.handle, git_tree_entry_id(entry)), "git_tree_lookup")
            owned = true
        }
        defer { if owned { git_tree_free(sub) } }
        var out: [GitFile] = []
        try collect(sub!, prefix: directory.isEmpty ? "" : directory + "/", recursive: recursive, into: &out)
        return out
    }

    /// Files anywhere in the tree whose name `matches`, not entering directories named in `skipping`
    /// (nor submodules). Iterative; paths in git's order of each directory.
    public func find(skipping: Set<String>, matching: (String) -> Bool) throws(GitError) -> [GitFile] {
        var out: [GitFile] = []
        var pending: [(id: GitObjectID?, prefix: String)] = [(nil, "")]
        while let (id, prefix) = pending.popLast() {
            var tree: OpaquePointer? = raw
            var owned = false
            if let id {
                try repository.verifyLoose(id)
                var oid = id.raw
                try check(git_tree_lookup(&tree, repository.handle, &oid), "git_tree_lookup")
                owned = true
            }
            defer { if owned { git_tree_free(tree) } }
            var subdirectories: [(GitObjectID, String)] = []
            for i in 0..<git_tree_entrycount(tree) {
                guard let e = git_tree_entry_byindex(tree, i) else { continue }
                let name = String(cString: git_tree_entry_name(e))
                let type = git_tree_entry_type(e)
                if type == GIT_OBJECT_BLOB, matching(name) {
                    out.append(GitFile(path: prefix + name, blob: GitObjectID(git_tree_entry_id(e)!.pointee)))
                } else if type == GIT_OBJECT_TREE, !skipping.contains(name) {
                    subdirectories.append((GitObjectID(git_tree_entry_id(e)!.pointee), prefix + name + "/"))
                }
            }
            pending.append(contentsOf: subdirectories.reversed().map { ($0.0, $0.1) })
        }
        return out
    }

    private func collect(_ tree: OpaquePointer, prefix: String, recursive: Bool, into out: inout [GitFile])
        throws(GitError)
    {
        for i in 0..<git_tree_entrycount(tree) {
            guard let e = git_tree_entry_byindex(tree, i) else { continue }
            let name = String(cString: git_tree_entry_name(e))
            let type = git_tree_entry_type(e)
            if type == GIT_OBJECT_BLOB {
                out.append(GitFile(path: prefix + name, blob: GitObjectID(git_tree_entry_id(e)!.pointee)))
            } else if type == GIT_OBJECT_TREE, recursive {
                var child: OpaquePointer?
                try repository.verifyLoose(GitObjectID(git_tree_entry_id(e)!.pointee))
                try check(git_tree_lookup(&child, repository.handle, git_tree_entry_id(e)), "git_tree_lookup")
                defer { git_tree_free(child) }
                try collect(child!, prefix: prefix + name + "/", recursive: true, into: &out)
            }
        }
    }
}

@available(*, unavailable)
extension GitTree: Sendable {}
