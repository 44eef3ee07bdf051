import Foundation
import RevgraphTestSupport
import Testing

/// The answers that were wrong while the checks lived in the CLI, run the way a user would.
@Suite struct SeamFixTests {
    let identity = ["GIT_AUTHOR_NAME": "Rel", "GIT_AUTHOR_EMAIL": "rel@example.com", "GIT_COMMITTER_NAME": "Rel",
                    "GIT_COMMITTER_EMAIL": "rel@example.com"]

    func rg(_ args: [String], _ dir: String) throws -> RunResult { try run(revgraphBinary, args, cwd: dir, env: identity) }

    /// A repository with a1 <- b1 committed and tagged v1 by revgraph.
    func released(_ dir: String) throws {
        try makeRepository(at: dir, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        let tag = try rg(["release", "tag", "v1"], dir)
        #expect(tag.status == 0, "\(tag.stderr)")
    }

    /// A SQLite database whose alembic_version holds `heads`.
    func database(_ path: String, heads: [String]) throws {
        let sql = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
            + heads.map { "INSERT INTO alembic_version VALUES ('\($0)');" }.joined()
        let r = try run("/usr/bin/sqlite3", [path, sql])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func releaseShowExitsOneOnALyingTagInTextAndJSON() throws {
        try withTemporaryDirectory { dir in
            try makeRepository(at: dir, files: ["a1.py": migration("a1", down: [])])
            try git(["tag", "-a", "v9", "-m", "Release v9\n\nSchema-Head: zzzz\nSchema-Revisions: 7\nSchema-Manifest: sha256:00"], cwd: dir)
            let text = try rg(["release", "show", "v9"], dir)
            #expect(text.status == 1)
            #expect(text.stdout.contains("TAG LIES"))
            let json = try rg(["release", "show", "v9", "--format", "json"], dir)
            #expect(json.status == 1)
            #expect(json.stdout.contains("\"trailers_match\" : false"))
            let list = try rg(["release", "list", "--format", "json"], dir)
            #expect(list.status == 0)
            #expect(list.stdout.contains("\"trailers_match\" : false"))
        }
    }

    @Test func verifyReleaseResolvesTheURLOneWay() throws {
        try withTemporaryDirectory { dir in
            try released(dir)
            try database(dir + "/app.db", heads: ["a1"])
            // The URL only in sqlalchemy.url: the database is behind the release.
            let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
            try write(ini.replacingOccurrences(of: "[alembic]\n", with: "[alembic]\nsqlalchemy.url = sqlite:///\(dir)/app.db\n"),
                      to: dir + "/alembic.ini")
            for args in [["verify", "--release", "v1"], ["verify", "--release", "v1", "--format", "json"],
                         ["verify", "--release", "v1", "--db", "sqlite:///\(dir)/app.db"]] {
                let r = try rg(args, dir)
                #expect(r.status == 1, "\(args): \(r.stdout)\(r.stderr)")
                #expect(r.stdout.contains("is behind release v1: pending b1") || r.stdout.contains("release-behind"), "\(r.stdout)")
            }
            try database(dir + "/at.db", heads: ["b1"])
            let at = try rg(["verify", "--release", "v1", "--db", "sqlite:///\(dir)/at.db"], dir)
            #expect(at.status == 0, "\(at.stdout)\(at.stderr)")
            #expect(at.stdout.contains("is exactly at release v1"))
        }
    }

    @Test func releaseListWithABrokenConfigFailsInsteadOfPassing() throws {
        try withTemporaryDirectory { dir in
            try released(dir)
            try write("[alembic\nscript_location = %(here)s/migrations\n", to: dir + "/alembic.ini")
            let r = try rg(["release", "list"], dir)
            #expect(r.status == 2, "\(r.stdout)")
            #expect(r.stderr.components(separatedBy: "revgraph: error:").count == 2, "one error, printed once: \(r.stderr)")
        }
    }

    @Test func showGitWithARelativeRepo() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/proj", files: ["a1.py": migration("a1", down: [], message: "base")])
            let r = try rg(["show", "--git", "--repo", "proj", "a1"], root)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains(" added, Test <t@example.com>: base"), "\(r.stdout)")
            let json = try rg(["show", "--git", "--repo", "proj", "a1", "--format", "json"], root)
            #expect(json.stdout.contains("\"kind\" : \"added\""))
        }
    }

    @Test func everyErrorIsPrintedOnceWithItsExitCode() throws {
        try withTemporaryDirectory { dir in
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            for (args, code) in [(["show", "zzzz"], Int32(64)), (["heads", "-c", "nope.ini"], 2),
                                 (["merge", "--date", "2024-01-01 00:00:00:07"], 64), (["merge", "--rev-id", "a1", "--builtin-template"], 64),
                                 (["history", "-r", "x:y:z"], 64), (["verify", "--db", "mysql://u:secret@127.0.0.1:1/x"], 2)] {
                let r = try rg(args, dir)
                #expect(r.status == code, "\(args): \(r.stderr)")
                #expect(r.stderr.components(separatedBy: "rror:").count == 2, "\(args): \(r.stderr)")
                #expect(!r.stderr.contains("secret"))
            }
        }
    }
}

/// The pre-commit framework's entries from `.pre-commit-hooks.yaml`, run by pre-commit itself
/// (as `repo: local` hooks on the built binary) on the first commit of a fresh `alembic init` project.
@Suite(.serialized) struct PreCommitFrameworkTests {
    /// `id` and `entry` of each hook in the manifest.
    func manifestEntries() throws -> [(id: String, entry: String, stages: String)] {
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent(".pre-commit-hooks.yaml").path, encoding: .utf8)
        var out: [(String, String, String)] = []
        var id = "", entry = ""
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("- id: ") { id = String(t.dropFirst(6)) }
            if t.hasPrefix("entry: ") { entry = String(t.dropFirst(7)) }
            if t.hasPrefix("stages: ") { out.append((id, entry, String(t.dropFirst(8)))) }
        }
        return out
    }

    @Test(.enabled(if: Requirement.alembic, "needs alembic and pre-commit (REVGRAPH_ALEMBIC_PYTHON)"))
    func freshAlembicInitProjectCommitsAndProductionIsNeverContacted() throws {
        let python = try Requirement.python()
        let bin = (python as NSString).deletingLastPathComponent
        try withTemporaryDirectory("revgraph-precommit") { dir in
            try git(["init", "-q", "-b", "main", dir], cwd: "/")
            #expect(try run(bin + "/alembic", ["init", "migrations"], cwd: dir).status == 0)
            // A production URL on a closed loopback port: connecting would fail loudly.
            let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
            try write(ini.replacingOccurrences(of: "driver://user:pass@localhost/dbname",
                                               with: "postgresql://app:Pr0dSecret@127.0.0.1:1/production"),
                      to: dir + "/alembic.ini")
            let entries = try manifestEntries()
            #expect(entries.map(\.id).contains("revgraph-verify-published"))
            var config = "repos:\n- repo: local\n  hooks:\n"
            for e in entries {
                let args = e.entry.split(separator: " ").dropFirst().map { "'\($0)'" }.joined(separator: ", ")
                config += "  - id: \(e.id)\n    name: \(e.id)\n    entry: \(revgraphBinary)\n    args: [\(args)]\n"
                config += "    language: system\n    pass_filenames: false\n    always_run: true\n    stages: \(e.stages)\n"
            }
            try write(config, to: dir + "/.pre-commit-config.yaml")
            let env = ["PRE_COMMIT_HOME": dir + "/.cache-pre-commit", "PATH": bin + ":/usr/bin:/bin"]
            #expect(try run(bin + "/pre-commit", ["install"], cwd: dir, env: env).status == 0)
            try write("revision = 'a1'\ndown_revision = None\n", to: dir + "/migrations/versions/a1_base.py")
            try write(".cache-pre-commit/\n", to: dir + "/.gitignore")
            try git(["add", "-A"], cwd: dir)
            let commitEnv = env.merging(["GIT_AUTHOR_NAME": "D", "GIT_AUTHOR_EMAIL": "d@example.com",
                                         "GIT_COMMITTER_NAME": "D", "GIT_COMMITTER_EMAIL": "d@example.com"]) { $1 }
            let commit = try run("/usr/bin/git", ["commit", "-qm", "alembic init"], cwd: dir, env: commitEnv)
            #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")
            #expect(!(commit.stdout + commit.stderr).contains("Pr0dSecret"))
            #expect(!(commit.stdout + commit.stderr).contains("cannot connect"))
            // A forking commit is still refused through the framework.
            try write("revision = 'b1'\ndown_revision = 'a1'\n", to: dir + "/migrations/versions/b1.py")
            try write("revision = 'b2'\ndown_revision = 'a1'\n", to: dir + "/migrations/versions/b2.py")
            try git(["add", "-A"], cwd: dir)
            let fork = try run("/usr/bin/git", ["commit", "-qm", "fork"], cwd: dir, env: commitEnv)
            #expect(fork.status != 0)
            #expect((fork.stdout + fork.stderr).contains("commit blocked"))
        }
    }
}

extension SeamFixTests {
    @Test func aPublishedRefThatCouldNotBeComparedIsSaidNotPassed() throws {
        try withTemporaryDirectory { dir in
            try git(["init", "-q", "-b", "main", dir], cwd: "/")
            try write("x\n", to: dir + "/README")
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "before migrations"], cwd: dir)
            try git(["branch", "published"], cwd: dir)
            try makeProject(at: dir, files: ["a1.py": migration("a1", down: [])])
            try git(["add", "-A"], cwd: dir)
            try git(["commit", "-qm", "migrations"], cwd: dir)
            let r = try rg(["verify", "--published", "published"], dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("not compared: published: no migrations there yet"), "\(r.stdout)")
            #expect(r.stdout.contains("ok: nothing to check"), "\(r.stdout)")
        }
    }
}
