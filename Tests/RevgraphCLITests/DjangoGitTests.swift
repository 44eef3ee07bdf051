import Foundation
import RevgraphTestSupport
import Testing

/// Django projects read from git and guarded by the hooks: `--at`, `--staged`, `check
/// --merge-with`, pre-commit and pre-push, and a repository holding an Alembic project too.
@Suite(.serialized) struct DjangoGitTests {
    typealias M = DjangoFixture.Migration
    static func dep(_ app: String, _ name: String) -> String { "(\"\(app)\", \"\(name)\")" }

    @discardableResult
    func g(_ args: [String], _ cwd: String) throws -> RunResult { try developerGit(args, cwd) }

    /// A clone of a bare remote whose main has blog 0001 <- 0002 and shop 0001, hooks installed.
    func setUp(_ root: String) throws -> String {
        let remote = root + "/remote.git", work = root + "/work"
        try g(["init", "-q", "--bare", "-b", "main", remote], root)
        try g(["init", "-q", "-b", "main", work], root)
        try DjangoFixture.write(at: work, apps: ["blog", "shop"], migrations: [
            M("blog", "0001_initial"), M("blog", "0002_post", [Self.dep("blog", "0001_initial")]),
            M("shop", "0001_initial", [Self.dep("blog", "0002_post")]),
        ])
        try g(["add", "-A"], work)
        try g(["commit", "-qm", "base"], work)
        try g(["remote", "add", "origin", remote], work)
        try g(["push", "-q", "-u", "origin", "main"], work)
        try g(["remote", "set-head", "origin", "main"], work)
        #expect(try revgraph(["hooks", "install"], cwd: work).status == 0)
        return work
    }

    @Test func treesOfGitAndTheIndex() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            try write(M("blog", "0003_tag", [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/0003_tag.py")
            #expect(try revgraph(["heads"], cwd: work).stdout == "blog.0003_tag\nshop.0001_initial\n")
            #expect(try revgraph(["heads", "--staged"], cwd: work).stdout == "blog.0002_post\nshop.0001_initial\n")
            #expect(try revgraph(["heads", "--at", "HEAD"], cwd: work + "/shop").stdout == "blog.0002_post\nshop.0001_initial\n")
            try g(["add", "-A"], work)
            #expect(try revgraph(["heads", "--staged", "-v"], cwd: work).stdout.contains("blog.0003_tag  blog/migrations/0003_tag.py"))
            let show = try revgraph(["show", "blog.0003", "--at", "HEAD"], cwd: work)
            #expect(show.status == 64 && show.stderr.contains("There is no migration for 'blog' with the prefix '0003'"))
            // --django says which kind; an Alembic flag with it is refused.
            #expect(try revgraph(["check", "--django"], cwd: work).stdout.hasPrefix("ok: 4 Django migrations in 2 apps"))
            #expect(try revgraph(["check", "--django", "--versions", "x"], cwd: work).status == 64)
            // A FIFO among the migrations is named, never waited on; the rest is still read.
            #expect(try run("/usr/bin/mkfifo", [work + "/shop/migrations/0002_pipe.py"]).status == 0)
            let fifo = try revgraph(["check"], cwd: work)
            #expect(fifo.status == 1 && fifo.stdout.contains("shop/migrations/0002_pipe.py: error:") && fifo.stdout.contains("not a regular file"), "\(fifo.stdout)")
            try FileManager.default.removeItem(atPath: work + "/shop/migrations/0002_pipe.py")
            // A library layout: apps outside manage.py's directory (root = "."), and a helper
            // package named migrations that is not an app's (exclude).
            try write("def helper():\n    pass\n", to: work + "/lib/streams/migrations/utils.py")
            try write("", to: work + "/lib/streams/migrations/__init__.py")
            try write(M("core", "0001_initial").source, to: work + "/lib/core/migrations/0001_initial.py")
            try write("", to: work + "/lib/core/migrations/__init__.py")
            try write("[django]\nroot = \".\"\n", to: work + "/revgraph.toml")
            let helper = try revgraph(["check"], cwd: work)
            #expect(helper.status == 1 && helper.stdout.contains("Migration utils in app streams has no Migration class"), "\(helper.stdout)\(helper.stderr)")
            try write("[django]\nroot = \".\"\nexclude = [\"lib/streams\"]\n", to: work + "/revgraph.toml")
            let library = try revgraph(["check"], cwd: work)
            #expect(library.status == 0 && library.stdout.hasPrefix("ok: 5 Django migrations in 3 apps"), "\(library.stdout)\(library.stderr)")
            for f in ["revgraph.toml", "lib"] { try FileManager.default.removeItem(atPath: work + "/" + f) }
            // manage.py and no migrations package yet: said, not a bare all-clear.
            try write("", to: root + "/fresh/manage.py")
            let fresh = try revgraph(["check", "--django"], cwd: root + "/fresh")
            #expect(fresh.status == 0 && fresh.stdout.contains("has no app with a migrations package yet: no migration was checked"), "\(fresh.stdout)\(fresh.stderr)")
            try FileManager.default.removeItem(atPath: root + "/fresh")
            let none = try revgraph(["check", "--django"], cwd: root)
            #expect(none.status == 2 && none.stderr.contains("no Django project"))
        }
    }

    @Test func theParseCacheServesGitAndWorkTreeReadingsAndNeverAStaleOne() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            let file = work + "/shop/migrations/0001_initial.py"
            Thread.sleep(forTimeInterval: 1.2)  // older than a second: the work tree's entries may be stored
            #expect(try revgraph(["heads", "--at", "HEAD"], cwd: work).stdout == "blog.0002_post\nshop.0001_initial\n")
            #expect(try revgraph(["heads"], cwd: work).stdout == "blog.0002_post\nshop.0001_initial\n")
            let cache = try #require(FileManager.default.contents(atPath: work + "/.git/revgraph-parse-cache"))
            #expect(cache.range(of: Data("django\u{1}shop\u{1}0001_initial".utf8)) != nil)
            #expect(try revgraph(["heads"], cwd: work).stdout == "blog.0002_post\nshop.0001_initial\n")
            // The same size, the mtime put back: the ctime still tells, and the new text is read.
            let old = try String(contentsOfFile: file, encoding: .utf8)
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let edited = old.replacingOccurrences(of: "(\"blog\", \"0002_post\")", with: "(\"blog\", \"0001_inxt\")")
            #expect(edited.utf8.count == old.utf8.count)
            try edited.write(toFile: file, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: file)
            let after = try revgraph(["check"], cwd: work)
            #expect(after.status == 1 && after.stdout.contains("nonexistent parent node ('blog', '0001_inxt')"), "\(after.stdout)")
            // REVGRAPH_NO_CACHE=1 reads everything afresh, with the same answer.
            let fresh = try run(revgraphBinary, ["check"], cwd: work, env: ["REVGRAPH_NO_CACHE": "1"])
            #expect(fresh.stdout == after.stdout)
        }
    }

    @Test func forkingCommitIsRefusedAndTheMergeMigrationUnblocksIt() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            for n in ["0003_a", "0003_b"] {
                try write(M("blog", n, [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/\(n).py")
            }
            try g(["add", "-A"], work)
            let refused = try g(["commit", "-qm", "fork"], work)
            #expect(refused.status != 0)
            #expect((refused.stdout + refused.stderr).contains("blog/migrations/0003_b.py:5: error: Conflicting migrations detected; multiple leaf nodes in the migration graph: (0003_a, 0003_b in blog)"), "\(refused.stdout)\(refused.stderr)")
            #expect((refused.stdout + refused.stderr).contains("revgraph merge"))
            let merge = try revgraph(["merge", "--django-version", "5.2.19", "--stage"], cwd: work)
            #expect(merge.status == 0 && merge.stdout.contains("0004_merge_0003_a_0003_b.py"), "\(merge.stderr)")
            let ok = try g(["commit", "-qm", "fork, merged"], work)
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stderr.contains("checked 1 project: django . (6 migrations, 2 leaves)"), "\(ok.stderr)")
        }
    }

    @Test func editOfAPublishedMigrationIsRefused() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            var edited = M("blog", "0002_post", [Self.dep("blog", "0001_initial")], tables: ["Sneaky"])
            edited.initial = false
            try write(edited.source, to: work + "/blog/migrations/0002_post.py")
            try g(["add", "-A"], work)
            let refused = try g(["commit", "-qm", "edit"], work)
            #expect(refused.status != 0)
            #expect((refused.stdout + refused.stderr).contains("migration blog.0002_post, published in refs/remotes/origin/main, was edited"), "\(refused.stdout)")
            try g(["rm", "-q", "--cached", "blog/migrations/0002_post.py"], work)
            let deleted = try g(["commit", "-qm", "delete"], work)
            #expect(deleted.status != 0 && (deleted.stdout + deleted.stderr).contains("was deleted"), "\(deleted.stdout)")
        }
    }

    @Test func pushThatForksWhenMergedIsRefusedAndCheckMergeWithSaysIt() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            // Someone else lands blog 0003_theirs on main.
            let other = root + "/other"
            try g(["clone", "-q", root + "/remote.git", other], root)
            try write(M("blog", "0003_theirs", [Self.dep("blog", "0002_post")]).source, to: other + "/blog/migrations/0003_theirs.py")
            try g(["add", "-A"], other)
            try g(["commit", "-qm", "theirs"], other)
            try g(["push", "-q", "origin", "main"], other)
            // Ours, on a branch, from the old main.
            try g(["checkout", "-q", "-b", "feature"], work)
            try write(M("blog", "0003_ours", [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/0003_ours.py")
            try g(["add", "-A"], work)
            #expect(try g(["commit", "-qm", "ours"], work).status == 0)
            try g(["fetch", "-q", "origin"], work)
            let check = try revgraph(["check", "--merge-with", "origin/main"], cwd: work)
            #expect(check.status == 1)
            #expect(check.stdout.contains("migrations only on origin/main: blog.0003_theirs"), "\(check.stdout)")
            #expect(check.stdout.contains("gives an app several leaves"), "\(check.stdout)")
            let heads = try revgraph(["heads", "--merge-with", "origin/main"], cwd: work)
            #expect(heads.stdout == "blog.0003_ours (conflict)\nblog.0003_theirs (conflict)\nshop.0001_initial\n", "\(heads.stdout)\(heads.stderr)")
            let push = try g(["push", "-q", "origin", "feature"], work)
            #expect(push.status != 0)
            #expect((push.stdout + push.stderr).contains("merging this push into refs/remotes/origin/main gives an app several leaves"),
                    "\(push.stdout)\(push.stderr)")
        }
    }

    @Test func logNamesTheMergeThatForkedAnAppAndTheOneThatResolvedIt() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            try g(["checkout", "-q", "-b", "feature"], work)
            try write(M("blog", "0003_ours", [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/0003_ours.py")
            try g(["add", "-A"], work)
            try g(["commit", "-q", "--no-verify", "-m", "ours"], work)
            try g(["checkout", "-q", "main"], work)
            try write(M("blog", "0003_theirs", [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/0003_theirs.py")
            try g(["add", "-A"], work)
            try g(["commit", "-q", "--no-verify", "-m", "theirs"], work)
            let merged = try g(["merge", "-q", "--no-verify", "--no-edit", "feature"], work)
            // The post-merge hook says what to run.
            #expect((merged.stdout + merged.stderr).contains("the merge gave Django app blog several leaves: 0003_ours, 0003_theirs"),
                    "\(merged.stdout)\(merged.stderr)")
            #expect((merged.stdout + merged.stderr).contains("fix: revgraph merge blog"))
            let forked = try revgraph(["log"], cwd: work)
            #expect(forked.stdout.contains("fork in blog: leaves 0003_ours, 0003_theirs  (Merge branch 'feature')"), "\(forked.stdout)")
            #expect(forked.stdout.contains("merge commit, parents"))
            #expect(forked.stdout.contains("unresolved at the tip: blog has leaves 0003_ours, 0003_theirs"))
            #expect(try revgraph(["merge", "--no-header"], cwd: work).status == 0)
            try g(["add", "-A"], work)
            try g(["commit", "-qm", "merge migration"], work)
            let resolved = try revgraph(["log"], cwd: work)
            #expect(resolved.stdout.contains("resolved in blog by blog.0004_merge_0003_ours_0003_theirs: leaves were 0003_ours, 0003_theirs  (merge migration)"), "\(resolved.stdout)")
            #expect(resolved.stdout.hasSuffix("walked 4 commits, read the migrations at 4\n"), "\(resolved.stdout)")
            // Every commit, each against its first parent: the side branch alone has one leaf; the
            // merge brings the fork; the merge migration resolves it.
            let all = try revgraph(["log", "--all-commits"], cwd: work)
            let lines = all.stdout.split(separator: "\n").filter { $0.contains("fork in") || $0.contains("resolved in") }
            #expect(lines.count == 2 && lines[0].contains("fork in blog") && lines[0].contains("(Merge branch 'feature')")
                    && lines[1].contains("resolved in blog by blog.0004_merge"), "\(all.stdout)")
            #expect(all.stdout.hasSuffix("walked 5 commits, read the migrations at 5\n"), "\(all.stdout)")
            let json = try revgraph(["log", "--all-commits", "--format", "json"], cwd: work)
            #expect(json.status == 0 && json.stdout.contains("\"walked\" : 5"), "\(json.stdout)")
        }
    }

    @Test func releaseTagsPinEachAppsLeavesAndRefuseWhatWouldBreak() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            let tagged = try revgraph(["release", "tag", "v1"], cwd: work)
            #expect(tagged.status == 0 && tagged.stdout.contains("tagged v1 at") && tagged.stdout.contains("blog.0002_post, shop.0001_initial, 3 revisions, sha256:"),
                    "\(tagged.stdout)\(tagged.stderr)")
            let show = try revgraph(["release", "show", "v1"], cwd: work)
            #expect(show.status == 0 && show.stdout.contains("heads: blog.0002_post, shop.0001_initial"), "\(show.stdout)")
            #expect(!show.stdout.contains("TAG LIES"))
            #expect(try revgraph(["release", "list"], cwd: work).stdout.contains("v1  "))
            #expect(try revgraph(["verify", "--published", "v1"], cwd: work).status == 0)
            // An edit of a released migration: the next tag is refused, verify names it.
            try write(M("blog", "0002_post", [Self.dep("blog", "0001_initial")], tables: ["Changed"]).source,
                      to: work + "/blog/migrations/0002_post.py")
            try g(["commit", "-qam", "edit", "--no-verify"], work)
            let refused = try revgraph(["release", "tag", "v2"], cwd: work)
            #expect(refused.status == 1 && refused.stdout.contains("migration blog.0002_post, published in v1, was edited"), "\(refused.stdout)\(refused.stderr)")
            #expect(try revgraph(["verify", "--published", "v1"], cwd: work).status == 1)
            try g(["revert", "--no-edit", "HEAD"], work)
            // A fork: refused unless --allow-heads.
            for n in ["0003_a", "0003_b"] {
                try write(M("blog", n, [Self.dep("blog", "0002_post")]).source, to: work + "/blog/migrations/\(n).py")
            }
            try g(["add", "-A"], work)
            try g(["commit", "-qm", "fork", "--no-verify"], work)
            let forked = try revgraph(["release", "tag", "v2"], cwd: work)
            #expect(forked.status == 1 && forked.stderr.contains("--allow-heads"), "\(forked.stderr)")
            #expect(try revgraph(["release", "tag", "v2", "--allow-heads"], cwd: work).status == 0)
        }
    }

    @Test func aRepositoryWithBothKindsChecksBoth() throws {
        try withTemporaryDirectory("revgraph-django-git") { root in
            let work = try setUp(root)
            try makeProject(at: work + "/reporting", files: ["a1.py": migration("a1", down: [])])
            try g(["add", "-A"], work)
            let commit = try g(["commit", "-qm", "alembic too"], work)
            #expect(commit.status == 0, "\(commit.stdout)")
            #expect(commit.stderr.contains("checked 2 projects: reporting (1 revision, 1 head), django . (3 migrations, 2 leaves)"), "\(commit.stderr)")
            let all = try revgraph(["check", "--all-projects"], cwd: work)
            #expect(all.status == 0 && all.stdout.contains("checked 2 projects: reporting (1 revision, 1 head), django . (3 migrations, 2 leaves)"), "\(all.stdout)\(all.stderr)")
            let json = try revgraph(["check", "--all-projects", "--format", "json"], cwd: work)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect((object["django_projects"] as? [[String: Any]])?.first?["migration_count"] as? Int == 3)
            #expect((object["projects"] as? [[String: Any]])?.count == 1)
            // Alembic commands still read the Alembic project; --django the other.
            #expect(try revgraph(["heads"], cwd: work + "/reporting").stdout.contains("a1 (head)"))
            #expect(try revgraph(["heads", "--django"], cwd: work + "/reporting").stdout == "blog.0002_post\nshop.0001_initial\n")
        }
    }
}
