import FoundationEssentials
import Glibc
import RevgraphCore

/// Problems as code-scanning reports: SARIF 2.1.0 (GitHub code scanning and others) and the
/// GitLab Code Quality report. Both are plain JSON documents; paths are repository-relative.
enum CodeScanning {
    /// A SARIF 2.1.0 log with one run: a rule per problem kind met, a result per problem.
    /// - Parameter ruleIDs: a problem's rule, when not its kind (lint findings carry their rule).
    static func sarif(_ problems: [GraphProblem], ruleIDs: (GraphProblem) -> String? = { _ in nil }) -> String {
        func rule(_ p: GraphProblem) -> String { ruleIDs(p) ?? p.kind.rawValue }
        let kinds = Array(Set(problems.map(rule))).sorted()
        let rules: [[String: Any]] = kinds.map { kind in
            ["id": kind, "name": kind, "shortDescription": ["text": "revgraph: \(kind)"],
             "helpUri": "https://github.com/revgraph/revgraph/blob/main/README.md#git-hooks"]
        }
        let results: [[String: Any]] = problems.map { p in
            var result: [String: Any] = [
                "ruleId": rule(p),
                "ruleIndex": kinds.firstIndex(of: rule(p)) ?? 0,
                "level": p.severity == .error ? "error" : "warning",
                "message": ["text": p.message + (p.fix.map { "\nfix: \($0)" } ?? "")],
                "partialFingerprints": ["revgraph/v1": fingerprint(p)],
            ]
            if let path = p.path {
                var physical: [String: Any] = ["artifactLocation": ["uri": path, "uriBaseId": "%SRCROOT%"]]
                if let line = p.line, line > 0 { physical["region"] = ["startLine": line] }
                result["locations"] = [["physicalLocation": physical]]
            }
            return result
        }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "revgraph", "version": BuildInfo.version,
                                    "informationUri": "https://github.com/revgraph/revgraph", "rules": rules]],
                "results": results,
            ]],
        ]
        return encode(log)
    }

    /// GitLab's Code Quality report: an array of `{description, check_name, fingerprint, severity,
    /// location: {path, lines: {begin}}}`.
    static func gitlab(_ problems: [GraphProblem]) -> String {
        let issues: [[String: Any]] = problems.map { p in
            [
                "type": "issue",
                "description": p.message + (p.fix.map { " (fix: \($0))" } ?? ""),
                "check_name": "revgraph/\(p.kind.rawValue)",
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint(p),
                "severity": p.severity == .error ? "major" : "minor",
                "location": ["path": p.path ?? "alembic.ini", "lines": ["begin": max(p.line ?? 1, 1)]],
            ]
        }
        return encode(issues)
    }

    /// Stable across runs and unrelated edits: the kind, the file and the revisions named.
    static func fingerprint(_ p: GraphProblem) -> String {
        SHA256.hex(Array("\(p.kind.rawValue)\u{0}\(p.path ?? "")\u{0}\(p.revisions.joined(separator: ","))\u{0}\(p.message)".utf8))
    }

    /// `value` (dictionaries, arrays, strings, integers, booleans) as pretty-printed JSON with
    /// sorted keys.
    static func encode(_ value: Any) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue(value))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A JSON document built from plain Swift values, for `JSONEncoder`.
enum JSONValue: Encodable {
    case string(String), int(Int), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(_ value: Any) {
        switch value {
        case let v as String: self = .string(v)
        case let v as Bool: self = .bool(v)
        case let v as Int: self = .int(v)
        case let v as [String: Any]: self = .object(v.mapValues(JSONValue.init))
        case let v as [Any]: self = .array(v.map(JSONValue.init))
        default: self = .null
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        case .null: try c.encodeNil()
        }
    }
}
