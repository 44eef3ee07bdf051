import RevgraphCore
import Testing

/// Input that used to crash, hang or be misread: each ends in a value or a named error.
@Suite struct HardeningTests {
    let chain = graph("a", "b<a", "c<b")

    @Test(arguments: [":head-99999999999999999999", ":head-9223372036854775808", ":-9223372036854775808",
                      "head+99999999999999999999:", "base+9223372036854775807:"])
    func relativeRevisionsPastIntAreErrorsNotCrashes(range: String) throws {
        let (lower, upper) = try RevisionGraph.parseRange(range)
        #expect(throws: RevisionGraphError.self) { try chain.history(lower: lower, upper: upper) }
    }

    @Test func hugeRelativeStepsStillWalkTheWholeGraph() throws {
        #expect(try chain.history(":head-2").count == 1)
        #expect(throws: RevisionGraphError.self) { try chain.history(lower: nil, upper: "head-99999999999") }
    }

    @Test(arguments: ["%(rev).-5s", "%(rev)999999999999s", "%(rev)999s", "%(rev).9999999999999999999s", "%(rev)s%(x"])
    func fileTemplatesThatCannotMakeAFileNameAreErrors(template: String) {
        let date = RevisionFileName.Date(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 0,
                                         utcOffset: nil, epoch: 0)
        #expect(throws: RevisionFileName.TemplateError.self) {
            try RevisionFileName.fileName(template: template, rev: "abc", message: "m", date: date)
        }
    }

    @Test func pythonFlagsAndNegativeSlugLengthsBehaveAsInPython() throws {
        let date = RevisionFileName.Date(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 0,
                                         utcOffset: nil, epoch: 0)
        #expect(try RevisionFileName.fileName(template: "%(rev)-6s|%(month)02d", rev: "ab", message: nil, date: date)
            == "ab    |01.py")
        // `slug[:-1]`, then cut at the last underscore, as alembic does.
        #expect(RevisionFileName.slug("add users table", truncateLength: -1) == "add_users_")
        #expect(RevisionFileName.slug("x", truncateLength: -5) == "_")
    }

    @Test func deepNestingIsANamedErrorNotAStackOverflow() {
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        #expect(throws: TomlTables.ParseError.self) { try TomlTables(text: "[tool.alembic]\nx = \(deep)\n") }
        let parens = String(repeating: "(", count: 20_000) + "'a'" + String(repeating: ")", count: 20_000)
        let outcome = MigrationParser.parse(path: "v/x.py", fileName: "x.py", text: "revision = 'x'\ndown_revision = \(parens)\n")
        #expect(outcome.revision == nil || outcome.problems.contains { $0.kind == .nonLiteralValue })
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate("${\(parens)}") }
        let ifs = String(repeating: "% if x:\n", count: 5_000) + String(repeating: "% endif\n", count: 5_000)
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate(ifs) }
    }

    @Test func aCycleThroughALabelledRevisionEnds() {
        let g = graph("a[lbl]<b", "b<a")
        #expect(g.hasCycles)
    }

    @Test func interpolationThatExplodesStopsWithAnError() throws {
        var ini = "[alembic]\nscript_location = m\nk0 = x\n"
        for k in 1...10 { ini += "k\(k) = " + String(repeating: "%(k\(k - 1))s", count: 50) + "\n" }
        let file = try IniFile(text: ini)
        #expect(throws: IniFile.ParseError.self) { try file.value("alembic", "k10") }
        // Alembic only interpolates the keys it reads: the config still loads.
        let c = try ProjectConfig.read(ini: (ini, "alembic.ini", "."), toml: nil)
        #expect(c.scriptLocation == "m")
    }

    @Test func semicolonsSeparateStatements() {
        let o = MigrationParser.parse(path: "v/c.py", fileName: "c.py",
                                      text: "revision = 'c'; down_revision = 'b'; branch_labels = None\n")
        #expect(o.revision?.downRevisions == ["b"])
        #expect(o.problems.isEmpty)
    }

    @Test func aLegacyFileNameIsPartOfTheCacheKey() {
        #expect(MigrationParser.cacheKeyPart(fileName: "abcd0001.py") != MigrationParser.cacheKeyPart(fileName: "beef0002.py"))
        #expect(MigrationParser.cacheKeyPart(fileName: "abcd_add_users.py") == "")
    }
}

extension RevisionGraph {
    func history(_ range: String) throws -> [Int] {
        let (l, u) = try RevisionGraph.parseRange(range)
        return try history(lower: l, upper: u)
    }
}

/// Values Python would read differently from a naive reading: decoded as Python does, or reported.
@Suite struct PythonReadingTests {
    func parse(_ text: String) -> MigrationParser.Outcome {
        MigrationParser.parse(path: "v/x.py", fileName: "x.py", text: text)
    }

    @Test func everyEscapeIsDecodedAsPythonDoes() {
        let o = parse("revision = '\\101\\x42\\N{LATIN SMALL LETTER E WITH ACUTE}\\u00e9\\0'\ndown_revision = None\n")
        #expect(o.revision?.id == "ABéé\u{0}")
        #expect(parse("revision = r'\\N{x}\\x'\ndown_revision = None\n").revision?.id == "\\N{x}\\x")
    }

    /// `\u` and `\U` are no escapes in bytes (Python keeps them); fuzzing found a bytes literal
    /// with `\ueeef` read as a code point and trapped on it.
    @Test func unicodeEscapesInBytesAreKeptAsWritten() {
        let o = parse("b'\\ueeef\\U0001F600'\nrevision = b'\\u00e9'\ndown_revision = None\n")
        #expect(o.revision == nil)
        #expect(o.problems.contains { $0.message.contains("revision in 'v/x.py' is not a string") }, "\(o.problems)")
        // In str literals they stay escapes.
        #expect(parse("revision = '\\u00e9'\ndown_revision = None\n").revision?.id == "é")
        // The fuzzer's input: a bytes docstring holding `\\ueef`, never closed: an error, not a trap.
        let crash = "b\"\"\"danger\\ueefError\nrevision = 'a1'\n"
        #expect(parse(crash).problems.first?.message.contains("unterminated") == true)
    }

    /// Function and class bodies are scanned for their extent only; what they contain never
    /// leaks out, and bad indentation inside them is still an import error.
    @Test func definitionBodiesAreSkippedExactly() {
        let text = """
        revision = 'a1'
        down_revision = None


        def upgrade():
            op.execute(\"\"\"
        revision = 'evil'
        \"\"\")
            if True:
                x = {'k': "v:",  # comment :
                     'm': 1}
            revision = 'local'


        class Helper:
            down_revision = 'nope'

        async def later():
            pass
        branch_labels = ('x',)

        """
        let o = parse(text)
        #expect(o.revision?.id == "a1")
        #expect(o.revision?.downRevisions == [])
        #expect(o.revision?.branchLabels == ["x"])
        #expect(o.problems.isEmpty, "\(o.problems)")
        let bad = parse("revision = 'a1'\ndown_revision = None\ndef upgrade():\n    pass\n        x = 1\n")
        #expect(bad.problems.contains { $0.message.contains("unexpected indent") })
        let open = parse("revision = 'a1'\ndown_revision = None\ndef upgrade():\n    x = '''never closed\n")
        #expect(open.problems.first?.kind == .parseError)
    }

    /// Python refuses these literals at import (`SyntaxError: (unicode error)`); revgraph says
    /// which escape is wrong instead of calling the string unterminated or keeping it as text.
    @Test(arguments: [
        ("'\\N{NO SUCH CHARACTER}'", "unknown Unicode character name 'NO SUCH CHARACTER'"),
        ("'\\N{LATIN'", "malformed \\N character escape"),
        ("'\\x4'", "truncated \\xXX escape"),
        ("'\\x+1'", "truncated \\xXX escape"),
        ("'\\u00e'", "truncated \\uXXXX escape"),
        ("'\\U00110000'", "illegal Unicode character"),
    ])
    func invalidEscapesAreNamedImportErrors(literal: String, expected: String) {
        let o = parse("revision = \(literal)\ndown_revision = None\n")
        #expect(o.revision == nil)
        #expect(o.problems.first?.kind == .parseError)
        #expect(o.problems.first?.message.contains(expected) == true, "\(o.problems)")
        #expect(o.problems.first?.line == 1)
    }

    @Test func aCodingCookieDecidesTheEncodingAndBadUTF8IsAnError() {
        let latin1: [UInt8] = Array("# -*- coding: latin-1 -*-\n\"\"\"caf".utf8) + [0xE9] + Array("\"\"\"\nrevision = 'a'\ndown_revision = None\n".utf8)
        let ok = MigrationParser.parse(path: "v/a.py", fileName: "a.py", bytes: latin1)
        #expect(ok.revision?.id == "a")
        #expect(ok.revision?.longdoc == "café")
        let bad = MigrationParser.parse(path: "v/a.py", fileName: "a.py", bytes: Array(latin1.dropFirst(26)))
        #expect(bad.revision == nil)
        #expect(bad.problems.first?.kind == .parseError)
        #expect(bad.problems.first?.message.contains("not UTF-8") == true)
    }

    @Test func aByteThatIsNotUTF8IsNamedAtItsLineInLinearTime() {
        // In a comment on line 3, as CPython names it ("Non-UTF-8 code starting with '\\xe9' ... on line 3").
        let comment = Array("revision = 'a'\ndown_revision = None\n# caf".utf8) + [0xE9] + Array(" here\nx = 1\n".utf8)
        let o = MigrationParser.parse(path: "v/a.py", fileName: "a.py", bytes: comment)
        #expect(o.problems.first?.line == 3, "\(o.problems)")
        // After 100 KB and after 800 KB of valid text: the second costs about eight times the first
        // (it cost the square: over a minute), and both end well within a second.
        func seconds(_ kb: Int) -> Double {
            let bytes = Array(String(repeating: "# padding line of text\n", count: kb * 1024 / 23).utf8) + [0xFF]
            let start = ContinuousClock.now
            let r = MigrationParser.parse(path: "v/a.py", fileName: "a.py", bytes: bytes)
            #expect(r.problems.first?.line == kb * 1024 / 23 + 1)
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        _ = seconds(10)
        let small = seconds(100), large = seconds(800)
        #expect(large < 1, "800 KB: \(large) s")
        #expect(large < small * 16 + 0.05, "100 KB: \(small) s, 800 KB: \(large) s")
    }

    @Test func anIndentedRevisionLineIsAnImportErrorNotAFallbackToTheFileName() {
        let o = MigrationParser.parse(path: "v/abcd.py", fileName: "abcd.py", text: "\trevision = 'x'\ndown_revision = None\n")
        #expect(o.revision == nil)
        #expect(o.problems.contains { $0.kind == .parseError && $0.message.contains("unexpected indent") })
    }

    @Test(arguments: ["revision = 'a'\nrevision += 'b'\ndown_revision = None\n",
                      "revision = 'a'\nif True:\n    revision = 'b'\ndown_revision = None\n",
                      "revision = 'a'\ntry:\n    pass\nexcept Exception:\n    revision = 'c'\ndown_revision = None\n"])
    func valuesChangedByModuleCodeAreReportedNotGuessed(text: String) {
        let o = parse(text)
        #expect(o.revision == nil)
        #expect(o.problems.contains { $0.kind == .nonLiteralValue && $0.severity == .error })
    }

    @Test func assignmentsInsideFunctionsDoNotCount() {
        let o = parse("revision = 'a'\ndown_revision = None\n\ndef upgrade():\n    revision = 'zzz'\n")
        #expect(o.revision?.id == "a")
        #expect(o.problems.isEmpty)
    }

    @Test func globalsAndNestedTuplesAreReported() {
        let g = parse("revision = 'a'\ndown_revision = None\nglobals()['revision'] = 'b'\n")
        #expect(g.problems.contains { $0.severity == .warning && $0.message.contains("globals()") })
        let nested = parse("revision = 'a'\ndown_revision = [('b',), ('c',)]\n")
        #expect(nested.problems.contains { $0.severity == .error && $0.message.contains("nested sequence") })
    }
}

@Suite struct LineEndingAndDisplayTests {
    @Test func crlfAndCRConfigsAndTemplatesReadAsPythonReadsThem() throws {
        let ini = "[alembic]\r\nscript_location = m\r\n\r\n[revgraph]\r\npost_merge = off\r\n"
        let c = try ProjectConfig.read(ini: (ini, "alembic.ini", "."), toml: nil)
        #expect(c.scriptLocation == "m" && c.settings.postMerge == .off)
        let cr = try ProjectConfig.read(ini: ("[alembic]\rscript_location = m\r", "alembic.ini", "."), toml: nil)
        #expect(cr.scriptLocation == "m")
        let toml = try ProjectConfig.read(ini: nil, toml: ("[tool.alembic]\r\nscript_location = \"m\"\r\n", "pyproject.toml", "."))
        #expect(toml.scriptLocation == "m")
        let t = try MakoTemplate("a ${up_revision}\r\n% if True:\r\nb\r\n% endif\r\n")
        #expect(try t.render(["up_revision": .string("x")], mainOptions: [:]) == "a x\nb\n")
    }

    @Test func databaseValuesAreShownWithoutTheirControlCharacters() {
        #expect("abc".displaySafe == "abc")
        #expect("a\u{1B}[31mred".displaySafe == "a\\u{1B}[31mred")
    }
}

@Suite struct ByteExactIdentifierTests {
    @Test func idsThatDifferOnlyInNormalizationAreNotOneRevision() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let g = RevisionGraph(revisions: [Revision(id: composed, path: "v/a.py"), Revision(id: "x", downRevisions: [decomposed], path: "v/x.py")])
        // Alembic: 'x' names a parent that is not present (the bytes differ).
        #expect(g.problems.contains { $0.kind == .missingParent })
        let two = RevisionGraph(revisions: [Revision(id: composed, path: "v/a.py"), Revision(id: decomposed, path: "v/b.py")])
        #expect(two.problems.contains { $0.message.contains("differ only in Unicode normalization") })
    }

    @Test func revisionArgumentsMatchByCodePoints() throws {
        let composed = "caf\u{E9}0001", decomposed = "cafe\u{301}0001"
        let g = RevisionGraph(revisions: [
            Revision(id: composed, branchLabels: ["br\u{E9}"], path: "v/a.py"),
            Revision(id: "x", downRevisions: [composed], path: "v/x.py"),
        ])
        #expect(try g.resolveOne(composed).map { g.id($0) } == composed)
        #expect(throws: RevisionGraphError.self) { try g.resolveOne(decomposed) }
        #expect(throws: RevisionGraphError.self) { try g.resolveOne("cafe\u{301}") }  // a prefix, by code points
        #expect(try g.resolveOne("caf\u{E9}").map { g.id($0) } == composed)
        #expect(throws: RevisionGraphError.self) { try g.resolveOne("bre\u{301}@head") }
        #expect(try g.resolveOne("br\u{E9}@head").map { g.id($0) } == "x")
    }
}
