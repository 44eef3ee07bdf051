import Foundation

/// Writes a new file atomically and never over an existing one: the bytes go to a temporary file
/// in the same directory, which is then hard-linked to the final name (fails if the name exists)
/// and removed. On any failure nothing is left behind.
public enum SafeFileWriter {
    public enum WriteError: Error, CustomStringConvertible {
        case exists(String)
        case failed(String, String)

        public var description: String {
            switch self {
            case .exists(let p): return "'\(p)' already exists; revgraph never overwrites a file (pass another --rev-id or message)"
            case .failed(let p, let why): return "cannot write '\(p)': \(why)"
            }
        }
    }

    public static func createNew(_ path: String, contents: String) throws(WriteError) {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw .failed(path, "cannot create the directory '\(dir)'")
        }
        if FileManager.default.fileExists(atPath: path) { throw .exists(path) }
        var template = Array((dir + "/.revgraph-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .failed(path, String(cString: strerror(errno))) }
        let temp = String(cString: template.map { UInt8(bitPattern: $0) } + [0] ).prefix { $0 != "\0" }
        let tempPath = String(temp)
        defer { unlink(tempPath) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 { close(fd); throw .failed(path, String(cString: strerror(errno))) }
            written += n
        }
        fchmod(fd, 0o644)
        guard fsync(fd) == 0, close(fd) == 0 else { throw .failed(path, String(cString: strerror(errno))) }
        if link(tempPath, path) != 0 {
            if errno == EEXIST { throw .exists(path) }
            throw .failed(path, String(cString: strerror(errno)))
        }
    }
}
