import Foundation
@testable import RevgraphCore
import RevgraphTestSupport
import Testing

/// The one-pass fast path answers exactly what the lexing parser answers, or leaves the file to it.
@Suite struct MigrationFastPathTests {
    /// The fast path's answer (nil: it left the file to the lexer) and the lexer's.
    func both(_ text: String) -> (fast: MigrationParser.Outcome?, full: MigrationParser.Outcome) {
        let bytes = Array(text.utf8)
        // The fast path's reading, with the syntax check every parse adds to either reading.
        let fast = MigrationParser.isPlainASCII(bytes)
            ? bytes.withUnsafeBufferPointer { MigrationParser.fastParse(path: "v/f.py", bytes: $0) }
                .map { MigrationParser.withSyntaxCheck($0, bytes: bytes, path: "v/f.py") } : nil
        return (fast, MigrationParser.parseByLexer(path: "v/f.py", fileName: "f.py", bytes: bytes))
    }

    func expectAgrees(_ text: String, fastExpected: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let (fast, full) = both(text)
        if let fastExpected {
            #expect((fast != nil) == fastExpected, "fast path \(fast == nil ? "declined" : "answered"):\n\(text)",
                    sourceLocation: sourceLocation)
        }
        guard let fast else { return }
        #expect(fast.revision == full.revision, "\(text)", sourceLocation: sourceLocation)
        #expect(fast.problems == full.problems, "\(text)", sourceLocation: sourceLocation)
    }

    /// What `alembic revision` writes, in its shapes, is read by the fast path.
    @Test func alembicsOwnFilesTakeTheFastPath() {
        for annotated in [true, false] {
            expectAgrees(migration("a1", down: [], message: "first", annotated: annotated), fastExpected: true)
            expectAgrees(migration("b2", down: ["a1"], message: "second\n\nmore", annotated: annotated), fastExpected: true)
            expectAgrees(migration("c3", down: ["a1", "b2"], message: "merge", annotated: annotated), fastExpected: true)
            expectAgrees(migration("d4", down: ["c3"], labels: ["x", "y"], depends: ["a1"], annotated: annotated), fastExpected: true)
        }
        let (fast, _) = both(migration("c3", down: ["a1", "b2"], message: "merge heads", annotated: true))
        #expect(fast?.revision?.downRevisions == ["a1", "b2"])
        #expect(fast?.revision?.line == 15)
        #expect(fast?.revision?.longdoc.hasPrefix("merge heads\n\nRevision ID: c3") == true)
    }

    /// Shapes the fast path leaves to the lexer (and, where it reads them, agrees).
    @Test func unusualShapesAreLeftToTheLexer() {
        let cases: [(String, Bool)] = [
            ("revision = 'a'\ndown_revision = None\n", true),
            ("\"\"\"doc\"\"\"\nrevision = 'a'\ndown_revision = ['b', 'c',]  # merge\n", true),
            ("# c\n\n'doc'\nrevision = \"a\"\ndown_revision = (\n    'b',  # one\n    'c',\n)\n", true),
            ("revision = 'a'\ndown_revision = ('b', 'b')\n", true),  // deduplicated, as the lexer does
            ("revision = 'a'\ndown_revision = None\ndef upgrade():\n    x = '''\n  s\n'''\n    if x:\n        pass\n", true),
            ("revision = 'a'\ndown_revision = None\n@dec\nclass A(B):\n    def f(self):\n        return \"):\"\n", true),
            ("revision = 'a'\ndown_revision = None\nfrom x import (\n    a,\n    b,\n)\n", true),
            ("revision = 'a'\ndown_revision = None\nasync def f():\n    await g()\n", true),
            ("revision = 'a'\r\ndown_revision = None\r\n", false),  // CRLF
            ("\"\"\"a\rb\"\"\"\nrevision = 'a'\ndown_revision = None\n", false),  // a CR in a string (found by fuzzing)
            ("r\"\"\"doc\"\"\"\nrevision = 'a'\ndown_revision = None\n", false),  // a raw docstring
            ("\"\"\"a\\nb\"\"\"\nrevision = 'a'\ndown_revision = None\n", false),  // an escape
            ("revision = 'a'\nrevision = 'b'\ndown_revision = None\n", false),  // assigned twice
            ("revision = 'a'\ndown_revision = None\nif True:\n    down_revision = 'x'\n", false),
            ("revision = 'a'\ndown_revision = None\nglobals()['x'] = 1\n", false),
            ("revision = 'a'\ndown_revision: Union[str, vars] = None\n", false),  // a name in an annotation (found by fuzzing)
            ("revision := 'a'\ndown_revision = None\n", false),  // one operator to the lexer (found by fuzzing)
            ("revision: int |= 'a'\ndown_revision = None\n", false),
            ("revision: str | None = 'a'\ndown_revision = None\n", true),
            ("revision = 'a'\ndown_revision = None\nx = 1; y = 2\n", false),
            ("revision = 'a'\ndown_revision = None\nx = 1\n    y = 2\n", false),  // unexpected indent
            ("revision = 'a'\ndown_revision = None\ndef f():\n    x = 1\n        y = 2\n", false),
            ("revision = 'a'\ndown_revision = 'a'\n", false),  // self-loop
            ("revision = 'a-b'\ndown_revision = None\n", false),
            ("revision = ''\ndown_revision = None\n", false),
            ("revision = 'a'\ndown_revision = ''\n", false),
            ("revision = 'a'\ndown_revision = ('b')\n", false),
            ("revision = 'a'\ndown_revision = ()\n", false),
            ("revision = 'a'\ndown_revision = ('b', None)\n", false),
            ("revision = 'a'\ndown_revision = x\n", false),
            ("revision = 'a'\n", false),
            ("down_revision = None\n", false),  // the legacy file name is the lexer's
            ("revision = 'a'\ndown_revision = None\nx = (\n", false),  // a bracket never closed
            ("revision = 'a'\ndown_revision = None\ndef f():\n    x = [\n", false),  // never closed, in a body
            ("revision = 'a'\ndown_revision = None\nx = (]\n", false),  // mismatched
            ("revision = 'a'\ndown_revision = None\nx = )\n", false),  // unmatched
            ("revision = 'a'\ndown_revision = None\ndef f():\n    x = [1, (2]\n", false),  // mismatched, in a body
            ("revision: List(] = 'a'\ndown_revision = None\n", false),  // mismatched, in an annotation
            ("revision: Tuple[str, str] = 'a'\ndown_revision = None\nx = {'a': [1, (2, 3)]}\n", true),
            ("revision = 'a'\ndown_revision = None\ndef f():\n    s = 'unterminated\n", false),
            ("revision = 'a'\ndown_revision = None\nx = 1 \\\n  + 2\n", true),  // a continuation, followed as the lexer does
            ("revision = 'a'\ndown_revision = None\n\tx = 1\n", false),
            ("revision\t= 'a'\ndown_revision = None\n", false),
            ("revision = 'é'\ndown_revision = None\n", false),  // not ASCII
            // An escape the lexer refuses, in a module-level string revgraph otherwise ignores (found by fuzzing).
            ("revision = 'a'\ndown_revision = None\nx = u\"\\N{NO SUCH NAME}\"\n", false),
            ("revision = 'a'\ndown_revision = None\ndef f():\n    return '\\N{NO SUCH NAME}'\n", true),
        ]
        for (text, fast) in cases { expectAgrees(text, fastExpected: fast) }
    }

    /// Random edits of real shapes: wherever the fast path answers, it answers as the lexer does.
    @Test func mutationsNeverDisagree() {
        var rng = SplitMix(state: 0xFA57)
        let bases = [
            migration("ae1027a6acf4", down: [], message: "create account table\n\nlonger text"),
            migration("27c6a30d7c24", down: ["ae1027a6acf4", "1975ea83b712"], message: "merge", annotated: false),
            migration("1975ea83b712", down: ["ae1027a6acf4"], labels: ["shop"], depends: ["55af2cb1c267"]),
            "\"\"\"x\"\"\"\nfrom alembic import op\nrevision = 'a1'\ndown_revision = ('b1',\n    'c1')\n\n\ndef upgrade():\n    op.execute(\"\"\"\n    select ':'\n    \"\"\")\n    if x:  # c\n        pass\n\n\nclass T:\n    pass\n",
        ]
        let alphabet = Array("'\"()[]{}#:=;,\\\n\n\n    \tx_.@-+rNone".utf8)
        var answered = 0
        for _ in 0..<6_000 {
            var bytes = Array(bases[Int(rng.next() % UInt64(bases.count))].utf8)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                switch rng.next() % 4 {
                case 0 where at < bytes.count: bytes.remove(at: at)
                case 1 where at < bytes.count: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 2:
                    // A whole line repeated (a second assignment, a second docstring, a deeper body).
                    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                    let k = Int(rng.next() % UInt64(lines.count))
                    var copy: [[UInt8]] = lines.map { Array($0) }
                    copy.insert(copy[k], at: Int(rng.next() % UInt64(copy.count + 1)))
                    bytes = Array(copy.joined(separator: [UInt8(0x0A)]))
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if both(text).fast != nil { answered += 1 }
            expectAgrees(text)
        }
        // The comparison means something only if the fast path answered often.
        #expect(answered > 1_000, "the fast path answered \(answered) of 6,000")
    }
}
