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

/// Calendar dates from Unix time, without Foundation (``CivilTime`` does the arithmetic).
public enum UTCTime {
    /// `YYYY-MM-DD HH:MMZ` for seconds since 1970 (proleptic Gregorian, UTC).
    public static func minutes(_ seconds: Int64) -> String {
        let c = CivilTime(seconds: seconds)
        let year = c.year < 0 ? "-" + String(-c.year) : CivilTime.padded(c.year, 4)
        return "\(year)-\(CivilTime.padded(c.month))-\(CivilTime.padded(c.day)) \(CivilTime.padded(c.hour)):\(CivilTime.padded(c.minute))Z"
    }

    /// RFC 3339 in UTC, to the second (`2026-11-27T12:00:05Z`), for JSON output.
    public static func rfc3339(_ seconds: Int64) -> String {
        let c = CivilTime(seconds: seconds)
        return "\(CivilTime.padded(max(c.year, 0), 4))-\(CivilTime.padded(c.month))-\(CivilTime.padded(c.day))"
            + "T\(CivilTime.padded(c.hour)):\(CivilTime.padded(c.minute)):\(CivilTime.padded(c.second))Z"
    }
}
