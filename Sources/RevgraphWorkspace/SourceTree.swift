import Glibc
import RevgraphGit

/// A file a tree lists: its path in the tree, and a key that changes whenever its content may have.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    /// A git blob id for git trees (the parse cache's key); nil for the work tree.
    public var blobID: String?
    /// The work tree's stat data (the parse cache's key there); nil in git.
    public var stat: FileStat?

    public init(path: String, blobID: String?, stat: FileStat? = nil) {
        self.path = path
        self.blobID = blobID
        self.stat = stat
    }
}

/// Where a project's files come from: the work tree, a commit, or the index.
public protocol SourceTree {
    /// How paths are shown: absolute in the work tree, repository-relative in git.
    var name: String { get }
    /// The directory `%(here)s` and relative paths start from, for a config file at `path`.
    func directory(of path: String) -> String
    /// The file's bytes, or nil when there is no such file.
    func read(_ path: String) throws(WorkspaceError) -> [UInt8]?
    /// The files of a directory, in Alembic's walk order (sorted names; subdirectories after, sorted,
    /// when `recursive`); nil when the directory does not exist.
    func files(in directory: String, recursive: Bool) throws(WorkspaceError) -> [SourceFile]?
    /// Paths of the files under `root` ("" or "." for the whole tree) whose name `matches`, at any
    /// depth, not entering directories named in `skipping`, submodules or nested repositories.
    func find(under root: String, skipping: Set<String>, matching: (String) -> Bool) throws(WorkspaceError) -> [String]
}

/// Python's `sorted()` on names: code-point order, which is UTF-8 byte order.
func pythonSorted(_ names: [String]) -> [String] {
    names.map { (bytes: Array($0.utf8), name: $0) }.sorted { bytesPrecede($0.bytes, $1.bytes) }.map(\.name)
}

/// Byte order by memcmp (a shorter prefix first).
func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    let n = min(a.count, b.count)
    guard n > 0 else { return a.count < b.count }
    let c = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, n) } }
    return c != 0 ? c < 0 : a.count < b.count
}

/// Whether `a` sorts before `b` as UTF-8 bytes (git's order of paths), compared in place.
func bytesPrecede(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in
            let n = min(x.count, y.count)
            let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
            return c != 0 ? c < 0 : x.count < y.count
        }
    }
}

/// Whether `path` starts with the bytes of `prefix`.
func hasBytePrefix(_ path: String, _ prefix: String) -> Bool {
    var path = path, prefix = prefix
    return path.withUTF8 { x in prefix.withUTF8 { p in x.count >= p.count && (p.count == 0 || memcmp(x.baseAddress!, p.baseAddress!, p.count) == 0) } }
}

/// Removes `.` and resolves `..` components; keeps a leading `/`.
public func normalizePath(_ path: String) -> String {
    if isNormal(path) { return path }
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for c in path.split(separator: "/") {
        if c == "." { continue }
        if c == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
        parts.append(c)
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
}

/// Whether `path` has no `.` or `..` component, no empty component and no trailing slash (the
/// common case, answered with one pass over the bytes).
func isNormal(_ path: String) -> Bool {
    let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
    let bytes = path.utf8
    guard !bytes.isEmpty, bytes.last != slash else { return false }
    var length = 0, dots = 0, first = true
    for b in bytes {
        if b == slash {
            if length == 0 {
                if !first { return false }  // `//`; a leading `/` is fine
            } else if dots == length && length <= 2 {
                return false  // `.` or `..`
            }
            length = 0
            dots = 0
        } else {
            length += 1
            if b == dot { dots += 1 }
        }
        first = false
    }
    return !(dots == length && length <= 2)
}
