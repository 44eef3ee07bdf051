import FoundationEssentials
import Glibc

/// revgraph's one way of writing files: the bytes go to a temporary file in the same directory,
/// are flushed, and only then take the final name, so a reader sees the old file or the new one,
/// never a part. On any failure the temporary file is removed.
public enum AtomicFile {
    public enum WriteError: Error, Sendable, CustomStringConvertible {
        case exists(String)
        case failed(String, String)

        public var description: String {
            switch self {
            case .exists(let p): return "'\(p)' already exists; revgraph never overwrites a file"
            case .failed(let p, let why): return "cannot write '\(p)': \(why)"
            }
        }
    }

    /// Creates `path`, never over an existing file (the temporary file is hard-linked to the name,
    /// which fails if the name exists). Creates missing directories.
    public static func createNew(_ path: String, contents: [UInt8], mode: mode_t = 0o644) throws(WriteError) {
        let dir = path.deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        } catch {
            throw .failed(path, "cannot create the directory '\(dir)'")
        }
        if FileManager.default.fileExists(atPath: path) { throw .exists(path) }
        let temp = try writeTemporary(beside: path, contents: contents, mode: mode)
        defer { unlink(temp) }
        if link(temp, path) != 0 {
            if errno == EEXIST { throw .exists(path) }
            throw .failed(path, String(cString: strerror(errno)))
        }
    }

    /// Replaces `path` (or creates it) in one rename.
    public static func replace(_ path: String, contents: [UInt8], mode: mode_t = 0o644) throws(WriteError) {
        let temp = try writeTemporary(beside: path, contents: contents, mode: mode)
        if rename(temp, path) != 0 {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw .failed(path, why)
        }
    }

    /// Temporary files are named `.revgraph-<pid>-XXXXXX`: one left by a process that was killed
    /// (its pid gone) is removed the next time revgraph writes in that directory.
    static func sweepStale(in dir: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        let now = time(nil)
        for name in names where name.hasPrefix(".revgraph-") {
            let parts = name.split(separator: "-")
            guard parts.count == 3, let pid = pid_t(parts[1]), pid > 0, parts[2].count == 6 else { continue }
            var st = stat()
            guard lstat(dir + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, now - st.st_mtim.tv_sec > 60 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
        }
    }

    /// Writes and flushes a new temporary file in `path`'s directory; returns its path.
    private static func writeTemporary(beside path: String, contents bytes: [UInt8], mode: mode_t) throws(WriteError) -> String {
        let dir = path.deletingLastPathComponent
        sweepStale(in: dir.isEmpty ? "." : dir)
        var template = Array(((dir.isEmpty ? "." : dir) + "/.revgraph-\(getpid())-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .failed(path, String(cString: strerror(errno))) }
        let temp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 {
                let why = String(cString: strerror(errno))
                close(fd)
                unlink(temp)
                throw .failed(path, why)
            }
            written += n
        }
        fchmod(fd, mode)
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(temp)
            throw .failed(path, String(cString: strerror(errno)))
        }
        return temp
    }
}
