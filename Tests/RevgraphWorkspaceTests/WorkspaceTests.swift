import Foundation
import RevgraphCore
import RevgraphTestSupport
import RevgraphWorkspace
import Testing

@Suite struct WorkspaceTests {
    @Test func aRelativeRepoIsReadWithoutChangingDirectory() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/proj", files: ["a1.py": migration("a1", down: [])])
            let before = FileManager.default.currentDirectoryPath
            var s = ProjectSelection(currentDirectory: root)
            s.repository = "proj"
            let workspace = Workspace(s)
            let loaded = try workspace.load()
            #expect(loaded.graph.revisions.map(\.id) == ["a1"])
            #expect(workspace.relativePath(loaded.graph.revisions[0].path) == "migrations/versions/a1.py")
            #expect(try workspace.blame().changes(revision: "a1", path: "migrations/versions/a1.py", tip: workspace.tip()).count == 1)
            #expect(FileManager.default.currentDirectoryPath == before)
            let atHead = Workspace(s.reading(.commit("HEAD")))
            #expect(try atHead.load().graph.revisions[0].path == "migrations/versions/a1.py")
        }
    }

    @Test func gitTreesDiscoverTheConfigFromTheCurrentDirectorysPlace() throws {
        try withTemporaryDirectory { root in
            try git(["init", "-q", "-b", "main", root], cwd: "/")
            try makeProject(at: root + "/backend", files: ["a1.py": migration("a1", down: [])])
            try git(["add", "-A"], cwd: root)
            try git(["commit", "-qm", "x"], cwd: root)
            let s = ProjectSelection(currentDirectory: root + "/backend").reading(.commit("HEAD"))
            #expect(try Workspace(s).load().graph.revisions.map(\.path) == ["backend/migrations/versions/a1.py"])
        }
    }
}

@Suite struct MergePlannerTests {
    func forked(_ dir: String) throws -> (Workspace, LoadedProject) {
        try makeProject(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"]),
                                         "b2.py": migration("b2", down: ["a1"])])
        let w = Workspace(ProjectSelection(currentDirectory: dir))
        return (w, try w.load())
    }

    @Test func builtinTemplatePlansTheFileAlembicWouldWrite() throws {
        try withTemporaryDirectory { dir in
            let (w, p) = try forked(dir)
            var r = MergePlanner.Request()
            r.revID = "m1"
            r.message = "merge heads"
            r.builtinTemplate = true
            r.date = "2026-11-27 12:26:47.230123"
            let files = try MergePlanner(workspace: w, project: p).plan(r)
            #expect(files.count == 1)
            #expect(files[0].path.hasSuffix("migrations/versions/m1_merge_heads.py"))
            #expect(files[0].heads == ["b1", "b2"])
            #expect(files[0].text.contains("Revision ID: m1\nRevises: b1, b2\nCreate Date: 2026-11-27 12:26:47.230123\n"))
            #expect(files[0].text.contains("down_revision: Union[str, Sequence[str], None] = ('b1', 'b2')"))
            let path = try MergePlanner(workspace: w, project: p).write(files[0], stage: false)
            #expect(throws: MergeError.self) { try MergePlanner(workspace: w, project: p).write(files[0], stage: false) }
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test(arguments: ["2024-01-01 00:00:00:07", "2024-02-30 00:00:00", "soon"])
    func aMalformedDateIsAUsageErrorNeverACrash(date: String) throws {
        try withTemporaryDirectory { dir in
            let (w, p) = try forked(dir)
            var r = MergePlanner.Request()
            r.builtinTemplate = true
            r.date = date
            #expect {
                try MergePlanner(workspace: w, project: p).plan(r)
            } throws: { error in
                guard let e = error as? MergeError, case .badDate = e else { return false }
                return e.isUsage
            }
        }
    }

    @Test func autoFindsNothingOnALinearGraphAndHeadsMustBeHeads() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
            let w = Workspace(ProjectSelection(currentDirectory: dir))
            let planner = MergePlanner(workspace: w, project: try w.load())
            var r = MergePlanner.Request()
            r.auto = true
            #expect(try planner.plan(r).isEmpty)
            var notHead = MergePlanner.Request()
            notHead.revisions = ["a1"]
            notHead.builtinTemplate = true
            #expect(throws: MergeError.self) { try planner.plan(notHead) }
        }
    }
}

@Suite struct HostileTreeTests {
    @Test func aFIFONamedLikeAMigrationIsSkippedWithAWarningNeverOpened() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            #expect(mkfifo(dir + "/migrations/versions/x.py", 0o644) == 0)
            let loaded = try Workspace(ProjectSelection(currentDirectory: dir)).load()
            #expect(loaded.graph.revisions.map(\.id) == ["a1"])
            #expect(loaded.problems.contains { $0.severity == .warning && $0.message.contains("not a regular file") })
        }
    }

    @Test func aFileWhoseNameIsNotUTF8IsReportedNotSilentlyLeftOut() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            let name: [UInt8] = Array((dir + "/migrations/versions/b").utf8) + [0xFF] + Array(".py".utf8) + [0]
            let fd = name.withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: name.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(fd >= 0)
            close(fd)
            let loaded = try Workspace(ProjectSelection(currentDirectory: dir)).load()
            #expect(loaded.graph.revisions.map(\.id) == ["a1"])
            #expect(loaded.problems.contains { $0.severity == .warning && $0.message.contains("could not be read") })
        }
    }

    @Test func aRenamedLegacyFileIsReadAgainNotTakenFromTheCache() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["abcd0001.py": "down_revision = None\n"])
            let before = try Workspace(ProjectSelection(currentDirectory: dir).reading(.commit("HEAD"))).load()
            #expect(before.graph.revisions.map(\.id) == ["abcd0001"])
            try git(["mv", "migrations/versions/abcd0001.py", "migrations/versions/beef0002.py"], cwd: dir)
            let staged = try Workspace(ProjectSelection(currentDirectory: dir).reading(.index)).load()
            #expect(staged.graph.revisions.map(\.id) == ["beef0002"])
            try git(["commit", "-qm", "rename"], cwd: dir)
            let after = try Workspace(ProjectSelection(currentDirectory: dir).reading(.commit("HEAD"))).load()
            #expect(after.graph.revisions.map(\.id) == ["beef0002"])
        }
    }
}

@Suite struct NormalizePathTests {
    @Test(arguments: ["a/b", "/a/b", "a", "/", ".", "a/./b", "a/../b", "a//b", "a/b/", "../a", "./a", "...", "a/...", "/..", "a/.."])
    func theFastPathAgreesWithTheFullNormalisation(path: String) {
        // The full rules, spelled out: what normalizePath must return.
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        #expect(normalizePath(path) == (absolute ? "/" + joined : (joined.isEmpty ? "." : joined)))
    }
}

@Suite struct AtomicFileTests {
    @Test func aTemporaryFileLeftByAKilledProcessIsSweptAndNothingElse() throws {
        try withTemporaryDirectory { dir in
            // pid 2^22-1 is above Linux's default pid_max: no such process.
            let stale = dir + "/.revgraph-4194303-abcdef", mine = dir + "/.revgraph-notes.txt"
            try write("partial", to: stale)
            try write("user file", to: mine)
            var old = utimbuf(actime: time(nil) - 3600, modtime: time(nil) - 3600)
            #expect(utime(stale, &old) == 0)
            try AtomicFile.createNew(dir + "/new.py", contents: Array("x = 1\n".utf8))
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(FileManager.default.fileExists(atPath: mine))
            #expect(try String(contentsOfFile: dir + "/new.py", encoding: .utf8) == "x = 1\n")
            #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.createNew(dir + "/new.py", contents: []) }
        }
    }
}

@Suite struct DiscoveryBoundsTests {
    @Test func outsideARepositoryNothingIsSearched() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir + "/sub", files: ["a1.py": migration("a1", down: [])])
            #expect(throws: WorkspaceError.self) { try Workspace(ProjectSelection(currentDirectory: dir)).load() }
        }
    }
}
