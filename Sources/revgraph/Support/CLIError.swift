import RevgraphCore
import RevgraphDatabase
import RevgraphGit
import RevgraphHooks
import RevgraphLedger
import RevgraphWorkspace

/// The CLI's one error: a library error, or a usage error, with its exit code and the advice
/// that names revgraph's flags. Commands throw; ``Revgraph/main()`` prints it once and exits.
struct CLIError: Error {
    var code: Int32
    /// nil: the command already reported what it found (exit 1 after findings).
    var message: String?

    /// Findings were printed; exit 1.
    static let problems = CLIError(code: Exit.problems, message: nil)

    static func usage(_ message: String) -> CLIError { CLIError(code: Exit.usage, message: message) }
    static func couldNotRun(_ message: String) -> CLIError { CLIError(code: Exit.couldNotRun, message: message) }

    /// Maps any error a library throws; nil for errors argument-parser reports itself.
    static func from(_ error: any Error) -> CLIError? {
        switch error {
        case let e as CLIError: return e
        case let e as WorkspaceError: return .couldNotRun(e.description + advice(e))
        case let e as GitError: return .couldNotRun(e.description + advice(e))
        case let e as DatabaseError: return .couldNotRun(e.description + advice(e))
        case let e as LedgerError:
            switch e {
            case .database(let d): return from(d)
            case .workspace(let w): return from(w)
            case .notApplied: return .usage(e.description)
            }
        case let e as HookError:
            if case .workspace(let w) = e { return from(w) }
            return .couldNotRun(e.description)
        case let e as RevisionGraphError:
            let text = e.description + (e.advice.map { "; \($0)" } ?? "")
            if case .cycle = e { return CLIError(code: Exit.problems, message: text) }
            return .usage(text)
        case let e as DjangoMergeError:
            return e.isUsage ? .usage(e.description) : .couldNotRun(e.description)
        case let e as MergeError:
            if case .graph(let g) = e { return from(g) }
            let text = e.description + advice(e)
            return e.isUsage ? .usage(text) : .couldNotRun(text)
        default: return nil
        }
    }

    static func advice(_ e: WorkspaceError) -> String {
        switch e {
        case .noConfig: return "; run from the project directory, pass -c FILE, or pass --versions DIR"
        case .configNotFound: return "; check the -c/--config path"
        case .config(let c):
            switch c {
            case .missingSection: return "; name the section with -n/--name or fix the file"
            case .missingScriptLocation, .packageResource: return ", or pass --versions DIR"
            default: return ""
            }
        case .scriptLocationMissing: return ""
        case .noVersionLocation: return "; fix version_locations or pass --versions DIR"
        case .notInRepository: return "; pass --repo DIR"
        case .submodule: return "; run revgraph with --repo pointing at the submodule"
        case .git(let g): return advice(g)
        case .unreadable, .notRegularFile, .tooLarge: return ""
        case .projectPathMissing: return "; fix the path, or remove the project from the file"
        case .severalProjects: return "; pick one with --project NAME or -c FILE, or check them all with 'revgraph check --all-projects'"
        case .severalDjangoProjects: return "; run it from inside one of them, or pick one with --project NAME"
        case .unknownProject: return " (--project)"
        case .noRepository: return "; run revgraph inside the repository or pass --repo DIR"
        case .emptyRepository: return "; commit something first, or read the work tree (drop --at/--staged)"
        case .unknownRevision: return "; check the name with 'git rev-parse', or 'git fetch' if it is a remote branch"
        case .corruptRepository: return "; run 'git fsck' and restore the damaged objects (for example by cloning again)"
        }
    }

    static func advice(_ e: GitError) -> String { e.isOwnership ? " (or pass --no-owner-check)" : "" }

    static func advice(_ e: DatabaseError) -> String {
        switch e {
        case .noDatabaseURL: return ": pass --db URL, set REVGRAPH_DATABASE_URL, or set sqlalchemy.url in the config"
        case .clientLibrary: return "; install libpq (Debian: apt-get install libpq5), or use the packaged revgraph, which carries it"
        default: return ""
        }
    }

    static func advice(_ e: MergeError) -> String {
        switch e {
        case .notAHead: return "; please specify --splice to create a new branch from this revision"
        case .revisionExists: return "; pass another --rev-id"
        case .multipleVersionLocations: return ", please specify --version-path"
        case .badDate: return " (--date)"
        case .templateUnreadable, .templateRefused: return "; restore it, or pass --builtin-template to use Alembic's generic template"
        case .templateUnsupported: return "; simplify the template, or pass --builtin-template"
        case .noConfig: return "; run it where alembic.ini is, or pass -c FILE"
        case .write(.exists): return " (pass another --rev-id or message)"
        default: return ""
        }
    }
}
