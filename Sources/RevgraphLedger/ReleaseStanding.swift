import RevgraphCore

/// Where a database stands against a release.
public enum ReleaseStanding: Sendable, Equatable {
    /// Exactly at the release's heads.
    case at(heads: [String])
    /// Behind: every database head is in the release; these revisions are pending, in upgrade order.
    case behind(pending: [String])
    /// Ahead: everything in the release is applied, and these too.
    case ahead(extra: [String])
    /// Off: the database has heads the release does not know.
    case off(heads: [String], unknown: [String])

    /// Compares the database's heads with the release's graph (and the checked tree's, to tell ahead from off).
    public init(databaseHeads heads: [String], release tg: RevisionGraph, checked g: RevisionGraph) {
        let tagHeads = tg.realHeads.map { tg.id($0) }
        if Set(heads) == Set(tagHeads) { self = .at(heads: tagHeads); return }
        if heads.allSatisfy({ tg.index[$0] != nil }) {
            let applied = Set(tg.applied(heads: heads.compactMap { tg.index[$0] }).map { tg.id($0) })
            let order = ((try? tg.history()) ?? Array(0..<tg.count)).reversed().map { tg.id($0) }
            self = .behind(pending: order.filter { !applied.contains($0) })
            return
        }
        let tagAll = Set(tg.revisions.map(\.id))
        if heads.allSatisfy({ g.index[$0] != nil }) {
            let applied = Set(g.applied(heads: heads.compactMap { g.index[$0] }).map { g.id($0) })
            if tagAll.isSubset(of: applied) {
                self = .ahead(extra: applied.subtracting(tagAll).sorted())
                return
            }
        }
        self = .off(heads: heads, unknown: heads.filter { tg.index[$0] == nil })
    }

    /// `at`, `behind`, `ahead` or `off`.
    public var name: String {
        switch self {
        case .at: return "at"
        case .behind: return "behind"
        case .ahead: return "ahead"
        case .off: return "off"
        }
    }

    /// One line naming the database (masked) and the release.
    public func text(database: String, release tag: String) -> String {
        func list(_ ids: [String]) -> String { ids.map(\.displaySafe).joined(separator: ", ") }
        switch self {
        case .at(let heads): return "\(database) is exactly at release \(tag) (\(heads.joined(separator: ", ")))"
        case .behind(let p): return "\(database) is behind release \(tag): pending \(p.joined(separator: ", "))"
        case .ahead(let e): return "\(database) is ahead of release \(tag): also applied \(e.joined(separator: ", "))"
        case .off(let h, let u):
            return "\(database) is off release \(tag): database heads \(list(h)); not in the release: \(list(u))"
        }
    }
}
