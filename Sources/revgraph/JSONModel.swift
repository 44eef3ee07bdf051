import RevgraphCore

/// One revision in `--format json` output. The schema is documented in the README.
struct RevisionJSON: Encodable {
    var revision: String
    var down_revisions: [String]
    var depends_on: [String]
    var branch_labels: [String]
    var declared_branch_labels: [String]
    var children: [String]
    var path: String
    var line: Int
    var doc: String
    var is_head: Bool
    var is_effective_head: Bool
    var is_base: Bool
    var is_branch_point: Bool
    var is_merge_point: Bool

    init(_ g: RevisionGraph, _ i: Int) {
        let r = g.revision(i)
        revision = r.id
        down_revisions = r.downRevisions
        depends_on = r.dependencies
        branch_labels = g.sortedLabels(i)
        declared_branch_labels = r.branchLabels
        children = g.children[i].map { g.id($0) }
        path = r.path
        line = r.line
        doc = r.doc
        is_head = g.isRealHead(i)
        is_effective_head = g.isEffectiveHead(i)
        is_base = g.isBase(i)
        is_branch_point = g.isBranchPoint(i)
        is_merge_point = g.isMergePoint(i)
    }
}

struct ProblemJSON: Encodable {
    var kind: String
    var severity: String
    var path: String?
    var line: Int?
    var revisions: [String]
    var message: String
    var fix: String?

    init(_ p: GraphProblem) {
        kind = p.kind.rawValue
        severity = p.severity.rawValue
        path = p.path
        line = p.line
        revisions = p.revisions
        message = p.message
        fix = p.fix
    }
}

struct RevisionListJSON: Encodable {
    var revisions: [RevisionJSON]
    var problems: [ProblemJSON]

    init(_ g: RevisionGraph, _ list: [Int], problems: [GraphProblem]) {
        revisions = list.map { RevisionJSON(g, $0) }
        self.problems = problems.map(ProblemJSON.init)
    }
}
