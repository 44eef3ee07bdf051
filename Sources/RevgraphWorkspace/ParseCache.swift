import RevgraphCore

/// Parse results keyed by git blob id: a file is parsed once however many commits hold it.
/// Owned by one thread (a command run); not shared.
public final class ParseCache {
    private var entries: [String: MigrationParser.Outcome] = [:]

    public init() {}

    public var count: Int { entries.count }

    func lookup(key: String, path: String) -> MigrationParser.Outcome? {
        guard var outcome = entries[key] else { return nil }
        // The same blob may sit at another path in another commit.
        if outcome.revision?.path != path {
            outcome.revision?.path = path
            outcome.problems = outcome.problems.map { var p = $0; p.path = path; return p }
        }
        return outcome
    }

    func store(key: String, path: String, _ outcome: MigrationParser.Outcome) {
        entries[key] = outcome
    }
}

@available(*, unavailable)
extension ParseCache: Sendable {}
