import Glibc

/// The command lines of the commands that run in every commit and CI job (`heads`, and
/// `hook pre-commit` as the installed hook runs it), read without ArgumentParser.
/// ArgumentParser builds its view of a command by reflection, and the first reflection in a
/// process pays for type metadata and protocol-conformance scans over every conformance record in
/// the binary: about 11 M instructions, a third of a warm `heads` at 1,000 revisions (callgrind).
/// This reader takes only plain spellings (`--name value`, `--name=value`, `-c value`, each option
/// and flag at most once, nothing positional but the hook's name right after `hook`) of the
/// options the command declares, fills the same `ProjectOptionValues`, checks them with the same
/// validation, and runs the same function. Anything else (help, `--merge-with`, a value that
/// starts with '-', an unknown or repeated option, a usage error, the other hooks) is left to
/// ArgumentParser, so every message and exit code stays ArgumentParser's. For the tests that
/// compare the two, `REVGRAPH_ARGUMENT_PARSER=1` sends every command line to ArgumentParser, and
/// `REVGRAPH_ARGUMENT_PARSER=quick` makes a line this reader leaves a usage error (exit 64) instead.
struct QuickArguments {
    private(set) var project = ProjectOptionValues()
    /// The command's own flags and options that were given, by long name.
    private(set) var flags: Set<String> = []
    private(set) var values: [String: String] = [:]

    /// The project options every read command declares (ProjectOptionGroup), by spelling:
    /// the long name they stand for. `-x` is not here (it is always a usage error).
    private static let projectFlags: [String: String] = [
        "-q": "quiet", "--quiet": "quiet", "--raiseerr": "raiseerr", "--recursive": "recursive",
        "--staged": "staged", "--no-owner-check": "no-owner-check", "--django": "django",
    ]
    private static let projectOptions: [String: String] = [
        "-c": "config", "--config": "config", "-n": "name", "--name": "name", "--versions": "versions",
        "--define": "define", "--project": "project", "--at": "at", "--repo": "repo", "--max-heads": "max-heads",
    ]
    /// Options that may be given more than once (arrays in ProjectOptionGroup).
    private static let repeatable: Set<String> = ["config", "versions", "define"]

    /// Reads `arguments` (after the subcommand) against the project options and the command's
    /// own `flags` and `options` (spelling: long name); nil when anything is outside that.
    init?(_ arguments: ArraySlice<String>, flags commandFlags: [String: String], options commandOptions: [String: String]) {
        var seen: Set<String> = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let token = arguments[i]
            i += 1
            var spelling = token
            var attached: String?
            if token.hasPrefix("--"), let eq = token.firstIndex(of: "=") {
                spelling = String(token[..<eq])
                attached = String(token[token.index(after: eq)...])
            }
            if attached == nil, let name = Self.projectFlags[spelling] ?? commandFlags[spelling] {
                guard seen.insert(name).inserted else { return nil }
                if commandFlags[spelling] != nil { flags.insert(name) } else { project.setFlag(name) }
                continue
            }
            guard let name = Self.projectOptions[spelling] ?? commandOptions[spelling] else { return nil }
            guard seen.insert(name).inserted || Self.repeatable.contains(name) else { return nil }
            let value: String
            if let attached {
                value = attached
            } else {
                guard i < arguments.endIndex else { return nil }
                value = arguments[i]
                i += 1
            }
            // An empty value (`--format=`) is ArgumentParser's usage error (exit 64), as is one that looks like an option.
            guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
            if commandOptions[spelling] != nil {
                values[name] = value
            } else if !project.setOption(name, value) {
                return nil
            }
        }
        guard project.validationMessage == nil else { return nil }
    }

    /// Runs the command `arguments` (after the global options' reordering) names when this reader
    /// reads its whole line; false when it is left to ArgumentParser.
    static func run(_ arguments: [String]) throws -> Bool {
        let mode = getenv("REVGRAPH_ARGUMENT_PARSER").map { String(cString: $0) }
        if mode == "quick" {
            guard try read(arguments) else { throw CLIError.usage("left to ArgumentParser: \(arguments.joined(separator: " "))") }
            return true
        }
        return try mode == nil && read(arguments)
    }

    private static func read(_ arguments: [String]) throws -> Bool {
        // The pre-commit hook (git gives it no arguments; pre-push and post-merge take git's).
        if arguments.count >= 2, arguments[0] == "hook", arguments[1] == "pre-commit" {
            guard let q = QuickArguments(arguments.dropFirst(2), flags: [:], options: [:]) else { return false }
            try Revgraph.Hook.run(.preCommit, selection: q.project.selection, gitArguments: [])
            return true
        }
        guard arguments.first == "heads",
              let q = QuickArguments(arguments.dropFirst(),
                                     flags: ["-v": "verbose", "--verbose": "verbose", "--resolve-dependencies": "resolve-dependencies"],
                                     options: ["--format": "format"]),
              let format = q.values["format"].map({ OutputFormat(rawValue: $0) }) ?? .text  // an unknown format: nil
        else { return false }
        try Revgraph.Heads.run(q.project, verbose: q.flags.contains("verbose"),
                               resolveDependencies: q.flags.contains("resolve-dependencies"), format: format, mergeWith: nil)
        return true
    }
}

private extension ProjectOptionValues {
    mutating func setFlag(_ name: String) {
        switch name {
        case "recursive": recursive = true
        case "staged": staged = true
        case "no-owner-check": noOwnerCheck = true
        case "django": django = true
        default: break  // quiet, raiseerr: accepted for alembic compatibility, no effect
        }
    }

    /// False when the value is not one ArgumentParser would take (a count that is not an integer).
    mutating func setOption(_ name: String, _ value: String) -> Bool {
        switch name {
        case "config": config.append(value)
        case "name": self.name = value
        case "versions": versions.append(value)
        case "define": define.append(value)
        case "project": project = value
        case "at": at = value
        case "repo": repo = value
        case "max-heads":
            guard let n = Int(value) else { return false }
            maxHeads = n
        default: return false
        }
        return true
    }
}
