/// Whether CPython 3.13's `compile()` accepts a Python source file, and if not, its first error
/// with CPython's line and (mostly) its words: the tokenizer (``PythonTokenizer``), the grammar
/// and the checks of the passes after it (``PythonParser``). Linear in the file; every nesting is
/// bounded as CPython bounds it.
public enum PythonSyntaxCheck {
    public struct Failure: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// Up to 8 bytes packed in a word (0 for longer text): keywords are compared without allocating.
    @inline(__always)
    static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        guard bytes.count <= 8 else { return 0 }
        var v: UInt64 = 0
        for b in bytes { v = v << 8 | UInt64(b) }
        return v
    }

    /// The check's error when it comes before `earlier` (the line of the error a reader already
    /// found, if any): CPython reports whichever it meets first.
    public static func failure(_ bytes: [UInt8], before earlier: Int?) -> Failure? {
        guard let f = check(bytes) else { return nil }
        if let earlier, earlier <= f.line { return nil }
        return f
    }

    /// The first error, or nil. `bytes` is the source as read (its encoding already checked).
    public static func check(_ bytes: [UInt8]) -> Failure? {
        if let nul = bytes.firstIndex(of: 0) {
            return Failure(line: 1 + bytes[..<nul].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, message: "source code string cannot contain null bytes")
        }
        return bytes.withUnsafeBufferPointer { buffer in
            // A UTF-8 byte order mark is not part of the source.
            let skip = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
            var parser = PythonParser(bytes: UnsafeBufferPointer(rebasing: buffer[skip...]))
            guard let f = parser.check() else { return nil }
            return Failure(line: f.line, message: f.message)
        }
    }
}
