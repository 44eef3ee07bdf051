import RevgraphCore
import Testing

@Suite struct RevgraphSettingsTests {
    @Test func typedValuesAndDefaults() throws {
        let s = try RevgraphSettings(raw: [
            "published_refs": "origin/main\nrefs/tags/v1", "post_merge": "create-and-stage", "max_heads": "2",
            "name.app.VERSION": "'v1'", "release_pattern": "rel-*", "protected_refs": "",
        ], path: "alembic.ini")
        #expect(s.publishedRefs == ["origin/main", "refs/tags/v1"])
        #expect(s.postMerge == .createAndStage)
        #expect(s.maxHeads == 2)
        #expect(s.names == ["app.VERSION": "'v1'"])
        #expect(s.releasePattern == "rel-*")
        #expect(s.protectedRefs == [])
        let d = RevgraphSettings()
        #expect(d.postMerge == .suggest && d.protectedRefs == nil && d.versionTable == "alembic_version")
    }

    @Test(arguments: [("post_merge", "always"), ("max_heads", "0"), ("max_heads", "two"), ("on_missing", "skip"),
                      ("release_pattern", " ")])
    func malformedValueNamesFileKeyValueAndWhatIsExpected(key: String, value: String) {
        #expect {
            try RevgraphSettings(raw: [key: value], path: "backend/alembic.ini")
        } throws: { error in
            let text = "\(error)"
            return text.contains("backend/alembic.ini") && text.contains("'\(key)'") && text.contains("'\(value)'")
                && text.contains("expected")
        }
    }

    @Test func unknownKeyIsAnErrorListingTheKnownOnes() {
        #expect {
            try RevgraphSettings(raw: ["published_ref": "origin/main"], path: "alembic.ini")
        } throws: { error in
            "\(error)".contains("unknown revgraph setting 'published_ref'") && "\(error)".contains("published_refs")
        }
    }

    @Test func configReadsTheSectionOnce() throws {
        let ini = "[alembic]\nscript_location = m\n\n[revgraph]\npost_merge = off\nmax-heads = 3\n"
        let c = try ProjectConfig.read(ini: (ini, "alembic.ini", "."), toml: nil)
        #expect(c.settings.postMerge == .off)
        #expect(c.maxHeads == 3)
        let bad = "[alembic]\nscript_location = m\n\n[revgraph]\npost_merge = sometimes\n"
        #expect(throws: ProjectConfig.ConfigError.self) { try ProjectConfig.read(ini: (bad, "alembic.ini", "."), toml: nil) }
    }
}

@Suite struct CreateDateTests {
    @Test(arguments: ["2024-01-01 00:00:00:07", "2024-13-01 00:00:00", "2024-02-30 00:00:00", "2023-02-29 10:00:00",
                      "2024-01-01 24:00:00", "2024-01-01 00:00:00.1234567", "2024-01-01 00:00:00.", "9999999999-01-01 00:00:00",
                      "", "2024-01-01", "2024-01-01 00:00:0x"])
    func rejectsWhatIsNotADate(text: String) {
        #expect(CreateDate(parsing: text) == nil)
    }

    @Test func acceptsFractionsAndLeapDays() throws {
        let d = try #require(CreateDate(parsing: "2024-02-29 23:59:59.5"))
        #expect([d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond] == [2024, 2, 29, 23, 59, 59, 500_000])
        #expect(CreateDate(parsing: "2026-11-27 12:00:00")?.microsecond == 0)
    }
}

@Suite struct UTCTimeTests {
    @Test func formatsLikeGitInUTC() {
        #expect(UTCTime.minutes(0) == "1970-01-01 00:00Z")
        #expect(UTCTime.minutes(1_709_210_096) == "2024-02-29 12:34Z")
        #expect(UTCTime.minutes(-60) == "1969-12-31 23:59Z")
        #expect(UTCTime.minutes(4_102_444_800) == "2100-01-01 00:00Z")
    }
}

@Suite struct RevisionChangeTests {
    @Test func deletedRewrittenAndEditedInLoadOrder() {
        let old = RevisionGraph(revisions: [Revision(id: "a", downRevisions: [], path: "a.py"),
                                            Revision(id: "b", downRevisions: ["a"], path: "b.py"),
                                            Revision(id: "c", downRevisions: ["b"], path: "c.py"),
                                            Revision(id: "d", downRevisions: ["c"], path: "d.py")])
        let new = RevisionGraph(revisions: [Revision(id: "a", downRevisions: [], path: "a.py"),
                                            Revision(id: "c", downRevisions: ["a"], path: "c.py"),
                                            Revision(id: "d", downRevisions: ["c"], path: "d.py")])
        let changes = RevisionChange.between(old: old, oldChecksums: ["a": "1", "b": "2", "c": "3", "d": "4"],
                                             new: new, newChecksums: ["a": "1", "c": "3'", "d": "4'"])
        #expect(changes.map(\.summary) == ["b deleted", "c rewritten (down_revision)", "d edited"])
    }
}
