import ArgumentParser
import Foundation
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Hooks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install, remove or inspect revgraph's git hooks (pre-commit, pre-push, post-merge).",
            subcommands: [Install.self, Uninstall.self, Status.self, Print.self])

        struct Target: ParsableArguments {
            @Option(name: .customLong("repo"), help: "The git repository (default: discovered from the current directory).")
            var repo: String?
            @Option(name: .customLong("hook"), help: "pre-commit, pre-push or post-merge; repeatable (default: all three).")
            var hooks: [String] = []

            func validate() throws {
                for h in hooks where !HookScript.names.contains(h) {
                    throw ValidationError("unknown hook '\(h)'; expected \(HookScript.names.joined(separator: ", "))")
                }
            }

            var selected: [String] { hooks.isEmpty ? HookScript.names : hooks }

            /// The directory git runs hooks from (core.hooksPath, worktrees and $GIT_DIR honoured).
            func directory() throws -> String {
                do {
                    let repository = try GitRepository(discovering: repo ?? FileManager.default.currentDirectoryPath)
                    return normalizePath(try repository.hooksDirectory())
                } catch {
                    Output.error("\(error)")
                    throw Exit.couldNotRun
                }
            }
        }

        enum State: String { case installed, outdated, chained, foreign, missing }

        static func state(_ name: String, in dir: String) -> (State, String) {
            let path = dir + "/" + name
            let chained = FileManager.default.fileExists(atPath: path + HookScript.chainedSuffix)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (.missing, "not installed") }
            guard text.contains(HookScript.marker) else { return (.foreign, "another hook is installed (not revgraph's)") }
            if text != HookScript.text(name) { return (.outdated, "revgraph's hook, from another version: run 'revgraph hooks install' to update") }
            return chained ? (.chained, "installed; runs the previous hook (\(name)\(HookScript.chainedSuffix)) first") : (.installed, "installed")
        }

        struct Install: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Install the hooks. An existing hook is kept and chained (it runs first; its failure stops the hook).")
            @OptionGroup var target: Target
            @Flag(name: .customLong("force"), help: "Rewrite revgraph's hook even if it was edited by hand.") var force = false

            func run() throws {
                let dir = try target.directory()
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    Output.error("cannot create the hooks directory '\(dir)'")
                    throw Exit.couldNotRun
                }
                var out = ""
                for name in target.selected {
                    let path = dir + "/" + name
                    let (state, _) = Hooks.state(name, in: dir)
                    switch state {
                    case .installed, .chained:
                        out += "\(name): already installed in \(dir)\n"
                        continue
                    case .outdated where !force:
                        out += "\(name): revgraph's hook differs from this version's (edited, or older); pass --force to rewrite it\n"
                        continue
                    case .foreign:
                        // Keep the user's hook: move it aside (never over an existing file) and chain it.
                        if link(path, path + HookScript.chainedSuffix) != 0 {
                            Output.error("cannot keep the existing \(name) hook: '\(path)\(HookScript.chainedSuffix)' already exists; move it away first")
                            throw Exit.couldNotRun
                        }
                        out += "\(name): kept the existing hook as \(name)\(HookScript.chainedSuffix); it runs first\n"
                    default: break
                    }
                    try writeHook(path, HookScript.text(name))
                    out += "\(name): installed in \(dir)\n"
                }
                Output.write(out)
            }

            /// Writes the hook beside its final name, then renames it into place (atomic), executable.
            func writeHook(_ path: String, _ text: String) throws {
                let temp = path + ".revgraph-tmp-\(getpid())"
                guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755]),
                      rename(temp, path) == 0
                else {
                    unlink(temp)
                    Output.error("cannot write '\(path)': \(String(cString: strerror(errno)))")
                    throw Exit.couldNotRun
                }
            }
        }

        struct Uninstall: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove the hooks and restore exactly what was there before.")
            @OptionGroup var target: Target

            func run() throws {
                let dir = try target.directory()
                var out = ""
                for name in target.selected {
                    let path = dir + "/" + name
                    let (state, _) = Hooks.state(name, in: dir)
                    switch state {
                    case .missing:
                        out += "\(name): not installed\n"
                    case .foreign:
                        out += "\(name): left alone (not revgraph's hook)\n"
                    default:
                        let chained = path + HookScript.chainedSuffix
                        if FileManager.default.fileExists(atPath: chained) {
                            guard rename(chained, path) == 0 else {
                                Output.error("cannot restore '\(chained)': \(String(cString: strerror(errno)))")
                                throw Exit.couldNotRun
                            }
                            out += "\(name): removed; the previous hook is back\n"
                        } else {
                            unlink(path)
                            out += "\(name): removed\n"
                        }
                    }
                }
                Output.write(out)
            }
        }

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Say which hooks are installed, chained or missing.")
            @OptionGroup var target: Target

            func run() throws {
                let dir = try target.directory()
                var out = "hooks directory: \(dir)\n"
                for name in target.selected {
                    let (state, detail) = Hooks.state(name, in: dir)
                    out += "\(name): \(state.rawValue) (\(detail))\n"
                }
                Output.write(out)
            }
        }

        struct Print: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print a hook script (the files in hooks/ are these).")
            @Argument(help: "pre-commit, pre-push or post-merge.") var name: String
            func validate() throws {
                if !HookScript.names.contains(name) { throw ValidationError("unknown hook '\(name)'") }
            }
            func run() throws { Output.write(HookScript.text(name)) }
        }
    }
}
