import Foundation
import RevgraphCore
@testable import RevgraphWorkspace
import RevgraphGit
import Testing

@Suite struct ParseCacheTests {
    @Test func codecRoundTripsRevisionsAndProblems() {
        let r = Revision(id: "a\tb", downRevisions: ["x", "y\u{1F}z"], dependencies: ["d"], branchLabels: ["l"],
                         path: "", longdoc: "doc\nwith \\ lines", line: 7)
        let p = GraphProblem(kind: .nonLiteralValue, severity: .warning, path: nil, line: 3, revisions: ["a"],
                             message: "m\tn", fix: "f")
        let q = GraphProblem(kind: .parseError, severity: .error, path: nil, line: nil, revisions: [], message: "", fix: nil)
        let entries = ["k1": MigrationParser.Outcome(revision: r, problems: [p, q], checksum: "abc"),
                       "k2": MigrationParser.Outcome(revision: nil, problems: [])]
        let file = ParseCacheFile(bytes: ParseCacheFile.write(entries.map { (Array($0.key.utf8), ArraySlice(ParseCacheFile.encode($0.value))) }))
        #expect(file.count == 2)
        #expect(file.outcome(forKey: "k1")?.revision == r)
        #expect(file.outcome(forKey: "k1")?.problems == [p, q])
        #expect(file.outcome(forKey: "k1")?.checksum == "abc")
        #expect(file.outcome(forKey: "k2") != nil && file.outcome(forKey: "k2")?.revision == nil)
        #expect(file.outcome(forKey: "k2")?.checksum == nil)
        #expect(file.outcome(forKey: "k3") == nil)
        #expect(ParseCacheFile(bytes: Array("garbage\nR\tx".utf8)).count == 0)
        // Readings made by another version of the reader are never served (an upgrade re-reads).
        let written = ParseCacheFile.write(entries.map { (Array($0.key.utf8), ArraySlice(ParseCacheFile.encode($0.value))) })
        let older = Array("RGPC6.\(MigrationParser.readingVersion + 1)\n".utf8) + written.dropFirst(ParseCacheFile.magic.count)
        #expect(ParseCacheFile(bytes: older).count == 0)
    }

    /// Every prefix and every single-byte change of a valid file reads without a crash, and never
    /// as another parse: a damaged record is a missing one.
    @Test func aDamagedFileIsNeverACrash() {
        let outcome = MigrationParser.Outcome(revision: Revision(id: "a", downRevisions: ["b"], path: ""), problems: [])
        let bytes = ParseCacheFile.write([(Array("k".utf8), ArraySlice(ParseCacheFile.encode(outcome))),
                                          (Array("m".utf8), ArraySlice(ParseCacheFile.encode(outcome)))])
        for n in 0..<bytes.count {
            _ = ParseCacheFile(bytes: Array(bytes.prefix(n))).outcome(forKey: "k")
            var changed = bytes
            changed[n] ^= 0xFF
            let f = ParseCacheFile(bytes: changed)
            for key in ["k", "m"] {
                if let o = f.outcome(forKey: key) { #expect(o.revision == outcome.revision && o.problems == outcome.problems) }
            }
            _ = f.records()
        }
    }

    func gitInit(_ dir: String) throws {
        for args in [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            try p.run()
            p.waitUntilExit()
        }
    }

    /// A second read of a commit takes its parse results from the cache file, unchanged.
    @Test func persistentCacheServesGitReadsAcrossRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/v", withIntermediateDirectories: true)
        try "revision = 'aaaa'\ndown_revision = None\n".write(toFile: dir + "/v/a.py", atomically: false, encoding: .utf8)
        try "revision = 'bbbb'\ndown_revision = 'aaaa'\nbranch_labels = (x.Y,)\n".write(toFile: dir + "/v/b.py", atomically: false, encoding: .utf8)
        try gitInit(dir)
        var options = ProjectOptions()
        options.versionDirectories = ["v"]
        let file = try #require(ParseCache.defaultFile(from: dir))
        #expect(file == dir + "/.git/revgraph-parse-cache")
        let repository = try RevgraphGit.GitRepository(discovering: dir)
        func load() throws -> (LoadedProject, Int) {
            let cache = ParseCache(persistentAt: file)
            let tree = try GitSourceTree(repository: repository, kind: .commit(try repository.commit("HEAD"), spec: "HEAD"))
            defer { cache.save() }
            return (try ProjectLoader(options: options, cache: cache).load(from: tree), cache.served)
        }
        let (first, servedFirst) = try load()
        #expect(servedFirst == 0)
        #expect(ParseCache(persistentAt: file).count == 2)
        let (second, servedSecond) = try load()
        #expect(servedSecond == 2)
        #expect(second.graph.revisions == first.graph.revisions)
        #expect(second.problems == first.problems)
        #expect(second.checksums == first.checksums && first.checksums.count == 2)
        #expect(second.problems.contains { $0.kind == .nonLiteralValue && $0.path == "v/b.py" })
        // A damaged cache file is an empty cache.
        try "RGPC6.\(MigrationParser.readingVersion)\nbroken".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ParseCache(persistentAt: file).count == 0)
    }

    /// Work-tree entries are validated by stat data: an edit is never served stale, whether it
    /// keeps the size, restores the mtime, or lands in the same second as the cache write.
    @Test func workTreeEntriesAreNeverServedStale() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-wcache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/v", withIntermediateDirectories: true)
        let a = dir + "/v/a.py", b = dir + "/v/b.py"
        try "revision = 'aaaa'\ndown_revision = None\n".write(toFile: a, atomically: false, encoding: .utf8)
        try "revision = 'bbbb'\ndown_revision = 'aaaa'\n".write(toFile: b, atomically: false, encoding: .utf8)
        try gitInit(dir)
        var options = ProjectOptions()
        options.versionDirectories = ["v"]
        let file = try #require(ParseCache.defaultFile(from: dir))
        func load() throws -> (ids: [String], served: Int) {
            let cache = ParseCache(persistentAt: file)
            defer { cache.save() }
            let loaded = try ProjectLoader(options: options, cache: cache).load(from: FileSystemTree(currentDirectory: dir))
            return (loaded.graph.revisions.map(\.id), cache.served + cache.servedBySnapshot)
        }
        // Files changed within the last second are not stored: wait until they are older.
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try load() == (["aaaa", "bbbb"], 0))
        #expect(try load() == (["aaaa", "bbbb"], 2))  // warm: nothing parsed (the project snapshot answers)
        // Same size, mtime restored: the ctime (which no user can set) still differs.
        var st = stat()
        stat(a, &st)
        try "revision = 'cccc'\ndown_revision = None\n".write(toFile: a, atomically: false, encoding: .utf8)
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, a, &times, 0)
        #expect(try load().ids == ["cccc", "bbbb"])
        // An edit in the same second as the cache write, same size: not served from the cache.
        _ = try load()
        try "revision = 'dddd'\ndown_revision = 'aaaa'\n".write(toFile: b, atomically: false, encoding: .utf8)
        #expect(try load().ids == ["cccc", "dddd"])
        // Superseded entries are dropped: the cache holds one entry per file.
        Thread.sleep(forTimeInterval: 1.2)
        _ = try load()
        #expect(ParseCache(persistentAt: file).count == 2)
    }

    /// The project snapshot answers only for exactly the files it holds, in the state it holds
    /// them: an added, removed, renamed, touched or edited file is a miss (the files then go
    /// through the parse cache), a damaged snapshot is a miss, and the answer is always the cold one.
    @Test func theProjectSnapshotAnswersOnlyForTheSameFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-snap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/v", withIntermediateDirectories: true)
        func put(_ name: String, _ id: String, _ down: String?) throws {
            try "\"\"\"doc \(id)\"\"\"\nrevision = '\(id)'\ndown_revision = \(down.map { "'\($0)'" } ?? "None")\nbranch_labels = (x.Y,)\n"
                .write(toFile: dir + "/v/" + name, atomically: false, encoding: .utf8)
        }
        try put("a.py", "aaaa", nil)
        try put("b.py", "bbbb", "aaaa")
        try gitInit(dir)
        var options = ProjectOptions()
        options.versionDirectories = ["v"]
        let file = try #require(ParseCache.defaultFile(from: dir))
        func load(cache: Bool = true) throws -> (project: LoadedProject, snapshot: Int, unlisted: Int) {
            let c = cache ? ParseCache(persistentAt: file) : ParseCache()
            defer { c.save() }
            let loaded = try ProjectLoader(options: options, cache: c).load(from: FileSystemTree(currentDirectory: dir))
            return (loaded, c.servedBySnapshot, c.servedWithoutListing)
        }
        func expectSameAsCold(_ warm: LoadedProject) throws {
            let cold = try load(cache: false).project
            #expect(warm.graph.revisions == cold.graph.revisions)
            #expect(warm.problems == cold.problems)
            #expect(warm.checksums == cold.checksums && warm.fileCount == cold.fileCount)
        }
        func settle() { Thread.sleep(forTimeInterval: 1.2) }  // no snapshot holds a file changed within the last second
        settle()
        #expect(try load().snapshot == 0)
        let warm = try load()
        #expect(warm.snapshot == 2)
        // The directory is as the snapshot saw it: its listing is the stored one (not read).
        #expect(warm.unlisted == 2)
        #expect(warm.project.problems.contains { $0.kind == .nonLiteralValue && $0.path == "v/a.py" })
        #expect(warm.project.graph.revisions.map(\.longdoc) == ["doc aaaa", "doc bbbb"])
        try expectSameAsCold(warm.project)
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: dir + "/.git").filter { $0.hasPrefix("revgraph-snapshot-") }
        #expect(snapshots.count == 1)
        // Added, then renamed, then removed: each a miss, each answered as a cold run would.
        // Then a file replaced by another through a rename (an editor's atomic save: same name,
        // new inode), and one replaced by a directory of the same name: the directory changes.
        for change in ["add", "rename", "remove", "touch", "edit", "replace", "directory", "restore"] {
            switch change {
            case "add": try put("c.py", "cccc", "bbbb")
            case "rename": try FileManager.default.moveItem(atPath: dir + "/v/c.py", toPath: dir + "/v/d.py")
            case "remove": try FileManager.default.removeItem(atPath: dir + "/v/d.py")
            case "touch": utimensat(AT_FDCWD, dir + "/v/a.py", nil, 0)
            case "edit": try put("b.py", "bbbx", "aaaa")  // same size
            case "replace":
                try "\"\"\"doc\"\"\"\nrevision = 'bbby'\ndown_revision = 'aaaa'\n".write(toFile: dir + "/v/b.tmp", atomically: false, encoding: .utf8)
                try #require(rename(dir + "/v/b.tmp", dir + "/v/b.py") == 0)
            case "directory":
                try FileManager.default.removeItem(atPath: dir + "/v/b.py")
                try FileManager.default.createDirectory(atPath: dir + "/v/b.py", withIntermediateDirectories: false)
            default:
                try FileManager.default.removeItem(atPath: dir + "/v/b.py")
                try put("b.py", "bbbb", "aaaa")
            }
            let after = try load()
            #expect(after.snapshot == 0, "\(change)")
            try expectSameAsCold(after.project)
            settle()
            _ = try load()  // writes the snapshot of the new state
            let again = try load()
            #expect(again.snapshot == again.project.fileCount, "\(change)")
            #expect(again.unlisted == again.snapshot, "\(change): the listing taken from the snapshot")
            try expectSameAsCold(again.project)
        }
        // Another file of the directory (not a migration) added: the listing is read and the
        // snapshot answers (its files are as they were); within the second, the directory is not
        // kept, and a migration added then is seen.
        try "x".write(toFile: dir + "/v/notes.txt", atomically: false, encoding: .utf8)
        let listed = try load()
        #expect(listed.snapshot == listed.project.fileCount && listed.unlisted == 0)
        try put("e.py", "eeee", "bbbb")
        let afterAdd = try load()
        #expect(afterAdd.snapshot == 0)
        try expectSameAsCold(afterAdd.project)
        #expect(afterAdd.project.graph.revisions.map(\.id).contains("eeee"))
        // Settled, a run served from the listing keeps the directory's new stat data, and the
        // next run needs no listing again.
        settle()
        _ = try load()
        try "y".write(toFile: dir + "/v/notes.txt", atomically: false, encoding: .utf8)  // the file, not the directory
        try FileManager.default.removeItem(atPath: dir + "/v/notes.txt")
        settle()
        let relisted = try load()
        #expect(relisted.snapshot == relisted.project.fileCount && relisted.unlisted == 0)
        let unlisted = try load()
        #expect(unlisted.unlisted == unlisted.project.fileCount)
        try expectSameAsCold(unlisted.project)
        // Damaged: every prefix and a flipped byte read as a miss, never as a crash or a wrong answer.
        let path = dir + "/.git/" + snapshots[0]
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        for n in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
            try Data(good.prefix(n)).write(to: URL(fileURLWithPath: path))
            let r = try load()
            #expect(r.snapshot == 0)
            try expectSameAsCold(r.project)
            var flipped = good
            flipped[n] ^= 0x5A
            try Data(flipped).write(to: URL(fileURLWithPath: path))
            try expectSameAsCold(try load().project)
        }
    }
}
