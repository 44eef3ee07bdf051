import Glibc
import RevgraphCore

/// The parse cache's file, read in place: `RGPC6.<reading version>\n`, a record count, one offset per record (the
/// records sorted by key bytes), then the records, each a length-prefixed key, a length-prefixed
/// payload and the ``IntegrityHash`` of both (a damaged record is a missing one, never a misread). Loading is one read and no decoding; a lookup is a binary search
/// and decodes only the payload it finds. Every read is bounds-checked: a damaged file reads as
/// empty or as missing entries, never as a crash.
struct ParseCacheFile {
    static let magic: [UInt8] = Array("RGPC6.\(MigrationParser.readingVersion)\n".utf8)
    private let bytes: [UInt8]
    private let offsets: [Int]

    init(bytes: [UInt8]) {
        var offsets: [Int] = []
        var ok = bytes.count >= Self.magic.count + 4 && bytes.starts(with: Self.magic)
        if ok {
            var r = Reader(bytes: bytes, at: Self.magic.count)
            if let n = r.u32(), n <= (bytes.count - r.at) / 4 {
                offsets.reserveCapacity(n)
                for _ in 0..<n {
                    guard let o = r.u32(), o < bytes.count else { ok = false; break }
                    offsets.append(o)
                }
            } else {
                ok = false
            }
        }
        self.bytes = ok ? bytes : []
        self.offsets = ok ? offsets : []
    }

    var count: Int { offsets.count }

    /// The key and the payload of record `i`, or nil when it is damaged.
    private func record(_ i: Int) -> (key: ArraySlice<UInt8>, payload: ArraySlice<UInt8>)? {
        var r = Reader(bytes: bytes, at: offsets[i])
        guard let key = r.chunk(), let payload = r.chunk(), bytes.count - r.at >= 8 else { return nil }
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: r.at, as: UInt64.self).littleEndian }
        let computed = bytes.withUnsafeBytes { IntegrityHash.of(UnsafeRawBufferPointer(rebasing: $0[offsets[i]..<r.at])) }
        return stored == computed ? (key, payload) : nil
    }

    /// The outcome stored under `key`, without paths (the caller sets them).
    func outcome(forKey key: String) -> MigrationParser.Outcome? { payload(forKey: key).flatMap { Self.decode($0, path: nil) } }

    /// The payload stored under `key`, undecoded.
    func payload(forKey key: String) -> ArraySlice<UInt8>? {
        var wanted = key
        return wanted.withUTF8 { w -> ArraySlice<UInt8>? in
            bytes.withUnsafeBufferPointer { all -> ArraySlice<UInt8>? in
                // The key of record i, as a pointer and length into the file (nil when damaged).
                func keyAt(_ i: Int) -> (UnsafePointer<UInt8>, Int)? {
                    let o = offsets[i]
                    guard all.count - o >= 4 else { return nil }
                    let n = Int(all[o]) | Int(all[o + 1]) << 8 | Int(all[o + 2]) << 16 | Int(all[o + 3]) << 24
                    guard all.count - o - 4 >= n else { return nil }
                    return (all.baseAddress! + o + 4, n)
                }
                var lo = 0, hi = offsets.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    guard let (p, n) = keyAt(mid) else { return nil }
                    let common = min(n, w.count)
                    var c = common == 0 ? 0 : memcmp(p, w.baseAddress!, common)
                    if c == 0 { c = n < w.count ? -1 : n > w.count ? 1 : 0 }
                    if c == 0 { return record(mid)?.payload }
                    if c < 0 { lo = mid + 1 } else { hi = mid }
                }
                return nil
            }
        }
    }

    func records() -> [(ArraySlice<UInt8>, ArraySlice<UInt8>)] {
        (0..<offsets.count).compactMap { record($0) }
    }

    static func write(_ records: [(key: [UInt8], payload: ArraySlice<UInt8>)]) -> [UInt8] {
        let sorted = records.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var out = magic
        var w = Writer()
        w.u32(sorted.count)
        var offset = magic.count + 4 + 4 * sorted.count
        for rec in sorted {
            w.u32(offset)
            offset += 16 + rec.key.count + rec.payload.count
        }
        for rec in sorted {
            let start = w.out.count
            w.bytes(rec.key[...])
            w.bytes(rec.payload)
            var check = w.out.withUnsafeBytes { IntegrityHash.of(UnsafeRawBufferPointer(rebasing: $0[start...])) }.littleEndian
            withUnsafeBytes(of: &check) { w.out.append(contentsOf: $0) }
        }
        out += w.out
        return out
    }

    static func encode(_ o: MigrationParser.Outcome) -> [UInt8] {
        var w = Writer()
        if let r = o.revision {
            w.u8(1)
            w.string(r.id)
            w.list(r.downRevisions)
            w.list(r.dependencies)
            w.list(r.branchLabels)
            w.u32(r.line)
            w.string(r.longdoc)
        } else {
            w.u8(0)
        }
        w.optional(o.checksum)
        w.problems(o.problems)
        return w.out
    }

    /// What ``encode(_:)`` wrote, with `path` as the revision's and the problems' file (it is
    /// not stored: the caller knows it; nil leaves them without one); nil when damaged.
    static func decode<C: RandomAccessCollection>(_ payload: C, path: String?) -> MigrationParser.Outcome?
    where C.Element == UInt8, C.Index == Int {
        var r = Reader(bytes: payload, at: payload.startIndex)
        guard let has = r.u8() else { return nil }
        var revision: Revision?
        if has == 1 {
            guard let id = r.string(), let down = r.list(), let deps = r.list(), let labels = r.list(),
                  let line = r.u32(), let doc = r.string() else { return nil }
            revision = Revision(id: id, downRevisions: down, dependencies: deps, branchLabels: labels,
                                path: path ?? "", longdoc: doc, line: line)
        }
        guard let checksum = r.optional(), let problems = r.problems(path: path, limit: payload.count) else { return nil }
        return MigrationParser.Outcome(revision: revision, problems: problems, checksum: checksum)
    }

    /// A Django migration file's reading: the migration (its key comes from the lookup), its
    /// checksum when one was computed, and the problems.
    static func encode(django o: DjangoMigrationReader.Outcome, checksum: String?) -> [UInt8] {
        var w = Writer()
        func pairs(_ ks: [DjangoKey]) { w.u32(ks.count); for k in ks { w.string(k.app); w.string(k.name) } }
        if let m = o.migration {
            w.u8(1)
            w.u32(m.line)
            w.u32(m.dependencies.count)
            for d in m.dependencies {
                switch d {
                case .key(let k): w.u8(0); w.string(k.app); w.string(k.name)
                case .swappable(let setting): w.u8(1); w.string(setting)
                }
            }
            pairs(m.replaces)
            pairs(m.runBefore)
            w.u8(m.initial ? 1 : 0)
            w.u32(m.operationCount.map { $0 + 1 } ?? 0)
        } else {
            w.u8(0)
        }
        w.optional(checksum)
        w.problems(o.problems)
        return w.out
    }

    static func decode(django payload: ArraySlice<UInt8>, key: DjangoKey, path: String)
        -> (outcome: DjangoMigrationReader.Outcome, checksum: String?)?
    {
        var r = Reader(bytes: payload, at: payload.startIndex)
        func pairs() -> [DjangoKey]? {
            guard let n = r.u32(), n <= payload.count else { return nil }
            var out: [DjangoKey] = []
            for _ in 0..<n {
                guard let a = r.string(), let b = r.string() else { return nil }
                out.append(DjangoKey(a, b))
            }
            return out
        }
        guard let has = r.u8() else { return nil }
        var migration: DjangoMigration?
        if has == 1 {
            guard let line = r.u32(), let n = r.u32(), n <= payload.count else { return nil }
            var m = DjangoMigration(key: key, path: path, line: line)
            for _ in 0..<n {
                guard let tag = r.u8() else { return nil }
                if tag == 0 {
                    guard let a = r.string(), let b = r.string() else { return nil }
                    m.dependencies.append(.key(DjangoKey(a, b)))
                } else {
                    guard let setting = r.string() else { return nil }
                    m.dependencies.append(.swappable(setting: setting))
                }
            }
            guard let replaces = pairs(), let runBefore = pairs(), let initial = r.u8(), let ops = r.u32() else { return nil }
            m.replaces = replaces
            m.runBefore = runBefore
            m.initial = initial == 1
            m.operationCount = ops == 0 ? nil : ops - 1
            migration = m
        }
        guard let checksum = r.optional(), let problems = r.problems(path: path, limit: payload.count) else { return nil }
        return (DjangoMigrationReader.Outcome(migration: migration, problems: problems), checksum)
    }

    struct Writer {
        var out: [UInt8] = []
        mutating func u8(_ v: UInt8) { out.append(v) }
        mutating func u32(_ v: Int) {
            let x = UInt32(clamping: v)
            out += [UInt8(x & 0xFF), UInt8(x >> 8 & 0xFF), UInt8(x >> 16 & 0xFF), UInt8(x >> 24)]
        }
        mutating func bytes(_ b: ArraySlice<UInt8>) { u32(b.count); out += b }
        mutating func string(_ s: String) { bytes(ArraySlice(s.utf8)) }
        mutating func list(_ xs: [String]) { u32(xs.count); for x in xs { string(x) } }
        /// nil as 0, a value as 1 and the string.
        mutating func optional(_ s: String?) { if let s { u8(1); string(s) } else { u8(0) } }
        /// Problems without their path (the lookup gives it).
        mutating func problems(_ ps: [GraphProblem]) {
            u32(ps.count)
            for p in ps {
                string(p.kind.rawValue)
                string(p.severity.rawValue)
                u32(p.line.map { $0 + 1 } ?? 0)
                list(p.revisions)
                string(p.message)
                optional(p.fix)
            }
        }
    }

    struct Reader<C: RandomAccessCollection> where C.Element == UInt8, C.Index == Int {
        let bytes: C
        var at: Int
        init(bytes: C, at: Int) {
            self.bytes = bytes
            self.at = at
        }
        mutating func u8() -> UInt8? {
            guard at < bytes.endIndex else { return nil }
            defer { at += 1 }
            return bytes[at]
        }
        mutating func u32() -> Int? {
            guard at >= bytes.startIndex, bytes.endIndex - at >= 4 else { return nil }
            defer { at += 4 }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        mutating func chunk() -> C.SubSequence? {
            guard let n = u32(), bytes.endIndex - at >= n else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        mutating func string() -> String? { chunk().map { String(decoding: $0, as: UTF8.self) } }
        mutating func list() -> [String]? {
            guard let n = u32(), n <= bytes.endIndex - at else { return nil }
            var out: [String] = []
            for _ in 0..<n {
                guard let s = string() else { return nil }
                out.append(s)
            }
            return out
        }
        mutating func optional() -> String?? {
            guard let tag = u8() else { return nil }
            if tag == 0 { return .some(nil) }
            guard let s = string() else { return nil }
            return .some(s)
        }

        /// What ``Writer/problems(_:)`` wrote, at `path`; nil when damaged (or longer than `limit`).
        mutating func problems(path: String?, limit: Int) -> [GraphProblem]? {
            guard let n = u32(), n <= limit else { return nil }
            var out: [GraphProblem] = []
            for _ in 0..<n {
                guard let k = string(), let kind = GraphProblem.Kind(rawValue: k), let s = string(),
                      let severity = GraphProblem.Severity(rawValue: s), let line = u32(), let revisions = list(),
                      let message = string(), let fix = optional() else { return nil }
                out.append(GraphProblem(kind: kind, severity: severity, path: path, line: line == 0 ? nil : line - 1,
                                        revisions: revisions, message: message, fix: fix))
            }
            return out
        }
    }
}
