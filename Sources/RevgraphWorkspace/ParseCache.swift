import Foundation
import RevgraphCore

/// Parse results keyed by git blob id: a file is parsed once however many commits hold it, and,
/// with a persistent cache, once across runs (a blob id names its content, so an entry can never
/// be stale). Work-tree files are not cached: reading and parsing them costs less than decoding a
/// cache did (measured). Owned by one command run; not shared between threads.
public final class ParseCache {
    private var entries: [String: MigrationParser.Outcome] = [:]
    private var dirty = false
    /// Where the cache is kept between runs, when it is.
    public let file: String?

    /// An in-memory cache.
    public init() { file = nil }

    /// A cache kept in `file` between runs (read now; written by ``save()``). A missing or
    /// unreadable file is an empty cache.
    public init(persistentAt file: String) {
        self.file = file
        if let data = FileManager.default.contents(atPath: file) { entries = ParseCacheCodec.decode(data) }
    }

    /// The cache file for the repository whose git directory is found from `directory` upwards
    /// (`.git/revgraph-parse-cache`), or nil outside a repository or with `REVGRAPH_NO_CACHE` set.
    public static func defaultFile(from directory: String) -> String? {
        if ProcessInfo.processInfo.environment["REVGRAPH_NO_CACHE"] != nil { return nil }
        var dir = normalizePath(directory)
        while true {
            let dotGit = dir.joiningPath(".git")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDir) {
                if isDir.boolValue { return dotGit + "/revgraph-parse-cache" }
                // A worktree: ".git" is a file naming the real git directory.
                if let text = try? String(contentsOfFile: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") {
                    var gitdir = text.dropFirst(8).trimmingPythonWhitespace()
                    if !gitdir.hasPrefix("/") { gitdir = normalizePath(dir.joiningPath(gitdir)) }
                    return gitdir + "/revgraph-parse-cache"
                }
                return nil
            }
            if dir == "/" || dir == "." { return nil }
            dir = (dir as NSString).deletingLastPathComponent
            if dir.isEmpty { return nil }
        }
    }

    public var count: Int { entries.count }

    func lookup(key: String, path: String) -> MigrationParser.Outcome? {
        guard var outcome = entries[key] else { return nil }
        // The same blob may sit at another path in another commit.
        if outcome.revision?.path != path {
            outcome.revision?.path = path
            outcome.problems = outcome.problems.map { var p = $0; p.path = path; return p }
        }
        return outcome
    }

    func store(key: String, path: String, _ outcome: MigrationParser.Outcome) {
        entries[key] = outcome
        dirty = true
    }

    /// Writes the cache back (atomically) when it learnt something. Failures are ignored: a
    /// cache that cannot be written only costs speed.
    public func save() {
        guard dirty, let file else { return }
        let data = ParseCacheCodec.encode(entries)
        if (try? AtomicFile.replace(file, contents: [UInt8](data))) != nil { dirty = false }
    }
}

@available(*, unavailable)
extension ParseCache: Sendable {}

/// The cache file format: one record per line, fields separated by tabs, lists by 0x1F; tabs,
/// newlines, 0x1F and backslashes inside values are escaped. The first line names the version.
enum ParseCacheCodec {
    static let header = "revgraph-parse-cache 3"

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{1F}": out += "\\u"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func unescape<S: StringProtocol>(_ s: S) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var it = s.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\\", let n = it.next() {
                switch n {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                case "u": out += "\u{1F}"
                default: out.unicodeScalars.append(n)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func list(_ xs: [String]) -> String { xs.map(escape).joined(separator: "\u{1F}") }
    static func unlist<S: StringProtocol>(_ s: S) -> [String] {
        s.isEmpty ? [] : s.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { unescape($0) }
    }

    static func encode(_ entries: [String: MigrationParser.Outcome]) -> Data {
        var out = header + "\n"
        for (key, o) in entries {
            if let r = o.revision {
                out += ["R", escape(key), escape(r.id), list(r.downRevisions), list(r.dependencies), list(r.branchLabels),
                        String(r.line), escape(r.longdoc), o.checksum ?? ""].joined(separator: "\t") + "\n"
            } else {
                out += "N\t\(escape(key))\t\(o.checksum ?? "")\n"
            }
            for p in o.problems {
                out += ["P", escape(key), p.kind.rawValue, p.severity.rawValue, p.line.map(String.init) ?? "",
                        list(p.revisions), escape(p.message), escape(p.fix ?? "")].joined(separator: "\t") + "\n"
            }
        }
        return Data(out.utf8)
    }

    static func decode(_ data: Data) -> [String: MigrationParser.Outcome] {
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.first == Substring(header) else { return [:] }
        lines = lines.dropFirst()
        var entries: [String: MigrationParser.Outcome] = [:]
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let tag = f.first else { continue }
            switch tag {
            case "R" where f.count == 9:
                let r = Revision(id: unescape(f[2]), downRevisions: unlist(f[3]), dependencies: unlist(f[4]),
                                 branchLabels: unlist(f[5]), path: "", longdoc: unescape(f[7]), line: Int(f[6]) ?? 1)
                entries[unescape(f[1])] = MigrationParser.Outcome(revision: r, problems: [], checksum: f[8].isEmpty ? nil : String(f[8]))
            case "N" where f.count == 3:
                entries[unescape(f[1])] = MigrationParser.Outcome(revision: nil, problems: [], checksum: f[2].isEmpty ? nil : String(f[2]))
            case "P" where f.count == 8:
                guard let kind = GraphProblem.Kind(rawValue: String(f[2])),
                      let severity = GraphProblem.Severity(rawValue: String(f[3])) else { return [:] }
                let p = GraphProblem(kind: kind, severity: severity, path: nil, line: Int(f[4]), revisions: unlist(f[5]),
                                     message: unescape(f[6]), fix: f[7].isEmpty ? nil : unescape(f[7]))
                entries[unescape(f[1]), default: MigrationParser.Outcome(revision: nil, problems: [])].problems.append(p)
            default:
                return [:]  // a damaged file is an empty cache
            }
        }
        return entries
    }
}
