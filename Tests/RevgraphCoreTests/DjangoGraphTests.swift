import RevgraphCore
import Testing

/// Django's migration graph, read statically: the reader, the loader's rules, plan order and merges.
@Suite struct DjangoGraphTests {
    static func read(_ source: String, app: String = "blog", name: String = "0002_x") -> DjangoMigrationReader.Outcome {
        DjangoMigrationReader.read(app: app, name: name, path: "\(app)/migrations/\(name).py", bytes: Array(source.utf8))
    }

    static func m(_ app: String, _ name: String, _ deps: [DjangoMigration.Dependency] = [],
                  replaces: [DjangoKey] = [], runBefore: [DjangoKey] = []) -> DjangoMigration {
        var x = DjangoMigration(key: DjangoKey(app, name), path: "\(app)/migrations/\(name).py")
        x.dependencies = deps
        x.replaces = replaces
        x.runBefore = runBefore
        return x
    }

    static func k(_ app: String, _ name: String) -> DjangoMigration.Dependency { .key(DjangoKey(app, name)) }

    @Test func readsTheMigrationClass() throws {
        let o = Self.read("""
            from django.conf import settings
            from django.db import migrations, models


            class Migration(migrations.Migration):
                initial = True
                replaces = [("blog", "0001_a"), ["blog", "0001_b"]]
                run_before = [("shop", "0001_initial")]
                dependencies: list = [
                    ("blog", "0001_initial"),  # a comment
                    migrations.swappable_dependency(settings.AUTH_USER_MODEL),
                ]
                operations = [
                    migrations.AddField("post", "x", models.IntegerField()),
                ]

                def helper(self):
                    dependencies = "not this"
            """)
        let mig = try #require(o.migration)
        #expect(o.problems.isEmpty)
        #expect(mig.line == 5)
        #expect(mig.initial)
        #expect(mig.replaces == [DjangoKey("blog", "0001_a"), DjangoKey("blog", "0001_b")])
        #expect(mig.runBefore == [DjangoKey("shop", "0001_initial")])
        #expect(mig.dependencies == [Self.k("blog", "0001_initial"), .swappable(setting: "AUTH_USER_MODEL")])
        #expect(mig.operationCount == 1)
    }

    @Test func whatItCannotReadIsSaidWithItsLine() {
        let o = Self.read("""
            from django.db import migrations
            BASE = [("blog", "0001_initial")]
            class Migration(migrations.Migration):
                dependencies = [("blog", "0001_initial"), OTHER]
                replaces = BASE
            """)
        #expect(o.migration?.dependencies == [Self.k("blog", "0001_initial")])
        #expect(o.problems.map(\.line) == [4, 5])
        #expect(o.problems[0].message.contains("OTHER"))
        #expect(o.problems.allSatisfy { $0.path == "blog/migrations/0002_x.py" && $0.fix != nil })

        let none = Self.read("from django.db import migrations\n\nx = 1\n")
        #expect(none.migration == nil)
        #expect(none.problems.first?.message == "Migration 0002_x in app blog has no Migration class ('blog/migrations/0002_x.py')")

        let imported = Self.read("from blog.migrations.base import Migration\n")
        #expect(imported.migration == nil && imported.problems.first?.line == 1)

        let augmented = Self.read("class Migration:\n    dependencies = []\n    dependencies += [('a', 'b')]\n")
        #expect(augmented.problems.first?.line == 3)

        let broken = Self.read("class Migration:\n    dependencies = ['unterminated]\n")
        #expect(broken.migration == nil && broken.problems.first?.kind == .parseError)
    }

    @Test func fileNamesAsPkgutilListsThem() {
        #expect(DjangoMigrationReader.isMigrationFileName("0001_initial.py"))
        #expect(DjangoMigrationReader.isMigrationFileName("auto-2.py"))
        #expect(!DjangoMigrationReader.isMigrationFileName("__init__.py"))
        #expect(!DjangoMigrationReader.isMigrationFileName("_helpers.py"))
        #expect(!DjangoMigrationReader.isMigrationFileName("~0001.py"))
        #expect(!DjangoMigrationReader.isMigrationFileName("0001.old.py"))
        #expect(!DjangoMigrationReader.isMigrationFileName("0001_initial.pyc"))
    }

    @Test func firstLatestExternalAndRunBefore() {
        let g = DjangoGraph(apps: ["blog", "shop"], migrations: [
            Self.m("blog", "0001_initial", [Self.k("blog", "__first__")]),
            Self.m("blog", "0002_a", [Self.k("blog", "0001_initial"), Self.k("auth", "0012_alter_user")]),
            Self.m("shop", "0001_initial", [Self.k("blog", "__first__")], runBefore: [DjangoKey("blog", "0002_a")]),
            Self.m("shop", "0002_b", [Self.k("shop", "0001_initial"), Self.k("blog", "__latest__"), .swappable(setting: "AUTH_USER_MODEL")]),
        ])
        #expect(g.problems.isEmpty)
        #expect(g.parents[DjangoKey("blog", "0001_initial")] ?? [] == [])
        #expect(g.parents[DjangoKey("shop", "0001_initial")] == [DjangoKey("blog", "0001_initial")])
        #expect(g.parents[DjangoKey("blog", "0002_a")] == [DjangoKey("blog", "0001_initial"), DjangoKey("shop", "0001_initial")])
        #expect(g.parents[DjangoKey("shop", "0002_b")] == [DjangoKey("blog", "0002_a"), DjangoKey("shop", "0001_initial")])
        #expect(g.external[DjangoKey("blog", "0002_a")] == [DjangoKey("auth", "0012_alter_user")])
        #expect(g.external[DjangoKey("shop", "0002_b")] == [DjangoKey("auth", "__first__")])
        #expect(g.leaves() == [DjangoKey("blog", "0002_a"), DjangoKey("shop", "0002_b")])
        #expect(g.conflicts.isEmpty)
    }

    @Test func planWalksTheGreatestParentFirst() {
        let g = DjangoGraph(apps: ["a", "b"], migrations: [
            Self.m("a", "0001"), Self.m("b", "0001"),
            Self.m("b", "0002", [Self.k("b", "0001"), Self.k("a", "0001")]),
        ])
        #expect(g.plan().map(\.description) == ["a.0001", "b.0001", "b.0002"])
        #expect(g.forwardsPlan(DjangoKey("b", "0002")).map(\.description) == ["b.0001", "a.0001", "b.0002"])
        #expect(g.list(app: "b").map(\.name) == ["0001", "0002"])
    }

    @Test func squashesFollowWhatIsApplied() {
        let list = [
            Self.m("blog", "0001_initial"), Self.m("blog", "0002_x", [Self.k("blog", "0001_initial")]),
            Self.m("blog", "0001_squashed_0002_x", replaces: [DjangoKey("blog", "0001_initial"), DjangoKey("blog", "0002_x")]),
            Self.m("blog", "0003_y", [Self.k("blog", "0002_x")]),
        ]
        let fresh = DjangoGraph(apps: ["blog"], migrations: list)
        #expect(fresh.nodes.map(\.name) == ["0001_squashed_0002_x", "0003_y"])
        #expect(fresh.parents[DjangoKey("blog", "0003_y")] == [DjangoKey("blog", "0001_squashed_0002_x")])
        #expect(fresh.replacedBy[DjangoKey("blog", "0002_x")] == DjangoKey("blog", "0001_squashed_0002_x"))

        var partly = DjangoGraph.Settings()
        partly.applied = [DjangoKey("blog", "0001_initial")]
        let p = DjangoGraph(apps: ["blog"], migrations: list, settings: partly)
        #expect(p.nodes.map(\.name) == ["0001_initial", "0002_x", "0003_y"])
        #expect(p.unusedSquashes == [DjangoKey("blog", "0001_squashed_0002_x")])

        var all = DjangoGraph.Settings()
        all.applied = [DjangoKey("blog", "0001_initial"), DjangoKey("blog", "0002_x")]
        #expect(DjangoGraph(apps: ["blog"], migrations: list, settings: all).applied.contains(DjangoKey("blog", "0001_squashed_0002_x")))

        // The replaced files gone: dependencies on them still resolve to the squash.
        let only = DjangoGraph(apps: ["blog"], migrations: [list[2], list[3]])
        #expect(only.problems.isEmpty)
        #expect(only.plan().map(\.name) == ["0001_squashed_0002_x", "0003_y"])
    }

    @Test func missingNodesAndCyclesAreProblemsNotCrashes() {
        let g = DjangoGraph(apps: ["blog"], migrations: [
            Self.m("blog", "0001", [Self.k("blog", "0003")]),
            Self.m("blog", "0002", [Self.k("blog", "0001"), Self.k("blog", "0009_gone")]),
            Self.m("blog", "0003", [Self.k("blog", "0002")]),
            Self.m("blog", "0004", [.swappable(setting: "CUSTOM_MODEL")]),
        ])
        let kinds = g.problems.map(\.kind)
        #expect(kinds.contains(.missingDependency) && kinds.contains(.cycle) && kinds.contains(.nonLiteralValue))
        #expect(g.problems.contains { $0.message.hasPrefix("Migration blog.0002 dependencies reference nonexistent parent node ('blog', '0009_gone')") })
        #expect(g.cyclic == [DjangoKey("blog", "0001"), DjangoKey("blog", "0002"), DjangoKey("blog", "0003")])
        // Walks on a cycle terminate, each node once.
        #expect(g.forwardsPlan(DjangoKey("blog", "0003")).count == 3)
        #expect(g.plan() == [DjangoKey("blog", "0004")])
    }

    @Test func mergeNamesAndFiles() throws {
        #expect(DjangoMerge.number(in: "0004_auto") == 4)
        #expect(DjangoMerge.number(in: "0001_squashed_0012_all") == 12)
        #expect(DjangoMerge.number(in: "0001_squashed_x_squashed_0007") == 7)
        #expect(DjangoMerge.number(in: "initial") == nil)
        let g = DjangoGraph(apps: ["blog"], migrations: [
            Self.m("blog", "0001_initial"),
            Self.m("blog", "0002_b", [Self.k("blog", "0001_initial")]),
            Self.m("blog", "0002_a", [Self.k("blog", "0001_initial")]),
        ])
        let options = DjangoMerge.Options(djangoVersion: "5.2.19", headerTime: "2026-12-03 10:00", nameTime: "20261203_1000")
        let merge = try DjangoMerge.plan(app: "blog", graph: g, options: options)
        #expect(merge.name == "0003_merge_0002_a_0002_b")
        #expect(merge.text == """
            # Generated by Django 5.2.19 on 2026-12-03 10:00

            from django.db import migrations


            class Migration(migrations.Migration):

                dependencies = [
                    ('blog', '0002_a'),
                    ('blog', '0002_b'),
                ]

                operations = [
                ]

            """)
        var named = options
        named.name = "fix"
        #expect(try DjangoMerge.plan(app: "blog", graph: g, options: named).name == "0003_fix")
        #expect(PythonRepr.string("it's") == "\"it's\"")
        #expect(PythonRepr.string("a'\"b\n\u{7}é") == "'a\\'\"b\\n\\x07é'")

        let roots = DjangoGraph(apps: ["blog"], migrations: [Self.m("blog", "0001_a"), Self.m("blog", "0001_b")])
        #expect(throws: DjangoMerge.Failure.noCommonAncestor(app: "blog", leaves: ["0001_a", "0001_b"])) {
            try DjangoMerge.plan(app: "blog", graph: roots, options: options)
        }
    }

    @Test func settingsFromToml() throws {
        let s = try #require(try DjangoSettings.parse("""
            [django]
            version = "5.2.19"
            use_tz = false
            time_zone = "Europe/Paris"
            [django.settings]
            AUTH_USER_MODEL = "accounts.User"
            [django.migration_modules]
            blog = "blog.db_migrations"
            """, path: "revgraph.toml"))
        #expect(s.version == "5.2.19" && !s.useTZ && s.timeZone == "Europe/Paris")
        #expect(s.swappable["AUTH_USER_MODEL"] == "accounts.User")
        #expect(s.migrationModules == ["blog": "blog.db_migrations"])
        #expect(throws: ProjectConfig.ConfigError.self) { try DjangoSettings.parse("[django]\nverison = \"5\"\n", path: "revgraph.toml") }
        #expect(try DjangoSettings.parse("[revgraph]\n", path: "revgraph.toml") == nil)
        #expect(DjangoSettings.pinnedVersion(in: "psycopg2==2.9\nDjango == 5.2.19  # web\n") == "5.2.19")
        #expect(DjangoSettings.pinnedVersion(in: "dependencies = [\"django==4.2.11\", \"x\"]") == "4.2.11")
        #expect(DjangoSettings.pinnedVersion(in: "django>=4\ndjango-filter==23.1\n") == nil)
    }
}
