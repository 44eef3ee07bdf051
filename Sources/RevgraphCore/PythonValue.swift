/// The values a migration template is rendered with, printed as Python prints them.
public enum PythonValue: Equatable, Sendable {
    case none
    case string(String)
    case tuple([String])
    case list([String])
    /// A `datetime`, already formatted as `str(datetime)` prints it.
    case datetime(String)
    /// A name the template uses but nobody passed (Mako's `UNDEFINED`).
    case undefined

    public var isTruthy: Bool {
        switch self {
        case .none, .undefined: return false
        case .string(let s): return !s.isEmpty
        case .tuple(let xs), .list(let xs): return !xs.isEmpty
        case .datetime: return true
        }
    }

    /// Python's `repr()`.
    public var repr: String {
        switch self {
        case .none, .undefined: return "None"
        case .string(let s): return Self.reprString(s)
        case .tuple(let xs): return xs.count == 1 ? "(\(Self.reprString(xs[0])),)" : "(\(xs.map(Self.reprString).joined(separator: ", ")))"
        case .list(let xs): return "[\(xs.map(Self.reprString).joined(separator: ", "))]"
        case .datetime(let d): return "datetime.datetime(\(d))"
        }
    }

    /// Python's `str()`.
    public var str: String {
        switch self {
        case .string(let s): return s
        case .datetime(let d): return d
        default: return repr
        }
    }

    /// Alembic's `util.format_as_comma`: None → "", a string → itself, a sequence → "a, b".
    public var comma: String {
        switch self {
        case .none, .undefined: return ""
        case .string(let s): return s
        case .tuple(let xs), .list(let xs): return xs.joined(separator: ", ")
        case .datetime(let d): return d
        }
    }

    /// Python's `repr()` of a str: single quotes unless the text holds a `'` and no `"`; backslash
    /// escapes for `\`, the quote, `\t`, `\n`, `\r` and characters Python does not print.
    public static func reprString(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\\(quote)"
                } else if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(4)
                } else {
                    out += "\\U" + String(scalar.value, radix: 16).leftPadded(8)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// `str.isprintable()` for one character: not a control, format, surrogate, private-use,
    /// unassigned or separator character, except the ASCII space.
    static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        if u == " " { return true }
        if u.value < 0x20 || u.value == 0x7F { return false }
        if u.isASCII { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default: return true
        }
    }

    /// `tuple_rev_as_scalar`: no item → None, one → the string, more → a tuple.
    public static func revisions(_ ids: [String]) -> PythonValue {
        ids.isEmpty ? .none : ids.count == 1 ? .string(ids[0]) : .tuple(ids)
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
