import Foundation
import RevgraphCore
import RevgraphTestSupport
import Testing

/// revgraph's TOML 1.0 reader against CPython's tomllib (TOML 1.0) on the same inputs: hand-made
/// cases for every part of the spec, valid and invalid, and thousands of mutations of them. Both
/// must accept the same inputs and read the same values (integers beyond 64 bits excepted: an
/// error here, a Python int there; none is generated).
@Suite struct TomlDocumentTests {
    static let valid: [String] = [
        "", "# only a comment\n", "a = 1", "a = 1\r\nb = 2\r\n", "a = 'literal \\n'", "a = \"tab\\there\"",
        "a = \"\\u00e9\\U0001F600\"", "\"quoted key\" = 1\n'lit key' = 2\n\"\" = 3",
        "a.b.c = 1\na.b.d = 2", "a . b = 1", "[t]\nx.y = 1\n[t.x.z]\nw = 2",
        "[tool]\nalembic.script_location = \"migrations\"\nalembic.version_locations = [\"a\", \"b\"]",
        "[tool.alembic]\nscript_location = \"m\"\n[tool.revgraph]\npost_merge = \"off\"",
        "tool = { alembic = { script_location = \"x\" } }", "t = {}", "t = { a = 1, b.c = 2 }",
        "[[p]]\nname = 1\n[[p]]\nname = 2", "[[p]]\n[p.sub]\nx = 1\n[[p]]\n[p.sub]\nx = 2",
        "[[a.b]]\nx = 1\n[a]\ny = 2", "[a]\n[a.b]\n[a.b.c]", "[a.b]\n[a]", "[ a . \"b c\" ]\nx = 1",
        "a = [1, 2, 3,]", "a = [\n  1, # one\n  2,\n]", "a = [[1, 2], ['a', \"b\"], [{x = 1}]]", "a = []",
        "a = \"\"\"\nfirst\nsecond\"\"\"", "a = \"\"\"x\\\n   y\"\"\"", "a = \"\"\"x\\   \n\n  y\"\"\"", "a = \"\"\"q\"\"\"\"",
        "a = \"\"\"q\"\"\"\"\"", "a = '''\nraw \\n'''", "a = '''it''''", "a = \"\"\"\"\"\"\"", "a = '''x'''''", "a = \"\"\"\"\"\"",
        "a = 0", "a = +17", "a = -17", "a = 1_000", "a = 0xDEAD_beef", "a = 0o755", "a = 0b1101", "a = 9223372036854775807",
        "a = -9223372036854775808", "a = 3.14", "a = -0.0", "a = 5e+22", "a = 1e06", "a = -2E-2", "a = 6.626e-34",
        "a = 224_617.445_991", "a = inf", "a = +inf", "a = -inf", "a = nan", "a = +nan", "a = -nan", "a = true", "a = false",
        "a = 1979-05-27T07:32:00Z", "a = 1979-05-27T00:32:00-07:00", "a = 1979-05-27T00:32:00.999999-07:00",
        "a = 1979-05-27 07:32:00Z", "a = 1979-05-27t07:32:00z", "a = 1979-05-27T07:32:00", "a = 1979-05-27T00:32:00.5",
        "a = 1979-05-27", "a = 07:32:00", "a = 00:32:00.999999", "a = 2024-02-29", "a = 1979-05-27 # date",
        "a = 1979-05-27T07:32:00.1234567Z", "k = 'é ☃'", "# comment with é\na = 1 # trailing",
        "[projects.neutron]\nversions = [\"v\"]\nrecursive = true\n\"name.migration.EXPAND_BRANCH\" = \"expand\"\nmax_heads = 2",
        "a = { b = [1, 2] }", "a.\"b.c\".d = 1", "x = 1\n  [t]  \n  y = 2  ", "a = \"\\\"\\\\\\b\\f\\n\\r\\t\"",
    ]

    static let invalid: [String] = [
        "a", "a =", "= 1", "a = 1 b = 2", "a = 1\na = 2", "[a]\n[a]", "[a]\nb = 1\n[a]", "a = 1\n[a]",
        "[a]\nb.c = 1\n[a.b]", "a.b = 1\n[a]", "[a.b]\n[a]\nb.c = 1", "a = {}\na.b = 1", "a = { b = 1 }\n[a]",
        "a = [1]\n[[a]]", "[[a]]\n[a]", "a = {b = 1, b = 2}", "a = {b = 1,}", "a = {b = 1\n}", "a = { b.c = 1, b = 2 }",
        "[a", "[a]]", "[[a]", "[ [a]]", "[]", "[a.]", "a. = 1", ".a = 1", "a..b = 1", "\"a\nb\" = 1",
        "a = \"unterminated", "a = 'x\ny'", "a = \"\\x\"", "a = \"\\u12\"", "a = \"\\uD800\"", "a = \"\\U00110000\"",
        "a = \"\"\"x\\ y\"\"\"", "a = \"\"\"\"\"\"\"\"\"", "a = \"\u{0}\"", "a = \"\u{1F}\"",
        "a = 'x\u{7F}'", "# bad \u{0}\n", "a = 1\rb = 2", "a = 01", "a = 1__0", "a = _1", "a = 1_", "a = +0x1",
        "a = 0X1", "a = 0x", "a = 0b2", "a = 0o8", "a = 1.", "a = .5", "a = 1e", "a = 1.e5", "a = 1e_5", "a = 03.14",
        "a = infinity", "a = NaN", "a = True", "a = tru", "a = 1979-13-27", "a = 1979-02-30", "a = 2023-02-29",
        "a = 1979-05-27T24:00:00", "a = 1979-05-27T07:60:00", "a = 1979-05-27T07:32:60", "a = 1979-05-27T07:32",
        "a = 1979-05-27T07:32:00+25:00", "a = 1979-05-27T07:32:00.", "a = 07:32", "a = 1979-5-27", "a = [1 2]",
        "a = [1,,2]", "a = [,]", "a = [", "a = {", "a = }", "[a]\n[[a]]", "\u{FEFF}a = 1", "a = 1 # x\u{7}",
        "a = 1\n[a.b]", "[t]\na.b = 1\n[t.a]", "a = \"\"\"\n\u{0}\"\"\"",
    ]

    /// Every case read by tomllib, as canonical text (or `ERROR`).
    static func tomllib(_ cases: [String]) throws -> [String] {
        let script = """
            import json, struct, sys, tomllib, datetime
            def canon(v):
                if isinstance(v, bool): return "b:" + ("true" if v else "false")
                if isinstance(v, int): return "i:" + str(v)
                if isinstance(v, float): return "f:nan" if v != v else "f:" + struct.pack(">d", v).hex()
                if isinstance(v, str): return "s:" + v.encode().hex()
                if isinstance(v, (datetime.datetime, datetime.date, datetime.time)): return "d:" + v.isoformat()
                if isinstance(v, list): return "[" + ",".join(canon(x) for x in v) + "]"
                if isinstance(v, dict): return "{" + ",".join(k.encode().hex() + "=" + canon(v[k]) for k in sorted(v, key=lambda k: k.encode())) + "}"
                raise TypeError(type(v))
            out = []
            for text in json.load(open(sys.argv[1])):
                try: out.append(canon(tomllib.loads(text)))
                except tomllib.TOMLDecodeError: out.append("ERROR")
            json.dump(out, sys.stdout)
            """
        let dir = try makeTempDir("revgraph-toml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try JSONEncoder().encode(cases).write(to: URL(fileURLWithPath: dir + "/cases.json"))
        let r = try run(try Requirement.python(), ["-c", script, dir + "/cases.json"])
        guard r.status == 0, let data = r.stdout.data(using: .utf8), let out = try JSONDecoder().decode([String]?.self, from: data)
        else { throw TestFailure("tomllib failed: \(r.stderr)") }
        return out
    }

    static func hex(_ s: String) -> String { s.utf8.map { String(format: "%02x", $0) }.joined() }

    /// tomllib's reading of a date-time as `isoformat()` prints it.
    static func iso(_ text: String) -> String {
        var t = text
        var offset = ""
        if t.hasSuffix("Z") { t.removeLast(); offset = "+00:00" } else if t.count > 19, let i = t.lastIndex(where: { $0 == "+" || $0 == "-" }),
                                                                      t.distance(from: t.startIndex, to: i) >= 19 {
            offset = String(t[i...])
            t = String(t[..<i])
        }
        if let dot = t.firstIndex(of: ".") {
            let frac = String(t[t.index(after: dot)...])
            let micro = Int(String((frac + "000000").prefix(6)))!
            t = String(t[..<dot]) + (micro == 0 ? "" : "." + String(format: "%06d", micro))
        }
        return t + offset
    }

    static func canon(_ v: TomlDocument.Value) -> String {
        switch v {
        case .bool(let b): return "b:" + (b ? "true" : "false")
        case .integer(let n): return "i:\(n)"
        case .float(let d): return d.isNaN ? "f:nan" : "f:" + String(format: "%016llx", d.bitPattern)
        case .string(let s): return "s:" + hex(s)
        case .datetime(let d): return "d:" + iso(d)
        case .array(let items): return "[" + items.map(canon).joined(separator: ",") + "]"
        case .table(let t): return canon(t)
        }
    }

    static func canon(_ t: TomlDocument.Table) -> String {
        let keys = t.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return "{" + keys.map { hex($0) + "=" + canon(t[$0]!) }.joined(separator: ",") + "}"
    }

    static func ours(_ text: String) -> String {
        guard let d = try? TomlDocument(text: text) else { return "ERROR" }
        return canon(d.root)
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv's python (tomllib, Python 3.11+)"))
    func handMadeCasesReadAsTomllibReadsThem() throws {
        let cases = Self.valid + Self.invalid
        let expected = try Self.tomllib(cases)
        for (i, text) in cases.enumerated() {
            #expect(Self.ours(text) == expected[i], "\(text.debugDescription)")
        }
        // The corpus is what it says: tomllib accepts the valid ones and refuses the others.
        #expect(expected.prefix(Self.valid.count).allSatisfy { $0 != "ERROR" })
        let accepted = zip(Self.invalid, expected.suffix(Self.invalid.count)).filter { $0.1 != "ERROR" }.map(\.0)
        #expect(accepted.isEmpty, "tomllib accepts \(accepted.map(\.debugDescription))")
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv's python (tomllib, Python 3.11+)"))
    func mutationsReadAsTomllibReadsThem() throws {
        var rng = SplitMix(state: 2026)
        let alphabet = Array("[]{}=.,\"'#\n\t _-+:019aefxobtrulsinTZz\\uU\r\u{0}é")
        var cases: [String] = []
        let seeds = Self.valid + Self.invalid
        for _ in 0..<6_000 {
            var chars = Array(seeds[rng.int(seeds.count)])
            for _ in 0..<(1 + rng.int(3)) {
                let at = chars.isEmpty ? 0 : rng.int(chars.count + 1)
                switch rng.int(3) {
                case 0: chars.insert(alphabet[rng.int(alphabet.count)], at: at)
                case 1: if at < chars.count { chars.remove(at: at) }
                default: if at < chars.count { chars[at] = alphabet[rng.int(alphabet.count)] }
                }
            }
            let text = String(chars)
            // Integers past 64 bits read as Python ints there and as an error here: not compared.
            if text.filter({ $0 != "_" }).split(whereSeparator: { !$0.isNumber }).contains(where: { $0.count > 18 }) { continue }
            cases.append(text)
        }
        let expected = try Self.tomllib(cases)
        var disagreements: [String] = []
        for (i, text) in cases.enumerated() where Self.ours(text) != expected[i] {
            disagreements.append("\(text.debugDescription): ours \(Self.ours(text)), tomllib \(expected[i])")
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(cases.count):\n\(disagreements.prefix(15).joined(separator: "\n"))")
        #expect(expected.filter { $0 != "ERROR" }.count > 500, "too few accepted mutants to mean anything")
    }

    @Test func aLargeTableIsReadInLinearTime() throws {
        // 20,000 and 40,000 keys in one table, and as many dotted keys: no table is copied per insert.
        func seconds(_ n: Int) throws -> Double {
            let text = (0..<n).map { "k\($0) = \($0)\nt.d\($0) = 1\n" }.joined()
            let start = Date()
            _ = try TomlDocument(text: text)
            return Date().timeIntervalSince(start)
        }
        _ = try seconds(2_000)
        let small = try seconds(20_000), large = try seconds(40_000)
        #expect(large < small * 3 + 0.05, "20,000 keys: \(small) s, 40,000: \(large) s")
    }

    @Test func integersPast64BitsAreAnError() {
        #expect(throws: TomlDocument.ParseError.self) { try TomlDocument(text: "a = 9223372036854775808") }
        #expect(throws: TomlDocument.ParseError.self) { try TomlDocument(text: "a = 0x1_0000_0000_0000_0000") }
        #expect(throws: TomlDocument.ParseError.self) { try TomlDocument(text: "a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func tomlTablesSeeDottedKeysAndInlineTablesAsTables() throws {
        let t = try TomlTables(text: "[tool]\nalembic.script_location = \"m\"\nrevgraph = { post_merge = \"off\" }\n")
        #expect(t.table("tool.alembic") == ["script_location": .string("m")])
        #expect(t.table("tool.revgraph") == ["post_merge": .string("off")])
        #expect(throws: TomlTables.ParseError.self) { try TomlTables(text: "[tool.alembic]\nx = 1\nx = 2\n") }
    }
}
