import Dispatch

/// Work shared by two workers (this kind of machine has two cores).
enum TwoWorkers {
    /// `body(i)` for every `i` in `0..<count`, answered in order: on two workers, each taking every
    /// other index, when there are at least `minimum`. Each worker writes only its own slots, so
    /// the results never depend on the split.
    static func map<T>(_ count: Int, minimum: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count >= minimum, count > 1 else { return (0..<count).map(body) }
        // Each slot is initialised exactly once, by the worker that owns it, before the array is used.
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: 2) { w in
                var i = w
                while i < count {
                    (slots.base + i).initialize(to: body(i))
                    i += 2
                }
            }
            initialized = count
        }
    }

    private struct Slots<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
    }
}
