import ArgumentParser
import RevgraphCore
import RevgraphWorkspace

extension LintDialect: ExpressibleByArgument {}

extension Revgraph {
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Find migrations that lose data or lock production: drops, NOT NULL without default, indexes without CONCURRENTLY, ...",
            discussion: """
                Reads upgrade() and downgrade() statically and replays the schema in upgrade order, so a table \
                created in the same revision is known to be new. Exits 1 when a finding has error severity. \
                Suppress one with '# revgraph: ignore[rule] reason' on its line or the line before, or \
                '# revgraph: ignore-file[rule]' for the file. Configure in [revgraph.lint] or [tool.revgraph.lint].
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, github, sarif }

        @OptionGroup var project: ProjectOptionGroup
        @Argument(help: "Revision range to lint, as history's: [start]:[end] (default: every revision).")
        var range: String?
        @Option(name: .customLong("changed-since"), help: "Lint only the revisions added or edited since this commit (with --staged: since HEAD by default).")
        var changedSince: String?
        @Option(help: "postgresql, sqlite, mysql or other (default: [revgraph] dialect, then sqlalchemy.url's scheme).")
        var dialect: LintDialect?
        @Option(help: "text, json, github (annotations) or sarif (SARIF 2.1.0).") var format: Format = .text
        @Flag(name: .customLong("list-rules"), help: "List the rules with their default severity and exit.")
        var listRules = false

        func validate() throws {
            if range != nil && changedSince != nil { throw ValidationError("give a range or --changed-since, not both") }
        }

        func run() throws {
            if listRules {
                Output.write(LintRule.allCases.map { r in
                    let d = r.dialect.map { " (\($0.rawValue))" } ?? ""
                    return "\(r.rawValue)\(d) [\(r.defaultSeverity.rawValue)]: \(r.summary)\n"
                }.joined())
                return
            }
            let workspace = project.workspace()
            let loaded = try project.loadWarning(workspace)
            let g = loaded.graph
            var selected: Set<Int>?
            var what = "every revision"
            if let range {
                let (lower, upper) = try RevisionGraph.parseRange(range)
                selected = Set(try g.history(lower: lower, upper: upper))
                what = "revisions \(range)"
            } else if let base = changedSince ?? (project.staged ? "HEAD" : nil) {
                let id = try workspace.commit(base)
                if let c = try LintRun.changed(loaded, since: workspace.gitTree(.commit(id, spec: base))) {
                    selected = c
                } else {
                    // The work tree has no blob ids: compare with the project as loaded at base.
                    selected = LintRun.changed(loaded, since: try? workspace.load(commit: id, name: base, like: loaded))
                }
                what = "revisions added or changed since \(base)"
            }
            let (findings, unreadable) = try LintRun.run(loaded, tree: try workspace.sourceTree(), selected: selected, dialect: dialect,
                                                         paths: workspace.displayPath)
            // Never a silent pass: a file lint could not read is named (the rest is still linted).
            for u in unreadable { Output.stderr("\(u): warning: lint could not read the file, so it was not linted\n") }
            let count = selected?.count ?? g.count
            let usedDialect = LintRun.dialect(loaded, override: dialect)
            switch format {
            case .text:
                var out = findings.map(\.text).joined()
                let errors = findings.filter { $0.severity == .error }.count
                out += "lint: \(what): \(count) revision\(count == 1 ? "" : "s") checked, dialect \(usedDialect?.rawValue ?? "unknown (dialect rules off)")"
                out += findings.isEmpty ? ", no findings\n" : ", \(findings.count) finding\(findings.count == 1 ? "" : "s") (\(errors) error\(errors == 1 ? "" : "s"))\n"
                Output.write(out)
            case .json:
                Output.json(LintJSON(checked: count, dialect: usedDialect?.rawValue, findings: findings.map(LintJSON.Item.init)), command: "lint")
            case .github:
                Output.write(findings.map { Check.annotation($0.asProblem) }.joined())
            case .sarif:
                Output.write(CodeScanning.sarif(findings.map(\.asProblem), ruleIDs: { $0.message.ruleID }))
            }
            if findings.contains(where: { $0.severity == .error }) { throw CLIError.problems }
        }
    }
}

/// `lint --format json`.
struct LintJSON: Encodable {
    struct Item: Encodable {
        var rule: String, severity: String, revision: String, path: String, line: Int, message: String, fix: String
        init(_ f: LintFinding) {
            (rule, severity, revision, path, line, message, fix) = (f.rule.rawValue, f.severity.rawValue, f.revision, f.path, f.line, f.message, f.fix)
        }
    }
    var checked: Int
    var dialect: String?
    var findings: [Item]
}

extension LintFinding {
    /// As a graph problem, for the annotation and SARIF writers (the rule goes in front of the message).
    var asProblem: GraphProblem {
        GraphProblem(kind: .lint, severity: severity, path: path, line: line, revisions: [revision],
                     message: "[\(rule.rawValue)] \(message)", fix: fix)
    }
}

extension String {
    /// `[rule] message` → `rule`.
    var ruleID: String? {
        guard hasPrefix("["), let close = firstIndex(of: "]") else { return nil }
        return String(self[index(after: startIndex)..<close])
    }
}
