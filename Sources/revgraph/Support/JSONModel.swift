import RevgraphCore
import RevgraphWorkspace

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

    /// - Parameter paths: how a file's path is shown (``Workspace/displayPath(_:)``: relative to the repository root).
    init(_ g: RevisionGraph, _ i: Int, paths: (String) -> String) {
        let r = g.revision(i)
        revision = r.id
        down_revisions = r.downRevisions
        depends_on = r.dependencies
        branch_labels = g.sortedLabels(i)
        declared_branch_labels = r.branchLabels
        children = g.children[i].map { g.id($0) }
        path = paths(r.path)
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

    init(_ g: RevisionGraph, _ list: [Int], problems: [GraphProblem], paths: (String) -> String) {
        revisions = list.map { RevisionJSON(g, $0, paths: paths) }
        self.problems = problems.map(ProblemJSON.init)
    }
}

/// A release tag in `release list` JSON.
struct ReleaseJSON: Encodable {
    var tag: String, commit: String, time: String, heads: [String], revisionCount: Int, manifest: String
    var made_by_revgraph: Bool, trailers_match: Bool?, changed_since: [String]

    init(_ e: Releases.Entry) {
        tag = e.tag.name
        commit = e.tag.commit.hex
        time = rfc3339(e.tag.time)
        heads = e.pin.heads
        revisionCount = e.pin.revisionCount
        manifest = e.pin.manifest
        made_by_revgraph = e.madeByRevgraph
        trailers_match = e.trailersMatch
        changed_since = e.changedSince.map(\.summary)
    }
}

/// A release tag in `release show` JSON: its revisions, newest first.
struct ReleaseShowJSON: Encodable {
    var tag: String, commit: String, heads: [String], revisions: [String], manifest: String
    var made_by_revgraph: Bool, trailers_match: Bool?

    init(_ e: Releases.Entry) {
        (tag, commit, heads, revisions, manifest) = (e.tag.name, e.tag.commit.hex, e.pin.heads, e.order, e.pin.manifest)
        (made_by_revgraph, trailers_match) = (e.madeByRevgraph, e.trailersMatch)
    }
}
