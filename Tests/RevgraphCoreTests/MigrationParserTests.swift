import Foundation
import Testing
@testable import RevgraphCore

@Suite struct MigrationParserTests {
    func parse(_ text: String, name: String = "x.py") -> MigrationParser.Outcome {
        MigrationParser.parse(path: "versions/\(name)", fileName: name, text: text)
    }

    @Test func generatedFileWithAnnotations() throws {
        let text = """
            \"\"\"add email

            Revision ID: db46808a6f1b
            Revises: 897d290d42b8
            Create Date: 2026-11-27 12:26:25.250904

            \"\"\"
            from typing import Sequence, Union

            revision: str = 'db46808a6f1b'
            down_revision: Union[str, Sequence[str], None] = '897d290d42b8'
            branch_labels: Union[str, Sequence[str], None] = None
            depends_on: Union[str, Sequence[str], None] = None

            def upgrade() -> None:
                revision = "not me"
            """
        let r = try #require(parse(text).revision)
        #expect(r.id == "db46808a6f1b")
        #expect(r.downRevisions == ["897d290d42b8"])
        #expect(r.doc == "add email")
        #expect(r.line == 10)
    }

    @Test func multiLineTupleWithCommentsAndCRLF() throws {
        let text = "# header\r\n\"\"\"merge\"\"\"\r\nrevision = \"m1\"\r\ndown_revision = (\r\n    'a',  # first\r\n    \"b\",\r\n)\r\nbranch_labels = ['x']\r\n"
        let out = parse(text)
        let r = try #require(out.revision)
        #expect(r.downRevisions == ["a", "b"])
        #expect(r.branchLabels == ["x"])
        #expect(r.longdoc == "merge")  // comments before the docstring do not stop it being the docstring
    }

    @Test func nameBoundEarlierIsResolved() throws {
        let r = try #require(parse("PARENT = 'ab12'\nrevision = 'cd34'\ndown_revision = PARENT\n").revision)
        #expect(r.downRevisions == ["ab12"])
    }

    @Test func nonLiteralLabelIsAWarningWithTheLine() throws {
        let out = parse("from x import cli\nrevision = 'k1'\ndown_revision = None\nbranch_labels = (cli.CONTRACT_BRANCH,)\n")
        #expect(out.revision?.id == "k1")
        let w = try #require(out.problems.first)
        #expect(w.kind == .nonLiteralValue)
        #expect(w.severity == .warning)
        #expect(w.line == 4)
    }

    @Test func legacyHexFileName() throws {
        let r = try #require(parse("down_revision = None\n", name: "1975ea83b712.py").revision)
        #expect(r.id == "1975ea83b712")
    }

    @Test func fileWithoutRevisionIsAProblemNamingTheFile() {
        let out = parse("import os\n", name: "helpers.py")
        #expect(out.revision == nil)
        #expect(out.problems.first?.kind == .missingRevision)
        #expect(out.problems.first?.message.contains("versions/helpers.py") == true)
    }

    @Test func illegalCharactersAreRejected() {
        let out = parse("revision = 'no@atsigns-ordashes'\ndown_revision = None\n")
        #expect(out.problems.first?.message.contains("Character(s) '-, @' not allowed") == true)
    }

    @Test func emptyTupleIsBaseAndSingleTupleIsScalar() throws {
        #expect(try #require(parse("revision='a'\ndown_revision=()\n").revision).downRevisions == [])
        #expect(try #require(parse("revision='a'\ndown_revision=('p',)\n").revision).downRevisions == ["p"])
    }

    @Test func unterminatedStringIsAParseError() {
        let out = parse("revision = 'abc\ndown_revision = None\n")
        #expect(out.problems.first?.kind == .parseError)
        #expect(out.problems.first?.line == 1)
    }

    /// Python cannot import a file that ends inside brackets, at module level or in a function
    /// body: a parse error at the bracket's line, in Python's words, never an all-clear.
    @Test func aBracketNeverClosedIsAParseError() {
        for (text, line) in [("revision = 'a'\ndown_revision = None\nx = (\n", 3),
                             ("revision = 'a'\ndown_revision = None\ndef f():\n    op.execute([\n      'x',\n", 4)] {
            let out = parse(text)
            #expect(out.revision == nil)
            #expect(out.problems.first?.kind == .parseError && out.problems.first?.line == line, "\(out.problems)")
            #expect(out.problems.first?.message.contains("was never closed") == true)
        }
        // Closed further down is not an error.
        #expect(parse("revision = 'a'\ndown_revision = (\n  'b',\n)\n").revision?.downRevisions == ["b"])
    }

    /// A closing bracket that closes nothing, or another kind of bracket, and a bracket never
    /// closed: the line and the words Python's compiler gives (checked against python3 when it is
    /// there), at module level and in a body, never an all-clear.
    @Test func unmatchedAndMismatchedBracketsAreParseErrors() throws {
        let cases: [(String, Int, String)] = [
            ("revision = 'a')\ndown_revision = None\n", 1, "unmatched ')'"),
            ("revision = 'a'\ndown_revision = None\nx = ]\n", 3, "unmatched ']'"),
            ("revision = 'a'\ndown_revision = None\nx = (]\n", 3, "closing parenthesis ']' does not match opening parenthesis '('"),
            ("revision = 'a'\ndown_revision = None\nx = {\n  1: 2)\n", 4,
             "closing parenthesis ')' does not match opening parenthesis '{' on line 3"),
            ("revision = 'a'\ndown_revision = None\ndef upgrade():\n    op.execute([1, (2])\n", 4,
             "closing parenthesis ']' does not match opening parenthesis '('"),
            ("revision = 'a'\ndown_revision = None\ndef upgrade():\n    pass\n    )\n", 5, "unmatched ')'"),
            ("revision = 'a'\ndown_revision = None\nx = ([\n", 3, "'[' was never closed"),
            ("revision = 'a'\ndown_revision = None\nx = (\n[\n", 4, "'[' was never closed"),
            ("revision: List(] = 'a'\ndown_revision = None\n", 1, "closing parenthesis ']' does not match opening parenthesis '('"),
        ]
        // Deep but well closed: no error, past the eight levels kept inline too.
        for depth in [3, 8, 9, 40] {
            let nested = "revision = 'a'\ndown_revision = None\nx = " + String(repeating: "([{", count: depth)
                + String(repeating: "}])", count: depth) + "\ndef f():\n    y = " + String(repeating: "[(", count: depth)
                + String(repeating: ")]", count: depth) + "\n"
            #expect(parse(nested).revision?.id == "a", "depth \(depth): \(parse(nested).problems)")
            #expect(parse(nested + "z = " + String(repeating: "(", count: depth) + String(repeating: ")", count: depth + 1) + "\n")
                .problems.first?.message.contains("unmatched ')'") == true, "depth \(depth)")
        }
        for (text, line, words) in cases {
            let out = parse(text)
            #expect(out.revision == nil, "\(text)")
            #expect(out.problems.first?.kind == .parseError && out.problems.first?.line == line, "\(text): \(out.problems)")
            #expect(out.problems.first?.message.contains(words) == true, "\(text): \(out.problems)")
            #expect(MigrationParser.parseByLexer(path: "x.py", fileName: "x.py", bytes: Array(text.utf8)).problems.first?.line == line)
        }
        // Python's own words (python3 is on every machine the tests run on: they make a virtualenv with it).
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is missing")
        let script = "import sys, json\nfor src in json.load(sys.stdin):\n    try:\n        compile(src, 'f', 'exec'); print('ok')\n"
            + "    except SyntaxError as e:\n        print(e.lineno, e.msg)\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        try p.run()
        inp.fileHandleForWriting.write(try JSONEncoder().encode(cases.map(\.0)))
        try inp.fileHandleForWriting.close()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        p.waitUntilExit()
        #expect(lines.count == cases.count)
        for (c, python) in zip(cases, lines) { #expect(python == "\(c.1) \(c.2)", "\(c.0)") }
    }

    @Test func fileNameFilter() {
        #expect(MigrationParser.isMigrationFileName("_c.py"))
        #expect(!MigrationParser.isMigrationFileName("__init__.py"))
        #expect(!MigrationParser.isMigrationFileName(".#a.py"))
        #expect(!MigrationParser.isMigrationFileName("a.pyc"))
    }

    @Test func configSuppliesValuesForNonLiteralNames() throws {
        let text = "from neutron.db.migration import cli\nrevision = 'k1'\ndown_revision = None\nbranch_labels = (cli.CONTRACT_BRANCH,)\n"
        let out = MigrationParser.parse(path: "v/k1.py", fileName: "k1.py", text: text, names: ["cli.contract_branch": "contract"])
        #expect(out.problems.isEmpty)
        #expect(out.revision?.branchLabels == ["contract"])
    }
}
