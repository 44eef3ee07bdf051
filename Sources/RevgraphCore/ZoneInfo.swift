/// A time zone as the system's tz database describes it (a TZif file, RFC 8536, the files
/// Python's `zoneinfo` reads), or a POSIX TZ rule (`TZ=CET-1CEST,M3.5.0,M10.5.0/3`): the UTC
/// offset at any instant. Read from bytes; finding the file is the caller's business.
public struct ZoneInfo: Sendable, Equatable {
    /// Transition instants (UTC seconds), ascending, and the offset that starts at each.
    var transitions: [Int64] = []
    var offsets: [Int] = []
    /// The offset before the first transition.
    var initial = 0
    /// After the last transition (the TZif footer), or always (a TZ string).
    var rule: PosixRule?

    public static let utc = ZoneInfo(initial: 0)

    init(transitions: [Int64] = [], offsets: [Int] = [], initial: Int, rule: PosixRule? = nil) {
        self.transitions = transitions
        self.offsets = offsets
        self.initial = initial
        self.rule = rule
    }

    /// A zone from a POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`, `<+0330>-3:30`, `UTC0`); nil when
    /// it does not parse.
    public init?(posix text: String) {
        guard let rule = PosixRule(Array(text.utf8)) else { return nil }
        self.init(initial: rule.standard, rule: rule)
    }

    /// A zone from a TZif file's bytes (versions 1 to 4; the 64-bit data and the footer when
    /// present); nil when the file is damaged. Bounded by the counts the header declares, each
    /// checked against the bytes there are.
    public init?(tzif bytes: [UInt8]) {
        struct Header { var isut, isstd, leap, time, type, chars: Int }
        func header(at i: Int) -> Header? {
            guard bytes.count >= i + 44, bytes[i] == 0x54, bytes[i + 1] == 0x5A, bytes[i + 2] == 0x69, bytes[i + 3] == 0x66 else { return nil }
            func n(_ k: Int) -> Int { Int(UInt32(bytes[i + 20 + 4 * k]) << 24 | UInt32(bytes[i + 21 + 4 * k]) << 16 | UInt32(bytes[i + 22 + 4 * k]) << 8 | UInt32(bytes[i + 23 + 4 * k])) }
            return Header(isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), chars: n(5))
        }
        func blockSize(_ h: Header, _ timeSize: Int) -> Int {
            h.time * timeSize + h.time + h.type * 6 + h.chars + h.leap * (timeSize + 4) + h.isstd + h.isut
        }
        func int(_ at: Int, _ size: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<size { v = v << 8 | UInt64(bytes[at + k]) }
            return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: v))) : Int64(bitPattern: v)
        }
        guard let h1 = header(at: 0), h1.type > 0 else { return nil }
        let version = bytes[4]
        var h = h1
        var start = 44
        var timeSize = 4
        if version >= 0x32 {  // '2' and later: skip the 32-bit block, read the 64-bit one
            let second = 44 + blockSize(h1, 4)
            guard let h2 = header(at: second), h2.type > 0 else { return nil }
            (h, start, timeSize) = (h2, second + 44, 8)
        }
        let size = blockSize(h, timeSize)
        guard h.type <= 256, bytes.count >= start + size else { return nil }
        var transitions: [Int64] = []
        var indices: [Int] = []
        transitions.reserveCapacity(h.time)
        for k in 0..<h.time { transitions.append(int(start + k * timeSize, timeSize)) }
        let typeIndexAt = start + h.time * timeSize
        for k in 0..<h.time {
            let t = Int(bytes[typeIndexAt + k])
            guard t < h.type else { return nil }
            indices.append(t)
        }
        let typesAt = typeIndexAt + h.time
        var typeOffsets: [Int] = []
        var typeDST: [Bool] = []
        for k in 0..<h.type {
            typeOffsets.append(Int(int(typesAt + 6 * k, 4)))
            typeDST.append(bytes[typesAt + 6 * k + 4] != 0)
        }
        // Before the first transition: the first standard-time type (RFC 8536 3.2), else type 0.
        let first = typeDST.firstIndex(of: false) ?? 0
        var rule: PosixRule?
        if timeSize == 8 {
            // The footer: "\n" TZ string "\n" after the 64-bit block.
            let footer = start + size
            if bytes.count > footer + 1, bytes[footer] == 0x0A, let end = bytes[(footer + 1)...].firstIndex(of: 0x0A), end > footer + 1 {
                rule = PosixRule(Array(bytes[(footer + 1)..<end]))
            }
        }
        self.init(transitions: transitions, offsets: indices.map { typeOffsets[$0] }, initial: typeOffsets[first], rule: rule)
    }

    /// The UTC offset (seconds east) at the UTC instant `t`.
    public func offset(atUTC t: Int64) -> Int {
        if let last = transitions.last, t >= last, let rule { return rule.offset(atUTC: t) }
        if transitions.isEmpty { return rule?.offset(atUTC: t) ?? initial }
        // The last transition at or before t (binary search).
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? initial : offsets[lo - 1]
    }

    /// The UTC instant of the local wall time `local` (seconds, as if UTC), as Python reads a
    /// naive time with `fold=0`: an ambiguous time is its first occurrence, a time skipped by a
    /// transition is read with the offset in effect before it.
    public func utc(fromLocal local: Int64) -> Int64 {
        let before = offset(atUTC: local - 86_400 * 2), after = offset(atUTC: local + 86_400 * 2)
        var valid: [Int64] = []
        for o in [before, after] where offset(atUTC: local - Int64(o)) == o { valid.append(local - Int64(o)) }
        if let earliest = valid.min() { return earliest }
        return local - Int64(before)
    }
}

/// A POSIX TZ rule: standard offset, and optionally a daylight offset with the dates it starts
/// and ends each year.
struct PosixRule: Sendable, Equatable {
    /// Offsets in seconds east of UTC (POSIX writes them west: `EST5` is -5 h).
    var standard: Int
    var daylight: Int?
    var start: DateRule?
    var end: DateRule?

    enum DateRule: Sendable, Equatable {
        case julianNoLeap(Int)  // Jn: 1...365, February 29 never counted
        case zeroBased(Int)  // n: 0...365
        case monthWeekDay(month: Int, week: Int, day: Int)  // Mm.w.d
    }
    /// Seconds after local midnight at which start and end happen (default 2:00).
    var startTime = 7200, endTime = 7200

    init?(_ s: [UInt8]) {
        var i = 0
        func name() -> Bool {
            if i < s.count, s[i] == 0x3C {  // <...>
                guard let close = s[i...].firstIndex(of: 0x3E) else { return false }
                i = close + 1
                return true
            }
            let from = i
            while i < s.count, (0x41...0x5A).contains(s[i]) || (0x61...0x7A).contains(s[i]) { i += 1 }
            return i - from >= 3
        }
        func number() -> Int? {
            let from = i
            var v = 0
            while i < s.count, (0x30...0x39).contains(s[i]), i - from < 3 { v = v * 10 + Int(s[i] - 0x30); i += 1 }
            return i > from ? v : nil
        }
        /// [+-]hh[:mm[:ss]] in seconds.
        func time() -> Int? {
            var sign = 1
            if i < s.count, s[i] == 0x2B || s[i] == 0x2D { sign = s[i] == 0x2D ? -1 : 1; i += 1 }
            guard let h = number() else { return nil }
            var total = h * 3600
            for scale in [60, 1] {
                guard i < s.count, s[i] == 0x3A else { break }
                i += 1
                guard let v = number() else { return nil }
                total += v * scale
            }
            return sign * total
        }
        func date() -> DateRule? {
            guard i < s.count else { return nil }
            if s[i] == 0x4A { i += 1; return number().map { .julianNoLeap($0) } }
            if s[i] == 0x4D {
                i += 1
                guard let m = number(), i < s.count, s[i] == 0x2E else { return nil }
                i += 1
                guard let w = number(), i < s.count, s[i] == 0x2E else { return nil }
                i += 1
                guard let d = number(), (1...12).contains(m), (1...5).contains(w), (0...6).contains(d) else { return nil }
                return .monthWeekDay(month: m, week: w, day: d)
            }
            return number().map { .zeroBased($0) }
        }
        guard name(), let std = time() else { return nil }
        standard = -std
        guard i < s.count else { return }
        guard name() else { return nil }
        if i < s.count, s[i] != 0x2C {
            guard let dst = time() else { return nil }
            daylight = -dst
        } else {
            daylight = standard + 3600
        }
        guard i < s.count else { return nil }  // a daylight name without dates: not supported
        guard s[i] == 0x2C else { return nil }
        i += 1
        guard let a = date() else { return nil }
        start = a
        if i < s.count, s[i] == 0x2F { i += 1; guard let t = time() else { return nil }; startTime = t }
        guard i < s.count, s[i] == 0x2C else { return nil }
        i += 1
        guard let b = date() else { return nil }
        end = b
        if i < s.count, s[i] == 0x2F { i += 1; guard let t = time() else { return nil }; endTime = t }
        guard i == s.count else { return nil }
    }

    /// The offset at UTC instant `t`.
    func offset(atUTC t: Int64) -> Int {
        guard let daylight, let start, let end else { return standard }
        let year = CivilTime(seconds: t + Int64(standard)).year
        // Start happens in standard time, end in daylight time (local wall clock).
        func instant(_ r: DateRule, _ time: Int, offset: Int, year: Int) -> Int64 {
            Self.day(r, year: year) * 86_400 + Int64(time) - Int64(offset)
        }
        let s = instant(start, startTime, offset: standard, year: year)
        let e = instant(end, endTime, offset: daylight, year: year)
        if s < e {
            return t >= s && t < e ? daylight : standard
        }
        // Southern hemisphere: daylight time spans the new year.
        return t >= e && t < s ? standard : daylight
    }

    /// Days from the epoch to the rule's date in `year`.
    static func day(_ r: DateRule, year: Int) -> Int64 {
        let jan1 = CivilTime.days(year: year, month: 1, day: 1)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        switch r {
        case .julianNoLeap(let n):
            return jan1 + Int64(n - 1) + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return jan1 + Int64(n)
        case .monthWeekDay(let m, let w, let d):
            let first = CivilTime.days(year: year, month: m, day: 1)
            let monthDays = CivilTime.days(year: m == 12 ? year + 1 : year, month: m == 12 ? 1 : m + 1, day: 1) - first
            var day = first + Int64((d - CivilTime.weekday(days: first) + 7) % 7) + Int64(7 * (w - 1))
            while day - first >= monthDays { day -= 7 }  // week 5: the last such day
            return day
        }
    }
}
