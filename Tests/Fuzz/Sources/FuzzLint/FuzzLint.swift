import FuzzSupport
import RevgraphCore

/// One input is several revision files separated by a 0xFF byte: each is read as lint reads it
/// (every function body tokenized, calls parsed into expressions) and parsed for the graph, and
/// the linter replays them all, for each dialect, so hostile calls reach every rule.
@_cdecl("FuzzLint_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    var revisions: [Revision] = []
    var scripts: [Int: MigrationScript] = [:]
    for (n, file) in bytes.split(separator: 0xFF, omittingEmptySubsequences: false).prefix(8).enumerated() {
        let outcome = MigrationParser.parse(path: "versions/f\(n).py", fileName: "f\(n).py", bytes: Array(file))
        guard let r = outcome.revision else { continue }
        if let s = MigrationScript.read(Array(file)) { scripts[revisions.count] = s }
        revisions.append(r)
    }
    let graph = RevisionGraph(revisions: revisions)
    for dialect in [LintDialect.postgresql, .sqlite, nil] {
        _ = Linter(dialect: dialect, applicationPackages: ["app"]).lint(graph, scripts: scripts)
    }
}
