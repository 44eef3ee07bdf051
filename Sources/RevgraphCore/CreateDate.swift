/// The wall-clock fields of a `--date` value, `YYYY-MM-DD HH:MM:SS[.ffffff]`, checked field by field.
public struct CreateDate: Sendable, Equatable {
    public var year, month, day, hour, minute, second, microsecond: Int

    /// Parses `text`, or nil when it is not a real date and time of that form.
    public init?(parsing text: String) {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let y = digits(0, 4), let mo = digits(5, 2), let d = digits(8, 2),
              let h = digits(11, 2), let mi = digits(14, 2), let s = digits(17, 2)
        else { return nil }
        var micro = 0
        if b.count > 19 {
            let fraction = b.count - 20
            guard b[19] == UInt8(ascii: "."), (1...6).contains(fraction), let f = digits(20, fraction) else { return nil }
            micro = f
            for _ in fraction..<6 { micro *= 10 }
        }
        guard y >= 1, (1...12).contains(mo), d >= 1, d <= Self.daysIn(month: mo, year: y), h < 24, mi < 60, s < 60 else {
            return nil
        }
        (year, month, day, hour, minute, second, microsecond) = (y, mo, d, h, mi, s, micro)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
