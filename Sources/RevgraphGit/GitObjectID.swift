import CLibGit2

/// A git object id (SHA-1), copied out of libgit2.
public struct GitObjectID: Hashable, Sendable, CustomStringConvertible {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    public var hex: String {
        // Written straight into the string (git_oid_fmt needs no initialised libgit2).
        var oid = raw
        return String(unsafeUninitializedCapacity: 40) { out in
            out.withMemoryRebound(to: CChar.self) { _ = git_oid_fmt($0.baseAddress, &oid) }
            return 40
        }
    }

    public var description: String { hex }

    /// The id spelled by 40 hex digits (lower or upper case), or nil. Parsed here: libgit2's
    /// parser reports errors through its thread state, which needs an initialised library.
    init?(hex: [UInt8]) {
        guard hex.count == 40 else { return nil }
        var oid = git_oid()
        let ok = withUnsafeMutableBytes(of: &oid.id) { out -> Bool in
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
                default: return nil
                }
            }
            for i in 0..<20 {
                guard let h = nibble(hex[2 * i]), let l = nibble(hex[2 * i + 1]) else { return false }
                out[i] = h << 4 | l
            }
            return true
        }
        guard ok else { return nil }
        self.raw = oid
    }

    /// The id whose 20 bytes are `bytes` (as the index and tree objects store it).
    init(bytes: ArraySlice<UInt8>) {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { out in for (i, b) in bytes.prefix(20).enumerated() { out[i] = b } }
        raw = oid
    }

    public static func == (a: GitObjectID, b: GitObjectID) -> Bool {
        withUnsafeBytes(of: a.raw) { x in withUnsafeBytes(of: b.raw) { y in x.elementsEqual(y) } }
    }

    public func hash(into h: inout Hasher) {
        withUnsafeBytes(of: raw) { h.combine(bytes: $0) }
    }
}

extension GitObjectID {
    /// The id git would give `bytes` as a blob (`git hash-object`), computed without a repository.
    public static func blob(hashing bytes: [UInt8]) -> GitObjectID {
        LibGit2.ensure()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, bytes.count, GIT_OBJECT_BLOB) }
        return GitObjectID(oid)
    }
}
