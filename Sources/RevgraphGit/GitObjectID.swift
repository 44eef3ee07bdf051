import CLibGit2

/// A git object id (SHA-1), copied out of libgit2.
public struct GitObjectID: Hashable, Sendable, CustomStringConvertible {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    public var hex: String {
        var oid = raw
        var buf = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buf, 41, &oid)
        return String(decoding: buf.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { hex }

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
