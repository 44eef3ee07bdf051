import FoundationEssentials
import Glibc
import RevgraphCore

/// Writing to stdout and stderr. Errors are written once, by ``Revgraph/main()``.
enum Output {
    static func write(_ text: String) { write(text, to: STDOUT_FILENO) }

    static func stderr(_ text: String) { write(text, to: STDERR_FILENO) }

    /// All of `text` to `fd`, across short writes and interruptions (a closed pipe ends it).
    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }

    static func error(_ text: String) { stderr("revgraph: error: \(text)\n") }

    /// `path:line: severity: message`, then the fix on its own line.
    static func diagnostic(_ p: GraphProblem) -> String {
        var location = p.path ?? "revgraph"
        if let line = p.line { location += ":\(line)" }
        var text = "\(location): \(p.severity.rawValue): \(p.message)\n"
        if let fix = p.fix { text += "  fix: \(fix)\n" }
        return text
    }

    /// Read commands print problems as warnings on stderr; stdout stays parseable.
    static func warn(_ problems: [GraphProblem]) {
        guard !problems.isEmpty else { return }
        stderr(problems.map { p -> String in
            var q = p
            q.severity = .warning
            return diagnostic(q)
        }.joined())
    }

    /// `value` as one JSON object carrying `"schema": "revgraph/<command>/v1"` (docs/json.md;
    /// docs/schema/<command>.v1.json). Keys are snake_case whatever the Swift names.
    static func json<T: Encodable>(_ value: T, command: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(Envelope(schema: "revgraph/\(command)/v1", value: value))) ?? Data("{}".utf8)
        write(String(decoding: data, as: UTF8.self) + "\n")
    }
}

/// A JSON object: the schema key, then the keys of `value` (itself an object).
struct Envelope<T: Encodable>: Encodable {
    var schema: String
    var value: T
    enum Key: String, CodingKey { case schema }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(schema, forKey: .schema)
        try value.encode(to: encoder)
    }
}

/// Encodes heterogeneous JSON values.
struct AnyEncodable: Encodable {
    let encodeValue: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: Encoder) throws { try encodeValue(encoder) }
}

/// `YYYY-MM-DD HH:MMZ` for a commit's or a tag's time.
func utcDate(_ seconds: Int64) -> String { UTCTime.minutes(seconds) }

/// RFC 3339 UTC (`2026-11-27T12:00:05Z`) for JSON.
func rfc3339(_ seconds: Int64) -> String { UTCTime.rfc3339(seconds) }
