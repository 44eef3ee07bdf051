import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphDatabase
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that applied or published revisions were never edited.",
            discussion: """
                --db: every applied revision's file must match its ledger checksum (the database is only read). \
                --published REF: every revision present in REF (origin/main, release tags; also \
                [revgraph] published_refs) must be unchanged and not deleted in the checked tree. \
                Exits 1 on any finding.
                """)

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Option(name: .customLong("published"), help: "A published ref whose revisions must be unchanged; repeatable.")
        var published: [String] = []
        @Flag(name: .customLong("published-from-config"), help: "Also check the refs in [revgraph] published_refs.")
        var publishedFromConfig = false
        @Option(name: .customLong("release"), help: "A release tag: its pinned revisions must be unchanged; with --db, the database must be exactly at its schema.")
        var release: String?
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let cache = project.makeCache(readsGit: !published.isEmpty || publishedFromConfig)
            let loaded = try project.load(cache: cache)
            var findings: [Finding] = []
            var refs = published
            if publishedFromConfig, let configured = loaded.config?.revgraphSettings["published_refs"] {
                refs += configured.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "," }).map(String.init)
            }
            if !refs.isEmpty {
                findings += try PublishedCheck(project: project, checked: loaded, cache: cache).run(refs: refs)
            }
            var releaseState: ReleaseState?
            if let release {
                findings += try PublishedCheck(project: project, checked: loaded, cache: cache).run(refs: [release], atMergeBase: false)
                if database.url != nil || ProcessInfo.processInfo.environment["REVGRAPH_DATABASE_URL"] != nil {
                    releaseState = try databaseAgainstRelease(release, loaded: loaded, cache: cache)
                    if releaseState?.state != "at" {
                        findings.append(Finding(kind: "release-\(releaseState!.state)", message: releaseState!.text, fix: nil))
                    }
                }
            } else if refs.isEmpty || database.url != nil {
                findings += try ledgerFindings(loaded, cache: cache)
            }
            if let releaseState, releaseState.state == "at", format == .text { Output.write(releaseState.text + "\n") }
            switch format {
            case .text:
                Output.write(findings.map(\.text).joined())
                if findings.isEmpty { Output.write("ok: no applied or published revision was edited\n") }
            case .json:
                Output.json(["ok": AnyEncodable(findings.isEmpty), "findings": AnyEncodable(findings)])
            }
            if !findings.isEmpty { throw Exit.problems }
        }

        func ledgerFindings(_ loaded: LoadedProject, cache: ParseCache) throws -> [Finding] {
            let g = loaded.graph
            let url = try database.databaseURL(loaded.config)
            let conn = try database.open(url, readOnly: true)
            let t = database.tables(loaded.config)
            let source = try FileSource(project: project)
            var findings: [Finding] = []
            let (heads, rows, hasLedger) = try withDatabase { () throws(DatabaseError) in
                try conn.beginReadOnly()
                defer { conn.rollback() }
                let heads = try VersionTable(connection: conn, table: t.version, schema: t.schema).heads() ?? []
                let ledger = Ledger(connection: conn, table: t.ledger, schema: t.schema)
                let exists = try ledger.exists()
                return (heads, exists ? try ledger.rows() : [], exists)
            }
            if !hasLedger {
                findings.append(Finding(kind: "no-ledger", message: "\(url) has no \(t.ledger) table",
                                        fix: "run 'revgraph record' after each 'alembic upgrade' (or 'revgraph record --adopt' once)"))
                return findings
            }
            var latest: [String: Ledger.Row] = [:]
            for r in rows { latest[r.revision] = r }
            for h in heads where g.index[h] == nil {
                findings.append(Finding(kind: "unknown-head", revision: h,
                                        message: "the database is at \(h), which this tree does not contain (it runs newer or other code)",
                                        fix: "verify against the deployed commit with --at REV"))
            }
            let applied = g.applied(heads: heads.compactMap { g.index[$0] })
            let blame = try? blameTool(cache: cache)
            for i in applied {
                let r = g.revision(i)
                guard let row = latest[r.id] else {
                    findings.append(Finding(kind: "missing-from-ledger", revision: r.id, path: r.path, line: r.line,
                                            message: "applied revision \(r.id) has no ledger row", fix: "run 'revgraph record'"))
                    continue
                }
                guard let sum = loaded.checksums[r.id] else { continue }
                if sum != row.checksum {
                    let path = source.relativePath(r.path)
                    var f = Finding(kind: "edited", revision: r.id, path: r.path, line: r.line,
                                    message: "applied revision \(r.id) was edited after it was recorded",
                                    fix: "restore it (git checkout \(row.commit.map { String($0.prefix(12)) } ?? "<commit>") -- \(path)), or if the edit is deliberate: revgraph record --accept \(r.id) --reason TEXT")
                    f.recordedChecksum = row.checksum
                    f.currentChecksum = sum
                    f.recordedCommit = row.commit
                    f.commits = (try? blame?.changesSince(revision: r.id, path: path, since: row.commit)) ?? []
                    findings.append(f)
                }
            }
            // Ledger rows whose file is gone from this tree.
            for (id, row) in latest.sorted(by: { $0.key < $1.key }) where g.index[id] == nil && !heads.contains(id) {
                findings.append(Finding(kind: "file-gone", revision: id, path: row.path,
                                        message: "applied revision \(id) is recorded in the ledger but its file is gone from this tree",
                                        fix: "restore \(row.path ?? "the file") from commit \(row.commit ?? "?")"))
            }
            return findings
        }

        struct ReleaseState {
            var state: String  // at, behind, ahead, off
            var text: String
        }

        /// Where the database stands against a release: exactly at it, behind, ahead, or off it.
        func databaseAgainstRelease(_ tag: String, loaded: LoadedProject, cache: ParseCache) throws -> ReleaseState {
            let repository = try project.openRepository()
            let snap = try Release.snapshot(project, repository, commit: try project.commit(repository, tag), name: tag, cache: cache)
            let tg = snap.project.graph
            let url = try database.databaseURL(loaded.config ?? snap.project.config)
            let conn = try database.open(url, readOnly: true)
            let t = database.tables(loaded.config ?? snap.project.config)
            let heads = try withDatabase { () throws(DatabaseError) in
                try VersionTable(connection: conn, table: t.version, schema: t.schema).heads() ?? []
            }
            let tagHeads = tg.realHeads.map { tg.id($0) }
            let tagAll = Set(tg.revisions.map(\.id))
            if Set(heads) == Set(tagHeads) {
                return ReleaseState(state: "at", text: "\(url) is exactly at release \(tag) (\(tagHeads.joined(separator: ", ")))")
            }
            if heads.allSatisfy({ tg.index[$0] != nil }) {
                let applied = Set(tg.applied(heads: heads.compactMap { tg.index[$0] }).map { tg.id($0) })
                let order = ((try? tg.history()) ?? Array(0..<tg.count)).reversed().map { tg.id($0) }
                let pending = order.filter { !applied.contains($0) }
                return ReleaseState(state: "behind", text: "\(url) is behind release \(tag): pending \(pending.joined(separator: ", "))")
            }
            let g = loaded.graph
            if heads.allSatisfy({ g.index[$0] != nil }) {
                let applied = Set(g.applied(heads: heads.compactMap { g.index[$0] }).map { g.id($0) })
                if tagAll.isSubset(of: applied) {
                    let extra = applied.subtracting(tagAll).sorted()
                    return ReleaseState(state: "ahead", text: "\(url) is ahead of release \(tag): also applied \(extra.joined(separator: ", "))")
                }
            }
            let unknown = heads.filter { tg.index[$0] == nil }
            return ReleaseState(state: "off", text: "\(url) is off release \(tag): database heads \(heads.joined(separator: ", ")); not in the release: \(unknown.joined(separator: ", "))")
        }

        func blameTool(cache: ParseCache) throws -> BlameTool {
            let repository = try GitRepository(discovering: project.repo ?? FileManager.default.currentDirectoryPath,
                                               ownerCheck: !project.noOwnerCheck)
            return BlameTool(repository: repository, options: project.options(repository: repository), cache: cache,
                             tip: try repository.commit(project.at ?? "HEAD"))
        }
    }
}

/// Commits that changed a revision's file, for findings.
struct BlameTool {
    let repository: GitRepository
    let options: ProjectOptions
    let cache: ParseCache
    let tip: GitObjectID

    /// Changes newer than `since` (a commit id), newest first.
    func changesSince(revision: String, path: String, since: String?) throws -> [Finding.CommitRef] {
        let all = try RevisionBlame(repository: repository, options: options, cache: cache)
            .changes(revision: revision, path: path, tip: tip)
        var out: [Finding.CommitRef] = []
        for c in all {
            if let since, c.commit.id.hex == since { break }
            if case .added = c.kind, since != nil { break }
            out.append(Finding.CommitRef(c.commit))
        }
        return out
    }
}

/// One thing `verify` found wrong.
struct Finding: Encodable {
    struct CommitRef: Encodable {
        var commit: String, author: String, email: String, date: String, subject: String
        init(_ c: GitCommitInfo) {
            commit = c.id.hex; author = c.authorName; email = c.authorEmail; date = Revgraph.Log.date(c); subject = c.summary
        }
    }
    var kind: String
    var revision: String?
    var path: String?
    var line: Int?
    var message: String
    var fix: String?
    var ref: String?
    var recordedChecksum: String?
    var currentChecksum: String?
    var recordedCommit: String?
    var commits: [CommitRef] = []

    init(kind: String, revision: String? = nil, path: String? = nil, line: Int? = nil, message: String, fix: String? = nil) {
        self.kind = kind
        self.revision = revision
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
    }

    var text: String {
        var out = "\(path ?? "revgraph")\(line.map { ":\($0)" } ?? ""): error: \(message)\n"
        if let r = recordedChecksum, let c = currentChecksum {
            out += "  recorded sha256 \(r)\(recordedCommit.map { " at commit \($0.prefix(12))" } ?? "")\n  current  sha256 \(c)\n"
        }
        for c in commits { out += "  changed in \(c.commit.prefix(12)) \(c.date) \(c.author) <\(c.email)>: \(c.subject)\n" }
        if let fix { out += "  fix: \(fix)\n" }
        return out
    }
}

/// Encodes heterogeneous JSON values.
struct AnyEncodable: Encodable {
    let encodeValue: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: Encoder) throws { try encodeValue(encoder) }
}
