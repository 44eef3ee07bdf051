import FuzzSupport
import RevgraphCore

/// A `pyproject.toml` or `revgraph.toml`: the tables revgraph reads from it.
@_cdecl("FuzzToml_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let toml = try? TomlTables(text: text) {
        _ = toml.table("tool.alembic")
        _ = toml.table("tool.revgraph")
    }
}
