import FuzzSupport
import RevgraphCore

/// An `alembic.ini`: parsed, then every key of every section read with interpolation (where
/// an exponential or recursive `%(key)s` must end in an error, not a hang).
@_cdecl("FuzzIni_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let ini = try? IniFile(text: text, defaults: ["here": "/project"]) else { return }
    for section in ini.sectionOrder {
        for key in (ini.sections[section] ?? [:]).keys.sorted() { _ = try? ini.value(section, key) }
    }
}
