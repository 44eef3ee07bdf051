import RevgraphCore

/// Builds a graph from specs like `"c<b1,b2"`, `"x<a&dep"` (depends_on), `"a[label]"` (branch label).
func graph(_ specs: String...) -> RevisionGraph {
    RevisionGraph(revisions: specs.map(revision))
}

func revision(_ spec: String) -> Revision {
    var s = Substring(spec)
    var deps: [String] = []
    var labels: [String] = []
    if let amp = s.firstIndex(of: "&") {
        deps = s[s.index(after: amp)...].split(separator: ",").map(String.init)
        s = s[..<amp]
    }
    var parents: [String] = []
    if let lt = s.firstIndex(of: "<") {
        parents = s[s.index(after: lt)...].split(separator: ",").map(String.init)
        s = s[..<lt]
    }
    if let open = s.firstIndex(of: "["), s.hasSuffix("]") {
        labels = s[s.index(after: open)..<s.index(before: s.endIndex)].split(separator: ",").map(String.init)
        s = s[..<open]
    }
    return Revision(
        id: String(s), downRevisions: parents, dependencies: deps, branchLabels: labels,
        path: "versions/\(s).py", longdoc: "doc \(s)")
}

extension RevisionGraph {
    func ids(_ list: [Int]) -> [String] { list.map { id($0) } }
    func history(_ lower: String?, _ upper: String?) throws -> [String] { ids(try history(lower: lower, upper: upper)) }
}

/// Every revision comes before its parents and dependencies (newest first).
func respectsPartialOrder(_ g: RevisionGraph, _ order: [String]) -> Bool {
    let pos = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    for r in g.revisions {
        guard let p = pos[r.id] else { continue }
        for d in r.downRevisions + r.dependencies { if let q = pos[d], q < p { return false } }
    }
    return true
}
