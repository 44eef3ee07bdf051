import FuzzSupport
import RevgraphCore

/// A TZif file (the tz database revgraph reads for a merge's Create Date) and a POSIX TZ rule
/// (the TZ variable, a TZif footer): read, then asked for offsets and local times.
@_cdecl("FuzzZone_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    let instants: [Int64] = [Int64.min / 4, -2_524_521_600, -1, 0, 1_790_000_000, 4_102_444_800, Int64.max / 4]
    for zone in [ZoneInfo(tzif: bytes), ZoneInfo(posix: String(decoding: bytes.prefix(256), as: UTF8.self))] {
        guard let zone else { continue }
        for t in instants {
            _ = zone.offset(atUTC: t)
            _ = zone.utc(fromLocal: t)
        }
    }
}
