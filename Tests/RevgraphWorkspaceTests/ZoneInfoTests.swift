import Foundation
import RevgraphCore
import RevgraphTestSupport
@testable import RevgraphWorkspace
import Testing

/// Time zones read from the system's tz database (and POSIX TZ rules) against Python's
/// `zoneinfo` and the C library, on the same machine: the offsets revgraph writes in a merge's
/// Create Date and Django's merge names.
@Suite struct ZoneInfoTests {
    static let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo",
                        "Pacific/Chatham", "Africa/Casablanca", "Asia/Tehran", "Europe/Dublin", "America/Nuuk", "Pacific/Apia",
                        "Europe/London", "Australia/Sydney", "America/St_Johns", "Asia/Kathmandu", "Antarctica/Troll"]

    /// Runs python3 (the system's: zoneinfo is in its standard library) on `script`, one answer a line.
    private func python(_ script: String, env: [String: String] = [:]) throws -> [String] {
        let r = try run("/usr/bin/python3", ["-c", script], env: env)
        guard r.status == 0 else { throw TestFailure("python3 failed: \(r.stderr)") }
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Instants from 1890 to 2100: a spread, and every hour around this year's transitions.
    private var instants: [Int64] {
        var out: [Int64] = []
        var rng = SplitMix(state: 2026)
        for _ in 0..<400 { out.append(-2_524_521_600 + Int64(rng.next() % 6_626_000_000)) }
        for day in stride(from: CivilTime.days(year: 2026, month: 1, day: 1), to: CivilTime.days(year: 2027, month: 1, day: 1), by: 7) {
            out.append(day * 86_400 + 3_600 * Int64(rng.int(24)))
        }
        for year in [2037, 2038, 2050, 2099] {
            for month in [3, 4, 10, 11] { out.append(CivilTime(year: year, month: month, day: 28, hour: 1).seconds) }
        }
        return out
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/Berlin") || Requirement.inCI,
                   "needs the tz database (tzdata)"))
    func offsetsMatchPythonsZoneinfo() throws {
        let times = instants
        for zone in Self.zones {
            let info = try #require(ZoneInfoFiles.zone(named: zone), "\(zone)")
            let expected = try python("""
                import sys, datetime, zoneinfo
                z = zoneinfo.ZoneInfo(\(String(reflecting: zone)))
                for t in \(times):
                    print(int(datetime.datetime.fromtimestamp(t, tz=z).utcoffset().total_seconds()))
                """)
            #expect(expected.count == times.count)
            for (t, e) in zip(times, expected) where String(info.offset(atUTC: t)) != e {
                Issue.record("\(zone) at \(t): \(info.offset(atUTC: t)), zoneinfo says \(e)")
                break
            }
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/Berlin") || Requirement.inCI,
                   "needs the tz database (tzdata)"))
    func localTimesAreReadAsPythonReadsThem() throws {
        // Wall times around this year's transitions (skipped and repeated hours), and ordinary ones.
        var walls: [CivilTime] = []
        for month in 1...12 {
            for day in [1, 5, 8, 15, 22, 25, 29] where day <= 28 || month != 2 {
                for hour in [0, 1, 2, 3, 12] { walls.append(CivilTime(year: 2026, month: month, day: day, hour: hour, minute: 30)) }
            }
        }
        for zone in Self.zones {
            let info = try #require(ZoneInfoFiles.zone(named: zone))
            let tuples = walls.map { "(\($0.year),\($0.month),\($0.day),\($0.hour),\($0.minute))" }.joined(separator: ",")
            let expected = try python("""
                import datetime, zoneinfo
                z = zoneinfo.ZoneInfo(\(String(reflecting: zone)))
                for w in [\(tuples)]:
                    print(int(datetime.datetime(*w, tzinfo=z).timestamp()))
                """)
            for (w, e) in zip(walls, expected) where String(info.utc(fromLocal: w.seconds)) != e {
                Issue.record("\(zone) at \(w): \(info.utc(fromLocal: w.seconds)), Python says \(e)")
                break
            }
        }
    }

    @Test func posixRulesMatchTheCLibrary() throws {
        let rules = ["EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30", "AEST-10AEDT,M10.1.0,M4.1.0/3",
                     "IST-5:30", "UTC0", "NZST-12NZDT,M9.5.0,M4.1.0/3", "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
                     "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "EST5EDT4,J60/1:30,J300", "XXX3YYY,100,200/4",
                     "<-01>1<+00>,M3.5.0/0,M10.5.0/1", "PST8PDT,M3.2.0/2:00:00,M11.1.0/2:00:00"]
        // From 1970 on: glibc applies a TZ rule's daylight time to no earlier year (the rule
        // itself applies to every year; only the dates a merge or a record can carry matter).
        let times = instants.filter { $0 >= 0 }
        for rule in rules {
            let info = try #require(ZoneInfo(posix: rule), "\(rule)")
            let expected = try python("""
                import time
                time.tzset()
                for t in \(times):
                    print(time.localtime(t).tm_gmtoff)
                """, env: ["TZ": rule])
            for (t, e) in zip(times, expected) where String(info.offset(atUTC: t)) != e {
                Issue.record("\(rule) at \(t): \(info.offset(atUTC: t)), the C library says \(e)")
                break
            }
        }
        for bad in ["", "E", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "<+03", "EST5EDT,M3.2.7,M11.1.0"] {
            #expect(ZoneInfo(posix: bad) == nil, "\(bad)")
        }
    }

    @Test func namesThatLeaveTheDatabaseAreRefused() {
        for key in ["../etc/passwd", "/etc/localtime", "Europe/../../etc/passwd", "Europe//Berlin", "./UTC", "", "Europe/Berlin\0"] {
            #expect(ZoneInfoFiles.zone(named: key) == nil, "\(key)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/Berlin") || Requirement.inCI,
                   "needs the tz database (tzdata)"))
    func damagedTZifNeverCrashes() throws {
        let good = try #require(FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin").map(Array.init))
        #expect(ZoneInfo(tzif: good) != nil)
        var rng = SplitMix(state: 5)
        for n in stride(from: 0, to: good.count, by: 7) {
            _ = ZoneInfo(tzif: Array(good.prefix(n)))
            var flipped = good
            flipped[rng.int(good.count)] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            _ = ZoneInfo(tzif: flipped)?.offset(atUTC: Int64(rng.next() % 4_000_000_000))
        }
    }

    @Test func civilDatesRoundTrip() {
        #expect(CivilTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilTime(seconds: -1) == CivilTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(CivilTime.weekday(days: 0) == 4 && CivilTime.weekday(days: -1) == 3 && CivilTime.weekday(days: -7) == 4)
        var rng = SplitMix(state: 9)
        let iso = ISO8601DateFormatter()
        for k in 0..<2_000 {
            let t = Int64(bitPattern: rng.next()) % 20_000_000_000
            #expect(CivilTime(seconds: t).seconds == t)
            if t >= 0 && k < 300 {
                #expect(UTCTime.rfc3339(t) == iso.string(from: Date(timeIntervalSince1970: TimeInterval(t))))
            }
            let span = Int64(rng.int(400 * 86_400))
            #expect(CivilTime.days(seconds: span) == String(format: "%.1f days", Double(span) / 86_400))
        }
    }
}
