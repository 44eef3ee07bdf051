import Testing
@testable import RevgraphCore

@Suite struct DiamondGraphTests {
    let g = graph("a", "b1<a", "b2<a", "c<b1,b2", "d<c")

    @Test func historyIsDepthFirstAcrossTheDiamond() throws {
        #expect(try g.history(nil, nil) == ["d", "c", "b1", "b2", "a"])
        #expect(try g.history("a", "d") == ["d", "c", "b1", "b2", "a"])
    }

    @Test func mergeAndBranchPoints() {
        let c = g.index["c"]!, a = g.index["a"]!
        #expect(g.isMergePoint(c))
        #expect(g.isBranchPoint(a))
        #expect(g.ids(g.heads) == ["d"])
        #expect(g.headConflicts().isEmpty)
    }
}

@Suite struct LongShortBranchTests {
    let g = graph("a", "b1<a", "b2<a", "c1<b1", "d11<c1", "d12<c1")

    @Test func everyBranchIsFinishedBeforeItsBranchPoint() throws {
        let order = try g.history(nil, nil)
        #expect(order == ["b2", "d11", "d12", "c1", "b1", "a"])
        #expect(respectsPartialOrder(g, order))
    }

    @Test func threeHeadsConflictInTheUnlabelledBranch() {
        let problems = g.headConflicts()
        #expect(problems.count == 1)
        #expect(problems[0].revisions == ["b2", "d11", "d12"])
        #expect(problems[0].fix?.contains("revgraph merge") == true)
        #expect(g.headConflicts(maxHeads: 3).isEmpty)
    }
}

@Suite struct LabeledBranchTests {
    let g = graph("a[abranch]", "b<a", "somelongername<b", "c<somelongername",
                  "d", "e[ebranch]<d", "someothername<e", "f<someothername")

    @Test func labelsSpreadUpAndDown() {
        #expect(g.labels[g.index["c"]!] == ["abranch"])
        #expect(g.labels[g.index["d"]!] == ["ebranch"])
        #expect(g.labels[g.index["f"]!] == ["ebranch"])
    }

    @Test func labelledHeadsDoNotConflict() {
        #expect(g.heads.count == 2)
        #expect(g.headConflicts().isEmpty)
    }

    @Test func resolvesLabelsAndPrefixesWithinABranch() throws {
        #expect(g.id(try g.resolveOne("ebranch@head")!) == "f")
        #expect(g.id(try g.resolveOne("abranch@heads")!) == "c")
        #expect(g.id(try g.resolveOne("ebranch@some")!) == "someothername")
        #expect(g.id(try g.resolveOne("abranch@some")!) == "somelongername")
        #expect(g.id(try g.resolveOne("ebranch@ebranch")!) == "e")
        #expect(g.id(try g.resolveOne("e@d")!) == "d")
        #expect(throws: RevisionGraphError.noSuchBranch("x")) { try g.resolveOne("x@d") }
        #expect(throws: RevisionGraphError.notMemberOfBranch(revision: "b", branch: "ebranch")) {
            try g.resolveOne("ebranch@b")
        }
        #expect(throws: RevisionGraphError.noSuchRevision("sos")) { try g.resolveOne("ebranch@sos") }
    }

    @Test func headIsAmbiguousWhenTwoHeadsExist() {
        #expect(throws: RevisionGraphError.multipleHeads(heads: ["c", "f"], argument: "head")) {
            try g.resolveOne("head")
        }
    }

    @Test func relativeWalks() throws {
        #expect(g.id(try g.resolveRevisions("ebranch@-2")[0]) == "e")
        #expect(try g.history("ebranch@base", nil) == ["f", "someothername", "e", "d"])
    }

    @Test func labelCollisionIsAProblem() {
        let bad = graph("a[x]", "b[x]<a")
        #expect(bad.problems.contains { $0.kind == .branchLabelCollision })
    }
}

@Suite struct DependencyTests {
    // networking branch depends on the main branch, as in Alembic's documentation.
    let g = graph("a", "b<a", "c<b", "n1[net]", "n2<n1&b", "n3<n2&c")

    @Test func effectiveHeadsAndRealHeads() {
        #expect(g.ids(g.heads) == ["c", "n3"])
        #expect(g.ids(g.realHeads) == ["n3"])
        #expect(g.isEffectiveHead(g.index["c"]!))
        #expect(AlembicFormat(graph: g).heads(verbose: false, resolveDependencies: false)
            == "c (effective head)\nn3 (net) (head)\n")
    }

    @Test func historyFollowsDependencies() throws {
        let order = try g.history(nil, nil)
        #expect(respectsPartialOrder(g, order))
        #expect(order.first == "n3")
    }

    @Test func normalizedDependenciesDropWhatAncestorsImply() {
        let h = graph("a1", "a2<a1", "a3<a2", "b1", "b2<b1&a3", "b3<b2", "b4<b3&a3")
        #expect(h.normalizedDependencies[h.index["b4"]!].isEmpty)
    }
}

@Suite struct BrokenGraphTests {
    @Test func cycleIsReportedNotCrashedOn() {
        let g = graph("a<c", "b<a", "c<b")
        #expect(g.problems.contains { $0.kind == .cycle && $0.revisions == ["a", "b", "c"] })
        #expect(throws: RevisionGraphError.self) { try g.fullHistory() }
    }

    @Test func cycleAboveAHealthyBase() {
        let g = graph("base", "a<base", "b<a,d", "c<b", "d<c")
        #expect(g.problems.contains { $0.kind == .cycle })
    }

    @Test func cycleReachableFromBothAHeadAndABase() {
        // Alembic's reachability test passes this graph; the topological peel does not.
        let g = graph("base", "c1<base,c2", "c2<c1", "h<c1")
        #expect(g.problems.contains { $0.kind == .cycle && $0.revisions == ["c1", "c2", "h"] })
        #expect(throws: RevisionGraphError.self) { try g.history(lower: nil, upper: nil) }
    }

    @Test func fullyCyclicGraphHasNoHistoryToPrint() {
        let g = graph("a<b", "b<a")
        #expect(g.heads.isEmpty)
        #expect(throws: RevisionGraphError.self) { try g.history(lower: nil, upper: nil) }
        #expect(throws: RevisionGraphError.self) { try g.requireAcyclic() }
    }

    @Test func dependencyCycleIsFoundTheSameWay() {
        let g = graph("a", "b<a&c", "c<a&b")
        #expect(g.problems.contains { $0.kind == .dependencyCycle })
        #expect(!g.problems.contains { $0.kind == .cycle })
    }

    @Test func missingParentIsAProblemAndTheRestStillWorks() throws {
        let g = graph("a", "b<a", "c<zzz")
        let p = try #require(g.problems.first { $0.kind == .missingParent })
        #expect(p.message.contains("zzz"))
        #expect(p.path == "versions/c.py")
        #expect(try g.history(nil, nil) == ["b", "a", "c"])
    }

    @Test func duplicateRevisionNamesBothFiles() {
        var second = revision("b<a")
        second.path = "versions/b_copy.py"
        let g = RevisionGraph(revisions: [revision("a"), revision("b<a"), second])
        let p = g.problems.first { $0.kind == .duplicateRevision }
        #expect(p?.message.contains("versions/b.py") == true)
        #expect(p?.message.contains("versions/b_copy.py") == true)
        #expect(g.count == 2)
    }

    @Test func missingDependencyIsAProblem() {
        let g = graph("a", "b<a&nothere")
        #expect(g.problems.contains { $0.kind == .missingDependency })
    }
}

@Suite struct ResolutionTests {
    let g = graph("aaaa1111", "aaaa2222<aaaa1111", "bbbb3333<aaaa2222")

    @Test func partialIdsFollowAlembicsRules() throws {
        #expect(g.id(try g.resolveOne("bbb")!) == "bbbb3333")
        #expect(g.id(try g.resolveOne("b")!) == "bbbb3333")
        #expect(throws: RevisionGraphError.ambiguousPrefix("aaaa", candidates: ["aaaa1111", "aaaa2222"])) {
            try g.resolveOne("aaaa")
        }
        #expect(try g.resolveOne("base") == nil)
        #expect(g.id(try g.resolveOne("head")!) == "bbbb3333")
    }

    @Test(arguments: [
        ("aaaa1111:", ["bbbb3333", "aaaa2222", "aaaa1111"]),
        (":aaaa2222", ["aaaa2222", "aaaa1111"]),
        ("aaaa1111:+1", ["aaaa2222", "aaaa1111"]),
        ("-1:", ["bbbb3333", "aaaa2222"]),
    ])
    func historyRanges(range: String, expected: [String]) throws {
        let (lower, upper) = try RevisionGraph.parseRange(range)
        #expect(try g.history(lower, upper) == expected)
    }

    @Test func rangeAgainstTheGrainFails() throws {
        #expect(throws: RevisionGraphError.rangeNotAncestor(lower: "bbbb3333", upper: "aaaa1111")) {
            try g.history(lower: "bbbb3333", upper: "aaaa1111")
        }
        #expect(throws: RevisionGraphError.badRange("a")) { try RevisionGraph.parseRange("a") }
    }

    @Test func relativePatternMatchesLikeAlembicsRegex() {
        #expect(RevisionGraph.matchRelative("ae10+2")! == (nil, "ae10", "+2"))
        #expect(RevisionGraph.matchRelative("br@head-1")! == ("br", "head", "-1"))
        #expect(RevisionGraph.matchRelative("-3")! == (nil, nil, "-3"))
        #expect(RevisionGraph.matchRelative("heads") == nil)
    }
}
