import Foundation
import RevgraphCore

// The parser's throughput on the files of the directories given (read into memory first):
// every file parsed in turn, round after round, for at least a second and 21 rounds, each round
// timed on its own. Prints the median round's MB/s and µs/file, and the slowest and fastest
// rounds: on a shared machine a single total moved between 127 and 241 MB/s from one run to the
// next; the median round does not follow a neighbour's burst.
// Built without sanitizers: swift build --package-path Tests/Fuzz -c release --product ParseBench
var files: [(name: String, bytes: [UInt8])] = []
for dir in CommandLine.arguments.dropFirst() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    for n in names.sorted() where n.hasSuffix(".py") {
        if let d = FileManager.default.contents(atPath: dir + "/" + n) { files.append((n, [UInt8](d))) }
    }
}
guard !files.isEmpty else {
    print("usage: ParseBench DIR... (directories of revision files)")
    exit(64)
}
let total = files.reduce(0) { $0 + $1.bytes.count }
// The fast path must answer as lexing does: checked on every file before timing.
let fast = files.filter { MigrationParser.fastPathReads($0.bytes) }.count
for f in files {
    let a = MigrationParser.parse(path: f.name, fileName: f.name, bytes: f.bytes)
    let b = MigrationParser.parseByLexer(path: f.name, fileName: f.name, bytes: f.bytes)
    if a.revision != b.revision || a.problems != b.problems {
        print("fast path and lexer disagree on \(f.name)")
        exit(1)
    }
}
var found = 0
var times: [UInt64] = []
let start = DispatchTime.now().uptimeNanoseconds
repeat {
    let t0 = DispatchTime.now().uptimeNanoseconds
    for f in files where MigrationParser.parse(path: f.name, fileName: f.name, bytes: f.bytes).revision != nil { found += 1 }
    times.append(DispatchTime.now().uptimeNanoseconds - t0)
} while DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000 || times.count < 21
let rounds = times.count
let sorted = times.sorted()
func mbs(_ ns: UInt64) -> Double { Double(total) / 1e6 / (Double(ns) / 1e9) }
let median = sorted[rounds / 2]
print(String(format: "parser: %d files, %d bytes each on average: %.0f MB/s, %.1f µs/file (median of %d rounds; slowest %.0f, fastest %.0f MB/s; %d revisions per round; %d files read by the one-pass fast path)",
             files.count, total / files.count, mbs(median), Double(median) / 1e3 / Double(files.count), rounds,
             mbs(sorted[rounds - 1]), mbs(sorted[0]), found / rounds, fast))
