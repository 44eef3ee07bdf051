/// Values the command keeps until the process exits. A loaded project of a few thousand revisions
/// is tens of thousands of strings and arrays; freeing them one by one as `run()` returns costs
/// more than a warm `heads` spends on anything but its stats, and the process ends right after.
enum ProcessLifetime {
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Keeps `value` alive until exit (the main thread only: commands load on it).
    static func keep(_ value: Any) { kept.append(value) }
}
