// swift-tools-version:6.0
// libFuzzer targets for revgraph's readers of untrusted text, and the parser's micro-benchmark. Built on their own (the main
// package's `swift build` never sees them) by scripts/fuzz.sh:
//   swift build --package-path Tests/Fuzz -c release -Xswiftc -sanitize=fuzzer,address
// Sources/RevgraphCore is a link to the main package's pure core, compiled here with the sanitizers.
import PackageDescription

let entry: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
// gold fails on the sanitizer runtime (an internal error); lld links it.
let lld: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]
let package = Package(
    name: "revgraph-fuzz",
    targets: [
        .target(name: "RevgraphCore"),
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["FuzzDriver"]),
        // The parser's micro-benchmark (scripts/bench.sh), built without the sanitizers.
        .executableTarget(name: "ParseBench", dependencies: ["RevgraphCore"], linkerSettings: lld),
    ] + ["FuzzParser", "FuzzIni", "FuzzToml", "FuzzTemplate", "FuzzLint", "FuzzDjango", "FuzzZone"].map {
        .executableTarget(name: $0, dependencies: ["RevgraphCore", "FuzzSupport"], swiftSettings: entry,
                          linkerSettings: lld)
    }
)
