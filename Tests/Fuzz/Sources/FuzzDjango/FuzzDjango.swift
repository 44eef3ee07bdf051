import FuzzSupport
import RevgraphCore

/// One input is several Django migration files separated by a 0xFF byte, in two apps: each is
/// read, the graph is built (with and without a database's applied set, so squashes go both
/// ways), walked for the plan and every app's list, and every conflicting app is merged.
@_cdecl("FuzzDjango_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

func fuzzOne(_ bytes: [UInt8]) {
    var migrations: [DjangoMigration] = []
    for (n, file) in bytes.split(separator: 0xFF, omittingEmptySubsequences: false).prefix(12).enumerated() {
        let app = n % 2 == 0 ? "blog" : "shop"
        let outcome = DjangoMigrationReader.read(app: app, name: "000\(n / 2)_m", path: "\(app)/migrations/000\(n / 2)_m.py",
                                                 bytes: Array(file))
        if let m = outcome.migration { migrations.append(m) }
    }
    var partly = DjangoGraph.Settings()
    partly.applied = Set(migrations.prefix(3).map(\.key))
    for settings in [DjangoGraph.Settings(), partly] {
        let g = DjangoGraph(apps: ["blog", "shop"], migrations: migrations, settings: settings)
        _ = g.plan()
        for a in g.apps { _ = g.list(app: a) }
        for c in g.conflicts {
            _ = try? DjangoMerge.plan(app: c.app, graph: g, options: .init(djangoVersion: "5.2", headerTime: "t", nameTime: "n"))
        }
    }
}
