import Foundation
import RevgraphGit
import RevgraphWorkspace

/// Why hooks could not be installed or removed.
public enum HookError: Error, Sendable, CustomStringConvertible {
    case workspace(WorkspaceError)
    case cannotCreateDirectory(String)
    case chainedExists(hook: HookName, path: String)
    case write(AtomicFile.WriteError)
    case cannotRestore(path: String, reason: String)
    case cannotRemove(path: String, reason: String)

    public var description: String {
        switch self {
        case .workspace(let e): return e.description
        case .cannotCreateDirectory(let d): return "cannot create the hooks directory '\(d)'"
        case .chainedExists(let h, let p):
            return "cannot keep the existing \(h.rawValue) hook: '\(p)' already exists; move it away first"
        case .write(let e): return e.description
        case .cannotRestore(let p, let r): return "cannot restore '\(p)': \(r)"
        case .cannotRemove(let p, let r): return "cannot remove '\(p)': \(r)"
        }
    }
}

/// Installs, removes and inspects revgraph's hooks in a hooks directory. A user's own hook is
/// never lost: install keeps it beside ours and chains it; uninstall puts it back.
public struct HookInstaller {
    /// How a hook file stands.
    public enum State: String, Sendable {
        case installed, outdated, chained, foreign, missing
    }

    /// What install or uninstall did to one hook.
    public enum Action: Sendable, Equatable {
        case installed
        case alreadyInstalled
        case keptOutdated
        case chainedExisting
        case notInstalled
        case leftForeign
        case removed
        case restoredPrevious
    }

    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The directory git runs hooks from (core.hooksPath, worktrees and $GIT_DIR honoured).
    public init(workspace: Workspace) throws(HookError) {
        let repository: GitRepository
        do { repository = try workspace.repository() } catch { throw .workspace(error) }
        do { directory = normalizePath(try repository.hooksDirectory()) } catch { throw .workspace(.git(error)) }
    }

    func path(_ hook: HookName) -> String { directory + "/" + hook.rawValue }

    /// The hook's state and a sentence about it.
    public func state(_ hook: HookName) -> (State, String) {
        let path = path(hook)
        let chained = FileManager.default.fileExists(atPath: path + HookScript.chainedSuffix)
        guard let data = FileManager.default.contents(atPath: path) else { return (.missing, "not installed") }
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(HookScript.marker) else { return (.foreign, "another hook is installed (not revgraph's)") }
        if text != HookScript.text(hook) {
            return (.outdated, "revgraph's hook, from another version: run 'revgraph hooks install' to update")
        }
        return chained ? (.chained, "installed; runs the previous hook (\(hook.rawValue)\(HookScript.chainedSuffix)) first")
            : (.installed, "installed")
    }

    /// Installs one hook. An existing foreign hook is kept (hard-linked to the chained name,
    /// never over an existing file) and runs first.
    /// - Parameter force: rewrite revgraph's hook even when it differs from this version's.
    public func install(_ hook: HookName, force: Bool) throws(HookError) -> [Action] {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .cannotCreateDirectory(directory)
        }
        let path = path(hook)
        var actions: [Action] = []
        switch state(hook).0 {
        case .installed, .chained: return [.alreadyInstalled]
        case .outdated where !force: return [.keptOutdated]
        case .foreign:
            if link(path, path + HookScript.chainedSuffix) != 0 {
                throw .chainedExists(hook: hook, path: path + HookScript.chainedSuffix)
            }
            actions.append(.chainedExisting)
        default: break
        }
        do { try AtomicFile.replace(path, contents: Array(HookScript.text(hook).utf8), mode: 0o755) } catch {
            throw .write(error)
        }
        return actions + [.installed]
    }

    /// Removes one hook and restores exactly what was there before.
    public func uninstall(_ hook: HookName) throws(HookError) -> Action {
        let path = path(hook)
        switch state(hook).0 {
        case .missing: return .notInstalled
        case .foreign: return .leftForeign
        default:
            let chained = path + HookScript.chainedSuffix
            if FileManager.default.fileExists(atPath: chained) {
                guard rename(chained, path) == 0 else {
                    throw .cannotRestore(path: chained, reason: String(cString: strerror(errno)))
                }
                return .restoredPrevious
            }
            guard unlink(path) == 0 else { throw .cannotRemove(path: path, reason: String(cString: strerror(errno))) }
            return .removed
        }
    }
}
