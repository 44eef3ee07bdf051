import ArgumentParser
import FoundationEssentials
import Glibc
import RevgraphHooks
import RevgraphWorkspace

extension Revgraph {
    struct Hooks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hooks",
            abstract: "Install, remove or inspect revgraph's git hooks (pre-commit, pre-merge-commit, pre-push, post-merge).",
            subcommands: [Install.self, Uninstall.self, Status.self, Print.self])

        struct Target: ParsableArguments {
            @Option(name: .customLong("repo"), help: "The git repository (default: discovered from the current directory).")
            var repo: String?
            @Option(name: .customLong("hook"), help: "pre-commit, pre-merge-commit, pre-push or post-merge; repeatable (default: all four).")
            var hooks: [HookName] = []

            var selected: [HookName] { hooks.isEmpty ? HookName.allCases : hooks }

            func installer() throws -> HookInstaller {
                var selection = ProjectSelection(currentDirectory: FileManager.default.currentDirectoryPath)
                selection.repository = repo
                return try HookInstaller(workspace: Workspace(selection))
            }
        }

        struct Install: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "install",
                abstract: "Install the hooks. An existing hook is kept and chained (it runs first; its failure stops the hook).")
            @OptionGroup var target: Target
            @Flag(name: .customLong("force"), help: "Rewrite revgraph's hook even if it was edited by hand.") var force = false

            func run() throws {
                let installer = try target.installer()
                var out = ""
                for hook in target.selected {
                    let name = hook.rawValue
                    for action in try installer.install(hook, force: force) {
                        switch action {
                        case .alreadyInstalled: out += "\(name): already installed in \(installer.directory)\n"
                        case .keptOutdated:
                            out += "\(name): revgraph's hook differs from this version's (edited, or older); pass --force to rewrite it\n"
                        case .chainedExisting:
                            out += "\(name): kept the existing hook as \(name)\(HookScript.chainedSuffix); it runs first\n"
                        case .keptEdited(let path):
                            out += "\(name): kept the edited revgraph hook as \(path)\n"
                        default: out += "\(name): installed in \(installer.directory)\n"
                        }
                    }
                }
                Output.write(out)
            }
        }

        struct Uninstall: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the hooks and restore exactly what was there before.")
            @OptionGroup var target: Target

            func run() throws {
                let installer = try target.installer()
                var out = ""
                for hook in target.selected {
                    switch try installer.uninstall(hook) {
                    case .notInstalled: out += "\(hook.rawValue): not installed\n"
                    case .leftForeign: out += "\(hook.rawValue): left alone (not revgraph's hook)\n"
                    case .restoredPrevious: out += "\(hook.rawValue): removed; the previous hook is back\n"
                    case .keptEdited(let path):
                        out += "\(hook.rawValue): removed; it had been edited, so it is kept as \(path)\n"
                    default: out += "\(hook.rawValue): removed\n"
                    }
                }
                Output.write(out)
            }
        }

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "status", abstract: "Say which hooks are installed, chained or missing.")
            @OptionGroup var target: Target

            func run() throws {
                let installer = try target.installer()
                var out = "hooks directory: \(installer.directory)\n"
                for hook in target.selected {
                    let (state, detail) = installer.state(hook)
                    out += "\(hook.rawValue): \(state.rawValue) (\(detail))\n"
                }
                Output.write(out)
            }
        }

        struct Print: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "print", abstract: "Print a hook script (the files in hooks/ are these).")
            @Argument(help: "pre-commit, pre-merge-commit, pre-push or post-merge.") var name: HookName
            func run() throws { Output.write(HookScript.text(name)) }
        }
    }
}
