import ArgumentParser
import RevgraphCore
import RevgraphLedger
import RevgraphWorkspace

extension Revgraph {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Prove that applied or published revisions were never edited.",
            discussion: """
                With no --published/--release: every applied revision's file must match its ledger checksum \
                (the database is only read; URL from --db, $REVGRAPH_DATABASE_URL or sqlalchemy.url). \
                --published REF: every revision present in REF (origin/main, release tags; also \
                [revgraph] published_refs with --published-from-config) must be unchanged and not deleted in \
                the checked tree; the database is then checked only when --db or $REVGRAPH_DATABASE_URL names it. \
                --release TAG: the tag's pinned revisions must be unchanged, and the database (when a URL \
                resolves) exactly at its schema. Exits 1 on any finding.
                """)

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Option(name: .customLong("published"), help: "A published ref whose revisions must be unchanged; repeatable.")
        var published: [String] = []
        @Flag(name: .customLong("published-from-config"), help: "Also check the refs in [revgraph] published_refs.")
        var publishedFromConfig = false
        @Option(name: .customLong("release"), help: "A release tag: its pinned revisions must be unchanged; the database must be exactly at its schema.")
        var release: String?
        @Option(help: "text or json.") var format: OutputFormat = .text

        struct Report: Encodable {
            var ok: Bool
            var checked: [String]
            var findings: [Finding]
        }

        func run() throws {
            let publishedMode = !published.isEmpty || publishedFromConfig
            let workspace = project.workspace()
            let loaded: LoadedProject
            switch try project.loadAny(workspace, withChecksums: true) {
            case .alembic(let l): loaded = l
            case .django(let d): return try verifyDjango(d, workspace)
            }
            var findings: [Finding] = []
            var checked: [String] = []
            var notes: [String] = []
            let refs = published + (publishedFromConfig ? loaded.config?.settings.publishedRefs ?? [] : [])
            if !refs.isEmpty {
                let r = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: refs)
                findings += r.findings
                notes += r.skipped.map { "not compared: \($0)" }
                if !r.compared.isEmpty { checked.append("published refs \(r.compared.joined(separator: ", "))") }
            } else if publishedFromConfig {
                notes.append("nothing was compared: no published refs are configured; to protect the revisions of your main branch, add published_refs = origin/main (or origin/master) under [revgraph] in alembic.ini, or [tool.revgraph] in pyproject.toml")
            }
            if let release {
                let r = try PublishedCheck(workspace: workspace, checked: loaded).run(refs: [release], atMergeBase: false)
                findings += r.findings
                notes += r.skipped.map { "not compared: \($0)" }
                if !r.compared.isEmpty { checked.append("release \(release)") }
                if let target = try database.targetIfConfigured(loaded.config) {
                    let snap = try Releases(workspace: workspace).snapshot(try workspace.commit(release), name: release)
                    let standing = ReleaseStanding(databaseHeads: try target.heads(), release: snap.project.graph,
                                                   checked: loaded.graph)
                    let text = standing.text(database: target.url.description, release: release)
                    checked.append("database \(target.url) against \(release)")
                    if case .at = standing { notes.append(text) } else {
                        findings.append(Finding(kind: "release-\(standing.name)", message: text))
                    }
                } else {
                    notes.append("database not checked: no URL (--db, REVGRAPH_DATABASE_URL or sqlalchemy.url)")
                }
            } else if !publishedMode || database.isExplicit {
                let target = try database.target(loaded.config)
                findings += try LedgerAudit(target: target, project: loaded, workspace: workspace).run()
                checked.append("ledger of \(target.url)")
            }
            try report(findings: findings, checked: checked, notes: notes)
        }

        func report(findings: [Finding], checked: [String], notes: [String]) throws {
            switch format {
            case .text:
                var out = notes.map { $0 + "\n" }.joined() + findings.map(\.text).joined()
                if findings.isEmpty {
                    out += checked.isEmpty ? "ok: nothing to check\n"
                        : "ok: no applied or published revision was edited (checked \(checked.joined(separator: "; ")))\n"
                }
                Output.write(out)
            case .json:
                Output.json(Report(ok: findings.isEmpty, checked: checked, findings: findings), command: "verify")
            }
            if !findings.isEmpty { throw CLIError.problems }
        }

        /// A Django project: `--published` refs and the ledger (`--db`); release pins are Alembic's only.
        func verifyDjango(_ d: DjangoProject, _ workspace: Workspace) throws {
            if release != nil { throw CLIError.usage("'--release' pins Alembic revisions; for a Django project use --published TAG") }
            var findings: [Finding] = [], checked: [String] = [], notes: [String] = []
            if !published.isEmpty {
                let r = try DjangoPublishedCheck(workspace: workspace, checked: d).run(refs: published)
                findings += r.findings
                notes += r.skipped.map { "not compared: \($0)" }
                if !r.compared.isEmpty { checked.append("published refs \(r.compared.joined(separator: ", "))") }
            }
            if published.isEmpty || database.isExplicit {
                let target = try database.djangoTarget()
                findings += try DjangoLedger(target: target, project: d, workspace: workspace).audit()
                checked.append("ledger of \(target.url) (django_migrations)")
            }
            try report(findings: findings, checked: checked, notes: notes)
        }
    }
}
