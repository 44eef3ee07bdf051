import RevgraphCore
import RevgraphDatabase
import RevgraphWorkspace

/// The ledger for a Django project: rows keyed `app.name`, for the migrations `django_migrations`
/// lists that have a file in this tree.
public struct DjangoLedger {
    let target: DatabaseTarget
    let project: DjangoProject
    let workspace: Workspace

    public init(target: DatabaseTarget, project: DjangoProject, workspace: Workspace) {
        self.target = target
        self.project = project
        self.workspace = workspace
    }

    /// What the database says is applied, split into this tree's files and the rest.
    struct Applied {
        /// Applied migrations of this tree, in the order Django applied them (squashes Django
        /// counts as applied after what they replace).
        var files: [DjangoKey] = []
        /// Applied migrations of apps outside this repository (Django's own, third-party).
        var external = 0
        /// Applied migrations of this repository's apps with no file here and no squash standing for them.
        var missing: [DjangoKey] = []
    }

    func applied(_ conn: DatabaseConnection) throws(DatabaseError) -> Applied {
        let rows = try DjangoMigrationsTable(connection: conn).applied() ?? []
        var out = Applied()
        var seen = Set<DjangoKey>()
        var settings = DjangoGraph.Settings()
        settings.swappable = project.settings.swappable
        settings.applied = Set(rows.map { DjangoKey($0.app, $0.name) })
        let graph = DjangoGraph(apps: project.apps.map(\.label), migrations: Array(project.graph.migrations.values), settings: settings)
        let apps = Set(project.apps.map(\.label))
        for r in rows {
            let k = DjangoKey(r.app, r.name)
            guard apps.contains(k.app) else { out.external += 1; continue }
            if graph.migrations[k] != nil {
                if seen.insert(k).inserted { out.files.append(k) }
            } else if graph.replacedBy[k] == nil {
                out.missing.append(k)
            }
        }
        for s in graph.migrations.keys.sorted() where graph.applied.contains(s) && seen.insert(s).inserted { out.files.append(s) }
        return out
    }

    /// The project's graph as the database sees it (squashes used or not by what is applied), and
    /// the rows `django_migrations` holds; read in one read-only transaction.
    public func appliedGraph() throws(LedgerError) -> (graph: DjangoGraph, recorded: Set<DjangoKey>) {
        let rows: [(app: String, name: String)]
        do {
            let conn = try target.open(readOnly: true)
            try conn.beginReadOnly()
            defer { conn.rollback() }
            rows = try DjangoMigrationsTable(connection: conn).applied() ?? []
        } catch {
            throw .database(error)
        }
        let recorded = Set(rows.map { DjangoKey($0.app, $0.name) })
        var settings = DjangoGraph.Settings()
        settings.swappable = project.settings.swappable
        settings.applied = recorded
        let graph = DjangoGraph(apps: project.apps.map(\.label), migrations: Array(project.graph.migrations.values), settings: settings)
        return (graph, recorded)
    }

    /// `record`: a row for each applied file not yet recorded.
    public func record(_ policy: Recorder.Policy, who: String, now: String) throws(LedgerError) -> Recorder.Outcome {
        let tree: SourceTree
        do { tree = try workspace.sourceTree() } catch { throw .workspace(error) }
        let conn: DatabaseConnection
        let applied: Applied
        do {
            conn = try target.open(readOnly: false)
            applied = try self.applied(conn)
        } catch { throw .database(error) }
        var accepted: String?
        if case .accept(let name, _) = policy {
            guard applied.files.contains(where: { $0.description == name }) else { throw .notApplied(name) }
            accepted = name
        }
        let entries = applied.files.map { (id: $0.description, path: project.graph.migrations[$0]!.path) }
        var outcome = try Recorder.insert(entries, accepted: accepted, policy: policy, tree: tree,
                                          commit: (try? workspace.tip())?.hex, who: who, now: now, target: target,
                                          connection: conn, relativePath: { workspace.relativePath($0) })
        outcome.findings += applied.missing.map {
            "applied migration \($0) has no file in this tree (and no squashed migration replaces it): record from the code that was deployed (--at REV)"
        }
        return outcome
    }

    /// `verify --db`: every applied file must match its latest ledger row.
    public func audit() throws(LedgerError) -> [Finding] {
        let (applied, found) = try LedgerAudit.read(target) { conn throws(DatabaseError) in try self.applied(conn) }
        guard let latest = found else { return [LedgerAudit.noLedger(target, after: "manage.py migrate")] }
        var findings: [Finding] = []
        for k in applied.missing {
            findings.append(Finding(kind: "unknown-migration", revision: k.description,
                                    message: "the database has applied \(k), which this tree does not contain (it runs newer or other code)",
                                    fix: "verify against the deployed commit with --at REV"))
        }
        for k in applied.files {
            let m = project.graph.migrations[k]!
            let path = workspace.relativePath(m.path)
            guard let row = latest[k.description] else {
                findings.append(Finding(kind: "missing-from-ledger", revision: k.description, path: path, line: m.line,
                                        message: "applied migration \(k) has no ledger row", fix: "run 'revgraph record'"))
                continue
            }
            guard let sum = project.checksums[k], sum != row.checksum else { continue }
            findings.append(LedgerAudit.edited(k.description, noun: "migration", path: path, line: m.line, row: row, now: sum))
        }
        let onDisk = Set(project.graph.migrations.keys.map(\.description))
        for (id, row) in latest.sorted(by: { $0.key < $1.key }) where !onDisk.contains(id) {
            findings.append(Finding(kind: "file-gone", revision: id, path: row.path,
                                    message: "applied migration \(id) is recorded in the ledger but its file is gone from this tree",
                                    fix: "restore \(row.path ?? "the file") from commit \(row.commit ?? "?")"))
        }
        return findings
    }
}
