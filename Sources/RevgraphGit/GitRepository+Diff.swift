import CLibGit2
import Glibc

/// One file that differs between two trees: its path (relative to the trees) and both blob ids.
public struct GitTreeChange: Sendable {
    public var path: String
    public var old: GitObjectID?
    public var new: GitObjectID?
}

extension GitRepository {
    /// The files (blobs) that differ between two trees (either may be nil for an empty tree),
    /// recursively, in path order. Subtrees with the same id are never opened, and entries are
    /// compared in place (names as C strings, ids as bytes): a directory of thousands of revision
    /// files that gained one costs one pass over its entries, with no diff machinery. Iterative.
    public func diffTrees(_ old: GitObjectID?, _ new: GitObjectID?) throws(GitError) -> [GitTreeChange] {
        var out: [GitTreeChange] = []
        var pending: [(old: GitObjectID?, new: GitObjectID?, prefix: String)] = [(old, new, "")]
        while let (a, b, prefix) = pending.popLast() {
            let ta = try lookupTree(a)
            defer { git_tree_free(ta) }
            let tb = try lookupTree(b)
            defer { git_tree_free(tb) }
            let na = ta.map { git_tree_entrycount($0) } ?? 0
            let nb = tb.map { git_tree_entrycount($0) } ?? 0
            var i = 0, j = 0
            // One side's entry alone: a file removed or added, or a whole directory.
            func alone(_ e: OpaquePointer, removed: Bool) {
                let name = prefix + String(cString: git_tree_entry_name(e))
                let id = GitObjectID(git_tree_entry_id(e)!.pointee)
                switch git_tree_entry_type(e) {
                case GIT_OBJECT_BLOB:
                    out.append(GitTreeChange(path: name, old: removed ? id : nil, new: removed ? nil : id))
                case GIT_OBJECT_TREE:
                    pending.append(removed ? (id, nil, name + "/") : (nil, id, name + "/"))
                default:
                    break  // a submodule holds no file of this repository
                }
            }
            while i < na || j < nb {
                let ea = i < na ? git_tree_entry_byindex(ta, i) : nil
                let eb = j < nb ? git_tree_entry_byindex(tb, j) : nil
                guard let ea else { alone(eb!, removed: false); j += 1; continue }
                guard let eb else { alone(ea, removed: true); i += 1; continue }
                let order = Self.treeOrder(ea, eb)
                if order < 0 { alone(ea, removed: true); i += 1; continue }
                if order > 0 { alone(eb, removed: false); j += 1; continue }
                i += 1
                j += 1
                if git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) == 1 { continue }
                let name = prefix + String(cString: git_tree_entry_name(ea))
                let idA = GitObjectID(git_tree_entry_id(ea)!.pointee), idB = GitObjectID(git_tree_entry_id(eb)!.pointee)
                switch (git_tree_entry_type(ea), git_tree_entry_type(eb)) {
                case (GIT_OBJECT_BLOB, GIT_OBJECT_BLOB): out.append(GitTreeChange(path: name, old: idA, new: idB))
                case (GIT_OBJECT_TREE, GIT_OBJECT_TREE): pending.append((idA, idB, name + "/"))
                default:  // a file replaced by a submodule, or the reverse
                    alone(ea, removed: true)
                    alone(eb, removed: false)
                }
            }
        }
        // Paths in byte order, as libgit2's diff lists them.
        return out.map { (Array($0.path.utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }

    /// A tree by id (bounded-read first when loose), or nil for none. The caller frees it.
    private func lookupTree(_ id: GitObjectID?) throws(GitError) -> OpaquePointer? {
        guard let id else { return nil }
        try verifyLoose(id)
        var oid = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
        return tree
    }

    /// Git's order of tree entries: names as bytes, a directory's name as if it ended in '/'.
    static func treeOrder(_ a: OpaquePointer, _ b: OpaquePointer) -> Int32 {
        let na = git_tree_entry_name(a)!, nb = git_tree_entry_name(b)!
        let la = strlen(na), lb = strlen(nb)
        let c = memcmp(na, nb, min(la, lb))
        if c != 0 { return c }
        func next(_ e: OpaquePointer, _ name: UnsafePointer<CChar>, _ length: Int, _ at: Int) -> UInt8 {
            if at < length { return UInt8(bitPattern: name[at]) }
            return git_tree_entry_type(e) == GIT_OBJECT_TREE ? UInt8(ascii: "/") : 0
        }
        let m = min(la, lb)
        return Int32(next(a, na, la, m)) - Int32(next(b, nb, lb, m))
    }
}
