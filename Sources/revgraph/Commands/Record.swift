import ArgumentParser
import FoundationEssentials
import Glibc
import RevgraphCore
import RevgraphLedger
import RevgraphWorkspace

extension Revgraph {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
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
            if accept != nil && (reason ?? "").unicodeScalars.allSatisfy({ $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }) {
                throw ValidationError("'--accept' needs '--reason TEXT'")
            }
            if project.staged { throw ValidationError("'record' reads the deployed files: the work tree or '--at REV'") }
        }

        var policy: Recorder.Policy {
            if let accept { return .accept(revision: accept, reason: reason ?? "") }
            return adopt ? .adopt : .record
        }

        /// Now, in UTC, as ISO 8601 (`2026-12-04T23:40:44Z`).
        static func utcTimestamp() -> String {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return UTCTime.rfc3339(Int64(now.tv_sec))
        }

        func run() throws {
            let workspace = project.workspace()
            let now = Self.utcTimestamp()
            let outcome: Recorder.Outcome
            let target: DatabaseTarget
            var noun = "revision"
            switch try project.loadAny(workspace, withChecksums: true) {
            case .alembic(let loaded):
                target = try database.target(loaded.config)
                outcome = try Recorder(target: target, project: loaded, workspace: workspace)
                    .run(policy, who: Recorder.defaultRecorder(), now: now)
            case .django(let d):
                target = try database.djangoTarget()
                outcome = try DjangoLedger(target: target, project: d, workspace: workspace)
                    .record(policy, who: Recorder.defaultRecorder(), now: now)
                noun = "migration"
            }
            let n = outcome.inserted.count
            var out = "recorded \(n) \(noun)\(n == 1 ? "" : "s") in \(target.ledgerTable)"
            out += outcome.inserted.isEmpty ? "\n" : ": \(outcome.inserted.joined(separator: ", "))\n"
            out += outcome.findings.map { "error: \($0)\n" }.joined()
            Output.write(out)
            if !outcome.findings.isEmpty { throw CLIError.problems }
        }
    }
}
