/// An ini file read with Python `configparser` semantics, as Alembic reads `alembic.ini`:
/// `=` or `:` separators, lower-cased keys, `#`/`;` full-line comments, indented continuation
/// lines, a `DEFAULT` section, and `%(name)s` / `%%` interpolation.
public struct IniFile: Sendable {
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case syntax(line: Int, text: String)
        case interpolation(section: String, key: String, detail: String)

        public var description: String {
            switch self {
            case .syntax(let line, let text): return "line \(line): cannot parse '\(text)' (expected [section] or key = value)"
            case .interpolation(let s, let k, let d): return "bad interpolation in [\(s)] \(k): \(d)"
            }
        }
    }

    /// Raw (uninterpolated) values by section, then key. Keys are lower-case.
    public private(set) var sections: [String: [String: String]] = [:]
    /// 1-based line of each key, for messages.
    public private(set) var lines: [String: [String: Int]] = [:]
    public private(set) var sectionOrder: [String] = []
    /// Values every section inherits (the `DEFAULT` section plus the caller's defaults, such as `here`).
    public var defaults: [String: String]

    public init(text source: String, defaults: [String: String] = [:]) throws(ParseError) {
        // Python reads the file with universal newlines: CRLF and CR end lines too.
        let text = source.normalizingNewlines()
        self.defaults = defaults
        var section: String?
        var key: String?
        var keyIndent = 0
        var pending: [String] = []

        func commit() {
            guard let s = section, let k = key else { return }
            while pending.last == "" { pending.removeLast() }
            let value = pending.joined(separator: "\n")
            if s == "DEFAULT" { self.defaults[k] = value } else { sections[s, default: [:]][k] = value }
        }

        let physical = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, raw) in physical.enumerated() {
            let lineText = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let stripped = lineText.trimmingPythonWhitespace()
            let indent = lineText.prefix { $0 == " " || $0 == "\t" }.count
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            if stripped.isEmpty {
                if key != nil { pending.append("") }
                continue
            }
            if key != nil, indent > keyIndent {
                pending.append(stripped)
                continue
            }
            commit()
            key = nil
            pending = []
            if stripped.hasPrefix("["), stripped.hasSuffix("]"), stripped.count > 2 {
                let name = String(stripped.dropFirst().dropLast())
                section = name
                if name != "DEFAULT", sections[name] == nil {
                    sections[name] = [:]
                    sectionOrder.append(name)
                }
                continue
            }
            guard section != nil,
                  let sep = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }),
                  sep != stripped.startIndex
            else {
                throw .syntax(line: n + 1, text: stripped)
            }
            let k = stripped[..<sep].trimmingPythonWhitespace().lowercased()
            let v = stripped[stripped.index(after: sep)...].trimmingPythonWhitespace()
            key = k
            keyIndent = indent
            pending = [v]
            lines[section!, default: [:]][k] = n + 1
        }
        commit()
    }

    public func hasSection(_ name: String) -> Bool { sections[name] != nil }

    /// The raw value, without interpolation.
    public func raw(_ section: String, _ key: String) -> String? {
        sections[section]?[key.lowercased()] ?? (sections[section] != nil ? defaults[key.lowercased()] : nil)
    }

    /// The interpolated value (`%(name)s` from the same section or the defaults, `%%` as `%`).
    public func value(_ section: String, _ key: String) throws(ParseError) -> String? {
        guard let raw = raw(section, key) else { return nil }
        var budget = Self.maxSubstitutions
        return try interpolate(raw, section: section, key: key, depth: 0, budget: &budget)
    }

    /// Substitutions one value may take (configparser has only a depth limit, so an ini whose
    /// keys refer to each other many times over would expand exponentially).
    static let maxSubstitutions = 10_000
    /// The longest interpolated value.
    static let maxValueSize = 1 << 20

    private func interpolate(_ s: String, section: String, key: String, depth: Int, budget: inout Int)
        throws(ParseError) -> String
    {
        if depth > 10 { throw .interpolation(section: section, key: key, detail: "recursion too deep") }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == "%" else { out.append(c); i = s.index(after: i); continue }
            let next = s.index(after: i)
            guard next < s.endIndex else {
                throw .interpolation(section: section, key: key, detail: "'%' must be followed by '%' or '('")
            }
            if s[next] == "%" {
                out.append("%")
                i = s.index(after: next)
            } else if s[next] == "(", let close = s[next...].firstIndex(of: ")"),
                      s.index(after: close) < s.endIndex, s[s.index(after: close)] == "s"
            {
                let name = String(s[s.index(after: next)..<close]).lowercased()
                guard let v = raw(section, name) else {
                    throw .interpolation(section: section, key: key, detail: "no option '\(name)' to substitute for %(\(name))s")
                }
                budget -= 1
                guard budget >= 0 else {
                    throw .interpolation(section: section, key: key, detail: "more than \(Self.maxSubstitutions) substitutions")
                }
                out += try interpolate(v, section: section, key: name, depth: depth + 1, budget: &budget)
                guard out.utf8.count <= Self.maxValueSize else {
                    throw .interpolation(section: section, key: key, detail: "the value grows past \(Self.maxValueSize) bytes")
                }
                i = s.index(close, offsetBy: 2)
            } else {
                throw .interpolation(section: section, key: key, detail: "'%' must be followed by '%' or '(', found '\(s[next...].prefix(8))'")
            }
        }
        return out
    }
}
