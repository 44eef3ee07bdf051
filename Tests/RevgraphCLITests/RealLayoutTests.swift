import Foundation
import RevgraphTestSupport
import Testing

/// The shapes of real repositories that made the hooks block innocent commits or let forks
/// through, rebuilt from text (their files are not copied): keystone's two non-Django manage.py
/// and release subdirectories, prefect's package-resource script_location with one directory per
/// dialect, polar's project in server/, zou's scaffold alembic.ini in a plugin template.
@Suite(.serialized) struct RealLayoutTests {
    @discardableResult
    func g(_ args: [String], _ cwd: String) throws -> RunResult { try developerGit(args, cwd) }

    func repository(_ name: String, branch: String = "main") throws -> String {
        let dir = try makeTempDir(name)
        try g(["init", "-q", "-b", branch, dir], "/")
        return dir
    }

    func commit(_ root: String, _ message: String) throws -> RunResult {
        try g(["add", "-A"], root)
        return try g(["commit", "-qm", message], root)
    }

    @Test func keystoneTwoManagePyAndReleaseDirectories() throws {
        let root = try repository("revgraph-keystone", branch: "master")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A CLI entry point and a sqlalchemy-migrate script, both named manage.py: not Django.
        try write("from keystone.cmd import cli\n\n\ndef main():\n    cli.main()\n", to: root + "/keystone/cmd/manage.py")
        try write("from migrate.versioning.shell import main\n\nif __name__ == '__main__':\n    main(debug='False')\n",
                  to: root + "/keystone/common/sql/migrations/manage.py")
        let sql = root + "/keystone/common/sql/migrations"
        try write("[alembic]\nscript_location = %(here)s\n", to: sql + "/alembic.ini")
        try write("", to: sql + "/__init__.py")
        // Version locations built in env.py: one directory per release and phase.
        try write(migration("e1", down: []), to: sql + "/versions/2023.1/expand/e1.py")
        try write(migration("e2", down: ["e1"]), to: sql + "/versions/2024.1/expand/e2.py")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        let base = try commit(root, "base")
        #expect(base.status == 0, "\(base.stdout)\(base.stderr)")
        // Not an all-clear: the release directories are named.
        let plain = try revgraph(["check"], cwd: root)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("'2023.1', '2024.1' hold Python files"), "\(plain.stdout)\(plain.stderr)")
        #expect(try revgraph(["check", "--all-projects"], cwd: root).status == 0)
        try write("notes\n", to: root + "/README.rst")
        #expect(try commit(root, "readme").status == 0)
        try write("""
            [projects.keystone]
            config = "keystone/common/sql/migrations/alembic.ini"
            versions = "keystone/common/sql/migrations/versions"
            recursive = true

            """, to: root + "/revgraph.toml")
        #expect(try commit(root, "describe the layout").status == 0)
        let check = try revgraph(["check"], cwd: root)
        #expect(check.stdout.hasPrefix("ok: 2 revisions, 1 head (e2)"), "\(check.stdout)\(check.stderr)")
        try write(migration("e3", down: ["e1"]), to: sql + "/versions/2024.1/expand/e3.py")
        let fork = try commit(root, "fork")
        #expect(fork.status != 0)
        #expect((fork.stdout + fork.stderr).contains("e2, e3"))
    }

    @Test func prefectPackageResourceWithADirectoryPerDialect() throws {
        let root = try repository("revgraph-prefect")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let db = "src/prefect/server/database"
        try write("[project]\nname = \"prefect\"\n", to: root + "/pyproject.toml")
        try write("[alembic]\nscript_location = prefect:server:database:_migrations\n", to: root + "/\(db)/alembic.ini")
        try write(BuiltinTemplateText.text, to: root + "/\(db)/_migrations/script.py.mako")
        try write(migration("p1", down: []), to: root + "/\(db)/_migrations/versions/postgresql/p1.py")
        try write(migration("p2", down: ["p1"]), to: root + "/\(db)/_migrations/versions/postgresql/p2.py")
        try write(migration("s1", down: []), to: root + "/\(db)/_migrations/versions/sqlite/s1.py")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        #expect(try commit(root, "base").status == 0)
        // The package is found in src/; the dialect directories are chosen in code: said.
        let found = try revgraph(["check", "--all-projects"], cwd: root)
        #expect(found.status == 0, "\(found.stdout)\(found.stderr)")
        #expect((found.stdout + found.stderr).contains("'postgresql', 'sqlite' hold Python files"))
        // A package that is not in the repository is named, with revgraph.toml as the way out...
        try write("[alembic]\nscript_location = elsewhere:_migrations\n", to: root + "/\(db)/alembic.ini")
        let missing = try revgraph(["check", "--all-projects"], cwd: root)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the package 'elsewhere' is not in this repository") && missing.stderr.contains("revgraph.toml"))
        // ...and once committed (bypassing the hook), a README commit is not blocked by it.
        try g(["add", "-A"], root)
        #expect(try g(["commit", "-q", "--no-verify", "-m", "break the ini"], root).status == 0)
        try write("notes\n", to: root + "/README.md")
        try g(["add", "README.md"], root)
        let readme = try g(["commit", "-qm", "readme"], root)
        #expect(readme.status == 0, "\(readme.stdout)\(readme.stderr)")
        #expect(readme.stderr.contains("this commit changes no migration file or config"))
        // A commit of the ini itself is refused, with the fix.
        try write("[alembic]\nscript_location = elsewhere:_migrations\n# still\n", to: root + "/\(db)/alembic.ini")
        let ini = try commit(root, "ini")
        #expect(ini.status != 0)
        #expect(ini.stderr.contains("revgraph.toml"), "\(ini.stderr)")
        try write("[alembic]\nscript_location = prefect:server:database:_migrations\n", to: root + "/\(db)/alembic.ini")
        // Described: one project per dialect, the ini as config (its template), each directory as versions.
        try write("""
            [projects.postgresql]
            config = "\(db)/alembic.ini"
            versions = "\(db)/_migrations/versions/postgresql"

            [projects.sqlite]
            config = "\(db)/alembic.ini"
            versions = "\(db)/_migrations/versions/sqlite"

            """, to: root + "/revgraph.toml")
        #expect(try commit(root, "describe").status == 0)
        let all = try revgraph(["check", "--all-projects"], cwd: root)
        #expect(all.stdout.contains("postgresql (2 revisions, 1 head), sqlite (1 revision, 1 head)"), "\(all.stdout)\(all.stderr)")
        try write(migration("s2", down: ["s1"]), to: root + "/\(db)/_migrations/versions/sqlite/s2.py")
        try write(migration("s3", down: ["s1"]), to: root + "/\(db)/_migrations/versions/sqlite/s3.py")
        let fork = try commit(root, "fork")
        #expect(fork.status != 0)
        #expect((fork.stdout + fork.stderr).contains("revgraph merge --project sqlite -m"), "\(fork.stdout)\(fork.stderr)")
        // The merge revision goes into the project's own directory, from the config's template.
        let merge = try revgraph(["merge", "--project", "sqlite", "-m", "merge heads", "s2", "s3"], cwd: root)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("/_migrations/versions/sqlite/"), "\(merge.stdout)")
        #expect(try commit(root, "merged").status == 0)
    }

    @Test func polarProjectInAServerSubdirectory() throws {
        let root = try repository("revgraph-polar")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("[alembic]\nscript_location = migrations\n", to: root + "/server/alembic.ini")
        try write(migration("a1", down: []), to: root + "/server/migrations/versions/a1.py")
        try write(migration("b1", down: ["a1"]), to: root + "/server/migrations/versions/b1.py")
        #expect(try commit(root, "base").status == 0)
        try g(["checkout", "-qb", "feature"], root)
        try write(migration("f1", down: ["b1"]), to: root + "/server/migrations/versions/f1.py")
        #expect(try commit(root, "f1").status == 0)
        try g(["checkout", "-q", "main"], root)
        try write(migration("m1", down: ["b1"]), to: root + "/server/migrations/versions/m1.py")
        #expect(try commit(root, "m1").status == 0)
        let server = root + "/server"
        for args in [["check"], ["check", "--at", "HEAD"], ["check", "--staged"], ["lint", "--staged"]] {
            let r = try revgraph(args, cwd: server)
            #expect(r.status == 0, "\(args): \(r.stdout)\(r.stderr)")
        }
        let merge = try revgraph(["check", "--merge-with", "feature"], cwd: server)
        #expect(merge.status == 1, "\(merge.stdout)\(merge.stderr)")
        #expect(merge.stdout.contains("f1") && merge.stdout.contains("m1"))
    }

    @Test func singleProjectCommandsPickTheProjectAtOrAboveTheCurrentDirectory() throws {
        let root = try repository("revgraph-enclosing")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (dir, id) in [("backend", "be1"), ("billing", "bi1")] {
            try write("[alembic]\nscript_location = %(here)s/migrations\n", to: root + "/\(dir)/alembic.ini")
            try write(migration(id, down: []), to: root + "/\(dir)/migrations/versions/\(id).py")
        }
        #expect(try commit(root, "base").status == 0)
        let deep = root + "/backend/migrations/versions"
        for args in [["heads"], ["heads", "--at", "HEAD"], ["heads", "--staged"]] {
            let r = try revgraph(args, cwd: deep)
            #expect(r.status == 0 && r.stdout.hasPrefix("be1 (head)"), "\(args): \(r.stdout)\(r.stderr)")
        }
        let top = try revgraph(["heads"], cwd: root)
        #expect(top.status == 2 && top.stderr.contains("2 Alembic projects (backend, billing)"), "\(top.stderr)")
    }

    @Test func zouScaffoldIniIsNotAProject() throws {
        let root = try repository("revgraph-zou")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("[alembic]\nscript_location = %(here)s/migrations\n", to: root + "/alembic.ini")
        try write(migration("a1", down: []), to: root + "/migrations/versions/a1.py")
        try write("[alembic]\nscript_location = %(here)s/migrations\n", to: root + "/zou/plugin_template/alembic.ini")
        try write("[alembic]\nscript_location = {{ cookiecutter.slug }}/migrations\n", to: root + "/scaffold_x/alembic.ini")
        #expect(try commit(root, "base").status == 0)
        let plain = try revgraph(["check"], cwd: root)
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
        let verbose = try revgraph(["check", "-v", "--all-projects"], cwd: root)
        #expect(verbose.status == 0, "\(verbose.stdout)\(verbose.stderr)")
        #expect(verbose.stdout.hasPrefix("checked 1 revision, 1 head"), "\(verbose.stdout)")
        #expect(verbose.stderr.contains("'zou/plugin_template/alembic.ini' is not a project"), "\(verbose.stderr)")
        #expect(verbose.stderr.contains("'scaffold_x/alembic.ini' is not a project"))
    }

    @Test func djangoNeedsDjangosManagePyAndMigrations() throws {
        let root = try repository("revgraph-indico")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("[alembic]\nscript_location = %(here)s/migrations\n", to: root + "/alembic.ini")
        try write(migration("a1", down: []), to: root + "/migrations/versions/a1.py")
        // indico's controllers/manage.py: no Django there.
        try write("from flask import request\n\n\ndef manage():\n    return request\n", to: root + "/indico/controllers/manage.py")
        // A Django manage.py with no migrations package yet: no Django project either.
        try write("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n", to: root + "/site/manage.py")
        #expect(try revgraph(["hooks", "install"], cwd: root).status == 0)
        #expect(try commit(root, "base").status == 0)
        let all = try revgraph(["check", "--all-projects"], cwd: root)
        #expect(all.status == 0, "\(all.stdout)\(all.stderr)")
        #expect(!all.stdout.contains("Django"), "\(all.stdout)")
    }
}
