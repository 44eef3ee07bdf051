/// Why an identifier, a range or a traversal could not be resolved. Messages say exactly why;
/// Alembic's CLI hides most of them behind "Can't locate revision identified by '…'".
public enum RevisionGraphError: Error, Equatable, Sendable, CustomStringConvertible {
    case multipleHeads(heads: [String], argument: String)
    case noSuchRevision(String)
    case ambiguousPrefix(String, candidates: [String])
    case noSuchBranch(String)
    case notMemberOfBranch(revision: String, branch: String)
    case rangeNotAncestor(lower: String, upper: String)
    case overlappingTargets(revision: String, others: [String])
    case relativeDidNotProduce(relative: String, count: Int)
    case walkedTooFar
    case ambiguousWalk
    case ambiguousUpgrade
    case badRange(String)
    case cycle([String])

    public var description: String {
        switch self {
        case .multipleHeads(let heads, let argument):
            return "multiple heads are present for '\(argument)': \(heads.joined(separator: ", "))"
        case .noSuchRevision(let id):
            let hint = id.count < 4
                ? "; please ensure at least four characters are present for partial revision identifier matches" : ""
            return "no such revision or branch '\(id)'\(hint)"
        case .ambiguousPrefix(let id, let candidates):
            let shown = candidates.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            return "multiple revisions start with '\(id)': \(shown)\(candidates.count > 3 ? ", ..." : "")"
        case .noSuchBranch(let b): return "no such branch: '\(b)'"
        case .notMemberOfBranch(let r, let b): return "revision \(r) is not a member of branch '\(b)'"
        case .rangeNotAncestor(let lower, let upper):
            return "requested range \(lower):\(upper) does not refer to ancestor/descendant revisions along the same branch"
        case .overlappingTargets(let r, let others):
            return "requested revision \(r) overlaps with other requested revisions \(others.joined(separator: ", "))"
        case .relativeDidNotProduce(let rel, let n): return "relative revision \(rel) didn't produce \(n) migrations"
        case .walkedTooFar: return "walked too far"
        case .ambiguousWalk: return "ambiguous walk"
        case .ambiguousUpgrade: return "ambiguous upgrade from multiple current revisions"
        case .badRange(let r): return "history range '\(r)' requires [start]:[end], [start]:, or :[end]"
        case .cycle(let ids): return "cycle is detected in revisions (\(ids.joined(separator: ", ")))"
        }
    }

    /// What to do about it, for the command line.
    public var advice: String? {
        switch self {
        case .multipleHeads(_, let argument):
            let label = argument.contains("@") ? argument : "<branchname>@\(argument)"
            return "specify a specific target revision, '\(label)' to narrow to a specific head, or 'heads' for all heads"
        case .ambiguousPrefix: return "give more characters of the revision id"
        case .noSuchRevision: return "run 'revgraph heads' or 'revgraph history' to list the revisions"
        case .cycle: return "run 'revgraph check' to see the files involved"
        default: return nil
        }
    }
}
