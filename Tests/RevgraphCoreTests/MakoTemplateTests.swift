import Testing
@testable import RevgraphCore

@Suite struct MakoTemplateTests {
    let context: [String: PythonValue] = [
        "message": .string("merge it"), "up_revision": .string("ab12"), "down_revision": .tuple(["a", "b"]),
        "branch_labels": .none, "depends_on": .none, "create_date": .datetime("2026-11-27 12:00:00"),
    ]

    @Test func expressionsFiltersAndRepr() throws {
        let t = try MakoTemplate("${message}|${down_revision | comma,n}|${repr(down_revision)}|${repr(branch_labels)}|${imports if imports else \"\"}|${upgrades if upgrades else \"pass\"}\n")
        #expect(try t.render(context) == "merge it|a, b|('a', 'b')|None||pass\n")
    }

    @Test func loopsBlocksCommentsAndConditions() throws {
        let source = """
            <%!
            import re
            %>start
            <%
                names = config.get_main_option("databases")
            %>
            ## a comment line disappears
            % for n in re.split(r',\\s*', names):
            def up_${n}(): ${context.get("%s_upgrades" % n, "pass")}
            % endfor
            % if branch_labels:
            labelled
            % elif message:
            message=${message}
            % else:
            none
            % endif
            end
            """
        let out = try MakoTemplate(source).render(context, mainOptions: ["databases": "engine1, engine2"])
        #expect(out == "start\n\ndef up_engine1(): pass\ndef up_engine2(): pass\nmessage=merge it\nend")
    }

    @Test func unsupportedConstructsNameTheirLine() {
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate("a\n<%def name=\"x()\">\n</%def>\n") }
        #expect {
            try MakoTemplate("ok\n% while True:\n")
        } throws: { error in
            (error as? MakoTemplate.Unsupported)?.line == 2
        }
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate("${x | h}") }
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate("${os.system('x')}").render([:]) }
    }

    /// Found by fuzzing: a `% for` with no loop variable ended in an invalid string range (a crash).
    @Test(arguments: ["% for in down_revision:\n% endfor\n", "% for  in x:\n% endfor\n", "% for in:\n"])
    func aForWithoutAVariableIsAnErrorNotACrash(source: String) {
        #expect(throws: MakoTemplate.Unsupported.self) { try MakoTemplate(source) }
    }

    @Test func fileNamesFollowAlembicsRules() throws {
        let date = RevisionFileName.Date(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9, microsecond: 0,
                                         utcOffset: nil, epoch: 1_709_622_489)
        #expect(try RevisionFileName.fileName(template: "%(rev)s_%(slug)s", rev: "ab12", message: "add 'email' column to users!! (v2)", date: date)
            == "ab12_add_email_column_to_users_v2.py")
        #expect(try RevisionFileName.fileName(template: "%(rev)s_%(slug)s", rev: "ab12", message: String(repeating: "a", count: 50), date: date)
            == "ab12_" + String(repeating: "a", count: 40) + "_.py")
        #expect(try RevisionFileName.fileName(template: "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
                                              rev: "ab12", message: "add user table", date: date, truncateLength: 10) == "2024_03_05_0708-ab12_add_user_.py")
        #expect(try RevisionFileName.fileName(template: "%(epoch)s_%(rev)s", rev: "ab12", message: nil, date: date) == "1709622489_ab12.py")
        #expect(try RevisionFileName.fileName(template: "%(rev)s_%(slug)s", rev: "ab12", message: "Ünïcode naïve café", date: date)
            == "ab12_ünïcode_naïve_café.py")
        #expect(RevisionFileName.slug("../../etc/passwd") == "etc_passwd")
        #expect(date.pythonString == "2024-03-05 07:08:09")
    }
}
