import FoundationEssentials
import Glibc
import RevgraphCore

/// The work tree: plain files, paths as the config gives them (relative to the current directory).
public struct FileSystemTree: SourceTree, Sendable {
    public let currentDirectory: String

    public init(currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.currentDirectory = currentDirectory
    }

    public var name: String { "work tree" }

    /// The most directory entries a search for configs visits.
    public static let maxWalkEntries = 200_000

    /// The largest file revgraph reads (a migration or a config is a few kilobytes).
    public static let maxFileSize = 16 << 20

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : normalizePath(currentDirectory.joiningPath(path))
    }

    public func directory(of path: String) -> String {
        let abs = absolute(path)
        guard let slash = abs.lastIndex(of: "/") else { return "." }
        return abs == "/" ? "/" : String(abs[..<slash]).isEmpty ? "/" : String(abs[..<slash])
    }

    public func read(_ path: String) throws(WorkspaceError) -> [UInt8]? {
        let abs = absolute(path)
        // Never block: a FIFO or a device named like a migration is refused, not opened for reading.
        var pre = stat()
        if stat(abs, &pre) == 0, (pre.st_mode & S_IFMT) != S_IFREG, (pre.st_mode & S_IFMT) != S_IFDIR {
            throw .notRegularFile(path: path)
        }
        let fd = open(abs, O_RDONLY | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notRegularFile(path: path) }
        guard Int(st.st_size) <= Self.maxFileSize else { throw .tooLarge(path: path, size: Int(st.st_size), limit: Self.maxFileSize) }
        guard let bytes = Self.readAll(fd, count: Int(st.st_size)) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        return bytes
    }

    public func files(in directory: String, recursive: Bool) throws(WorkspaceError) -> [SourceFile]? {
        guard directoryStat(directory) != nil else { return nil }
        // A submodule's checkout: its files belong to another repository.
        if FileManager.default.fileExists(atPath: absolute(directory.joiningPath(".git"))) {
            throw .submodule(path: directory)
        }
        var out: [SourceFile] = []
        try walk(directory, recursive: recursive, into: &out)
        return out
    }

    public func find(under root: String, skipping: Set<String>, matching: (String) -> Bool) throws(WorkspaceError)
        -> [String]
    {
        var out: [String] = []
        let top = root.isEmpty ? "." : root
        var pending = [top]
        var visited = 0
        while let dir = pending.popLast() {
            // readdir's d_type tells files from directories without a stat per entry.
            guard let handle = opendir(absolute(dir)) else { continue }
            var entries: [(name: String, type: UInt8)] = []
            while let e = readdir(handle) {
                let name = withUnsafePointer(to: e.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                entries.append((name, e.pointee.d_type))
            }
            closedir(handle)
            visited += entries.count
            // Bounded: a walk from the wrong directory (a home directory, /) ends in an error, not a hang.
            if visited > Self.maxWalkEntries {
                throw .unreadable(path: root.isEmpty ? "." : root,
                                  reason: "more than \(Self.maxWalkEntries) entries to search for project files; pass -c FILE, or list the projects in revgraph.toml")
            }
            // Another repository (a submodule, a vendored checkout) is not this one's project.
            if dir != top, entries.contains(where: { $0.name == ".git" }) { continue }
            var types: [String: UInt8] = [:]
            for e in entries { types[e.name] = e.type }
            var subdirectories: [String] = []
            for n in pythonSorted(entries.map(\.name)) {
                let path = dir == "." ? n : dir.joiningPath(n)
                var type = types[n]!
                if type == UInt8(DT_UNKNOWN) {
                    var st = stat()
                    guard lstat(absolute(path), &st) == 0 else { continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFREG: type = UInt8(DT_REG)
                    case S_IFDIR: type = UInt8(DT_DIR)
                    default: continue
                    }
                }
                switch type {
                case UInt8(DT_REG): if matching(n) { out.append(path) }
                case UInt8(DT_DIR): if !skipping.contains(n) { subdirectories.append(path) }
                default: continue  // symlinks are not followed, as os.walk does not
                }
            }
            pending.append(contentsOf: subdirectories.reversed())
        }
        return out
    }

    private func walk(_ dir: String, recursive: Bool, into out: inout [SourceFile]) throws(WorkspaceError) {
        // readdir and fstatat relative to the open directory: no path lookup per file. The names
        // go into one buffer, each NUL-terminated as fstatat takes it (the terminator sorts below
        // every byte, so strcmp gives the byte order of the names).
        guard let handle = opendir(absolute(dir)) else {
            throw .unreadable(path: dir, reason: "cannot list the directory")
        }
        defer { closedir(handle) }
        let fd = dirfd(handle)
        var names: [UInt8] = []
        var starts: [Int] = []
        var types: [UInt8] = []
        while let entry = readdir(handle) {
            let skip = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Bool in
                let n = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                if raw[0] == 0x2E && (n == 1 || (n == 2 && raw[1] == 0x2E)) { return true }
                starts.append(names.count)
                names.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<n]))
                names.append(0)
                return false
            }
            if !skip { types.append(entry.pointee.d_type) }
        }
        let count = starts.count
        let offsets = starts
        let entries: [Entry] = names.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let at = Addresses(base: base)
            return TwoWorkers.map(count, minimum: 512) { k in
                var st = stat()
                // Following links, as open will: nil where it fails (a dangling link).
                guard fstatat(fd, at.base + offsets[k], &st, 0) == 0 else { return Entry(kind: .other, stat: nil) }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: return Entry(kind: .directory, stat: nil)
                case S_IFREG: return Entry(kind: .file, stat: FileStat(st))
                default: return Entry(kind: .other, stat: nil)
                }
            }
        }
        // Byte order: by each name's first eight bytes as a big-endian number (zero after its end,
        // below every byte, as strcmp has it), strcmp only among names that share them. Sorting by
        // strcmp alone was 5 M instructions of a warm 5,000-file load.
        var order = Array(0..<count)
        names.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let keys: [UInt64] = starts.map { start in
                var key: UInt64 = 0
                var k = start
                for _ in 0..<8 {
                    let b = buffer[k]
                    key = key << 8 | UInt64(b)
                    if b != 0 { k += 1 }
                }
                return key
            }
            keys.withUnsafeBufferPointer { keys in
                starts.withUnsafeBufferPointer { starts in
                    order.sort { a, b in
                        keys[a] != keys[b] ? keys[a] < keys[b] : strcmp(base + starts[a], base + starts[b]) < 0
                    }
                }
            }
        }
        var dirs: [String] = []
        out.reserveCapacity(out.count + count)
        names.withUnsafeBufferPointer { buffer in
            for k in order {
                let name = UnsafeBufferPointer(rebasing: buffer[starts[k]..<(starts[k] + strlen(UnsafeRawPointer(buffer.baseAddress! + starts[k]).assumingMemoryBound(to: CChar.self)))])
                if entries[k].kind == .directory {
                    // os.walk does not follow symlinked directories.
                    var link = types[k] == UInt8(DT_LNK)
                    if types[k] == UInt8(DT_UNKNOWN) {
                        var lst = stat()
                        link = fstatat(fd, UnsafeRawPointer(name.baseAddress!).assumingMemoryBound(to: CChar.self), &lst, AT_SYMLINK_NOFOLLOW) == 0
                            && (lst.st_mode & S_IFMT) == S_IFLNK
                    }
                    if !link { dirs.append(String(decoding: name, as: UTF8.self)) }
                } else {
                    // Dangling links and other non-regular entries are listed without stat data
                    // (read, and reported, later); so is a name that is not UTF-8 (it cannot be
                    // opened by its decoded name).
                    out.append(SourceFile(path: Self.join(dir, name), blobID: nil, stat: entries[k].stat))
                }
            }
        }
        guard recursive else { return }
        for d in dirs where !d.hasSuffix("__pycache__") {
            try walk(dir.joiningPath(d), recursive: true, into: &out)
        }
    }

    /// What a directory entry is, with the stat data of a regular file.
    private struct Entry {
        enum Kind { case file, directory, other }
        var kind: Kind
        var stat: FileStat?
    }

    /// The names buffer's address, shared by the two stat workers (read only).
    /// The stat data of a directory (following links, as a walk does), or nil when it is not one.
    func directoryStat(_ path: String) -> FileStat? {
        var st = stat()
        guard stat(absolute(path), &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return nil }
        return FileStat(st)
    }

    /// The stat data of regular files at `paths` (following links, as a walk does), in order; nil
    /// where there is none or it is not a regular file. Consecutive paths of one directory are
    /// looked up from it, by name, on two workers, as the walk does.
    func regularFileStats(_ paths: [String]) -> [FileStat?] {
        var out: [FileStat?] = []
        out.reserveCapacity(paths.count)
        var i = 0
        while i < paths.count {
            let dir = parentDirectory(paths[i])
            var j = i + 1
            while j < paths.count && parentDirectory(paths[j]) == dir { j += 1 }
            // The run's names, each NUL-terminated, in one buffer.
            var names: [UInt8] = []
            var starts: [Int] = []
            for k in i..<j {
                var p = paths[k]
                p.withUTF8 { b in
                    let from = (b.lastIndex(of: 0x2F).map { $0 + 1 }) ?? 0
                    starts.append(names.count)
                    names.append(contentsOf: b[from...])
                    names.append(0)
                }
            }
            let fd = open(absolute(dir.isEmpty ? "." : String(dir)), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 {
                out.append(contentsOf: repeatElement(nil, count: j - i))
            } else {
                let offsets = starts
                let stats: [FileStat?] = names.withUnsafeBufferPointer { buffer in
                    let at = Addresses(base: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
                    return TwoWorkers.map(offsets.count, minimum: 512) { k in
                        var st = stat()
                        guard fstatat(fd, at.base + offsets[k], &st, 0) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
                        return FileStat(st)
                    }
                }
                close(fd)
                out.append(contentsOf: stats)
            }
            i = j
        }
        return out
    }

    /// `path` without its last component ("" for a bare name).
    private func parentDirectory(_ path: String) -> Substring {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return slash == path.startIndex ? "/" : path[..<slash]
    }

    private struct Addresses: @unchecked Sendable {
        let base: UnsafePointer<CChar>
    }

    /// `dir` joined with `name` (bytes) as ``Swift/String/joiningPath(_:)`` joins them, written
    /// into one string.
    static func join(_ dir: String, _ name: UnsafeBufferPointer<UInt8>) -> String {
        var dir = dir
        return dir.withUTF8 { d in
            if d.isEmpty || (d.count == 1 && d[0] == 0x2E) { return String(decoding: name, as: UTF8.self) }
            let slash = d[d.count - 1] == 0x2F
            return String(unsafeUninitializedCapacity: d.count + 1 + name.count) { out in
                var i = 0
                for b in d { out[i] = b; i += 1 }
                if !slash { out[i] = 0x2F; i += 1 }
                for b in name { out[i] = b; i += 1 }
                return i
            }
        }
    }

    /// Up to `count` bytes read from `fd` (fewer when the file ends first), or nil on a read
    /// error (errno says which).
    static func readAll(_ fd: Int32, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            total += n
        }
        if total < count { out.removeLast(count - total) }
        return out
    }
}
