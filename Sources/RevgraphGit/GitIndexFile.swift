import Glibc

/// git's index file (`DIRC`, versions 2, 3 and 4), read by revgraph itself: libgit2 1.5 refuses a
/// sparse index (the mandatory `sdir` extension) and reads only the repository's own index, where
/// a hook must read the one git names in `GIT_INDEX_FILE` (`git commit -a` and `git commit PATH`
/// write a temporary one). Pure: bytes in, entries out; every length is checked against the bytes.
public struct GitIndexFile: Sendable, Equatable {
    /// One entry: a file, a gitlink (submodule) or, in a sparse index, a directory left as its tree.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var mode: UInt32
        public var id: GitObjectID
        /// 0 for a merged entry; 1 to 3 for the sides of a conflict.
        public var stage: Int
        /// `git add -N`: a placeholder git leaves out of the commit's tree.
        public var isIntentToAdd = false

        /// A sparse directory: `path` ends with `/` and `id` is the directory's tree.
        public var isSparseDirectory: Bool { mode & 0o170000 == 0o040000 }
        public var isGitlink: Bool { mode & 0o170000 == 0o160000 }
    }

    /// Why an index could not be read, in words a user can act on.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case notAnIndex(String)
        case unsupportedVersion(Int)
        case truncated(String)
        /// A mandatory extension revgraph does not read (`link`: a split index).
        case unsupportedExtension(String)

        public var description: String {
            switch self {
            case .notAnIndex(let why): return "not a git index (\(why))"
            case .unsupportedVersion(let v): return "index version \(v) is not one revgraph reads (2, 3 or 4)"
            case .truncated(let what): return "the index is damaged or truncated (\(what)); 'git status' rewrites it"
            case .unsupportedExtension("link"):
                return "it is a split index (core.splitIndex), which revgraph does not read; run 'git update-index --no-split-index' or commit with --no-verify"
            case .unsupportedExtension(let name):
                return "it uses the index extension '\(name)', which revgraph does not read; run 'git update-index --index-version 4' or commit with --no-verify"
            }
        }
    }

    public var version: Int
    /// Entries in the index's order (sorted by path bytes, then stage).
    public var entries: [Entry]
    /// Whether the index is sparse (has the `sdir` extension).
    public var isSparse: Bool

    /// The largest index revgraph reads (an index of a million paths is about 100 MB).
    public static let sizeLimit = 1 << 30

    public init(version: Int, entries: [Entry], isSparse: Bool) {
        (self.version, self.entries, self.isSparse) = (version, entries, isSparse)
    }

    /// Parses an index. The trailing checksum is not verified (git skips it too with `index.skipHash`).
    public init(bytes: [UInt8]) throws(ReadError) {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= 12 + 20 else { throw .notAnIndex("\(bytes.count) bytes") }
        guard bytes[0..<4].elementsEqual("DIRC".utf8) else { throw .notAnIndex("no DIRC signature") }
        reader.offset = 4
        let v = Int(try reader.u32("the header"))
        guard (2...4).contains(v) else { throw .unsupportedVersion(v) }
        let count = Int(try reader.u32("the header"))
        // An entry takes at least 62 bytes (v4: 63): a count the bytes cannot hold is damage, not a size to reserve.
        guard count <= (bytes.count - 12 - 20) / 62 else { throw .truncated("\(count) entries declared in \(bytes.count) bytes") }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var previous: [UInt8] = []
        for k in 0..<count {
            let start = reader.offset
            try reader.skip(24, "entry \(k)")  // ctime, mtime, dev, ino
            let mode = try reader.u32("entry \(k)")
            try reader.skip(12, "entry \(k)")  // uid, gid, size
            let id = try reader.objectID("entry \(k)")
            let flags = try reader.u16("entry \(k)")
            var extended: UInt16 = 0
            if flags & 0x4000 != 0 {
                guard v >= 3 else { throw .truncated("entry \(k) has extended flags in a version 2 index") }
                extended = try reader.u16("entry \(k)")
            }
            var path: [UInt8]
            if v == 4 {
                let strip = try reader.varint("entry \(k)")
                guard strip <= previous.count else { throw .truncated("entry \(k) removes more of the previous path than it has") }
                path = Array(previous.prefix(previous.count - strip))
                path += try reader.cString("entry \(k)")
            } else {
                path = try reader.cString("entry \(k)")
                // Padded with NULs to a multiple of eight bytes (the one that ends the path included).
                let length = reader.offset - start
                let padded = (length + 7) & ~7
                try reader.skip(padded - length, "entry \(k)")
            }
            entries.append(Entry(path: String(decoding: path, as: UTF8.self), mode: mode, id: id, stage: Int((flags >> 12) & 3),
                                 isIntentToAdd: extended & 0x2000 != 0))
            previous = path
        }
        var sparse = false
        // Extensions, then the 20-byte checksum.
        while bytes.count - reader.offset > 20 {
            let signature = try reader.take(4, "an extension")
            let size = Int(try reader.u32("an extension"))
            guard size <= bytes.count - 20 - reader.offset else { throw .truncated("extension \(String(decoding: signature, as: UTF8.self))") }
            let name = String(decoding: signature, as: UTF8.self)
            if name == "sdir" {
                sparse = true
            } else if let first = signature.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
                // Lower-case extensions are mandatory: one not understood changes what the entries mean.
                throw .unsupportedExtension(name)
            }
            try reader.skip(size, "extension \(name)")
        }
        guard bytes.count - reader.offset == 20 else { throw .truncated("no checksum at the end") }
        // Checked after the extensions: a split index's entries may have empty names.
        if let k = entries.firstIndex(where: { $0.path.isEmpty }) { throw .truncated("entry \(k) has an empty path") }
        self.init(version: v, entries: entries, isSparse: sparse)
    }

    /// A cursor over the bytes whose every read is bounded.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ n: Int, _ what: String) throws(ReadError) -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - 20 - offset else { throw .truncated(what) }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        mutating func skip(_ n: Int, _ what: String) throws(ReadError) { _ = try take(n, what) }

        mutating func u32(_ what: String) throws(ReadError) -> UInt32 {
            try take(4, what).reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func u16(_ what: String) throws(ReadError) -> UInt16 {
            try take(2, what).reduce(0) { $0 << 8 | UInt16($1) }
        }

        mutating func objectID(_ what: String) throws(ReadError) -> GitObjectID {
            GitObjectID(bytes: try take(20, what))
        }

        /// git's offset varint (index v4's prefix length): base 128, each continuation adds one.
        mutating func varint(_ what: String) throws(ReadError) -> Int {
            var byte = try take(1, what).first!
            var value = Int(byte & 127)
            while byte & 128 != 0 {
                guard value < (1 << 40) else { throw .truncated(what) }
                byte = try take(1, what).first!
                value = ((value + 1) << 7) | Int(byte & 127)
            }
            return value
        }

        /// The bytes up to the next NUL, which is consumed.
        mutating func cString(_ what: String) throws(ReadError) -> [UInt8] {
            let end = bytes.count - 20
            guard offset < end, let nul = bytes[offset..<end].firstIndex(of: 0) else { throw .truncated(what) }
            defer { offset = nul + 1 }
            return Array(bytes[offset..<nul])
        }
    }
}

extension GitIndexFile {
    /// Reads and parses the index at `path`: a missing file is an empty index (a repository before
    /// its first `git add`); anything but a regular file, or one over ``sizeLimit``, is an error.
    public static func read(_ path: String) throws(GitError) -> GitIndexFile {
        func failure(_ why: String) -> GitError {
            GitError(function: "read the index", code: -1, message: "cannot read the index '\(path)': \(why)")
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0, errno == ENOENT { return GitIndexFile(version: 2, entries: [], isSparse: false) }
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw failure("not a regular file") }
        guard st.st_size <= sizeLimit else { throw failure("\(st.st_size) bytes, more than the \(sizeLimit >> 20) MiB revgraph reads") }
        guard let bytes = LooseObject.readExactly(fd, Int(st.st_size)) else { throw failure("it ended before its \(st.st_size) bytes") }
        do { return try GitIndexFile(bytes: bytes) } catch { throw failure(error.description) }
    }
}

