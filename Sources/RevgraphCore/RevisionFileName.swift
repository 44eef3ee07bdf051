/// The file name `alembic revision` / `alembic merge` would choose (`ScriptDirectory._rev_path`).
public struct RevisionFileName: Sendable {
    /// The moment the revision is created, in the project's timezone (or local time).
    public struct Date: Sendable, Equatable {
        public var year, month, day, hour, minute, second, microsecond: Int
        /// `+00:00` and the like, when the config names a timezone; nil for a naive date.
        public var utcOffset: String?
        /// Seconds since the epoch (`int(create_date.timestamp())`).
        public var epoch: Int

        public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                    microsecond: Int, utcOffset: String?, epoch: Int)
        {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
            self.microsecond = microsecond
            self.utcOffset = utcOffset
            self.epoch = epoch
        }

        /// `str(datetime)`: microseconds only when non-zero, the offset only when aware.
        public var pythonString: String {
            var s = "\(year.padded(4))-\(month.padded(2))-\(day.padded(2)) \(hour.padded(2)):\(minute.padded(2)):\(second.padded(2))"
            if microsecond != 0 { s += ".\(microsecond.padded(6))" }
            if let utcOffset { s += utcOffset }
            return s
        }
    }

    public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
        public var template: String
        public var detail: String
        public var description: String { "file_template '\(template)': \(detail)" }
    }

    /// `"_".join(re.findall(r"\w+", message)).lower()`, cut at `truncateLength` on a word boundary.
    public static func slug(_ message: String?, truncateLength: Int = 40) -> String {
        var words: [String] = []
        var current = ""
        for ch in message ?? "" {
            if ch.isLetter || ch.isNumber || ch == "_" { current.append(ch) } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var slug = words.joined(separator: "_").lowercased()
        if slug.count > truncateLength {
            // Python's `slug[:n]`: a negative n counts from the end.
            let end = truncateLength >= 0 ? truncateLength : max(0, slug.count + truncateLength)
            let cut = String(slug.prefix(end))
            if let underscore = cut.lastIndex(of: "_") {
                slug = String(cut[..<underscore]) + "_"
            } else {
                slug = cut + "_"
            }
        }
        return slug
    }

    /// Applies `file_template` (Python %-formatting with `rev slug epoch year month day hour minute second`) and adds `.py`.
    public static func fileName(template: String, rev: String, message: String?, date: Date, truncateLength: Int = 40)
        throws(TemplateError) -> String
    {
        let values: [String: PythonValueOrInt] = [
            "rev": .s(rev), "slug": .s(slug(message, truncateLength: truncateLength)), "epoch": .i(date.epoch),
            "year": .i(date.year), "month": .i(date.month), "day": .i(date.day), "hour": .i(date.hour),
            "minute": .i(date.minute), "second": .i(date.second),
        ]
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.append(c); continue }
            if chars.first == "%" { out.append("%"); chars = chars.dropFirst(); continue }
            guard chars.first == "(", let close = chars.firstIndex(of: ")") else {
                throw TemplateError(template: template, detail: "expected %(name)s")
            }
            let name = String(chars[chars.index(after: chars.startIndex)..<close])
            chars = chars[chars.index(after: close)...]
            var spec = ""
            while let s = chars.first, "0123456789.-+ #".contains(s) { spec.append(s); chars = chars.dropFirst() }
            guard let conv = chars.first else { throw TemplateError(template: template, detail: "incomplete format") }
            chars = chars.dropFirst()
            guard let v = values[name] else { throw TemplateError(template: template, detail: "unknown token '\(name)'") }
            out += try format(v, spec: spec, conversion: conv, template: template)
        }
        return out + ".py"
    }

    enum PythonValueOrInt { case s(String), i(Int) }

    /// The longest field a file name can hold.
    static let maxField = 255

    /// Python's `%[flags][width][.precision]conversion`, for the conversions file templates use.
    static func format(_ v: PythonValueOrInt, spec: String, conversion: Character, template: String) throws(TemplateError) -> String {
        let flags = spec.prefix { "-+ #0".contains($0) }
        let rest = spec.dropFirst(flags.count)
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            throw TemplateError(template: template, detail: "unsupported format '%\(spec)\(conversion)'")
        }
        let widthText = parts.first ?? "", precisionText = parts.count > 1 ? parts[1] : nil
        guard widthText.count <= 3, (precisionText?.count ?? 0) <= 3,
              let width = widthText.isEmpty ? 0 : Int(widthText), width <= maxField
        else {
            throw TemplateError(template: template, detail: "field width or precision in '%\(spec)\(conversion)' is larger than a file name can be")
        }
        let precision = precisionText.map { Int($0) ?? 0 }
        let left = flags.contains("-")
        let zero = flags.contains("0") && !left
        var text: String
        switch (v, conversion) {
        case (.s(let s), "s"), (.s(let s), "r"): text = precision.map { String(s.prefix($0)) } ?? s
        case (.i(let n), "s"): text = String(n)
        case (.i(let n), "d"), (.i(let n), "i"):
            text = String(n)
            if let p = precision, p <= maxField { text = text.leftPadded(p) }
        default: throw TemplateError(template: template, detail: "cannot format with %\(conversion)")
        }
        if text.count < width {
            text = left ? text + String(repeating: " ", count: width - text.count) : text.leftPadded(width, with: zero ? "0" : " ")
        }
        return text
    }

    /// A new id as Alembic makes it: the last 12 hex characters of a random UUID.
    public static func newRevisionID<G: RandomNumberGenerator>(using rng: inout G) -> String {
        String((0..<12).map { _ in Array("0123456789abcdef")[Int(rng.next() % 16)] })
    }
}

extension Int {
    func padded(_ width: Int) -> String { String(self).leftPadded(width) }
}
