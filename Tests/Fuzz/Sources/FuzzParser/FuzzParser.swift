import FuzzSupport
import RevgraphCore

/// One input is several revision files separated by a 0xFF byte (never valid UTF-8): each is
/// parsed as Alembic's loader would meet it (and the fast path checked against the lexer), and the revisions found are built into a graph
/// that is ordered, checked and drawn, so hostile ids, parents and labels reach the graph code.
@_cdecl("FuzzParser_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    var revisions: [Revision] = []
    for (n, file) in bytes.split(separator: 0xFF, omittingEmptySubsequences: false).prefix(16).enumerated() {
        let outcome = MigrationParser.parse(path: "versions/f\(n).py", fileName: "f\(n).py", bytes: Array(file))
        // The one-pass fast path must answer exactly what lexing the file answers.
        let reference = MigrationParser.parseByLexer(path: "versions/f\(n).py", fileName: "f\(n).py", bytes: Array(file))
        if outcome.revision != reference.revision || outcome.problems != reference.problems {
            fatalError("fast path and lexer disagree on:\n\(String(decoding: file, as: UTF8.self))")
        }
        if let r = outcome.revision { revisions.append(r) }
    }
    let graph = RevisionGraph(revisions: revisions)
    _ = graph.headConflicts()
    _ = graph.headGroups()
    if let order = try? graph.fullHistory() {
        _ = GraphRenderer(graph: graph, order: order).ascii()
    }
    _ = try? graph.history(lower: "base", upper: "heads")
}
