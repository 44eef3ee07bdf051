import Foundation
import RevgraphCore

// The parser's throughput on the files of the directories given (read into memory first):
// every file parsed in turn, round after round, for at least a second. Prints MB/s and µs/file.
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
var rounds = 0
var found = 0
let start = DispatchTime.now().uptimeNanoseconds
var elapsed: UInt64 = 0
repeat {
    for f in files where MigrationParser.parse(path: f.name, fileName: f.name, bytes: f.bytes).revision != nil { found += 1 }
    rounds += 1
    elapsed = DispatchTime.now().uptimeNanoseconds - start
} while elapsed < 1_000_000_000
let seconds = Double(elapsed) / 1e9
let mb = Double(total * rounds) / 1e6
print(String(format: "parser: %d files, %d bytes each on average: %.0f MB/s, %.1f µs/file (%d rounds, %d revisions per round; %d files read by the one-pass fast path)",
             files.count, total / files.count, mb / seconds, seconds * 1e6 / Double(files.count * rounds), rounds, found / rounds, fast))
