import FuzzDriver
import RevgraphCore

/// A `pyproject.toml` or `revgraph.toml`: the tables revgraph reads from it.
@_cdecl("FuzzToml_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values, fuzzOne)
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let toml = try? TomlTables(text: text) {
        _ = toml.table("tool.alembic")
        _ = toml.table("tool.revgraph")
    }
    return 0
}
