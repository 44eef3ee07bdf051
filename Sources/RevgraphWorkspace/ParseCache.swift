import FoundationEssentials
import Glibc
import RevgraphCore

/// Parse results kept between runs in `.git/revgraph-parse-cache`, keyed by what decides a file's
/// content: a git blob id for files read from git (an entry can never be stale), and for the
/// work tree the file's path and stat data (size, mtime and ctime in nanoseconds, inode, device),
/// as git's index validates a file. An entry whose mtime or ctime is not older than the cache
/// file itself is never served (git's racy-clean rule: the file may have changed within the
/// timestamp's resolution after the entry was written), and a file changed less than a second
/// before it is read is not stored at all (an edit in the same clock tick as the read would
/// leave the stat data unchanged). `REVGRAPH_NO_CACHE=1` turns it off.
/// Owned by one command run; not shared between threads.
public final class ParseCache {
    /// The cache file, read on first use (a run answered by a project snapshot never reads it)
    /// and looked up in place (``ParseCacheFile``), with when it was last written (ns since the
    /// epoch; 0 for none).
    private lazy var loaded: (file: ParseCacheFile, stamp: Int64) = Self.read(file)
    private var stored: ParseCacheFile { loaded.file }
    private var stamp: Int64 { loaded.stamp }
    private var added: [String: MigrationParser.Outcome] = [:]
    /// Django readings learnt in this run, encoded.
    private var addedDjango: [String: [UInt8]] = [:]
    /// Work-tree keys served or stored in this run, and the paths they were for: an older entry
    /// for such a path is superseded and dropped on save. Kept as lists (a warm run that learns
    /// nothing never saves, so never needs them as sets).
    private var used: [String] = []
    private var workPaths: [String] = []
    /// Project snapshots to write on save (``WorkTreeSnapshot``), by file.
    private var snapshots: [String: [UInt8]] = [:]
    /// Lookups answered from the cache in this run (for tests and benchmarks).
    private(set) var served = 0
    /// Files answered by a project snapshot in this run (for tests and benchmarks).
    private(set) var servedBySnapshot = 0
    /// Of those, how many were served with their directories' listing taken from the snapshot.
    private(set) var servedWithoutListing = 0
    /// Where the cache is kept between runs, when it is.
    public let file: String?

    /// An in-memory cache.
    public init() {
        file = nil
    }

    /// A cache kept in `file` between runs (read when first needed; written by ``save()``). A
    /// missing, damaged or foreign file is an empty cache.
    public init(persistentAt file: String) {
        self.file = file
    }

    private static func read(_ file: String?) -> (file: ParseCacheFile, stamp: Int64) {
        var st = stat()
        guard let file, stat(file, &st) == 0, let bytes = readWhole(file) else { return (ParseCacheFile(bytes: []), 0) }
        return (ParseCacheFile(bytes: bytes), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    /// The bytes of a regular file (read into one array of its size), or nil.
    static func readWhole(_ file: String) -> [UInt8]? {
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size < 1 << 31,
              let bytes = FileSystemTree.readAll(fd, count: Int(st.st_size)), bytes.count == Int(st.st_size)
        else { return nil }
        return bytes
    }

    /// The cache file for the repository whose git directory is found from `directory` upwards
    /// (`.git/revgraph-parse-cache`), or nil outside a repository or with `REVGRAPH_NO_CACHE` set.
    public static func defaultFile(from directory: String) -> String? {
        if ProcessInfo.processInfo.environment["REVGRAPH_NO_CACHE"] != nil { return nil }
        var dir = normalizePath(directory)
        while true {
            let dotGit = dir.joiningPath(".git")
            var st = stat()
            if stat(dotGit, &st) == 0 {
                if st.st_mode & S_IFMT == S_IFDIR { return dotGit + "/revgraph-parse-cache" }
                // A worktree: ".git" is a file naming the real git directory.
                if let text = try? String(contentsOfFile: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") {
                    var gitdir = text.dropFirst(8).trimmingPythonWhitespace()
                    if !gitdir.hasPrefix("/") { gitdir = normalizePath(dir.joiningPath(gitdir)) }
                    return gitdir + "/revgraph-parse-cache"
                }
                return nil
            }
            if dir == "/" || dir == "." { return nil }
            dir = dir.deletingLastPathComponent
            if dir.isEmpty { return nil }
        }
    }

    /// The snapshot file of `project` (a digest of what selects the project's files), beside the
    /// cache file; nil for an in-memory cache.
    private func snapshotFile(_ project: String) -> String? {
        file.map { $0.deletingLastPathComponent + "/revgraph-snapshot-" + project }
    }

    /// The parses of the probed files (work-tree paths with their stat data, in load order) when
    /// the project's snapshot holds exactly these files in this state, with their count.
    func snapshot(project: String, _ probe: WorkTreeSnapshot.Probe) -> (count: Int, parses: WorkTreeSnapshot.Parses)? {
        guard let f = snapshotFile(project), let hit = WorkTreeSnapshot.read(f, probe) else { return nil }
        servedBySnapshot += hit.count
        if case .unchangedDirectories = probe { servedWithoutListing += hit.count }
        return hit
    }

    /// Keeps `files` and their parses as the project's snapshot (written by ``save()``), unless a
    /// file changed within the last second (its stat data may not show a later edit); with the
    /// `directories` that listed them when none of those changed within the last second either.
    func storeSnapshot(project: String, directories: [WorkTreeSnapshot.File], files: [WorkTreeSnapshot.File],
                       outcomes: [MigrationParser.Outcome]) {
        guard let f = snapshotFile(project), files.count == outcomes.count else { return }
        let limit = Self.settledBefore()
        guard files.allSatisfy({ $0.stat.settled(before: limit) }) else { return }
        let settledDirectories = directories.allSatisfy { $0.stat.settled(before: limit) } ? directories : []
        snapshots[f] = WorkTreeSnapshot.encode(directories: settledDirectories, files: files, outcomes: outcomes)
    }

    /// Keeps the project's snapshot with `directories` as the ones that listed its files, when
    /// none changed within the last second: a snapshot served from a listing (its directories
    /// changed, or were unsettled when it was written) then serves later runs without one.
    func refreshSnapshotDirectories(project: String, directories: [WorkTreeSnapshot.File]) {
        guard let f = snapshotFile(project), snapshots[f] == nil, !directories.isEmpty else { return }
        let limit = Self.settledBefore()
        guard directories.allSatisfy({ $0.stat.settled(before: limit) }),
              let bytes = (try? FileSystemTree(currentDirectory: "/").read(f)) ?? nil,
              let refreshed = WorkTreeSnapshot.replacingDirectories(bytes, with: directories)
        else { return }
        snapshots[f] = refreshed
    }

    /// A file whose mtime and ctime are older than this (one second before now, ns) is stored: an
    /// edit in the same clock tick as the read would leave newer stat data unchanged.
    static func settledBefore() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - 1_000_000_000
    }

    /// Entries read from the file plus those learnt in this run.
    public var count: Int { stored.count + added.count + addedDjango.count }

    /// The key of a work-tree file: its path and stat data (see the type's documentation).
    static func workTreeKey(path: String, stat: FileStat, suffix: String = "") -> String {
        // Written into one string of the final size: the stat fields as fixed-width hex, then any
        // suffix (formatting integers or appending piece by piece cost more than the lookup).
        let fields = [UInt64(bitPattern: stat.size), UInt64(bitPattern: stat.modified), UInt64(bitPattern: stat.changed),
                      stat.inode, stat.device]
        var path = path, suffix = suffix
        return path.withUTF8 { p in
            suffix.withUTF8 { x in
                String(unsafeUninitializedCapacity: 3 + p.count + fields.count * 17 + x.count) { out in
                    let digits: StaticString = "0123456789abcdef"
                    let d = digits.utf8Start
                    out[0] = UInt8(ascii: "w")
                    out[1] = 1
                    var i = 2
                    for b in p { out[i] = b; i += 1 }
                    out[i] = 1
                    i += 1
                    for f in fields {
                        for shift in stride(from: 60, through: 0, by: -4) {
                            out[i] = d[Int((f >> UInt64(shift)) & 0xF)]
                            i += 1
                        }
                        out[i] = UInt8(ascii: ":")
                        i += 1
                    }
                    out[i - 1] = 1
                    for b in x { out[i] = b; i += 1 }
                    return i
                }
            }
        }
    }

    /// The work-tree path in a key made by ``workTreeKey(path:stat:suffix:)``, or nil for a git key.
    static func workTreePath(_ key: some Collection<UInt8>) -> String? {
        guard key.first == UInt8(ascii: "w"), key.dropFirst().first == 1 else { return nil }
        let rest = key.dropFirst(2)
        guard let end = rest.firstIndex(of: 1) else { return nil }
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    func lookup(key: String, path: String, stat: FileStat? = nil) -> MigrationParser.Outcome? {
        if let stat {
            // Racy: changed no earlier than the cache was written; it may differ from the entry.
            guard max(stat.modified, stat.changed) < stamp else { return nil }
            workPaths.append(path)
        }
        guard var outcome = added[key] ?? stored.outcome(forKey: key) else { return nil }
        if stat != nil { used.append(key) }  // only work-tree entries can be superseded
        served += 1
        // The same blob may sit at another path in another commit.
        if outcome.revision?.path != path {
            outcome.revision?.path = path
            outcome.problems = outcome.problems.map { var p = $0; p.path = path; return p }
        }
        return outcome
    }

    func store(key: String, path: String, stat: FileStat? = nil, _ outcome: MigrationParser.Outcome) {
        if let stat { guard stat.settled(before: Self.settledBefore()) else { return } }
        added[key] = outcome
        if stat != nil {
            used.append(key)
            workPaths.append(path)
        }
    }

    /// The key of a Django migration file: its blob id (git) or its work-tree key, and its app
    /// and name (which the reading depends on). Work-tree keys start as Alembic's do, so that an
    /// older state of the same file is superseded the same way.
    static func djangoKey(blobID: String?, path: String, stat: FileStat?, key: DjangoKey) -> String? {
        let tail = "django\u{1}\(key.app)\u{1}\(key.name)"
        if let blobID { return "d\u{1}" + blobID + "\u{1}" + tail }
        if let stat { return workTreeKey(path: path, stat: stat, suffix: tail) }
        return nil
    }

    /// A Django file's reading (and its checksum, when one was stored), at `path`.
    func lookupDjango(key: String, migration: DjangoKey, path: String, stat: FileStat?)
        -> (outcome: DjangoMigrationReader.Outcome, checksum: String?)?
    {
        if let stat {
            guard max(stat.modified, stat.changed) < stamp else { return nil }
            workPaths.append(path)
        }
        let payload = addedDjango[key].map { ArraySlice($0) } ?? stored.payload(forKey: key)
        guard let payload, let found = ParseCacheFile.decode(django: payload, key: migration, path: path) else { return nil }
        if stat != nil { used.append(key) }
        served += 1
        return found
    }

    func storeDjango(key: String, path: String, stat: FileStat?, _ outcome: DjangoMigrationReader.Outcome, checksum: String?) {
        if let stat { guard stat.settled(before: Self.settledBefore()) else { return } }
        addedDjango[key] = ParseCacheFile.encode(django: outcome, checksum: checksum)
        if stat != nil {
            used.append(key)
            workPaths.append(path)
        }
    }

    /// Writes the cache back (atomically) when it learnt something, dropping work-tree entries
    /// superseded by a newer state of the same file. Failures are ignored: a cache that cannot
    /// be written only costs speed.
    public func save() {
        for (f, bytes) in snapshots.sorted(by: { $0.key < $1.key }) { _ = try? AtomicFile.replace(f, contents: bytes) }
        snapshots = [:]
        guard !added.isEmpty || !addedDjango.isEmpty, let file else { return }
        var records: [(key: [UInt8], payload: ArraySlice<UInt8>)] = []
        let used = Set(self.used), workPaths = Set(self.workPaths)
        for (key, payload) in stored.records() {
            let keyString = String(decoding: key, as: UTF8.self)
            if added[keyString] != nil || addedDjango[keyString] != nil { continue }
            if let path = Self.workTreePath(key), workPaths.contains(path), !used.contains(keyString) { continue }
            records.append((Array(key), payload))
        }
        for (key, outcome) in added { records.append((Array(key.utf8), ArraySlice(ParseCacheFile.encode(outcome)))) }
        for (key, payload) in addedDjango { records.append((Array(key.utf8), ArraySlice(payload))) }
        _ = try? AtomicFile.replace(file, contents: ParseCacheFile.write(records))
    }
}

@available(*, unavailable)
extension ParseCache: Sendable {}

/// The stat data a work-tree entry is validated by.
public struct FileStat: Sendable, Hashable {
    public var size: Int64
    public var modified: Int64  // ns since the epoch
    public var changed: Int64
    public var inode: UInt64
    public var device: UInt64

    /// Whether the file last changed (contents or inode) before `limit` (ns since the epoch).
    func settled(before limit: Int64) -> Bool { max(modified, changed) < limit }

    init(_ st: stat) {
        size = Int64(st.st_size)
        modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        changed = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        inode = UInt64(st.st_ino)
        device = UInt64(st.st_dev)
    }
}
