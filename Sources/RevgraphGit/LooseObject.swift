import CLibGit2
import CZlib
import Glibc

/// Loose objects read and inflated by revgraph before libgit2 sees them. libgit2 1.5 loops
/// forever inflating a truncated loose object (every `git commit` with the hook would hang);
/// here the stream is bounded by the size the object's header declares, and an object that
/// ends early, is corrupt or is larger than `maxSize` is a ``GitError`` within milliseconds.
enum LooseObject {
    /// The largest loose object read (a revision file, tree or commit is far smaller).
    static let maxSize = 256 << 20

    /// The file of a loose object, or nil where the object is packed (or absent).
    static func path(_ id: GitObjectID, objectsDirectory: String) -> String? {
        let hex = id.hex
        let path = objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return path
    }

    /// The object's type and content, or nil when it is not loose.
    static func read(_ id: GitObjectID, objectsDirectory: String) throws(GitError) -> (type: String, content: [UInt8])? {
        guard let path = path(id, objectsDirectory: objectsDirectory) else { return nil }
        func corrupt(_ why: String) -> GitError {
            GitError(function: "read loose object", code: -1,
                     message: "object \(id.hex) at '\(path)' is \(why); run 'git fsck' and restore it from another clone")
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw corrupt("unreadable (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size <= maxSize else { throw corrupt("larger than \(maxSize >> 20) MiB") }
        guard let input = readExactly(fd, Int(st.st_size)) else { throw corrupt("shorter than its directory entry says") }
        return try inflate(input, corrupt: corrupt)
    }

    /// `count` bytes of `fd`, or nil when the file ends (or fails) before them.
    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        return got == count ? bytes : nil
    }

    /// Inflates `input`, reading the `<type> <size>\0` header first and never producing more
    /// than it declares.
    static func inflate(_ input: [UInt8], corrupt: (String) -> GitError) throws(GitError) -> (type: String, content: [UInt8]) {
        var stream = z_stream()
        guard revgraph_inflate_init(&stream) == Z_OK else { throw corrupt("not readable by zlib") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: 64)  // grows once the header is known
        var produced = 0
        var declared: Int?
        var headerLength = 0
        var finished = false
        var failure: String?
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while !finished, failure == nil {
                let room = output.count - produced
                if room == 0 {
                    // Output full: either the header is still being read or the object is longer than declared.
                    if declared != nil { failure = "longer than its header declares"; break }
                    failure = "corrupt (no object header)"
                    break
                }
                let before = stream.total_out
                let rc = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = uInt(room)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                produced += Int(stream.total_out - before)
                if declared == nil, let nul = output[..<produced].firstIndex(of: 0) {
                    let header = String(decoding: output[..<nul], as: UTF8.self).split(separator: " ")
                    guard header.count == 2, let size = Int(header[1]), size >= 0, size <= maxSize else {
                        failure = "corrupt (bad object header)"
                        break
                    }
                    declared = size
                    headerLength = nul + 1
                    // One byte of room past the declared end: filling it means the object is longer.
                    let capacity = headerLength + size + 1
                    if produced >= capacity { failure = "longer than its header declares"; break }
                    if output.count < capacity {
                        output += [UInt8](repeating: 0, count: capacity - output.count)
                    } else {
                        output.removeLast(output.count - capacity)
                    }
                }
                switch rc {
                case Z_STREAM_END: finished = true
                case Z_OK: if stream.avail_in == 0, stream.avail_out != 0 { failure = "truncated" }
                case Z_BUF_ERROR: failure = stream.avail_in == 0 ? "truncated" : "longer than its header declares"
                default: failure = "corrupt (zlib: \(stream.msg.map { String(cString: $0) } ?? "error \(rc)"))"
                }
            }
        }
        if let failure { throw corrupt(failure) }
        guard let declared else { throw corrupt("truncated") }
        guard produced == headerLength + declared else {
            throw corrupt(produced > headerLength + declared ? "longer than its header declares" : "truncated")
        }
        let type = String(decoding: output[..<(headerLength - 1)], as: UTF8.self).split(separator: " ")[0]
        return (String(type), Array(output[headerLength..<produced]))
    }
}

extension GitRepository {
    /// `<common git dir>/objects`, where loose objects live.
    var objectsDirectory: String {
        var dir = String(cString: git_repository_commondir(handle))
        if dir.hasSuffix("/") { dir.removeLast() }
        return dir + "/objects"
    }

    /// Reads a loose object through the bounded reader (packed objects are left to libgit2,
    /// which checks them against the pack's index and checksums).
    func verifyLoose(_ id: GitObjectID) throws(GitError) {
        guard isLoose(id) else { return }
        _ = try LooseObject.read(id, objectsDirectory: objectsDirectory)
    }

    /// Whether `id` is a loose object. Each `objects/xx` directory is listed once per run (a
    /// history walk asks for thousands of packed trees; a stat and a path string each cost more
    /// than libgit2's read), so an object written after its directory was listed is left to
    /// libgit2.
    func isLoose(_ id: GitObjectID) -> Bool {
        let prefix = Int(id.raw.id.0)
        if looseObjects[prefix] == nil {
            var found = Set<GitObjectID>()
            let hex = id.hex
            let dir = objectsDirectory + "/" + hex.prefix(2)
            if let handle = opendir(dir) {
                while let e = readdir(handle) {
                    let name = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                    guard name.count == 38, let full = GitObjectID(hex: Array(hex.utf8.prefix(2)) + name) else { continue }
                    found.insert(full)
                }
                closedir(handle)
            }
            looseObjects[prefix] = found
        }
        return looseObjects[prefix]!.contains(id)
    }
}
