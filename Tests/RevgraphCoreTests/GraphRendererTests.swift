import RevgraphCore
import Testing

@Suite struct GraphRendererTests {
    /// The drawing with each label cut to the revision id.
    func draw(_ g: RevisionGraph) throws -> String {
        let text = GraphRenderer(graph: g, order: try g.history(lower: nil, upper: nil)).ascii()
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.contains("*") else { lines.append(String(line)); continue }
            // Marks, then the label: keep the marks and the label's first word (the id).
            let words = line.split(separator: " ")
            let marks = words.prefix { !$0.contains(where: \.isLetter) }
            lines.append((marks + [words[marks.count]]).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    @Test func aBranchJoinsAtItsBranchPointNotBelowIt() throws {
        let g = graph("aaaa", "bbbb<aaaa", "cccc<bbbb", "dddd<bbbb", "eeee<cccc,dddd")
        let drawn = try draw(g)
        #expect(drawn == """
            * eeee
            | \\
            * | cccc
            | * dddd
            | /
            * bbbb
            * aaaa

            """, "\(drawn)")
    }

    @Test func aSecondRootDoesNotReadAsTheFirstOnesChild() throws {
        let g = graph("a", "b<a", "x1", "x2<x1", "m<b,x2")
        let text = try draw(g)
        #expect(!text.hasSuffix("| /\n"), "no dangling connector: \(text)")
        #expect(text == """
            * m
            | \\
            * | b
            * | a
              /
            * x2
            * x1

            """, "\(text)")
    }

    @Test func wideMergesStayWithinTheWidth() throws {
        var specs = ["base"]
        for k in 0..<300 { specs.append("b\(k)<base") }
        specs.append("m<" + (0..<300).map { "b\($0)" }.joined(separator: ","))
        let g = RevisionGraph(revisions: specs.map(revision))
        let text = GraphRenderer(graph: g, order: try g.history(lower: nil, upper: nil)).ascii()
        let widest = text.split(separator: Character("\n")).map(\.count).max() ?? 0
        #expect(widest < 2 * GraphRenderer.maxColumns + 40)
        #expect(text.utf8.count < 3 * 300 * (2 * GraphRenderer.maxColumns + 40))
        #expect(text.contains("* b299") || text.contains("b299"))
    }
}
