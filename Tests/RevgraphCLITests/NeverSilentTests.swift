import Foundation
import RevgraphTestSupport
import Testing

/// A check that could not find its project, config, ref or versions directory says so and exits 2.
@Suite struct NeverSilentTests {
    func repo(_ dir: String) throws {
        try makeRepository(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
    }

    /// A fresh `alembic init` leaves sqlalchemy.url at `driver://user:pass@localhost/dbname`.
    @Test func alembicInitsPlaceholderURLIsNamedAsOne() throws {
        try withTemporaryDirectory { dir in
            try repo(dir)
            try write("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = driver://user:pass@localhost/dbname\n",
                      to: dir + "/alembic.ini")
            for args in [["current"], ["status"], ["verify"], ["status", "--format", "json"]] {
                let r = try revgraph(args, cwd: dir)
                #expect(r.status == 2, "\(args): \(r.stdout)\(r.stderr)")
                #expect(r.stderr.contains("still the placeholder 'alembic init' writes") && r.stderr.contains("--db"), "\(args): \(r.stderr)")
                #expect(!(r.stdout + r.stderr).contains("dialect"), "\(args)")
            }
        }
    }

    @Test func logNamesWhatIsMissingInsteadOfReportingNoFork() throws {
        try withTemporaryDirectory { dir in
            try repo(dir)
            for args in [["log", "-c", "does/not/exist.ini"], ["log", "--versions", "typo/versions"]] {
                let r = try revgraph(args, cwd: dir)
                #expect(r.status == 2, "\(args): \(r.stdout)\(r.stderr)")
                #expect(!r.stdout.contains("with a forked graph"))
            }
            try write("[alembic]\nscript_location = %(here)s/migrations\n[revgraph]\npost_merge = maybe\n", to: dir + "/alembic.ini")
            try git(["commit", "-qam", "bad setting"], cwd: dir)
            #expect(try revgraph(["log"], cwd: dir).status == 2)
            try git(["revert", "--no-edit", "HEAD"], cwd: dir)
            // From a subdirectory the repository's project is found.
            try FileManager.default.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
            let sub = try revgraph(["log"], cwd: dir + "/docs")
            #expect(sub.status == 0, "\(sub.stderr)")
            #expect(sub.stdout.contains("scanned 3 commits (1 without a migrations config)"), "\(sub.stdout)")
        }
    }

    @Test func aRangeBeforeTheProjectSaysSo() throws {
        try withTemporaryDirectory { dir in
            try git(["init", "-q", "-b", "main", dir], cwd: "/")
            try write("x\n", to: dir + "/README")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "readme"], cwd: dir)
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "project"], cwd: dir)
            let early = try revgraph(["log", "HEAD~1"], cwd: dir)
            #expect(early.status == 0)
            #expect(early.stdout.contains("the range predates the project"))
        }
    }

    @Test func aVersionsDirectoryThatIsASubmoduleIsAnErrorInEveryMode() throws {
        try withTemporaryDirectory { root in
            let inner = root + "/inner", outer = root + "/outer"
            try git(["init", "-q", "-b", "main", inner], cwd: "/")
            try write(migration("a1", down: []), to: inner + "/a1.py")
            try git(["add", "-A"], cwd: inner)
            try git(["commit", "-qm", "inner"], cwd: inner)
            try git(["init", "-q", "-b", "main", outer], cwd: "/")
            try write("[alembic]\nscript_location = %(here)s/migrations\n", to: outer + "/alembic.ini")
            try write("", to: outer + "/migrations/env.py")
            try git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", inner, "migrations/versions"], cwd: outer)
            try git(["add", "-A"], cwd: outer)
            try git(["commit", "-qm", "submodule"], cwd: outer)
            for args in [["check", "--staged"], ["check", "--at", "HEAD"], ["check"]] {
                let r = try revgraph(args, cwd: outer)
                #expect(r.status == 2, "\(args): \(r.stdout)\(r.stderr)")
                #expect(r.stderr.contains("is a submodule"), "\(args): \(r.stderr)")
            }
        }
    }

    @Test func libgit2ErrorsInRevgraphsWords() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            let outside = try revgraph(["check", "--at", "HEAD"], cwd: dir)
            #expect(outside.status == 2 && outside.stderr.contains("is not in a git repository"), "\(outside.stderr)")
            try git(["init", "-q", "-b", "main", dir], cwd: "/")
            let empty = try revgraph(["check", "--at", "HEAD"], cwd: dir)
            #expect(empty.status == 2 && empty.stderr.contains("has no commit yet"), "\(empty.stderr)")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "x"], cwd: dir)
            for spec in ["nope", "HEAD~5"] {
                let r = try revgraph(["check", "--at", spec], cwd: dir)
                #expect(r.status == 2 && r.stderr.contains("'\(spec)' names no commit"), "\(r.stderr)")
                #expect(!r.stderr.contains("git_revparse_single"))
            }
        }
    }
}

/// `log` says how each fork came and went.
@Suite struct LogAttributionTests {
    @Test func aRewriteBelowTheHeadsIsNamedAndAChangedFileIsNotCalledAdded() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"]),
                                                "c1.py": migration("c1", down: ["b1"])])
            // A commit that only rewrites c1's down_revision forks the graph.
            try write(migration("c1", down: ["a1"]), to: dir + "/migrations/versions/c1.py")
            try git(["commit", "-qam", "move c1"], cwd: dir)
            try write(migration("c2", down: ["c1"]), to: dir + "/migrations/versions/c2.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "c2 on c1"], cwd: dir)
            // The fix rewrites c1 again: c1 is no longer a head (c2 is).
            try write(migration("c1", down: ["b1"]), to: dir + "/migrations/versions/c1.py")
            try git(["commit", "-qam", "put c1 back"], cwd: dir)
            let log = try revgraph(["log"], cwd: dir)
            #expect(log.status == 0, "\(log.stderr)")
            #expect(log.stdout.contains("changed (not added) in this commit: c1"), "\(log.stdout)")
            #expect(!log.stdout.contains("added: c1"), "\(log.stdout)")
            #expect(log.stdout.contains("resolved by rewriting down_revision of c1 (a1 -> b1)"), "\(log.stdout)")
            let json = try revgraph(["log", "--format", "json"], cwd: dir)
            #expect(json.stdout.contains("\"rewritten\""))
            #expect(!json.stdout.contains("\"resolution\" : {\n\n"))
        }
    }
}

extension LogAttributionTests {
    @Test func allCommitsReportsAResolutionOnlyWhereTheForkWasResolved() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
            try git(["branch", "other"], cwd: dir)
            try git(["checkout", "-qb", "feature"], cwd: dir)
            try write(migration("c1", down: ["b1"]), to: dir + "/migrations/versions/c1.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "c1"], cwd: dir)
            try git(["checkout", "-q", "main"], cwd: dir)
            try write(migration("c2", down: ["b1"]), to: dir + "/migrations/versions/c2.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "c2"], cwd: dir)
            try git(["merge", "-q", "--no-edit", "feature"], cwd: dir)  // forks: c1, c2
            // An unrelated branch, committed later, that never had c1 or c2.
            try git(["checkout", "-q", "other"], cwd: dir)
            try write("docs\n", to: dir + "/README")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "docs on other"], cwd: dir)
            try git(["checkout", "-q", "main"], cwd: dir)
            try git(["merge", "-q", "--no-edit", "other"], cwd: dir)
            try write(migration("m1", down: ["c1", "c2"]), to: dir + "/migrations/versions/m1.py")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "merge heads"], cwd: dir)
            let log = try revgraph(["log", "--all-commits"], cwd: dir)
            #expect(log.status == 0, "\(log.stderr)")
            let resolved = log.stdout.split(separator: "\n").filter { $0.contains("resolved") }
            #expect(resolved.count == 1, "\(log.stdout)")
            #expect(resolved.first?.contains("by merge revision m1") == true, "\(log.stdout)")
            #expect(!log.stdout.contains("(docs on other)"), "\(log.stdout)")
        }
    }
}

extension NeverSilentTests {
    @Test func showOfNothingIsAnError() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            for arg in ["", "x@"] {
                let r = try revgraph(["show", arg], cwd: dir)
                #expect(r.status == 64, "\(arg): \(r.stdout)\(r.stderr)")
            }
        }
    }
}
