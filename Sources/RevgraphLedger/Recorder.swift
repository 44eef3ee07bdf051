import FoundationEssentials
import Glibc
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
        let entries = applied.map { i in (id: g.revision(i).id, path: g.revision(i).path) }
        let written = try Self.insert(entries, accepted: accepted.map { g.revision($0).id }, policy: policy, tree: tree,
                                      commit: commit, who: who, now: now, target: target, connection: conn,
                                      relativePath: { workspace.relativePath($0) })
        findings += written.findings
        let inserted = written.inserted
        return Outcome(inserted: inserted, findings: findings)
    }

    /// In one transaction holding the ledger's write lock: a row for each applied file (id, path)
    /// not yet recorded with its checksum; an edited one is a finding unless it is `accepted`.
    static func insert(_ entries: [(id: String, path: String)], accepted: String?, policy: Policy, tree: SourceTree,
                       commit: String?, who: String, now: String, target: DatabaseTarget, connection conn: DatabaseConnection,
                       relativePath: (String) -> String) throws(LedgerError) -> Outcome
    {
        let ledger = target.ledger(conn)
        var inserted: [String] = []
        var findings: [String] = []
        do throws(DatabaseError) {
            // One lock per ledger table name, with or without an explicit schema (`public` is the default one).
            try conn.beginExclusive(lockName: "revgraph:\(target.ledgerTable)")
            do throws(DatabaseError) {
                try ledger.create()
                var latest: [String: Ledger.Row] = [:]
                for r in try ledger.rows() { latest[r.revision] = r }
                for (id, path) in entries {
                    guard let bytes = (try? tree.read(path)) ?? nil else {
                        findings.append("\(path): applied revision \(id) has no file in this tree")
                        continue
                    }
                    let sum = Checksum.of(bytes)
                    if let row = latest[id] {
                        if row.checksum == sum { continue }
                        if accepted != id {
                            findings.append("\(relativePath(path)): applied revision \(id) was edited: recorded sha256 \(row.checksum.prefix(12)), now \(sum.prefix(12)); restore it, or run 'revgraph record --accept \(id) --reason TEXT'")
                            continue
                        }
                    }
                    var kind = "record", reason: String?
                    switch policy {
                    case .record: break
                    case .adopt: kind = "adopt"
                    case .accept(_, let why): if accepted == id { (kind, reason) = ("accept", why) }
                    }
                    try ledger.insert(Ledger.Row(
                        revision: id, checksum: sum, blobID: GitObjectID.blob(hashing: bytes).hex,
                        path: relativePath(path), commit: commit, recordedAt: now, recordedBy: who,
                        kind: kind, reason: reason))
                    inserted.append(id)
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
        env["REVGRAPH_RECORDED_BY"] ?? "\(env["USER"] ?? userName())@\(ProcessInfo.processInfo.hostName)"
    }

    /// The effective user's login name (the password database), else its uid.
    static func userName() -> String {
        guard let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name else { return "\(geteuid())" }
        return String(cString: name)
    }
}
