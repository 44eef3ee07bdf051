/// How a revision of an older tree (a published ref, a release) stands in a newer one.
public struct RevisionChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case deleted, rewritten, edited }

    public var kind: Kind
    /// The revision id.
    public var revision: String
    /// Its file in the older tree.
    public var oldPath: String
    /// Its index in the newer graph (nil when deleted).
    public var newIndex: Int?
    public var oldChecksum: String?
    public var newChecksum: String?
    public var oldDownRevisions: [String]

    /// Every revision of `old` that `new` deleted, rewrote (other `down_revision`) or edited (other
    /// checksum), in `old`'s load order. The one diff behind `verify --published` and release checks.
    public static func between(old: RevisionGraph, oldChecksums: [String: String],
                               new: RevisionGraph, newChecksums: [String: String]) -> [RevisionChange]
    {
        var out: [RevisionChange] = []
        for r in old.revisions {
            var change = RevisionChange(kind: .deleted, revision: r.id, oldPath: r.path, newIndex: nil,
                                        oldChecksum: oldChecksums[r.id], newChecksum: nil, oldDownRevisions: r.downRevisions)
            guard let i = new.index[r.id] else { out.append(change); continue }
            change.newIndex = i
            change.newChecksum = newChecksums[r.id]
            if Set(new.revision(i).downRevisions) != Set(r.downRevisions) {
                change.kind = .rewritten
            } else if let a = change.oldChecksum, let b = change.newChecksum, a != b {
                change.kind = .edited
            } else {
                continue
            }
            out.append(change)
        }
        return out
    }

    /// `abcd deleted`, `abcd rewritten (down_revision)`, `abcd edited`.
    public var summary: String {
        switch kind {
        case .deleted: return "\(revision) deleted"
        case .rewritten: return "\(revision) rewritten (down_revision)"
        case .edited: return "\(revision) edited"
        }
    }
}
