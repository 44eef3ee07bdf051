/// One migration file as Alembic sees it: its id, its parents and the metadata that shapes the graph.
public struct Revision: Sendable, Equatable {
    /// The `revision` identifier.
    public var id: String
    /// `down_revision`, normalised as Alembic's `to_tuple` does: empty for a base, several for a merge point.
    public var downRevisions: [String]
    /// `depends_on`, as declared (entries may be revision ids or branch labels).
    public var dependencies: [String]
    /// `branch_labels`, as declared in the file (before propagation).
    public var branchLabels: [String]
    /// The path to show for the file (absolute in the work tree, repository-relative when read from git).
    public var path: String
    /// The module docstring, stripped (Alembic's `longdoc`).
    public var longdoc: String
    /// 1-based line of the `revision` assignment (1 when the id comes from a legacy file name).
    public var line: Int

    public init(
        id: String, downRevisions: [String] = [], dependencies: [String] = [], branchLabels: [String] = [],
        path: String = "", longdoc: String = "", line: Int = 1
    ) {
        self.id = id
        self.downRevisions = downRevisions
        self.dependencies = dependencies
        self.branchLabels = branchLabels
        self.path = path
        self.longdoc = longdoc
        self.line = line
    }

    /// The first paragraph of the docstring, which `history` prints after the id.
    public var doc: String {
        var previousWasNewline = false
        for i in longdoc.indices {
            if longdoc[i] == "\n" {
                if previousWasNewline { return String(longdoc[..<longdoc.index(before: i)]) }
                previousWasNewline = true
            } else {
                previousWasNewline = false
            }
        }
        return longdoc
    }

    public var isBase: Bool { downRevisions.isEmpty }
    public var isMergePoint: Bool { downRevisions.count > 1 }

    /// Characters Alembic reserves for its identifier syntax.
    public static let illegalCharacters: [Character] = ["@", "-", "+", ":"]

    /// The illegal characters found in `id`, sorted and joined as Alembic's message does ("-, @").
    public static func illegalCharacters(in id: String) -> String? {
        let found = Set(id.filter { illegalCharacters.contains($0) })
        guard !found.isEmpty else { return nil }
        return found.map(String.init).sorted().joined(separator: ", ")
    }
}
