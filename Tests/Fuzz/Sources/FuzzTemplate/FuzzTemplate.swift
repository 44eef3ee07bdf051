import FuzzSupport
import RevgraphCore

/// A `script.py.mako`: parsed and rendered with the names Alembic passes to it for a merge.
@_cdecl("FuzzTemplate_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let template = try? MakoTemplate(text) else { return }
    let context: [String: PythonValue] = [
        "up_revision": .string("ae1027a6acf"), "down_revision": .revisions(["1975ea83b712", "27c6a30d7c24"]),
        "branch_labels": .none, "depends_on": .none, "message": .string("merge heads"),
        "create_date": .datetime("2026-12-02 04:00:00.000000"), "imports": .none,
        "upgrades": .string("pass"), "downgrades": .string("pass"),
    ]
    _ = try? template.render(context, mainOptions: ["sqlalchemy.url": "sqlite://"])
}
