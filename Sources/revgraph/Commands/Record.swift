import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphDatabase
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record checksums of the applied revisions in revgraph's ledger table (run after 'alembic upgrade').",
            discussion: """
                For every applied revision not yet in the ledger, stores its id, checksum, blob id, path, \
                commit, time and who recorded it, in one transaction. Exits 1 when an applied revision's \
                file no longer matches its recorded checksum (nothing is overwritten).
                """)

        @OptionGroup var project: ProjectOptionGroup
        @OptionGroup var database: DatabaseOptionGroup
        @Flag(name: .customLong("adopt"), help: "Take in a database migrated before revgraph was used (rows are marked 'adopt').")
        var adopt = false
        @Option(name: .customLong("accept"), help: "Acknowledge a deliberate edit of this applied revision.") var accept: String?
        @Option(name: .customLong("reason"), help: "Why the edit is accepted (required with --accept).") var reason: String?

        func validate() throws {
            if accept != nil && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("'--accept' needs '--reason TEXT'")
            }
            if project.staged { throw ValidationError("'record' reads the deployed files: the work tree or '--at REV'") }
        }

        func run() throws {
            let loaded = try project.load()
            let g = loaded.graph
            let url = try database.databaseURL(loaded.config)
            let conn = try database.open(url, readOnly: false)
            let t = database.tables(loaded.config)
            let source = try FileSource(project: project)
            let now = ISO8601DateFormatter().string(from: Date())
            let env = ProcessInfo.processInfo.environment
            let who = env["REVGRAPH_RECORDED_BY"] ?? "\(env["USER"] ?? NSUserName())@\(ProcessInfo.processInfo.hostName)"
            var inserted: [String] = []
            var findings: [String] = []
            let heads = try withDatabase { () throws(DatabaseError) in
                try VersionTable(connection: conn, table: t.version, schema: t.schema).heads() ?? []
            }
            let unknown = heads.filter { g.index[$0] == nil }
            for u in unknown {
                findings.append("database head \(u) is not in this tree: record from the code that was deployed (--at REV)")
            }
            let applied = g.applied(heads: heads.compactMap { g.index[$0] })
            if let accept {
                guard let i = try? g.resolveOne(accept), applied.contains(i) else {
                    Output.error("'\(accept)' is not an applied revision of this database")
                    throw Exit.usage
                }
            }
            let ledger = Ledger(connection: conn, table: t.ledger, schema: t.schema)
            try withDatabase { () throws(DatabaseError) in
                try conn.beginExclusive(lockName: "revgraph:\(t.schema ?? "").\(t.ledger)")
                do throws(DatabaseError) {
                    try ledger.create()
                    var latest: [String: Ledger.Row] = [:]
                    for r in try ledger.rows() { latest[r.revision] = r }
                    for i in applied {
                        let r = g.revision(i)
                        guard let file = source.read(r.path) else {
                            findings.append("\(r.path): applied revision \(r.id) has no file in this tree")
                            continue
                        }
                        let sum = Checksum.of(file.bytes)
                        let isAccepted = accept.flatMap { try? g.resolveOne($0) } == i
                        if let row = latest[r.id], row.checksum == sum { continue }
                        if latest[r.id] != nil && !isAccepted {
                            findings.append("\(r.path): applied revision \(r.id) was edited: recorded sha256 \(latest[r.id]!.checksum.prefix(12)), now \(sum.prefix(12)); restore it, or run 'revgraph record --accept \(r.id) --reason TEXT'")
                            continue
                        }
                        try ledger.insert(Ledger.Row(
                            revision: r.id, checksum: sum, blobID: file.blobID, path: file.path, commit: source.commit,
                            recordedAt: now, recordedBy: who, kind: isAccepted ? "accept" : (adopt ? "adopt" : "record"),
                            reason: isAccepted ? reason : nil))
                        inserted.append(r.id)
                    }
                    try conn.commit()
                } catch {
                    conn.rollback()
                    throw error
                }
            }
            var out = "recorded \(inserted.count) revision\(inserted.count == 1 ? "" : "s") in \(t.ledger)"
            out += inserted.isEmpty ? "\n" : ": \(inserted.joined(separator: ", "))\n"
            Output.write(out)
            for f in findings { Output.write("error: \(f)\n") }
            if !findings.isEmpty { throw Exit.problems }
        }
    }
}

/// Reads files of the checked tree as bytes, with their blob id and the commit they come from.
struct FileSource {
    struct File { var path: String; var bytes: [UInt8]; var blobID: String }
    let tree: SourceTree
    let commit: String?
    /// Repository-relative path of a work-tree path, when in a repository.
    let root: String?

    init(project: ProjectOptionGroup) throws {
        let repository = try? GitRepository(discovering: project.repo ?? FileManager.default.currentDirectoryPath,
                                            ownerCheck: !project.noOwnerCheck)
        if let at = project.at {
            guard let repository else {
                Output.error("'--at' needs a git repository")
                throw Exit.couldNotRun
            }
            let id = try project.commit(repository, at)
            tree = try project.GitSourceTreeOrFail(repository, .commit(id, spec: at))
            commit = id.hex
            root = nil
        } else {
            tree = FileSystemTree()
            commit = repository.flatMap { try? $0.commit("HEAD") }?.hex
            root = repository?.workdir.map(normalizePath)
        }
    }

    /// The path relative to the repository root (work-tree paths are absolute or relative to the current directory).
    func relativePath(_ path: String) -> String {
        guard let root else { return path }
        let abs = normalizePath(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath.joiningPath(path))
        return abs.hasPrefix(root + "/") ? String(abs.dropFirst(root.count + 1)) : path
    }

    func read(_ path: String) -> File? {
        guard let bytes = (try? tree.read(path)) ?? nil else { return nil }
        return File(path: relativePath(path), bytes: bytes, blobID: GitObjectID.blob(hashing: bytes).hex)
    }
}
