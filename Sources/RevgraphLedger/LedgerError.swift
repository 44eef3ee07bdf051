import RevgraphDatabase
import RevgraphWorkspace

/// Why a ledger command could not run.
public enum LedgerError: Error, CustomStringConvertible {
    case database(DatabaseError)
    case workspace(WorkspaceError)
    /// `--accept REV` named something that is not an applied revision.
    case notApplied(String)

    public var description: String {
        switch self {
        case .database(let e): return e.description
        case .workspace(let e): return e.description
        case .notApplied(let r): return "'\(r)' is not an applied revision of this database"
        }
    }
}
