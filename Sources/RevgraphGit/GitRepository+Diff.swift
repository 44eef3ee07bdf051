import CLibGit2

/// One file that differs between two trees: its path (relative to the trees) and both blob ids.
public struct GitTreeChange: Sendable {
    public var path: String
    public var old: GitObjectID?
    public var new: GitObjectID?
}

extension GitRepository {
    /// The files that differ between two trees (either may be nil for an empty tree), recursively.
    public func diffTrees(_ old: GitObjectID?, _ new: GitObjectID?) throws(GitError) -> [GitTreeChange] {
        func lookup(_ id: GitObjectID?) throws(GitError) -> OpaquePointer? {
            guard let id else { return nil }
            try verifyLoose(id)
            var oid = id.raw
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
            return tree
        }
        let a = try lookup(old)
        defer { git_tree_free(a) }
        let b = try lookup(new)
        defer { git_tree_free(b) }
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, handle, a, b, nil), "git_diff_tree_to_tree")
        defer { git_diff_free(diff) }
        var out: [GitTreeChange] = []
        for i in 0..<git_diff_num_deltas(diff) {
            guard let d = git_diff_get_delta(diff, i)?.pointee else { continue }
            let zero = withUnsafePointer(to: d.old_file.id) { git_oid_is_zero($0) } == 1
            let newZero = withUnsafePointer(to: d.new_file.id) { git_oid_is_zero($0) } == 1
            let path = String(cString: (newZero ? d.old_file.path : d.new_file.path)!)
            out.append(GitTreeChange(path: path, old: zero ? nil : GitObjectID(d.old_file.id),
                                     new: newZero ? nil : GitObjectID(d.new_file.id)))
        }
        return out
    }
}
