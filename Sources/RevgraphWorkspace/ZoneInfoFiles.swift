import Glibc
import RevgraphCore

/// Time zones from the system's tz database, found as Python's `zoneinfo` finds them (its default
/// search path), and the local zone as the C library has it (`TZ`, else `/etc/localtime`).
enum ZoneInfoFiles {
    /// Python's default `zoneinfo.TZPATH`.
    static let searchPath = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo"]
    /// A TZif file is a few kilobytes; anything past this is not one.
    static let maxSize = 1 << 20

    /// The zone named `key` (`Europe/Berlin`, `UTC`), or nil when no file of the search path
    /// holds it. Keys that could leave the directory (absolute, `..`) are refused, as zoneinfo
    /// refuses them.
    static func zone(named key: String) -> ZoneInfo? {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.contains("\0"), !key.contains("\\"),
              !key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else { return nil }
        for dir in searchPath {
            if let bytes = contents(dir + "/" + key), let zone = ZoneInfo(tzif: bytes) { return zone }
        }
        return nil
    }

    /// The local zone: `TZ` (a zone name, `:name`, a file path, or a POSIX rule), else
    /// `/etc/localtime`, else UTC.
    static func local() -> ZoneInfo {
        if let tz = getenv("TZ").map({ String(cString: $0) }), !tz.isEmpty {
            let name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            if name.hasPrefix("/"), let bytes = contents(name), let zone = ZoneInfo(tzif: bytes) { return zone }
            if let zone = zone(named: name) { return zone }
            if let zone = ZoneInfo(posix: tz) { return zone }
            return .utc
        }
        if let bytes = contents("/etc/localtime"), let zone = ZoneInfo(tzif: bytes) { return zone }
        return .utc
    }

    /// A regular file's bytes (following links), up to ``maxSize``.
    private static func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size > 0, Int(st.st_size) <= maxSize else { return nil }
        guard let bytes = FileSystemTree.readAll(fd, count: Int(st.st_size)), bytes.count == Int(st.st_size) else { return nil }
        return bytes
    }
}
