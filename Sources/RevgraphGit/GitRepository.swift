import CLibGit2
import Glibc

/// An open git repository. Owns the `git_repository` handle and frees it in `deinit`.
public final class GitRepository {
    private let raw: OpaquePointer

    /// The working directory, or nil for a bare repository.
    public let workdir: String?
    /// The git directory (`.git`, or the worktree's git dir).
    public let gitdir: String
    /// The ids of loose objects, by their first byte, for the `objects/xx` directories listed so far.
    var looseObjects = [Set<GitObjectID>?](repeating: nil, count: 256)

    /// The index file the repository's staged reads use: `$GIT_INDEX_FILE` when set (as git hands
    /// it to hooks: `git commit -a` and `git commit PATH` name a temporary index), else `<git dir>/index`.
    public let indexPath: String

    /// Opens the repository containing `path` (searching upwards, as git does; worktrees included).
    /// `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE` and `GIT_CEILING_DIRECTORIES` are honoured as
    /// git honours them (``GitEnvironment``); libgit2 1.5's own reading of them refuses
    /// `GIT_WORK_TREE` and reads the index at open, which fails on a sparse index.
    /// - Parameter ownerCheck: false turns off libgit2's safe.directory ownership check.
    public init(discovering path: String, ownerCheck: Bool = true, environment: GitEnvironment = .current)
        throws(GitError)
    {
        LibGit2.ensure()
        // libgit2 1.5 ignores `safe.directory = *`, which git honours: honour it here.
        if !ownerCheck || Self.trustsEveryDirectory() { _ = revgraph_git_set_owner_validation(0) }
        var repo: OpaquePointer?
        if let dir = environment.gitDirectory {
            try check(git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                      "git_repository_open_ext")
        } else {
            try check(git_repository_open_ext(&repo, path, 0, environment.ceilingDirectories), "git_repository_open_ext")
        }
        raw = repo!
        // git: GIT_WORK_TREE, else core.worktree, else (GIT_DIR set) the current directory; a bare
        // repository has none. libgit2 derives the parent of `.git`, which is the same in a hook.
        if let tree = environment.workTree ?? (environment.gitDirectory != nil && git_repository_is_bare(raw) == 0
                                                 && git_repository_is_worktree(raw) == 0 && Self.configured(raw, "core.worktree") == nil
                                                 ? environment.currentDirectory : nil) {
            try check(git_repository_set_workdir(raw, tree, 0), "git_repository_set_workdir")
        }
        workdir = git_repository_workdir(raw).map { String(cString: $0) }
        gitdir = String(cString: git_repository_path(raw))
        indexPath = environment.indexFile ?? (gitdir.hasSuffix("/") ? gitdir : gitdir + "/") + "index"
    }

    /// A config value of a repository being opened.
    private static func configured(_ repo: OpaquePointer, _ name: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, repo) == 0 else { return nil }
        defer { git_config_free(config) }
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        guard git_config_get_string_buf(&buf, config, name) == 0 else { return nil }
        return String(cString: buf.ptr)
    }

    deinit { git_repository_free(raw) }

    /// Whether the user's or the system's git config has `safe.directory = *`.
    static func trustsEveryDirectory() -> Bool {
        var config: OpaquePointer?
        guard git_config_open_default(&config) == 0 else { return false }
        defer { git_config_free(config) }
        var found: Int32 = 0
        _ = git_config_get_multivar_foreach(config, "safe.directory", nil, { entry, payload in
            if let value = entry?.pointee.value, String(cString: value) == "*" {
                payload?.assumingMemoryBound(to: Int32.self).pointee = 1
            }
            return 0
        }, &found)
        return found == 1
    }

    public var isShallow: Bool { git_repository_is_shallow(raw) == 1 }

    /// Whether the repository has no commit yet (HEAD names an unborn branch).
    public var isEmpty: Bool { git_repository_head_unborn(raw) == 1 }

    /// Resolves any revision expression libgit2 understands (sha, branch, tag, `HEAD~3`) to a commit.
    public func commit(_ spec: String) throws(GitError) -> GitObjectID {
        if let target = directTarget(spec) { try verifyLoose(target) }
        var obj: OpaquePointer?
        try check(git_revparse_single(&obj, raw, spec), "git_revparse_single")
        defer { git_object_free(obj) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, obj, GIT_OBJECT_COMMIT), "git_object_peel")
        defer { git_object_free(commit) }
        return GitObjectID(git_object_id(commit)!.pointee)
    }

    /// The object a reference name (as `git_reference_dwim` finds it) or a full hex id names,
    /// found without reading any object.
    func directTarget(_ spec: String) -> GitObjectID? {
        var ref: OpaquePointer?
        if git_reference_dwim(&ref, raw, spec) == 0 {
            defer { git_reference_free(ref) }
            var resolved: OpaquePointer?
            guard git_reference_resolve(&resolved, ref) == 0 else { return nil }
            defer { git_reference_free(resolved) }
            return git_reference_target(resolved).map { GitObjectID($0.pointee) }
        }
        var oid = git_oid()
        guard spec.utf8.count == 40, git_oid_fromstr(&oid, spec) == 0 else { return nil }
        return GitObjectID(oid)
    }

    /// The tree of a commit. Nothing is read until a file or directory is asked for.
    public func tree(ofCommit id: GitObjectID) throws(GitError) -> GitTree {
        try verifyLoose(id)
        var oid = id.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, raw, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        if let treeID = git_commit_tree_id(commit) { try verifyLoose(GitObjectID(treeID.pointee)) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commit), "git_commit_tree")
        return GitTree(owning: tree!, repository: self)
    }

    /// A tree by its id.
    public func tree(id: GitObjectID) throws(GitError) -> GitTree {
        try verifyLoose(id)
        var oid = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, raw, &oid), "git_tree_lookup")
        return GitTree(owning: tree!, repository: self)
    }

    /// The index's stage-0 entries: files in the index's order (paths sorted as bytes, or without
    /// case under core.ignorecase), and the paths of submodules (gitlinks). Read from
    /// ``indexPath`` by ``GitIndexFile``; a sparse index's directories are expanded from their trees.
    public func stagedEntries() throws(GitError) -> (files: [GitFile], submodules: Set<String>) {
        let index = try GitIndexFile.read(indexPath)
        var files: [GitFile] = []
        files.reserveCapacity(index.entries.count)
        var submodules = Set<String>()
        for e in index.entries where e.stage == 0 && !e.isIntentToAdd {
            if e.isGitlink {
                submodules.insert(e.path)
            } else if e.isSparseDirectory {
                try expandTree(e.id, prefix: e.path.hasSuffix("/") ? e.path : e.path + "/", files: &files, submodules: &submodules)
            } else {
                files.append(GitFile(path: e.path, blob: e.id))
            }
        }
        return (files, submodules)
    }

    /// The files and gitlinks under a tree, depth first in the tree's order, without recursion.
    func expandTree(_ id: GitObjectID, prefix: String, files: inout [GitFile], submodules: inout Set<String>)
        throws(GitError)
    {
        var pending: [(GitObjectID, String)] = [(id, prefix)]
        while let (treeID, base) = pending.popLast() {
            try verifyLoose(treeID)
            var oid = treeID.raw
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, raw, &oid), "git_tree_lookup")
            defer { git_tree_free(tree) }
            var directories: [(GitObjectID, String)] = []
            for i in 0..<git_tree_entrycount(tree) {
                guard let e = git_tree_entry_byindex(tree, i) else { continue }
                let path = base + String(cString: git_tree_entry_name(e))
                let entryID = GitObjectID(git_tree_entry_id(e)!.pointee)
                switch git_tree_entry_type(e) {
                case GIT_OBJECT_BLOB: files.append(GitFile(path: path, blob: entryID))
                case GIT_OBJECT_TREE: directories.append((entryID, path + "/"))
                case GIT_OBJECT_COMMIT: submodules.insert(path)
                default: break
                }
            }
            pending += directories.reversed()
        }
    }

    var handle: OpaquePointer { raw }

    /// The contents of a blob.
    public func blob(_ id: GitObjectID) throws(GitError) -> [UInt8] {
        if isLoose(id), let loose = try LooseObject.read(id, objectsDirectory: objectsDirectory) {
            guard loose.type == "blob" else {
                throw GitError(function: "git_blob_lookup", code: -3, message: "object \(id.hex) is a \(loose.type), not a blob")
            }
            return loose.content
        }
        var oid = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, raw, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let p = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: size))
    }
}

@available(*, unavailable)
extension GitRepository: Sendable {}

extension GitRepository {
    /// Adds a work-tree file to the index (`git add PATH`), path relative to the work tree.
    public func stage(_ path: String) throws(GitError) {
        var index: OpaquePointer?
        // The index git names (GIT_INDEX_FILE), as the staged reads use.
        try check(git_index_open(&index, indexPath), "git_index_open")
        defer { git_index_free(index) }
        try check(git_repository_set_index(handle, index), "git_repository_set_index")
        try check(git_index_read(index, 1), "git_index_read")
        try check(git_index_add_bypath(index, path), "git_index_add_bypath")
        try check(git_index_write(index), "git_index_write")
    }
}

extension GitRepository {
    /// The version of the libgit2 this binary runs with (`1.5.1`).
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        _ = git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
