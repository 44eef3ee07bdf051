import FuzzDriver

/// The input handler of this process's fuzz target (one per executable, set once before the run).
nonisolated(unsafe) private var handler: (([UInt8]) -> Void)?

/// Runs libFuzzer's driver with `body` as the target: SwiftPM renames each executable's `main` to
/// `<Target>_main`, so every target's entry point calls this instead of linking libFuzzer's main.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ body: @escaping ([UInt8]) -> Void) -> CInt {
    handler = body
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in
        handler?(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
