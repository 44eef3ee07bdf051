import Foundation
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
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute(directory), isDirectory: &isDir), isDir.boolValue else {
            return nil
        }
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
        // readdir and fstatat relative to the open directory: no path lookup per file.
        guard let handle = opendir(absolute(dir)) else {
            throw .unreadable(path: dir, reason: "cannot list the directory")
        }
        defer { closedir(handle) }
        let fd = dirfd(handle)
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            // NUL-terminated, as fstatat takes it (the terminator sorts below every byte).
            var bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            bytes.append(0)
            names.append(bytes)
        }
        let stats = Self.statAll(names, in: fd)
        var files: [(bytes: [UInt8], name: String, stat: FileStat?)] = []  // nil stat: not a regular file (read, and reported, later)
        files.reserveCapacity(names.count)
        var dirs: [String] = []
        for (k, bytes) in names.enumerated() {
            let n = String(decoding: bytes.dropLast(), as: UTF8.self)
            guard let st = stats[k] else {
                // A dangling link, or a name that is not UTF-8: listed, and reported when read.
                files.append((bytes, n, nil))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var lst = stat()
                // os.walk does not follow symlinked directories.
                if fstatat(fd, n, &lst, AT_SYMLINK_NOFOLLOW) == 0, (lst.st_mode & S_IFMT) == S_IFLNK { continue }
                dirs.append(n)
            } else {
                files.append((bytes, n, (st.st_mode & S_IFMT) == S_IFREG ? FileStat(st) : nil))
            }
        }
        files.sort { bytesPrecede($0.bytes, $1.bytes) }
        out.reserveCapacity(out.count + files.count)
        for f in files { out.append(SourceFile(path: dir.joiningPath(f.name), blobID: nil, stat: f.stat)) }
        guard recursive else { return }
        for d in pythonSorted(dirs) where !d.hasSuffix("__pycache__") {
            try walk(dir.joiningPath(d), recursive: true, into: &out)
        }
    }

    /// `fstatat` of every name (NUL-terminated) in the directory `fd` (following links, as `open`
    /// will), nil where it fails. A large directory's names are shared by two workers (a stat is
    /// most of a warm run's cost).
    static func statAll(_ names: [[UInt8]], in fd: Int32) -> [stat?] {
        TwoWorkers.map(names.count, minimum: 512) { k in
            var st = stat()
            let rc = names[k].withUnsafeBytes { fstatat(fd, $0.baseAddress!.assumingMemoryBound(to: CChar.self), &st, 0) }
            return rc == 0 ? st : nil
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
