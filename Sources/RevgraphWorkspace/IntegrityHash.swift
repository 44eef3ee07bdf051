/// A 64-bit check of revgraph's own cache files against accidental damage (a torn write, a
/// flipped bit, a truncation): every 8-byte word goes through a bijective mix, so any change of
/// one word, and any change of length, changes the result. Not a defence against someone who can
/// write the git directory (they can write anything there); fast enough to check a whole
/// snapshot on every warm run (about a byte per cycle).
enum IntegrityHash {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = mix(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for k in i..<bytes.count { tail |= UInt64(bytes[k]) << (8 * UInt64(k - i)) }
            h = mix(h, tail)
        }
        return mix(h, UInt64(bytes.count))
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        return (x << 31 | x >> 33) &* 0xBF58_476D_1CE4_E5B9
    }
}
