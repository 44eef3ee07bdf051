/// Python's `repr()` of the values Django's migration writer serializes.
public enum PythonRepr {
    /// `repr(str)`: single quotes unless the text holds a `'` and no `"`; backslash escapes for
    /// `\`, the quote, `\t`, `\n`, `\r` and characters Python does not print.
    public static func string(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if Character(u) == quote {
                    out += "\\" + String(quote)
                } else if isPrintable(u) {
                    out.unicodeScalars.append(u)
                } else if u.value < 0x100 {
                    out += "\\x" + hex(u.value, 2)
                } else if u.value < 0x10000 {
                    out += "\\u" + hex(u.value, 4)
                } else {
                    out += "\\U" + hex(u.value, 8)
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

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
