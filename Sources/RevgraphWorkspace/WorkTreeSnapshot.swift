import Glibc
import RevgraphCore

/// One project's work-tree reading as a whole: every migration file's path and stat data, in
/// load order, with its parse. When a later run lists the same paths with the same stat data, the
/// parses are taken from here at once: one sequential comparison and one decode per file, with no
/// cache key built and no per-file search. Anything else (a file added, removed, renamed or
/// touched) is a miss, and the files go through the parse cache as before.
///
/// For a project whose versions directories are not walked recursively, the snapshot also keeps
/// each directory's stat data. A directory's mtime and ctime change whenever an entry is added,
/// removed or renamed in it (git's untracked cache relies on the same rule), so while they are
/// as stored, its listing is the stored one: the directories are not read, only every stored
/// file is stat'ed and compared (an edit changes the file's own stat data). Reading a directory
/// of 5,000 entries and sorting it was about 2.5 ms of a 19 ms warm run.
///
/// Kept beside the parse cache (`.git/revgraph-snapshot-<project>`), written atomically, and only
/// when every file's mtime and ctime are more than a second older than the write (git's racy-clean
/// rule): a file edited after its stat was recorded, even within the same second, with the same
/// size and its mtime put back, differs in its ctime. Directories are kept only under the same
/// rule (otherwise none are, and the directories are always read). A damaged file reads as a miss.
///
/// Layout: `RGWS3.<reading version>\n` (``MigrationParser/readingVersion``), a directory count,
/// per directory: path (u32 length, bytes), stat (size, mtime, ctime, inode, device: five u64,
/// little-endian); a record count, then per file: path, stat, parse (u32 length,
/// ``ParseCacheFile`` bytes); last, the ``IntegrityHash`` of everything before it (u64): a
/// damaged file is a miss, never a misread.
struct WorkTreeSnapshot {
    static let magic: [UInt8] = Array("RGWS3.\(MigrationParser.readingVersion)\n".utf8)

    /// A work-tree file as the snapshot keeps it.
    struct File {
        var path: String
        var stat: FileStat
    }

    /// What a snapshot is compared with.
    enum Probe {
        /// The files a walk of the directories listed (path and stat, in load order).
        case listed([File])
        /// No walk: every stored directory's stat data (`directory(path)`) must be as stored,
        /// then every stored file's (`files(paths)`, in order).
        case unchangedDirectories(directory: (String) -> FileStat?, files: ([String]) -> [FileStat?])
    }

    /// The parses stored for exactly the probed files, with their count, or nil. The file is
    /// mapped, not copied.
    static func read(_ file: String, _ probe: Probe) -> (count: Int, parses: Parses)? {
        // Non-blocking: a FIFO in its place is refused by fstat below, never waited on.
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size > 0, st.st_size < 1 << 31 else { return nil }
        let size = Int(st.st_size)
        // Populated in one call: the whole file is read anyway (its check covers every byte).
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        return match(bytes, probe)
    }

    /// What ``read(_:_:)`` decodes, from the file's bytes.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>, _ probe: Probe) -> (count: Int, parses: Parses)? {
        guard let bytes = checked(bytes) else { return nil }
        var r = ParseCacheFile.Reader(bytes: bytes, at: magic.count)
        // The directories: compared only when no walk listed the files.
        guard let dirCount = r.u32(), dirCount <= bytes.count else { return nil }
        for _ in 0..<dirCount {
            guard let n = r.u32(), bytes.count - r.at >= n + 40 else { return nil }
            if case .unchangedDirectories(let directory, _) = probe {
                let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[r.at..<(r.at + n)]), as: UTF8.self)
                guard let now = directory(path), same(now, bytes, at: r.at + n) else { return nil }
            }
            r.at += n + 40
        }
        // The files' paths: the walk's, or the stored ones (compared with the disk below).
        var listed: [File] = []
        var paths: [String] = []
        switch probe {
        case .listed(let files): listed = files
        case .unchangedDirectories: guard dirCount > 0 else { return nil }
        }
        guard let count = r.u32(), count <= bytes.count else { return nil }
        if case .listed = probe { guard count == listed.count else { return nil } }
        // First every path and stat (a miss costs no decoding), remembering where each parse is.
        var payloads: [Range<Int>] = []
        payloads.reserveCapacity(count)
        var storedStats: [Int] = []
        for k in 0..<count {
            guard let n = r.u32(), bytes.count - r.at >= n else { return nil }
            if case .listed = probe {
                var path = listed[k].path
                guard path.withUTF8({ $0.count == n && (n == 0 || memcmp($0.baseAddress!, bytes.baseAddress! + r.at, n) == 0) }),
                      bytes.count - r.at - n >= 40, same(listed[k].stat, bytes, at: r.at + n)
                else { return nil }
            } else {
                guard bytes.count - r.at - n >= 40 else { return nil }
                paths.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[r.at..<(r.at + n)]), as: UTF8.self))
                storedStats.append(r.at + n)
            }
            r.at += n + 40
            guard let m = r.u32(), bytes.count - r.at >= m else { return nil }
            payloads.append(r.at..<(r.at + m))
            r.at += m
        }
        guard r.at == bytes.count else { return nil }
        if case .unchangedDirectories(_, let files) = probe {
            let now = files(paths)
            guard now.count == count else { return nil }
            for k in 0..<count {
                guard let s = now[k], same(s, bytes, at: storedStats[k]) else { return nil }
            }
        }
        var out = Parses()
        out.revisions.reserveCapacity(count)
        out.checksums.reserveCapacity(count)
        for (k, range) in payloads.enumerated() {
            // Taken apart here, each part moved once into its array: copying whole outcomes
            // (eight counted references each) was a seventh of a warm 5,000-file load.
            guard let outcome = ParseCacheFile.decode(bytes[range], path: paths.isEmpty ? listed[k].path : paths[k]) else { return nil }
            if let revision = outcome.revision {
                out.revisions.append(revision)
                out.checksums.append(outcome.checksum)
            }
            if !outcome.problems.isEmpty { out.problems.append(contentsOf: outcome.problems) }
        }
        return (count, out)
    }

    /// The snapshot `bytes` with `directories` in place of the directories it keeps (its files
    /// and parses as they are), or nil when it is damaged.
    static func replacingDirectories(_ bytes: [UInt8], with directories: [File]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { all -> [UInt8]? in
            guard let body = checked(all) else { return nil }
            var r = ParseCacheFile.Reader(bytes: body, at: magic.count)
            guard let dirCount = r.u32(), dirCount <= body.count else { return nil }
            for _ in 0..<dirCount {
                guard let n = r.u32(), body.count - r.at >= n + 40 else { return nil }
                r.at += n + 40
            }
            var w = header(directories)
            w.out.append(contentsOf: body[r.at...])
            return sealed(w)
        }
    }

    /// The magic and the directories (path, stat), the start of every snapshot.
    private static func header(_ directories: [File]) -> ParseCacheFile.Writer {
        var w = ParseCacheFile.Writer()
        w.out = magic
        w.u32(directories.count)
        for d in directories { record(d, &w) }
        return w
    }

    /// A path and its stat data, as the snapshot stores them.
    private static func record(_ f: File, _ w: inout ParseCacheFile.Writer) {
        w.string(f.path)
        var key = fields(f.stat)
        withUnsafeBytes(of: &key) { w.out.append(contentsOf: $0) }
    }

    /// The bytes written, followed by their integrity hash.
    private static func sealed(_ w: ParseCacheFile.Writer) -> [UInt8] {
        var out = w.out
        var check = out.withUnsafeBytes { IntegrityHash.of($0) }.littleEndian
        withUnsafeBytes(of: &check) { out.append(contentsOf: $0) }
        return out
    }

    /// A snapshot's bytes before its integrity hash, when the magic is this format's and the hash
    /// holds; nil otherwise (a damaged or foreign file).
    private static func checked(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard bytes.count >= magic.count + 16, memcmp(bytes.baseAddress!, magic, magic.count) == 0 else { return nil }
        let end = bytes.count - 8
        guard IntegrityHash.of(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<end]))
                == UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: end, as: UInt64.self).littleEndian
        else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[..<end])
    }

    /// Whether `stat` is the one stored at `offset` (40 bytes, ``fields(_:)``).
    private static func same(_ stat: FileStat, _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        var key = fields(stat)
        return withUnsafeBytes(of: &key) { memcmp($0.baseAddress!, bytes.baseAddress! + offset, 40) == 0 }
    }

    /// The parses of a snapshot's files as the loader takes them: the revisions in file order,
    /// each one's checksum, and the problems in file order.
    struct Parses {
        var revisions: [Revision] = []
        var checksums: [String?] = []
        var problems: [GraphProblem] = []
    }

    /// The file's bytes for `files` and their parses (same order), with the stat data of the
    /// `directories` that listed them (empty: they are read every time).
    static func encode(directories: [File], files: [File], outcomes: [MigrationParser.Outcome]) -> [UInt8] {
        var w = header(directories)
        w.u32(files.count)
        for (f, o) in zip(files, outcomes) {
            record(f, &w)
            w.bytes(ArraySlice(ParseCacheFile.encode(o)))
        }
        return sealed(w)
    }

    /// The stat data as stored: five little-endian u64 in a row (a homogeneous tuple is contiguous).
    private static func fields(_ s: FileStat) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        (UInt64(bitPattern: s.size).littleEndian, UInt64(bitPattern: s.modified).littleEndian,
         UInt64(bitPattern: s.changed).littleEndian, s.inode.littleEndian, s.device.littleEndian)
    }
}
