import Foundation
import RevgraphCore
import Testing

/// Every size an input drives, doubled: the work at most about doubles (a bound of three times
/// the smaller run, plus a little for timer noise). Each figure is the fastest of three runs.
@Suite(.serialized) struct LinearGrowthTests {
    static func seconds(_ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            body()
            let d = ContinuousClock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return best
    }

    /// `make(n)` builds an input of size n; `work` reads it.
    static func expectLinear<T>(_ what: String, base: Int, make: (Int) -> T, work: (T) -> Void) {
        let small = make(base), large = make(base * 2)
        work(small)  // warm up
        let a = seconds { work(small) }, b = seconds { work(large) }
        #expect(b < a * 3 + 0.01, "\(what): \(base): \(a) s, \(base * 2): \(b) s")
    }

    static func revision(body: String) -> [UInt8] {
        Array("revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n\(body)\n".utf8)
    }

    @Test func theReadersOfRevisionFiles() {
        let parse = { (b: [UInt8]) in _ = MigrationParser.parse(path: "v/a.py", fileName: "a.py", bytes: b) }
        Self.expectLinear("lines", base: 20_000, make: { n in Self.revision(body: String(repeating: "    op.execute('select 1')\n", count: n)) }, work: parse)
        Self.expectLinear("one long line", base: 200_000, make: { n in Self.revision(body: "    x = [" + String(repeating: "1, ", count: n) + "]") }, work: parse)
        Self.expectLinear("a long string", base: 500_000, make: { n in Self.revision(body: "    x = '" + String(repeating: "a", count: n) + "'") }, work: parse)
        Self.expectLinear("a long docstring", base: 500_000, make: { n in Array(("\"\"\"" + String(repeating: "doc line\n", count: n / 9) + "\"\"\"\n").utf8) + Self.revision(body: "    pass") }, work: parse)
        Self.expectLinear("nesting", base: 2_000, make: { n in Self.revision(body: "    x = " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)) }, work: parse)
        Self.expectLinear("names", base: 20_000, make: { n in Self.revision(body: (0..<n).map { "    v\($0) = v\($0 / 2) + 1\n" }.joined()) }, work: parse)
        Self.expectLinear("a bad byte late", base: 200_000, make: { n in Array(String(repeating: "# pad\n", count: n / 6).utf8) + [0xFF] }, work: parse)
        Self.expectLinear("lint", base: 5_000, make: { n in Self.revision(body: String(repeating: "    op.add_column('t', sa.Column('c', sa.Integer()))\n", count: n)) },
                          work: { b in _ = MigrationScript.read(b) })
        Self.expectLinear("django", base: 5_000, make: { n in
            Array(("from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = ["
                   + (0..<n).map { "('blog', '\($0)')" }.joined(separator: ", ") + "]\n    operations = []\n").utf8)
        }, work: { b in _ = DjangoMigrationReader.read(app: "blog", name: "0002", path: "p", bytes: b) })
    }

    @Test func configsTemplatesAndGraphs() {
        Self.expectLinear("ini", base: 20_000, make: { n in "[alembic]\nscript_location = x\n" + (0..<n).map { "k\($0) = v %(here)s\n" }.joined() },
                          work: { t in _ = try? IniFile(text: t, defaults: ["here": "/r"]) })
        Self.expectLinear("toml", base: 20_000, make: { n in "[tool.alembic]\n" + (0..<n).map { "k\($0) = \"v\"\n" }.joined() },
                          work: { t in _ = try? TomlTables(text: t) })
        Self.expectLinear("template", base: 20_000, make: { n in String(repeating: "line ${up_revision} text\n", count: n) },
                          work: { t in _ = try? MakoTemplate(t).render(["up_revision": .string("x")]) })
        Self.expectLinear("graph", base: 20_000, make: { n in
            (0..<n).map { Revision(id: "r\($0)", downRevisions: $0 == 0 ? [] : ["r\($0 - 1)"], path: "v/r\($0).py") }
        }, work: { revs in _ = RevisionGraph(revisions: revs).heads })
        Self.expectLinear("wide graph", base: 20_000, make: { n in
            [Revision(id: "root", downRevisions: [], path: "v/root.py")] + (0..<n).map { Revision(id: "w\($0)", downRevisions: ["root"], path: "v/w\($0).py") }
        }, work: { revs in _ = RevisionGraph(revisions: revs).headConflicts() })
    }
}
