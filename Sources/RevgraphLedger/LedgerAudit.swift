import RevgraphCore
import RevgraphDatabase
import RevgraphGit
import RevgraphWorkspace

/// `verify --db`: every applied revision's file must match its latest ledger checksum. Reads the
/// database in one read-only transaction; never writes.
public struct LedgerAudit {
    let target: DatabaseTarget
    let project: LoadedProject
    let workspace: Workspace

    public init(target: DatabaseTarget, project: LoadedProject, workspace: Workspace) {
        self.target = target
        self.project = project
        self.workspace = workspace
    }

    public func run() throws(LedgerError) -> [Finding] {
        let g = project.graph
        let (heads, found) = try Self.read(target) { conn throws(DatabaseError) in try target.heads(conn) }
        guard let latest = found else { return [Self.noLedger(target, after: "alembic upgrade")] }
        var findings: [Finding] = []
        for h in heads where g.index[h] == nil {
            findings.append(Finding(kind: "unknown-head", revision: h,
                                    message: "the database is at \(h.displaySafe), which this tree does not contain (it runs newer or other code)",
                                    fix: "verify against the deployed commit with --at REV"))
        }
        for i in g.applied(heads: heads.compactMap { g.index[$0] }) {
            let r = g.revision(i)
            let path = workspace.relativePath(r.path)
            guard let row = latest[r.id] else {
                findings.append(Finding(kind: "missing-from-ledger", revision: r.id, path: path, line: r.line,
                                        message: "applied revision \(r.id) has no ledger row", fix: "run 'revgraph record'"))
                continue
            }
            guard let sum = project.checksums[r.id], sum != row.checksum else { continue }
            var f = Self.edited(r.id, noun: "revision", path: path, line: r.line, row: row, now: sum)
            f.commits = changes(revision: r.id, path: path, since: row.commit)
            findings.append(f)
        }
        // Ledger rows whose file is gone from this tree.
        for (id, row) in latest.sorted(by: { $0.key < $1.key }) where g.index[id] == nil && !heads.contains(id) {
            findings.append(Finding(kind: "file-gone", revision: id, path: row.path,
                                    message: "applied revision \(id) is recorded in the ledger but its file is gone from this tree",
                                    fix: "restore \(row.path ?? "the file") from commit \(row.commit ?? "?")"))
        }
        return findings
    }

    /// In one read-only transaction: what `body` reads, and the latest ledger row of each
    /// revision (nil when there is no ledger table).
    static func read<T>(_ target: DatabaseTarget, _ body: (DatabaseConnection) throws(DatabaseError) -> T)
        throws(LedgerError) -> (T, [String: Ledger.Row]?)
    {
        do {
            let conn = try target.open(readOnly: true)
            try conn.beginReadOnly()
            defer { conn.rollback() }
            let value = try body(conn)
            let ledger = target.ledger(conn)
            guard try ledger.exists() else { return (value, nil) }
            var latest: [String: Ledger.Row] = [:]
            for r in try ledger.rows() { latest[r.revision] = r }
            return (value, latest)
        } catch {
            throw .database(error)
        }
    }

    static func noLedger(_ target: DatabaseTarget, after command: String) -> Finding {
        Finding(kind: "no-ledger", message: "\(target.url) has no \(target.ledgerTable) table",
                fix: "run 'revgraph record' after each '\(command)' (or 'revgraph record --adopt' once)")
    }

    /// An applied file whose checksum is not the one recorded.
    static func edited(_ id: String, noun: String, path: String, line: Int, row: Ledger.Row, now sum: String) -> Finding {
        var f = Finding(kind: "edited", revision: id, path: path, line: line,
                        message: "applied \(noun) \(id) was edited after it was recorded",
                        fix: "restore it (git checkout \(row.commit.map { String($0.prefix(12)) } ?? "<commit>") -- \(path)), or if the edit is deliberate: revgraph record --accept \(id) --reason TEXT")
        f.recordedChecksum = row.checksum
        f.currentChecksum = sum
        f.recordedCommit = row.commit
        return f
    }

    /// Commits that changed the file after `since` (the recorded commit), newest first; none outside git.
    func changes(revision: String, path: String, since: String?) -> [Finding.CommitRef] {
        guard let blame = try? workspace.blame(), let tip = try? workspace.tip(),
              let all = try? blame.changes(revision: revision, path: path, tip: tip)
        else { return [] }
        var out: [Finding.CommitRef] = []
        for c in all {
            if let since, c.commit.id.hex == since { break }
            if case .added = c.kind, since != nil { break }
            out.append(Finding.CommitRef(c.commit))
        }
        return out
    }
}
