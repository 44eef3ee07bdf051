/// The git hooks revgraph installs.
public enum HookName: String, Sendable, CaseIterable, Comparable {
    case preCommit = "pre-commit"
    /// Run by a `git merge` that records its commit itself (no conflict, no `--no-commit`), on the
    /// index that merge is about to commit; a merge finished by `git commit` runs pre-commit.
    case preMergeCommit = "pre-merge-commit"
    case prePush = "pre-push"
    case postMerge = "post-merge"

    public static func < (a: HookName, b: HookName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Whether the hook can stop git (post-merge runs after the fact).
    public var canBlock: Bool { self != .postMerge }

    /// The git option that skips it.
    public var bypass: String {
        switch self {
        case .prePush: return "git push --no-verify"
        case .preMergeCommit: return "git merge --no-verify"
        default: return "git commit --no-verify"
        }
    }
}
