import Foundation
import RevgraphCore
import RevgraphHooks
import RevgraphTestSupport
import RevgraphWorkspace
import Testing

@Suite struct HookChecksTests {
    func selection(_ dir: String) -> ProjectSelection { ProjectSelection(currentDirectory: dir) }

    @Test func preCommitReportsAStagedForkAndPassesAStagedFix() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: [])])
            try write(migration("b1", down: ["a1"]), to: dir + "/migrations/versions/b1.py")
            try write(migration("b2", down: ["a1"]), to: dir + "/migrations/versions/b2.py")
            try git(["add", "-A"], cwd: dir)
            let report = try #require(try PreCommitCheck(selection: selection(dir)).run().first)
            #expect(report.problems.map(\.kind) == [.conflictingHeads])
            #expect(report.problems[0].revisions.sorted() == ["b1", "b2"])
            try git(["rm", "-q", "--cached", "migrations/versions/b2.py"], cwd: dir)
            let clean = try PreCommitCheck(selection: selection(dir)).run()
            #expect(clean.count == 1 && clean[0].isEmpty && clean[0].revisions == 2)
        }
    }

    @Test func aRepositoryWithoutAProjectIsNeverBlocked() throws {
        try withTemporaryDirectory { dir in
            try git(["init", "-q", "-b", "main", dir], cwd: "/")
            try write("hello\n", to: dir + "/README")
            try git(["add", "-A"], cwd: dir)
            #expect(try PreCommitCheck(selection: selection(dir)).run().isEmpty)
            #expect(try PostMergeCheck(selection: selection(dir)).run().isEmpty)
        }
    }

    @Test func pushLinesAreParsedAndDeletionsRecognised() {
        let z = String(repeating: "0", count: 40), a = String(repeating: "a", count: 40)
        let lines = PushLine.parse("refs/heads/x \(a) refs/heads/x \(z)\ngarbage\n(delete) \(z) refs/heads/y \(a)\n")
        #expect(lines.count == 2)
        #expect(lines[0].isNew && !lines[0].isDeletion)
        #expect(lines[1].isDeletion)
    }

    @Test func prePushFindsTheForkTheMergeIntoTheTargetWouldMake() throws {
        try withTemporaryDirectory { root in
            let dir = root + "/work"
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: [])])
            try git(["branch", "feature"], cwd: dir)
            try write(migration("b1", down: ["a1"]), to: dir + "/migrations/versions/b1.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "main adds b1"], cwd: dir)
            try git(["checkout", "-q", "feature"], cwd: dir)
            try write(migration("b2", down: ["a1"]), to: dir + "/migrations/versions/b2.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "feature adds b2"], cwd: dir)
            let sha = try git(["rev-parse", "HEAD"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            try write("[alembic]\nscript_location = %(here)s/migrations\n\n[revgraph]\npush_target = main\n",
                      to: dir + "/alembic.ini")
            try git(["commit", "-qam", "push target"], cwd: dir)
            let tip = try git(["rev-parse", "HEAD"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines)
            let line = PushLine(localRef: "refs/heads/feature", localSHA: tip, remoteRef: "refs/heads/feature",
                                remoteSHA: String(repeating: "0", count: 40))
            let reports = try PrePushCheck(selection: selection(dir), remote: "origin").run([line], now: 0)
            #expect(reports.count == 1)
            #expect(reports[0].problems.contains { $0.kind == .conflictingHeads && $0.message.contains("merging this push into main") })
            _ = sha
        }
    }

    @Test func postMergeFollowsTheSetting() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: [])])
            try write(migration("b1", down: ["a1"]), to: dir + "/migrations/versions/b1.py")
            try write(migration("b2", down: ["a1"]), to: dir + "/migrations/versions/b2.py")
            // No ORIG_HEAD: the fork counts as new.
            #expect(try PostMergeCheck(selection: selection(dir)).run().map(\.action) == [.suggest(heads: [["b1", "b2"]])])
            try write("[alembic]\nscript_location = %(here)s/migrations\n\n[revgraph]\npost_merge = create-and-stage\n",
                      to: dir + "/alembic.ini")
            #expect(try PostMergeCheck(selection: selection(dir)).run().map(\.action) == [.create(heads: [["b1", "b2"]], stage: true)])
            try write("[alembic]\nscript_location = %(here)s/migrations\n\n[revgraph]\npost_merge = maybe\n",
                      to: dir + "/alembic.ini")
            #expect(throws: WorkspaceError.self) { try PostMergeCheck(selection: selection(dir)).run() }
        }
    }
}

@Suite struct HookInstallerTests {
    @Test func aUsersHookIsChainedAndComesBackByteForByte() throws {
        try withTemporaryDirectory { dir in
            let mine = "#!/bin/sh\necho mine\n"
            try write(mine, to: dir + "/pre-commit")
            let installer = HookInstaller(directory: dir)
            #expect(installer.state(.preCommit).0 == .foreign)
            #expect(try installer.install(.preCommit, force: false) == [.chainedExisting, .installed])
            #expect(installer.state(.preCommit).0 == .chained)
            #expect(try String(contentsOfFile: dir + "/pre-commit", encoding: .utf8) == HookScript.text(.preCommit, binary: installer.binary))
            #expect(try installer.install(.preCommit, force: false) == [.alreadyInstalled])
            #expect(try installer.uninstall(.preCommit) == .restoredPrevious)
            #expect(try String(contentsOfFile: dir + "/pre-commit", encoding: .utf8) == mine)
            #expect(try installer.uninstall(.preCommit) == .leftForeign)
        }
    }

    @Test func anEditedHookIsKeptUnlessForced() throws {
        try withTemporaryDirectory { dir in
            let installer = HookInstaller(directory: dir)
            #expect(try installer.install(.prePush, force: false) == [.installed])
            let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/pre-push")
            #expect((attrs[.posixPermissions] as? Int) == 0o755)
            try write(HookScript.text(.prePush) + "# edited\n", to: dir + "/pre-push")
            #expect(try installer.install(.prePush, force: false) == [.keptOutdated])
            #expect(try installer.install(.prePush, force: true) == [.keptEdited(dir + "/pre-push.revgraph-edited"), .installed])
            #expect(try String(contentsOfFile: dir + "/pre-push.revgraph-edited", encoding: .utf8).hasSuffix("# edited\n"))
            #expect(try installer.uninstall(.prePush) == .removed)
            #expect(!FileManager.default.fileExists(atPath: dir + "/pre-push"))
        }
    }

    @Test func anEarlierVersionsHookIsUpdatedWithoutForce() throws {
        try withTemporaryDirectory { dir in
            let old = try #require(HookScript.previousTexts(.preCommit).first)
            try write(old, to: dir + "/pre-commit")
            let installer = HookInstaller(directory: dir)
            #expect(installer.state(.preCommit).0 == .older)
            #expect(try installer.install(.preCommit, force: false) == [.installed])
            #expect(try String(contentsOfFile: dir + "/pre-commit", encoding: .utf8) == HookScript.text(.preCommit, binary: installer.binary))
            #expect(!FileManager.default.fileExists(atPath: dir + "/pre-commit.revgraph-edited"))
        }
    }

    @Test func theInstallingBinaryIsRecordedAndEveryEarlierVersionReplaced() throws {
        try withTemporaryDirectory { dir in
            let installer = HookInstaller(directory: dir, binary: "/opt/it's here/revgraph")
            _ = try installer.install(.preMergeCommit, force: false)
            let text = try String(contentsOfFile: dir + "/pre-merge-commit", encoding: .utf8)
            #expect(HookScript.recordedBinary(in: text) == "/opt/it's here/revgraph")
            #expect(installer.state(.preMergeCommit).0 == .installed)
            // Another revgraph installing rewrites the recorded path.
            let other = HookInstaller(directory: dir, binary: "/usr/local/bin/revgraph")
            #expect(try other.install(.preMergeCommit, force: false) == [.installed])
            #expect(HookScript.recordedBinary(in: try String(contentsOfFile: dir + "/pre-merge-commit", encoding: .utf8)) == "/usr/local/bin/revgraph")
            #expect(try other.install(.preMergeCommit, force: false) == [.alreadyInstalled])
            // v1 and v2 scripts are replaced without --force.
            for old in HookScript.previousTexts(.preCommit) {
                try write(old, to: dir + "/pre-commit")
                #expect(installer.state(.preCommit).0 == .older)
                #expect(try installer.install(.preCommit, force: false) == [.installed])
            }
        }
    }

    @Test func uninstallKeepsAnEditedHook() throws {
        try withTemporaryDirectory { dir in
            let installer = HookInstaller(directory: dir)
            _ = try installer.install(.preCommit, force: false)
            try write(HookScript.text(.preCommit) + "echo mine\n", to: dir + "/pre-commit")
            #expect(try installer.uninstall(.preCommit) == .keptEdited(dir + "/pre-commit.revgraph-edited"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/pre-commit"))
        }
    }

    @Test func bytesThatAreNotUTF8AndHooksThatOnlyMentionTheMarkerAreForeign() throws {
        try withTemporaryDirectory { dir in
            let latin1: [UInt8] = Array("#!/bin/sh\necho caf".utf8) + [0xE9] + Array("\n".utf8)
            #expect(FileManager.default.createFile(atPath: dir + "/pre-commit", contents: Data(latin1)))
            try write("#!/usr/bin/env python\n# mentions \(HookScript.marker) in a comment\n", to: dir + "/pre-push")
            let installer = HookInstaller(directory: dir)
            #expect(installer.state(.preCommit).0 == .foreign)
            #expect(installer.state(.prePush).0 == .foreign)
            #expect(try installer.install(.preCommit, force: true) == [.chainedExisting, .installed])
            #expect(try installer.uninstall(.preCommit) == .restoredPrevious)
            #expect(FileManager.default.contents(atPath: dir + "/pre-commit") == Data(latin1))
        }
    }

    @Test func aSymbolicLinkIsRefusedEvenWhenDangling() throws {
        try withTemporaryDirectory { dir in
            #expect(symlink("/nonexistent/hook", dir + "/post-merge") == 0)
            let installer = HookInstaller(directory: dir)
            #expect(installer.state(.postMerge).0 == .symlink)
            #expect(throws: HookError.self) { try installer.install(.postMerge, force: true) }
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/post-merge")
            #expect(target == "/nonexistent/hook")
        }
    }
}
