import RevgraphCore
import RevgraphGit
import Glibc

/// A commit's tree or the index, read from git's object database with no checkout.
/// Paths are relative to the repository root.
public final class GitSourceTree: SourceTree {
    public enum Kind {
        case commit(GitObjectID, spec: String)
        case index
        /// A set of files computed in memory (a prospective merge), with a name to show.
        case files([String: GitObjectID], name: String)
    }

    let repository: GitRepository
    let kind: Kind
    private let tree: GitTree?
    /// The index's files (or a computed set's), sorted by path bytes: a directory is one range.
    private let staged: [GitFile]?
    /// Submodules of the index (gitlinks), which hold no files of this repository.
    private var submodules = Set<String>()
    /// Blob ids learnt from directory listings, so reading a listed file needs no path lookup.
    private var listed: [String: GitObjectID] = [:]
    /// Listings of commit trees shared by the trees of one workspace: a hook compares the index
    /// with HEAD and with the upstream, which are often the same commit.
    let listings: ListingCache?

    public init(repository: GitRepository, kind: Kind, listings: ListingCache? = nil) throws(WorkspaceError) {
        self.repository = repository
        self.kind = kind
        self.listings = listings
        do {
            switch kind {
            case .commit(let id, _):
                tree = try repository.tree(ofCommit: id)
                staged = nil
            case .index:
                tree = nil
                let entries = try repository.stagedEntries()
                // git keeps the index sorted by path bytes, unless core.ignorecase sorts it without case.
                staged = Self.sortedByBytes(entries.files)
                submodules = entries.submodules
            case .files(let files, _):
                tree = nil
                staged = Self.sortedByBytes(files.map { GitFile(path: $0.key, blob: $0.value) })
            }
        } catch {
            throw .git(error)
        }
    }

    public var name: String {
        switch kind {
        case .commit(let id, let spec): return "\(spec) (\(id.hex.prefix(12)))"
        case .index: return "index"
        case .files(_, let name): return name
        }
    }

    public func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    func key(_ path: String) -> String { normalizePath(path) == "." ? "" : normalizePath(path) }

    public func read(_ path: String) throws(WorkspaceError) -> [UInt8]? {
        do {
            if let tree {
                if let id = listed[key(path)] { return try repository.blob(id) }
                return try tree.read(key(path))
            }
            guard let staged, let i = Self.position(of: key(path), in: staged) else { return nil }
            return try repository.blob(staged[i].blob)
        } catch {
            throw .git(error)
        }
    }

    public func files(in directory: String, recursive: Bool) throws(WorkspaceError) -> [SourceFile]? {
        guard case .commit(let id, _) = kind, let listings else { return try list(directory, recursive: recursive) }
        let cacheKey = "\(id.hex)|\(recursive ? 1 : 0)|\(key(directory))"
        if let hit = listings.entries[cacheKey] { return hit }
        let files = try list(directory, recursive: recursive)
        listings.entries[cacheKey] = .some(files)  // nil (no such directory) is kept too
        return files
    }

    private func list(_ directory: String, recursive: Bool) throws(WorkspaceError) -> [SourceFile]? {
        let dir = key(directory)
        var found: [GitFile]
        do {
            if let tree {
                guard let f = try tree.files(in: dir, recursive: recursive) else {
                    if try tree.isSubmodule(dir) { throw WorkspaceError.submodule(path: dir) }
                    return nil
                }
                found = f
            } else {
                if submodules.contains(dir) { throw WorkspaceError.submodule(path: dir) }
                let prefix = dir.isEmpty ? "" : dir + "/"
                found = Array(staged![Self.range(under: prefix, in: staged!)])
                if found.isEmpty { return nil }
                let skip = prefix.utf8.count
                if !recursive { found = found.filter { !$0.path.utf8.dropFirst(skip).contains(UInt8(ascii: "/")) } }
            }
        } catch let e as GitError {
            throw .git(e)
        } catch let e as WorkspaceError {
            throw e
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
        // A tree's reads find listed files by path (the index's by binary search).
        if tree != nil { for f in found { listed[f.path] = f.blob } }
        // One directory (the common case): its files share the prefix, so sorting the paths as
        // bytes sorts the names. The index and a well-formed tree list them so already.
        if !recursive {
            return Self.sortedByBytes(found).map { SourceFile(path: $0.path, blobID: $0.blob.hex) }
        }
        // Alembic's walk order: a directory's files sorted, then its subdirectories, sorted, depth first.
        // Each path is split once; the sort compares the parts as bytes.
        let prefix = dir.isEmpty ? "" : dir + "/"
        let keyed: [(parts: [[UInt8]], file: GitFile)] = found.compactMap { f in
            let parts = f.path.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: "/")).map(Array.init)
            if parts.dropLast().contains(where: { $0.count >= 11 && $0.suffix(11).elementsEqual("__pycache__".utf8) }) {
                return nil
            }
            return (parts, f)
        }
        func order(_ a: [[UInt8]], _ b: [[UInt8]]) -> Bool {
            for k in 0..<min(a.count, b.count) {
                let aIsFile = k == a.count - 1, bIsFile = k == b.count - 1
                if aIsFile != bIsFile { return aIsFile }
                if a[k] != b[k] { return a[k].lexicographicallyPrecedes(b[k]) }
            }
            return a.count < b.count
        }
        return keyed.sorted { order($0.parts, $1.parts) }.map { SourceFile(path: $0.file.path, blobID: $0.file.blob.hex) }
    }

    public func find(under root: String, skipping: Set<String>, matching: (String) -> Bool) throws(WorkspaceError)
        -> [String]
    {
        let prefix = key(root).isEmpty ? "" : key(root) + "/"
        // The name is tested first (most paths fail there); only a match has its directories split.
        func allowed(_ path: String) -> Bool {
            guard matching(lastPathComponent(path)) else { return false }
            let parts = path.dropFirst(prefix.count).split(separator: "/")
            return !parts.dropLast().contains { skipping.contains(String($0)) }
        }
        if let tree {
            do {
                return try tree.find(skipping: skipping, matching: matching).map(\.path)
                    .filter { $0.hasPrefix(prefix) && allowed($0) }
            } catch {
                throw .git(error)
            }
        }
        return staged![Self.range(under: prefix, in: staged!)].map(\.path).filter(allowed).sorted()
    }
}

extension GitSourceTree {
    /// `files` sorted by path bytes; as they are when already so (the index, a well-formed tree).
    static func sortedByBytes(_ files: [GitFile]) -> [GitFile] {
        if zip(files, files.dropFirst()).allSatisfy({ !bytesPrecede($1.path, $0.path) }) { return files }
        return files.sorted { bytesPrecede($0.path, $1.path) }
    }

    /// The first position whose path does not sort before `bytes` (paths sorted as bytes).
    static func lowerBound(_ path: String, in files: [GitFile]) -> Int {
        var lo = 0, hi = files.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if bytesPrecede(files[mid].path, path) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Where `path` is, by a binary search.
    static func position(of path: String, in files: [GitFile]) -> Int? {
        let i = lowerBound(path, in: files)
        return i < files.count && files[i].path.sameCodePoints(path) ? i : nil
    }

    /// The files whose paths start with `prefix` ("" for all), in order: one contiguous range.
    static func range(under prefix: String, in files: [GitFile]) -> Range<Int> {
        guard !prefix.isEmpty else { return files.indices }
        var end = lowerBound(prefix, in: files)
        let start = end
        while end < files.count, hasBytePrefix(files[end].path, prefix) { end += 1 }
        return start..<end
    }
}

/// Directory listings of commit trees by commit, directory and recursion (a commit's tree never
/// changes). One per workspace, which is one thread's.
public final class ListingCache {
    var entries: [String: [SourceFile]?] = [:]
    public init() {}
}
