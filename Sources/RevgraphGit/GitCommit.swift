import CLibGit2

/// What revgraph needs of a commit, copied out of libgit2.
public struct GitCommitInfo: Sendable, Hashable {
    public var id: GitObjectID
    public var parents: [GitObjectID]
    public var summary: String
    public var authorName: String
    public var authorEmail: String
    /// Author time, seconds since the epoch.
    public var time: Int64
    /// Author time zone offset in minutes.
    public var offsetMinutes: Int32

    public var isMerge: Bool { parents.count > 1 }
}

extension GitRepository {
    /// Reads a commit's metadata.
    public func commitInfo(_ id: GitObjectID) throws(GitError) -> GitCommitInfo {
        try verifyLoose(id)
        var oid = id.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        var parents: [GitObjectID] = []
        for i in 0..<git_commit_parentcount(commit) {
            if let p = git_commit_parent_id(commit, i) { parents.append(GitObjectID(p.pointee)) }
        }
        let author = git_commit_author(commit)!.pointee
        return GitCommitInfo(
            id: id, parents: parents,
            summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
            authorName: author.name.map { String(cString: $0) } ?? "",
            authorEmail: author.email.map { String(cString: $0) } ?? "",
            time: author.when.time, offsetMinutes: author.when.offset)
    }

    /// Commits reachable from `tip` and not from `hide`, oldest first.
    /// - Parameter firstParent: follow only first parents (the mainline, as `git log --first-parent`).
    public func commits(from tip: GitObjectID, hiding hide: GitObjectID? = nil, firstParent: Bool) throws(GitError)
        -> [GitObjectID]
    {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, handle), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        // A first-parent line is already in order; sorting it would only cost a preliminary walk.
        // A shallow clone cannot be sorted (the walk would reach its missing parents first).
        let shallow = isShallow
        if !firstParent && !shallow {
            try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        }
        if firstParent { try check(git_revwalk_simplify_first_parent(walk), "git_revwalk_simplify_first_parent") }
        var t = tip.raw
        try check(git_revwalk_push(walk, &t), "git_revwalk_push")
        if var h = hide?.raw { try check(git_revwalk_hide(walk, &h), "git_revwalk_hide") }
        var out: [GitObjectID] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            if shallow && rc == GIT_ENOTFOUND.rawValue { break }  // the history stops at the clone's depth
            try check(rc, "git_revwalk_next")
            out.append(GitObjectID(oid))
        }
        return out.reversed()
    }

    /// The first-parent line from `tip` to the root, oldest first, with each commit's tree id:
    /// one commit read per step (a revwalk would parse every commit twice). Stops at a shallow
    /// clone's cut-off.
    public func firstParentLine(from tip: GitObjectID) throws(GitError) -> [(commit: GitObjectID, tree: GitObjectID)] {
        var out: [(commit: GitObjectID, tree: GitObjectID)] = []
        var next: GitObjectID? = tip
        while let id = next {
            try verifyLoose(id)
            var oid = id.raw
            var commit: OpaquePointer?
            let rc = git_commit_lookup(&commit, handle, &oid)
            if rc == GIT_ENOTFOUND.rawValue && isShallow { break }
            try check(rc, "git_commit_lookup")
            out.append((id, GitObjectID(git_commit_tree_id(commit)!.pointee)))
            next = git_commit_parentcount(commit) > 0 ? git_commit_parent_id(commit, 0).map { GitObjectID($0.pointee) } : nil
            git_commit_free(commit)
        }
        return out.reversed()
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    public func mergeBase(_ a: GitObjectID, _ b: GitObjectID) throws(GitError) -> GitObjectID? {
        var out = git_oid()
        var x = a.raw, y = b.raw
        let rc = git_merge_base(&out, handle, &x, &y)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_merge_base")
        return GitObjectID(out)
    }

    /// Whether `commit` descends from `ancestor` (a commit is not its own descendant).
    public func isDescendant(_ commit: GitObjectID, of ancestor: GitObjectID) -> Bool {
        var c = commit.raw, a = ancestor.raw
        return git_graph_descendant_of(handle, &c, &a) == 1
    }

    /// The result of merging two commits' trees in memory, as `git merge` would (no work tree touched).
    public struct MergedTree: Sendable {
        /// Cleanly merged files (stage 0).
        public var files: [String: GitObjectID]
        /// Paths with a textual conflict, and the side versions (ancestor, ours, theirs) where they exist.
        public var conflicts: [String: [GitObjectID?]]
        public var base: GitObjectID?
    }

    public func mergeTrees(ours: GitObjectID, theirs: GitObjectID) throws(GitError) -> MergedTree {
        let base = try mergeBase(ours, theirs)
        func treeOf(_ c: GitObjectID?) throws(GitError) -> OpaquePointer? {
            guard let c else { return nil }
            try verifyLoose(c)
            var oid = c.raw
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
            defer { git_commit_free(commit) }
            var tree: OpaquePointer?
            try check(git_commit_tree(&tree, commit), "git_commit_tree")
            return tree
        }
        let baseTree = try treeOf(base)
        defer { git_tree_free(baseTree) }
        let ourTree = try treeOf(ours)
        defer { git_tree_free(ourTree) }
        let theirTree = try treeOf(theirs)
        defer { git_tree_free(theirTree) }
        var index: OpaquePointer?
        try check(git_merge_trees(&index, handle, baseTree, ourTree, theirTree, nil), "git_merge_trees")
        defer { git_index_free(index) }
        var files: [String: GitObjectID] = [:]
        var conflicts: [String: [GitObjectID?]] = [:]
        for i in 0..<git_index_entrycount(index) {
            guard let e = git_index_get_byindex(index, i) else { continue }
            let path = String(cString: e.pointee.path)
            let stage = Int((Int32(e.pointee.flags) & 0x3000) >> 12)
            if stage == 0 {
                files[path] = GitObjectID(e.pointee.id)
            } else {
                var sides = conflicts[path] ?? [nil, nil, nil]
                sides[stage - 1] = GitObjectID(e.pointee.id)
                conflicts[path] = sides
            }
        }
        return MergedTree(files: files, conflicts: conflicts, base: base)
    }
}
