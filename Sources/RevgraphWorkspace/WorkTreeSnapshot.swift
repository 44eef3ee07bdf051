import Glibc
import RevgraphCore

/// One project's work-tree reading as a whole: every migration file's path and stat data, in
/// load order, with its parse. When a later run lists the same paths with the same stat data, the
/// parses are taken from here at once: one sequential comparison and one decode per file, with no
/// cache key built and no per-file search. Anything else (a file added, removed, renamed or
/// touched) is a miss, and the files go through the parse cache as before.
///
/// Kept beside the parse cache (`.git/revgraph-snapshot-<project>`), written atomically, and only
/// when every file's mtime and ctime are more than a second older than the write (git's racy-clean
/// rule): a file edited after its stat was recorded, even within the same second, with the same
/// size and its mtime put back, differs in its ctime. A damaged file reads as a miss.
///
/// Layout: `RGWS2.<reading version>\n` (``MigrationParser/readingVersion``), a record count, then per file: path (u32 length, bytes), stat (size, mtime,
/// ctime, inode, device: five u64, little-endian), parse (u32 length, ``ParseCacheFile`` bytes);
/// last, the ``IntegrityHash`` of everything before it (u64): a damaged file is a miss, never a
/// misread.
struct WorkTreeSnapshot {
    static let magic: [UInt8] = Array("RGWS2.\(MigrationParser.readingVersion)\n".utf8)

    /// A work-tree file as the snapshot keeps it.
    struct File {
        var path: String
        var stat: FileStat
    }

    /// The parses stored for exactly `files` (path and stat, in order), or nil. The file is
    /// mapped, not copied.
    static func read(_ file: String, files: [File]) -> Parses? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size > 0, st.st_size < 1 << 31 else { return nil }
        let size = Int(st.st_size)
        // Populated in one call: the whole file is read anyway (its check covers every byte), and
        // mapping it page by page on first touch cost a hundred page faults at 5,000 revisions.
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        return match(bytes, files: files)
    }

    /// What ``read(_:files:)`` decodes, from the file's bytes.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>, files: [File]) -> Parses? {
        guard bytes.count >= magic.count + 12, memcmp(bytes.baseAddress!, magic, magic.count) == 0 else { return nil }
        let end = bytes.count - 8
        let body = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<end])
        guard IntegrityHash.of(body) == UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: end, as: UInt64.self).littleEndian
        else { return nil }
        let bytes = UnsafeBufferPointer(rebasing: bytes[..<end])
        var r = ParseCacheFile.Reader(bytes: bytes, at: magic.count)
        guard r.u32() == files.count else { return nil }
        // First every path and stat (a miss costs no decoding), remembering where each parse is.
        var payloads: [Range<Int>] = []
        payloads.reserveCapacity(files.count)
        for f in files {
            var path = f.path
            guard let n = r.u32(), bytes.count - r.at >= n,
                  path.withUTF8({ $0.count == n && (n == 0 || memcmp($0.baseAddress!, bytes.baseAddress! + r.at, n) == 0) })
            else { return nil }
            r.at += n
            var key = fields(f.stat)
            guard bytes.count - r.at >= 40,
                  withUnsafeBytes(of: &key, { memcmp($0.baseAddress!, bytes.baseAddress! + r.at, 40) == 0 })
            else { return nil }
            r.at += 40
            guard let m = r.u32(), bytes.count - r.at >= m else { return nil }
            payloads.append(r.at..<(r.at + m))
            r.at += m
        }
        guard r.at == bytes.count else { return nil }
        var out = Parses()
        out.revisions.reserveCapacity(files.count)
        out.checksums.reserveCapacity(files.count)
        for (k, range) in payloads.enumerated() {
            // Taken apart here, each part moved once into its array: copying whole outcomes
            // (eight counted references each) was a seventh of a warm 5,000-file load.
            guard let outcome = ParseCacheFile.decode(bytes[range], path: files[k].path) else { return nil }
            if let revision = outcome.revision {
                out.revisions.append(revision)
                out.checksums.append(outcome.checksum)
            }
            if !outcome.problems.isEmpty { out.problems.append(contentsOf: outcome.problems) }
        }
        return out
    }

    /// The parses of a snapshot's files as the loader takes them: the revisions in file order,
    /// each one's checksum, and the problems in file order.
    struct Parses {
        var revisions: [Revision] = []
        var checksums: [String?] = []
        var problems: [GraphProblem] = []
    }

    /// The file's bytes for `files` and their parses (same order).
    static func encode(files: [File], outcomes: [MigrationParser.Outcome]) -> [UInt8] {
        var w = ParseCacheFile.Writer()
        w.out = magic
        w.u32(files.count)
        for (f, o) in zip(files, outcomes) {
            w.string(f.path)
            var key = fields(f.stat)
            withUnsafeBytes(of: &key) { w.out.append(contentsOf: $0) }
            w.bytes(ArraySlice(ParseCacheFile.encode(o)))
        }
        var check = w.out.withUnsafeBytes { IntegrityHash.of($0) }.littleEndian
        withUnsafeBytes(of: &check) { w.out.append(contentsOf: $0) }
        return w.out
    }

    /// The stat data as stored: five little-endian u64 in a row (a homogeneous tuple is contiguous).
    private static func fields(_ s: FileStat) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        (UInt64(bitPattern: s.size).littleEndian, UInt64(bitPattern: s.modified).littleEndian,
         UInt64(bitPattern: s.changed).littleEndian, s.inode.littleEndian, s.device.littleEndian)
    }
}
