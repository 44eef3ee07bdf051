import Foundation
import RevgraphTestSupport
@testable import RevgraphWorkspace
import Testing

/// The directory walk's byte order (sorted by an eight-byte prefix key, then strcmp), and the
/// cache files' integrity check (four lanes).
@Suite struct WalkOrderAndIntegrityTests {
    @Test func theWalkListsNamesInByteOrder() throws {
        try withTemporaryDirectory("revgraph-walk-order") { dir in
            // Names around the eight-byte key: shorter than it, equal in it and differing after,
            // prefixes of each other, bytes above 0x7F (UTF-8), and a random spread.
            var names = ["a.py", "a0.py", "aaaaaaa.py", "aaaaaaaa.py", "aaaaaaaa0.py", "aaaaaaaa1.py", "aaaaaaaab.py",
                         "aaaaaaaa", "aaaaaaa", "Z.py", "_.py", "é.py", "e\u{301}.py", "ééééé.py", "éééé.py", "0.py", "~.py"]
            var rng = SplitMix(state: 13)
            for _ in 0..<300 { names.append(String(repeating: "ab", count: rng.int(6)) + rng.hex(rng.int(12)) + ".py") }
            let unique = Array(Set(names))
            for name in unique { try write("", to: dir + "/v/" + name) }
            let listed = try #require(try FileSystemTree(currentDirectory: dir).files(in: "v", recursive: false))
            let expected = unique.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { "v/" + $0 }
            #expect(listed.map(\.path) == expected)
        }
    }

    @Test func anyChangedByteOrLengthChangesTheIntegrityHash() {
        var rng = SplitMix(state: 7)
        for length in [0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 257] {
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let base = bytes.withUnsafeBytes { IntegrityHash.of($0) }
            for i in 0..<length {
                for bit in [0, 3, 7] {
                    bytes[i] ^= 1 << bit
                    #expect(bytes.withUnsafeBytes { IntegrityHash.of($0) } != base, "length \(length), byte \(i), bit \(bit)")
                    bytes[i] ^= 1 << bit
                }
            }
            #expect((bytes + [0]).withUnsafeBytes { IntegrityHash.of($0) } != base)
            if length > 0 { #expect(bytes.dropLast().withUnsafeBytes { IntegrityHash.of($0) } != base) }
            // Two words of different lanes swapped.
            if length >= 16 {
                var swapped = bytes
                for k in 0..<8 { swapped.swapAt(k, k + 8) }
                if swapped != bytes { #expect(swapped.withUnsafeBytes { IntegrityHash.of($0) } != base) }
            }
        }
    }
}
