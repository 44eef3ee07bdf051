/// Something an integrity check found wrong: an edited, rewritten or deleted revision, a ledger
/// gap, a database off its release. Values only; the CLI prints them.
public struct Finding: Sendable, Equatable, Encodable {
    /// A commit named in a finding.
    public struct CommitRef: Sendable, Equatable, Encodable {
        public var commit: String
        public var author: String
        public var email: String
        /// UTC, `YYYY-MM-DD HH:MMZ`, for text.
        public var date: String
        /// RFC 3339, UTC, for JSON.
        public var time: String
        public var subject: String

        enum CodingKeys: String, CodingKey { case commit, author, email, time, subject }

        public init(commit: String, author: String, email: String, time: Int64, subject: String) {
            self.commit = commit
            self.author = author
            self.email = email
            self.date = UTCTime.minutes(time)
            self.time = UTCTime.rfc3339(time)
            self.subject = subject
        }
    }

    public var kind: String
    public var revision: String?
    public var path: String?
    public var line: Int?
    public var message: String
    public var fix: String?
    public var ref: String?
    public var recordedChecksum: String?
    public var currentChecksum: String?
    public var recordedCommit: String?
    public var commits: [CommitRef] = []

    public init(kind: String, revision: String? = nil, path: String? = nil, line: Int? = nil, message: String,
                fix: String? = nil)
    {
        self.kind = kind
        self.revision = revision
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
    }

    /// `path:line: error: message`, checksums, commits and the fix, one line each.
    public var text: String {
        var out = "\(path ?? "revgraph")\(line.map { ":\($0)" } ?? ""): error: \(message)\n"
        if let r = recordedChecksum, let c = currentChecksum {
            out += "  recorded sha256 \(r)\(recordedCommit.map { " at commit \($0.prefix(12))" } ?? "")\n  current  sha256 \(c)\n"
        }
        for c in commits { out += "  changed in \(c.commit.prefix(12)) \(c.date) \(c.author) <\(c.email)>: \(c.subject)\n" }
        if let fix { out += "  fix: \(fix)\n" }
        return out
    }
}

/// Calendar dates from Unix time, without Foundation.
public enum UTCTime {
    /// `YYYY-MM-DD HH:MMZ` for seconds since 1970 (proleptic Gregorian, UTC).
    public static func minutes(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = y < 0 ? "-" + String(-y) : String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "\(year)-\(two(m))-\(two(d)) \(two(rest / 3600)):\(two(rest % 3600 / 60))Z"
    }

    /// RFC 3339 in UTC, to the second (`2026-11-27T12:00:05Z`), for JSON output.
    public static func rfc3339(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(repeating: "0", count: max(0, 4 - String(max(y, 0)).count)) + String(max(y, 0))
        return "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// Year, month, day of a day count since 1970-01-01.
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let (y, m, d) = CivilTime.civil(fromDays: days)
        return (Int64(y), Int64(m), Int64(d))
    }
}
