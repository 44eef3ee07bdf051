import Foundation
import RevgraphCore
import RevgraphDatabase
import RevgraphLedger
import RevgraphTestSupport
import RevgraphWorkspace
import Testing

/// The ledger policies on real SQLite files, with no binary in between.
@Suite struct LedgerLibraryTests {
    /// A repository with a1 <- b1, and a SQLite database whose version table says `head`.
    func setUp(_ dir: String, head: String?) throws -> (Workspace, LoadedProject, DatabaseTarget) {
        try makeRepository(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        let url = try DatabaseURL("sqlite:///\(dir)/app.db")
        // revgraph never creates a database: alembic (here, the test) does.
        #expect(FileManager.default.createFile(atPath: dir + "/app.db", contents: Data()))
        let conn = try openDatabase(url, readOnly: false)
        try conn.query("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        if let head { try conn.query("INSERT INTO alembic_version VALUES (?)", [head]) }
        let workspace = Workspace(ProjectSelection(currentDirectory: dir))
        var request = DatabaseTarget.Request()
        request.url = url.description
        request.url = "sqlite:///\(dir)/app.db"
        return (workspace, try workspace.load(), try DatabaseTarget(request, config: nil, environment: [:]))
    }

    @Test func recordThenAuditThenAnEditIsFoundAndOnlyAcceptLetsItIn() throws {
        try withTemporaryDirectory { dir in
            let (workspace, loaded, target) = try setUp(dir, head: "b1")
            #expect(try LedgerAudit(target: target, project: loaded, workspace: workspace).run().map(\.kind) == ["no-ledger"])
            let first = try Recorder(target: target, project: loaded, workspace: workspace).run(.record, who: "t", now: "now")
            #expect(first.inserted == ["a1", "b1"] && first.findings.isEmpty)
            #expect(try LedgerAudit(target: target, project: loaded, workspace: workspace).run().isEmpty)

            try write(migration("a1", down: [], message: "edited"), to: dir + "/migrations/versions/a1.py")
            let edited = try workspace.load()
            let findings = try LedgerAudit(target: target, project: edited, workspace: workspace).run()
            #expect(findings.map(\.kind) == ["edited"])
            #expect(findings[0].path == "migrations/versions/a1.py")
            let refused = try Recorder(target: target, project: edited, workspace: workspace).run(.record, who: "t", now: "now")
            #expect(refused.inserted.isEmpty && refused.findings.count == 1)
            #expect(throws: LedgerError.self) {
                try Recorder(target: target, project: edited, workspace: workspace)
                    .run(.accept(revision: "zzzz", reason: "x"), who: "t", now: "now")
            }
            let accepted = try Recorder(target: target, project: edited, workspace: workspace)
                .run(.accept(revision: "a1", reason: "typo in a comment"), who: "t", now: "now")
            #expect(accepted.inserted == ["a1"])
            #expect(try LedgerAudit(target: target, project: edited, workspace: workspace).run().isEmpty)
            let rows = try Ledger(connection: try target.open(readOnly: true)).rows()
            #expect(rows.map(\.kind) == ["record", "record", "accept"])
            #expect(rows.last?.reason == "typo in a comment")
        }
    }

    @Test func theURLIsResolvedOneWayForEveryCommand() throws {
        var request = DatabaseTarget.Request()
        let config = try ProjectConfig.read(
            ini: ("[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///from-config.db\n", "alembic.ini", "."), toml: nil)
        #expect(try DatabaseTarget(request, config: config, environment: [:]).source == .config)
        #expect(try DatabaseTarget(request, config: config, environment: ["REVGRAPH_DATABASE_URL": "sqlite:///e.db"]).source == .environment)
        request.url = "sqlite:///o.db"
        #expect(try DatabaseTarget(request, config: config, environment: ["REVGRAPH_DATABASE_URL": "sqlite:///e.db"]).source == .option)
        #expect(throws: DatabaseError.self) { try DatabaseTarget(DatabaseTarget.Request(), config: nil, environment: [:]) }
    }
}

@Suite struct ReleaseStandingTests {
    let release = RevisionGraph(revisions: [Revision(id: "a", path: "a.py"), Revision(id: "b", downRevisions: ["a"], path: "b.py"),
                                            Revision(id: "c", downRevisions: ["b"], path: "c.py")])
    let checked = RevisionGraph(revisions: [Revision(id: "a", path: "a.py"), Revision(id: "b", downRevisions: ["a"], path: "b.py"),
                                            Revision(id: "c", downRevisions: ["b"], path: "c.py"),
                                            Revision(id: "d", downRevisions: ["c"], path: "d.py")])

    @Test func atBehindAheadAndOff() {
        #expect(ReleaseStanding(databaseHeads: ["c"], release: release, checked: checked) == .at(heads: ["c"]))
        #expect(ReleaseStanding(databaseHeads: ["a"], release: release, checked: checked) == .behind(pending: ["b", "c"]))
        #expect(ReleaseStanding(databaseHeads: [], release: release, checked: checked) == .behind(pending: ["a", "b", "c"]))
        #expect(ReleaseStanding(databaseHeads: ["d"], release: release, checked: checked) == .ahead(extra: ["d"]))
        #expect(ReleaseStanding(databaseHeads: ["x"], release: release, checked: checked) == .off(heads: ["x"], unknown: ["x"]))
        #expect(ReleaseStanding.behind(pending: ["b"]).text(database: "sqlite:///x.db", release: "v1")
            == "sqlite:///x.db is behind release v1: pending b")
    }
}
