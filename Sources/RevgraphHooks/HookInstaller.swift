import FoundationEssentials
import Glibc
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
    case symbolicLink(path: String, target: String)
    case asideExists(path: String)

    public var description: String {
        switch self {
        case .workspace(let e): return e.description
        case .cannotCreateDirectory(let d): return "cannot create the hooks directory '\(d)'"
        case .chainedExists(let h, let p):
            return "cannot keep the existing \(h.rawValue) hook: '\(p)' already exists; move it away first"
        case .write(let e): return e.description
        case .cannotRestore(let p, let r): return "cannot restore '\(p)': \(r)"
        case .cannotRemove(let p, let r): return "cannot remove '\(p)': \(r)"
        case .symbolicLink(let p, let t):
            return "'\(p)' is a symbolic link (to '\(t)'); revgraph does not replace links: remove it, or install revgraph's hook where it points"
        case .asideExists(let p): return "cannot keep the edited hook: '\(p)' already exists; move it away first"
        }
    }
}

/// Installs, removes and inspects revgraph's hooks in a hooks directory. A user's own hook is
/// never lost: install keeps it beside ours and chains it; uninstall puts it back.
public struct HookInstaller {
    /// How a hook file stands.
    public enum State: String, Sendable {
        /// Exactly this version's script.
        case installed, chained
        /// Exactly what an earlier version of revgraph wrote: replaced by `install`.
        case older
        /// revgraph's marker, but not the bytes of any version (edited by hand).
        case outdated
        case foreign, missing
        /// A symbolic link (dangling or not): never replaced.
        case symlink
    }

    /// Suffix under which an edited revgraph hook is kept when it is replaced or removed.
    public static let editedSuffix = ".revgraph-edited"

    /// What install or uninstall did to one hook.
    public enum Action: Sendable, Equatable {
        case installed
        case alreadyInstalled
        case keptOutdated
        case chainedExisting
        /// An edited revgraph hook was kept under ``editedSuffix``.
        case keptEdited(String)
        case notInstalled
        case leftForeign
        case removed
        case restoredPrevious
    }

    public let directory: String
    /// The absolute path of the revgraph the scripts try first (the one installing them).
    public let binary: String

    public init(directory: String, binary: String = HookInstaller.runningBinary) {
        self.directory = directory
        self.binary = binary
    }

    /// The directory git runs hooks from (core.hooksPath, worktrees and $GIT_DIR honoured).
    public init(workspace: Workspace, binary: String = HookInstaller.runningBinary) throws(HookError) {
        let repository: GitRepository
        do { repository = try workspace.repository() } catch { throw .workspace(error) }
        do { directory = normalizePath(try repository.hooksDirectory()) } catch { throw .workspace(.git(error)) }
        self.binary = binary
    }

    /// This process's executable (`/proc/self/exe`), or "" when it cannot be told.
    public static var runningBinary: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func path(_ hook: HookName) -> String { directory + "/" + hook.rawValue }

    func linkTarget(_ path: String) -> String { (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?" }

    /// Moves an edited revgraph hook to `<path>.revgraph-edited` (never over a file); returns where.
    func keepEdited(_ path: String) throws(HookError) -> String {
        let aside = path + Self.editedSuffix
        guard link(path, aside) == 0 else { throw .asideExists(path: aside) }
        unlink(path)
        return aside
    }

    /// The hook's state and a sentence about it.
    /// The hook's state and a sentence about it. Files are compared as bytes: only an exact copy
    /// of this version's script is revgraph's to replace or remove.
    public func state(_ hook: HookName) -> (State, String) {
        let path = path(hook)
        var st = stat()
        guard lstat(path, &st) == 0 else { return (.missing, "not installed") }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            return (.symlink, "a symbolic link to '\(linkTarget(path))'; revgraph leaves links alone")
        }
        let chained = FileManager.default.fileExists(atPath: path + HookScript.chainedSuffix)
        guard let data = FileManager.default.contents(atPath: path) else { return (.foreign, "another hook is installed (unreadable)") }
        let text = String(decoding: data, as: UTF8.self)
        let recorded = HookScript.recordedBinary(in: text) ?? ""
        let ours = Array(HookScript.text(hook, binary: recorded).utf8)
        if [UInt8](data) != ours {
            if HookScript.previousTexts(hook).contains(where: { Array($0.utf8) == [UInt8](data) }) {
                return (.older, "revgraph's hook from an earlier version: 'revgraph hooks install' updates it")
            }
            let isOurs = data.starts(with: Array("#!/bin/sh".utf8)) && HookScript.markers.contains { m in
                [UInt8](data).firstRange(of: Array(("\n" + m + "\n").utf8)) != nil
            }
            return isOurs
                ? (.outdated, "revgraph's hook, edited or from another version: 'revgraph hooks install --force' keeps it as \(hook.rawValue)\(Self.editedSuffix) and installs this one")
                : (.foreign, "another hook is installed (not revgraph's)")
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
        case .installed, .chained:
            // The same script recording another binary (revgraph moved, or another one installs): rewritten.
            let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if HookScript.recordedBinary(in: text) == binary { return [.alreadyInstalled] }
        case .older: break  // replaced in place; a chained hook beside it stays chained
        case .outdated where !force: return [.keptOutdated]
        case .outdated:
            actions.append(.keptEdited(try keepEdited(path)))
        case .symlink: throw .symbolicLink(path: path, target: linkTarget(path))
        case .foreign:
            if link(path, path + HookScript.chainedSuffix) != 0 {
                throw .chainedExists(hook: hook, path: path + HookScript.chainedSuffix)
            }
            actions.append(.chainedExisting)
        default: break
        }
        do { try AtomicFile.replace(path, contents: Array(HookScript.text(hook, binary: binary).utf8), mode: 0o755) } catch {
            throw .write(error)
        }
        return actions + [.installed]
    }

    /// Removes one hook and restores exactly what was there before.
    public func uninstall(_ hook: HookName) throws(HookError) -> Action {
        let path = path(hook)
        let current = state(hook).0
        switch current {
        case .missing: return .notInstalled
        case .foreign, .symlink: return .leftForeign
        default:
            // An edited revgraph hook is the user's work: kept aside, never deleted.
            let kept = current == .outdated ? try keepEdited(path) : nil
            let chained = path + HookScript.chainedSuffix
            if FileManager.default.fileExists(atPath: chained) {
                guard rename(chained, path) == 0 else {
                    throw .cannotRestore(path: chained, reason: String(cString: strerror(errno)))
                }
                return kept.map { .keptEdited($0) } ?? .restoredPrevious
            }
            if let kept { return .keptEdited(kept) }
            guard unlink(path) == 0 else { throw .cannotRemove(path: path, reason: String(cString: strerror(errno))) }
            return .removed
        }
    }
}
