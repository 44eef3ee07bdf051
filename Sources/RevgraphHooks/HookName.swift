/// The git hooks revgraph installs.
public enum HookName: String, Sendable, CaseIterable, Comparable {
    case preCommit = "pre-commit"
    case prePush = "pre-push"
    case postMerge = "post-merge"

    public static func < (a: HookName, b: HookName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Whether the hook can stop git (post-merge runs after the fact).
    public var canBlock: Bool { self != .postMerge }

    /// The git option that skips it.
    public var bypass: String { self == .prePush ? "git push --no-verify" : "git commit --no-verify" }
}
