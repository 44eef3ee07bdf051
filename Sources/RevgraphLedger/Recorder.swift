import Foundation
import RevgraphCore
import RevgraphDatabase
import RevgraphGit
import RevgraphWorkspace

/// `record`: stores the checksum of every applied revision not yet in the ledger, in one
/// transaction that holds the ledger's write lock. An applied revision whose file no longer
/// matches its row is a finding, never overwritten, unless it is the one revision accepted.
public struct Recorder {
    /// How rows are marked.
    public enum Policy: Sendable, Equatable {
        /// After `alembic upgrade`.
        case record
        /// Taking in a database migrated before revgraph was used.
        case adopt
        /// Acknowledging a deliberate edit of one applied revision.
        case accept(revision: String, reason: String)
    }

    public struct Outcome: Sendable {
        /// Revisions given a new row, in upgrade order.
        public var inserted: [String]
        /// What stopped a revision from being recorded.
        public var findings: [String]
    }

    let target: DatabaseTarget
    let project: LoadedProject
    let workspace: Workspace

    public init(target: DatabaseTarget, project: LoadedProject, workspace: Workspace) {
        self.target = target
        self.project = project
        self.workspace = workspace
    }

    /// - Parameters:
    ///   - who: the `recorded_by` value.
    ///   - now: the `recorded_at` value (ISO 8601).
    public func run(_ policy: Policy, who: String, now: String) throws(LedgerError) -> Outcome {
        let g = project.graph
        let tree: SourceTree
        do { tree = try workspace.sourceTree() } catch { throw .workspace(error) }
        let commit = (try? workspace.tip())?.hex
        let conn: DatabaseConnection
        let heads: [String]
        do {
            conn = try target.open(readOnly: false)
            heads = try target.heads(conn)
        } catch { throw .database(error) }
        var findings = heads.filter { g.index[$0] == nil }.map {
            "database head \($0.displaySafe) is not in this tree: record from the code that was deployed (--at REV)"
        }
        let applied = g.applied(heads: heads.compactMap { g.index[$0] })
        var accepted: Int?
        if case .accept(let rev, _) = policy {
            guard let i = try? g.resolveOne(rev), applied.contains(i) else { throw .notApplied(rev) }
            accepted = i
        }
        let ledger = target.ledger(conn)
        var inserted: [String] = []
        do throws(DatabaseError) {
            // One lock per ledger table name, with or without an explicit schema (`public` is the default one).
            try conn.beginExclusive(lockName: "revgraph:\(target.ledgerTable)")
            do throws(DatabaseError) {
                try ledger.create()
                var latest: [String: Ledger.Row] = [:]
                for r in try ledger.rows() { latest[r.revision] = r }
                for i in applied {
                    let r = g.revision(i)
                    guard let bytes = (try? tree.read(r.path)) ?? nil else {
                        findings.append("\(r.path): applied revision \(r.id) has no file in this tree")
                        continue
                    }
                    let sum = Checksum.of(bytes)
                    if let row = latest[r.id] {
                        if row.checksum == sum { continue }
                        if accepted != i {
                            findings.append("\(workspace.relativePath(r.path)): applied revision \(r.id) was edited: recorded sha256 \(row.checksum.prefix(12)), now \(sum.prefix(12)); restore it, or run 'revgraph record --accept \(r.id) --reason TEXT'")
                            continue
                        }
                    }
                    var kind = "record", reason: String?
                    switch policy {
                    case .record: break
                    case .adopt: kind = "adopt"
                    case .accept(_, let why): if accepted == i { (kind, reason) = ("accept", why) }
                    }
                    try ledger.insert(Ledger.Row(
                        revision: r.id, checksum: sum, blobID: GitObjectID.blob(hashing: bytes).hex,
                        path: workspace.relativePath(r.path), commit: commit, recordedAt: now, recordedBy: who,
                        kind: kind, reason: reason))
                    inserted.append(r.id)
                }
                try conn.commit()
            } catch {
                conn.rollback()
                throw error
            }
        } catch {
            throw .database(error)
        }
        return Outcome(inserted: inserted, findings: findings)
    }

    /// `$REVGRAPH_RECORDED_BY`, else `user@host`.
    public static func defaultRecorder(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        env["REVGRAPH_RECORDED_BY"] ?? "\(env["USER"] ?? NSUserName())@\(ProcessInfo.processInfo.hostName)"
    }
}
