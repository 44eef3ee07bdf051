import Foundation
import RevgraphTestSupport
import Testing

/// `--at` and `--staged` on real repositories built with the git CLI.
@Suite struct GitReadTests {
    /// main: a1 <- b1; feature: a1 <- f1; merged into main at HEAD.
    func forkedRepository() throws -> String {
        let dir = try makeTempDir("revgraph-git")
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [], message: "base")])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        try git(["checkout", "-qb", "feature"], cwd: dir)
        try write(migration("f1", down: ["a1"], message: "feature"), to: dir + "/migrations/versions/f1_feature.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "feature"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        try write(migration("b1", down: ["a1"], message: "main"), to: dir + "/migrations/versions/b1_main.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "main"], cwd: dir)
        try git(["merge", "-q", "--no-edit", "feature"], cwd: dir)
        return dir
    }

    /// libgit2's start-up does not parse the system's CA bundle (its call of mbedTLS's loader is
    /// wrapped: Sources/RevgraphGit/CertificateBundle.swift), and a git read still works: the
    /// bundle is never opened.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") || Requirement.inCI,
                   "needs strace (scripts/setup.sh installs it)"))
    func libgit2StartsWithoutParsingTheCABundle() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try makeTempDir("revgraph-strace") + "/opens"
        let r = try run("/usr/bin/strace", ["-f", "-e", "trace=open,openat", "-o", log, revgraphBinary, "heads", "--at", "main"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "b1 (head)\nf1 (head)\n")
        let opens = try String(contentsOfFile: log, encoding: .utf8)
        #expect(opens.contains("/.git/"), "the trace saw the repository read")
        #expect(!opens.contains("/etc/ssl/certs"), "\(opens.split(separator: "\n").filter { $0.contains("ssl") })")
        // libgit2 is linked statically: no shared copy of it to bind elsewhere. Its network
        // transports' libssh2 and GSSAPI calls land in CGitOffline's stubs: neither they nor
        // OpenSSL and Kerberos under them are loaded.
        let needed = try run("/usr/bin/readelf", ["-d", revgraphBinary]).stdout
        for library in ["libgit2", "libssh2", "libgssapi", "libkrb5", "libcrypto"] {
            #expect(!needed.contains(library), "\(library) is linked: \(needed)")
        }
    }

    /// With core.ignorecase, libgit2 keeps the index sorted without case: the staged listing is
    /// sorted by bytes again before directories are found in it by binary search.
    @Test func stagedListingWithACaseInsensitiveIndex() throws {
        let dir = try makeTempDir("revgraph-ignorecase")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try git(["config", "core.ignorecase", "true"], cwd: dir)
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [], message: "base"),
                                         "b1_next.py": migration("b1", down: ["a1"], message: "next")])
        // Upper-case names sort after "migrations/" by bytes, before it without case.
        for name in ["Zeta/x", "BETA/y", "MIGRATIONS_NOTE", "Migrations2/z", "ALEMBIC_NOTES"] {
            try write("x\n", to: dir + "/" + name)
        }
        try git(["add", "-A"], cwd: dir)
        let r = try revgraph(["heads", "--staged"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "b1 (head)\n")
    }

    @Test func forkAppearsAtTheMergeCommitOnly() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try revgraph(["check", "--at", "HEAD^1"], cwd: dir).status == 0)
        #expect(try revgraph(["check", "--at", "feature"], cwd: dir).status == 0)
        let merged = try revgraph(["check", "--at", "HEAD"], cwd: dir)
        #expect(merged.status == 1)
        // Repository-relative, and at the head the merge brought in (not the first one loaded).
        #expect(merged.stdout.hasPrefix("migrations/versions/f1_feature.py:"), "\(merged.stdout)")
        #expect(try revgraph(["heads", "--at", "main"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
    }

    @Test func atMatchesACheckoutOfTheSameCommit() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for rev in ["HEAD", "HEAD^1", "feature", "HEAD~2"] {
            let fromGit = try revgraph(["history", "--at", rev], cwd: dir)
            try git(["checkout", "-q", "--detach", rev], cwd: dir)
            let fromTree = try revgraph(["history"], cwd: dir)
            try git(["checkout", "-q", "main"], cwd: dir)
            #expect(fromGit.status == 0)
            #expect(!fromGit.stdout.isEmpty)
            #expect(fromGit.stdout == fromTree.stdout, "at \(rev)")
            let heads = try revgraph(["heads", "--at", rev], cwd: dir).stdout
            try git(["checkout", "-q", "--detach", rev], cwd: dir)
            #expect(heads == (try revgraph(["heads"], cwd: dir).stdout))
            try git(["checkout", "-q", "main"], cwd: dir)
        }
    }

    @Test func stagedSeesTheIndexNotTheWorkTree() throws {
        let dir = try makeTempDir("revgraph-git")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1_base.py": migration("a1", down: [])])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        // Staged, not committed: a second head.
        try write(migration("s1", down: ["a1"]), to: dir + "/migrations/versions/s1.py")
        try write(migration("s2", down: ["a1"]), to: dir + "/migrations/versions/s2.py")
        try git(["add", "migrations/versions/s1.py", "migrations/versions/s2.py"], cwd: dir)
        // Unstaged edit that would fix it: the index must not see it.
        try write(migration("s2", down: ["s1"]), to: dir + "/migrations/versions/s2.py")
        let staged = try revgraph(["check", "--staged"], cwd: dir)
        #expect(staged.status == 1)
        #expect(staged.stdout.contains("s1, s2"))
        #expect(try revgraph(["check"], cwd: dir).status == 0)
        // From a subdirectory the repository is still found.
        #expect(try revgraph(["heads", "--staged", "-c", "alembic.ini"], cwd: dir + "/migrations").status == 0)
    }

    @Test func unknownRevisionAndNoRepositoryExitTwo() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = try revgraph(["heads", "--at", "nosuchbranch"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'nosuchbranch' names no commit"), "\(bad.stderr)")
        let outside = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        #expect(try revgraph(["heads", "--staged"], cwd: outside).status == 2)
    }

    @Test func configIsReadFromTheCommit() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Move the versions directory in a later commit; old commits keep the old config.
        try git(["mv", "migrations", "db"], cwd: dir)
        try write("[alembic]\nscript_location = %(here)s/db\npath_separator = os\n", to: dir + "/alembic.ini")
        try git(["commit", "-qam", "move"], cwd: dir)
        #expect(try revgraph(["heads", "--at", "HEAD"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
        #expect(try revgraph(["heads", "--at", "HEAD~1"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
        let paths = try revgraph(["show", "b1", "--at", "HEAD"], cwd: dir).stdout
        #expect(paths.contains("Path: db/versions/b1_main.py"))
    }

    @Test func mergeWithFindsTheForkBeforeTheMergeExistsAndAgreesWithTheRealMerge() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Undo the real merge, then ask about it.
        try git(["reset", "-q", "--hard", "HEAD^1"], cwd: dir)
        let prospective = try revgraph(["check", "--merge-with", "feature"], cwd: dir)
        #expect(prospective.status == 1)
        #expect(prospective.stdout.contains("revisions only on HEAD: b1"))
        #expect(prospective.stdout.contains("revisions only on feature: f1"))
        #expect(prospective.stdout.contains("the merge forks the graph: b1, f1"))
        let heads = try revgraph(["heads", "--merge-with", "feature"], cwd: dir).stdout
        try git(["merge", "-q", "--no-edit", "feature"], cwd: dir)
        #expect(heads == (try revgraph(["heads", "--at", "HEAD"], cwd: dir).stdout))
        // A branch that does not fork the graph passes.
        try git(["checkout", "-qb", "fixup", "HEAD"], cwd: dir)
        try write(migration("m1", down: ["b1", "f1"], message: "merge"), to: dir + "/migrations/versions/m1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "merge heads"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        let clean = try revgraph(["check", "--at", "fixup", "--merge-with", "main"], cwd: dir)
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func mergeWithReportsATextualConflictInTheVersionsDirectory() throws {
        let dir = try makeTempDir("revgraph-git")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try makeProject(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "base"], cwd: dir)
        try git(["checkout", "-qb", "other"], cwd: dir)
        try write(migration("b1", down: ["a1"], message: "theirs"), to: dir + "/migrations/versions/b1.py")
        try git(["commit", "-qam", "theirs"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        try write(migration("b1", down: ["a1"], message: "ours"), to: dir + "/migrations/versions/b1.py")
        try git(["commit", "-qam", "ours"], cwd: dir)
        let r = try revgraph(["check", "--merge-with", "other"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("migrations/versions/b1.py:1: error: merging HEAD with other gives a textual conflict"))
    }

    @Test func logFindsTheMergeThatForkedAndHowItWasResolved() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The fork appeared at the merge commit; fix it by rewriting f1's down_revision.
        try write(migration("f1", down: ["b1"], message: "feature"), to: dir + "/migrations/versions/f1_feature.py")
        try git(["commit", "-qam", "rebase f1 onto b1"], cwd: dir)
        let log = try revgraph(["log"], cwd: dir)
        #expect(log.status == 0, "\(log.stderr)")
        let lines = log.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("fork: heads b1, f1") && $0.contains("Merge branch 'feature'") })
        #expect(lines.contains { $0.contains("merged branch 'feature'") })
        #expect(lines.contains { $0.contains("brought by the merge: f1 (migrations/versions/f1_feature.py, added in") })
        #expect(lines.contains { $0.contains("already on the mainline: b1") })
        #expect(lines.contains { $0.contains("resolved by rewriting down_revision of f1 (a1 -> b1)") && $0.contains("1 commit") })
        #expect(lines.last == "scanned 4 commits (0 without a migrations config); 1 with a forked graph")
        let json = try revgraph(["log", "--format", "json"], cwd: dir)
        #expect(json.stdout.contains("\"kind\" : \"fork\""))
        #expect(json.stdout.contains("\"kind\" : \"resolved\""))
        // A range that starts after the fork sees it resolved only.
        let ranged = try revgraph(["log", "HEAD~1..HEAD"], cwd: dir)
        #expect(ranged.stdout.contains("scanned 1 commits"))
    }

    @Test func logSkipsCommitsBeforeTheVersionsDirectoryExisted() throws {
        let dir = try makeTempDir("revgraph-git")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try write("hello\n", to: dir + "/README")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "readme"], cwd: dir)
        try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "migrations"], cwd: dir)
        let log = try revgraph(["log", "--all-commits"], cwd: dir)
        #expect(log.status == 0)
        #expect(log.stdout == "scanned 2 commits (1 without a migrations config); 0 with a forked graph\n")
    }

    @Test func showGitNamesTheCommitsThatAddedChangedAndRenamedAFile() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("b1", down: ["a1"], message: "main, edited"), to: dir + "/migrations/versions/b1_main.py")
        try git(["commit", "-qam", "edit b1"], cwd: dir)
        try git(["mv", "migrations/versions/b1_main.py", "migrations/versions/b1_renamed.py"], cwd: dir)
        try git(["commit", "-qm", "rename b1"], cwd: dir)
        let r = try revgraph(["show", "--git", "b1"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let gitLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("    20") }
        #expect(gitLines.count == 3)
        #expect(gitLines[0].contains("renamed from migrations/versions/b1_main.py") && gitLines[0].hasSuffix(": rename b1"))
        #expect(gitLines[1].contains("modified") && gitLines[1].hasSuffix(": edit b1"))
        #expect(gitLines[2].contains("added") && gitLines[2].hasSuffix(": main"))
        // Commits on the merged side branch are attributed to that branch's commit, not the merge.
        let f1 = try revgraph(["show", "--git", "f1", "--at", "HEAD"], cwd: dir)
        #expect(f1.stdout.contains("added, Test <t@example.com>: feature"))
    }

    @Test func logNamesAMergeRevisionThatResolvesAFork() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(migration("m1", down: ["b1", "f1"], message: "merge heads"), to: dir + "/migrations/versions/m1.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "merge heads"], cwd: dir)
        let log = try revgraph(["log"], cwd: dir)
        #expect(log.stdout.contains("resolved by merge revision m1 (merges b1, f1) after "))
    }

    @Test func bareShallowAndSHA256RepositoriesGetClearAnswers() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try makeTempDir("revgraph-edge")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Bare: --at reads it; there is no index to stage into.
        try git(["clone", "-q", "--bare", dir, root + "/bare.git"], cwd: root)
        #expect(try revgraph(["heads", "--repo", root + "/bare.git", "--at", "main"], cwd: root).stdout == "b1 (head)\nf1 (head)\n")
        #expect(try revgraph(["heads", "--repo", root + "/bare.git", "--staged"], cwd: root).status == 2)
        // Shallow: log says what history is missing.
        try git(["clone", "-q", "--depth", "1", "file://" + dir, root + "/shallow"], cwd: root)
        let shallow = try revgraph(["log"], cwd: root + "/shallow")
        #expect(shallow.status == 0)
        #expect(shallow.stdout.contains("shallow clone"))
        // SHA-256: libgit2 1.5 cannot read it, and the error says so.
        let sha = root + "/sha256"
        if (try? git(["init", "-q", "--object-format=sha256", sha], cwd: root)) != nil {
            let r = try revgraph(["heads", "--staged"], cwd: sha)
            #expect(r.status == 2)
            #expect(r.stderr.contains("SHA-256"))
            // The hook says it checked nothing, and does not block every commit.
            let hook = try revgraph(["hook", "pre-commit"], cwd: sha)
            #expect(hook.status == 0, "\(hook.stderr)")
            #expect(hook.stderr.contains("nothing was checked"))
        }
    }

    @Test func repositoryOwnedByAnotherUserAndSubmodules() throws {
        let dir = try forkedRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Owned by another user (root runs the tests; postgres exists where PostgreSQL is installed).
        if getuid() == 0, let postgres = getpwnam("postgres") {
            chownRecursive(dir, postgres.pointee.pw_uid)
            let refused = try revgraph(["heads", "--at", "HEAD"], cwd: dir)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("belongs to another user"))
            #expect(try revgraph(["heads", "--at", "HEAD", "--no-owner-check"], cwd: dir).stdout == "b1 (head)\nf1 (head)\n")
            // `safe.directory = *` in the user's git config is honoured, as git honours it.
            let home = try makeTempDir("revgraph-home")
            defer { try? FileManager.default.removeItem(atPath: home) }
            try write("[safe]\n\tdirectory = *\n", to: home + "/.gitconfig")
            let trusted = try run(revgraphBinary, ["heads", "--at", "HEAD"], cwd: dir, env: ["HOME": home, "XDG_CONFIG_HOME": home])
            #expect(trusted.stdout == "b1 (head)\nf1 (head)\n", "\(trusted.stderr)")
            chownRecursive(dir, 0)
        }
        // A versions directory that is a submodule.
        let outer = try makeTempDir("revgraph-sub")
        defer { try? FileManager.default.removeItem(atPath: outer) }
        try git(["init", "-q", "-b", "main"], cwd: outer)
        try write("[alembic]\nscript_location = %(here)s/migrations\nversion_locations = %(here)s/db\npath_separator = os\n", to: outer + "/alembic.ini")
        try write("", to: outer + "/migrations/env.py")
        try git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", dir, "db"], cwd: outer)
        try git(["add", "-A"], cwd: outer)
        try git(["commit", "-qm", "with submodule"], cwd: outer)
        let sub = try revgraph(["heads", "--at", "HEAD"], cwd: outer)
        #expect(sub.status == 2)
        #expect(sub.stderr.contains("'db' is a submodule"))
    }

    func chownRecursive(_ path: String, _ uid: uid_t) {
        let e = FileManager.default.enumerator(atPath: path)
        chown(path, uid, uid == 0 ? 0 : uid)
        while let p = e?.nextObject() as? String { lchown(path + "/" + p, uid, uid == 0 ? 0 : uid) }
    }
}
