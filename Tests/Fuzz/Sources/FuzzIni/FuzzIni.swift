import FuzzDriver
import RevgraphCore

/// An `alembic.ini`: parsed, then every key of every section read with interpolation (where
/// an exponential or recursive `%(key)s` must end in an error, not a hang).
@_cdecl("FuzzIni_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values, fuzzOne)
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let ini = try? IniFile(text: text, defaults: ["here": "/project"]) else { return 0 }
    for section in ini.sectionOrder {
        for key in (ini.sections[section] ?? [:]).keys.sorted() { _ = try? ini.value(section, key) }
    }
    return 0
}
