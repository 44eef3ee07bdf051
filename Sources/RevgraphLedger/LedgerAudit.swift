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
        let (heads, rows, hasLedger): ([String], [Ledger.Row], Bool)
        do {
            let conn = try target.open(readOnly: true)
            try conn.beginReadOnly()
            defer { conn.rollback() }
            heads = try target.heads(conn)
            let ledger = target.ledger(conn)
            hasLedger = try ledger.exists()
            rows = hasLedger ? try ledger.rows() : []
        } catch {
            throw .database(error)
        }
        guard hasLedger else {
            return [Finding(kind: "no-ledger", message: "\(target.url) has no \(target.ledgerTable) table",
                            fix: "run 'revgraph record' after each 'alembic upgrade' (or 'revgraph record --adopt' once)")]
        }
        var findings: [Finding] = []
        var latest: [String: Ledger.Row] = [:]
        for r in rows { latest[r.revision] = r }
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
            var f = Finding(kind: "edited", revision: r.id, path: path, line: r.line,
                            message: "applied revision \(r.id) was edited after it was recorded",
                            fix: "restore it (git checkout \(row.commit.map { String($0.prefix(12)) } ?? "<commit>") -- \(path)), or if the edit is deliberate: revgraph record --accept \(r.id) --reason TEXT")
            f.recordedChecksum = row.checksum
            f.currentChecksum = sum
            f.recordedCommit = row.commit
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
