/// A problem found in the migration files or the graph: reported, never crashed on.
public struct GraphProblem: Sendable, Equatable, Hashable {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public enum Kind: String, Sendable, Codable {
        case parseError = "parse-error"
        case nonLiteralValue = "non-literal-value"
        case missingRevision = "missing-revision"
        case illegalIdentifier = "illegal-identifier"
        case duplicateRevision = "duplicate-revision"
        case missingParent = "missing-parent"
        case missingDependency = "missing-dependency"
        case cycle = "cycle"
        case dependencyCycle = "dependency-cycle"
        case branchLabelCollision = "branch-label-collision"
        case conflictingHeads = "conflicting-heads"
        case longIdentifier = "long-identifier"
        case mergeConflict = "merge-conflict"
        /// A lint finding carried as a problem (hooks, annotations); its rule leads the message.
        case lint = "lint"
        /// A version location with no revision file whose subdirectories hold Python files (a
        /// layout chosen in code, or `recursive_version_locations` not set): never a bare "ok".
        case emptyVersionLocation = "empty-version-location"
    }

    public var kind: Kind
    public var severity: Severity
    /// The file the problem is in, when it is in one file.
    public var path: String?
    /// 1-based line in `path`, when known.
    public var line: Int?
    /// The revisions involved (sorted or in graph order, always deterministic).
    public var revisions: [String]
    /// What is wrong, naming the revision and the file.
    public var message: String
    /// How to fix it.
    public var fix: String?

    public init(
        kind: Kind, severity: Severity = .error, path: String? = nil, line: Int? = nil,
        revisions: [String] = [], message: String, fix: String? = nil
    ) {
        self.kind = kind
        self.severity = severity
        self.path = path
        self.line = line
        self.revisions = revisions
        self.message = message
        self.fix = fix
    }
}
