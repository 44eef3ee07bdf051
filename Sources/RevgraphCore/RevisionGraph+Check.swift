extension RevisionGraph {
    /// Groups of versioned heads that belong to the same branch: heads that share a branch label,
    /// or carry none. A group of two or more is a conflict (`alembic upgrade head` would fail).
    public func headGroups() -> [[Int]] {
        var groups: [[Int]] = []
        var groupLabels: [Set<String>] = []
        for h in heads {
            let ls = labels[h]
            let match = groups.indices.first { g in
                ls.isEmpty ? groupLabels[g].isEmpty : !groupLabels[g].isDisjoint(with: ls)
            }
            if let g = match {
                groups[g].append(h)
                groupLabels[g].formUnion(ls)
            } else {
                groups.append([h])
                groupLabels.append(ls)
            }
        }
        return groups
    }

    /// Conflicting heads, as problems with the merge command that fixes them.
    /// - Parameter maxHeads: when set, the policy is "at most this many heads in total" instead of one per branch.
    public func headConflicts(maxHeads: Int? = nil) -> [GraphProblem] {
        func problem(_ group: [Int], _ why: String) -> GraphProblem {
            let ids = group.map { id($0) }
            let first = group[0]
            return GraphProblem(
                kind: .conflictingHeads, path: revisions[first].path, line: revisions[first].line, revisions: ids,
                message: "\(why): \(ids.joined(separator: ", ")); 'alembic upgrade head' will fail",
                fix: "revgraph merge -m \"merge heads\" \(ids.joined(separator: " ")) "
                    + "(or: alembic merge -m \"merge heads\" \(ids.joined(separator: " ")))")
        }
        if let maxHeads {
            return heads.count > maxHeads ? [problem(heads, "\(heads.count) heads, more than the \(maxHeads) allowed")] : []
        }
        return headGroups().filter { $0.count > 1 }.map { group in
            let ls = group.flatMap { labels[$0] }
            let branch = ls.isEmpty ? "the unlabelled branch" : "branch '\(Set(ls).sorted().joined(separator: "', '"))'"
            return problem(group, "multiple heads in \(branch)")
        }
    }

    /// Long ids break `alembic_version.version_num VARCHAR(32)` on strict databases.
    public func identifierWarnings() -> [GraphProblem] {
        // No more than 32 UTF-8 bytes is no more than 32 characters: most ids are never counted.
        revisions.filter { $0.id.utf8.count > 32 && $0.id.count > 32 }.map { r in
            GraphProblem(
                kind: .longIdentifier, severity: .warning, path: r.path, line: r.line, revisions: [r.id],
                message: "revision id '\(r.id)' is \(r.id.count) characters; alembic_version.version_num holds 32",
                fix: "use a shorter revision id")
        }
    }
}
