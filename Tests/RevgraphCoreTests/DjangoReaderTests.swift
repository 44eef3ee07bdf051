import RevgraphCore
import Testing

/// Every way a Django migration's graph attributes can be built in code is an error naming the
/// file and line, never a guess; what Python resolves statically (a base class of the same file,
/// a one-line class body) is read as Python reads it.
@Suite struct DjangoReaderTests {
    func read(_ text: String) -> DjangoMigrationReader.Outcome {
        DjangoMigrationReader.read(app: "blog", name: "0002_x", path: "blog/migrations/0002_x.py", bytes: Array(text.utf8))
    }

    let header = "from django.db import migrations\n\n"

    @Test(arguments: [
        ("class Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\nMigration.dependencies = []\n", 5, "changed at module level"),
        ("class Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n    dependencies.append(('shop', '0001_initial'))\n", 5, "changed by a call"),
        ("class Migration(migrations.Migration):\n    if True:\n        dependencies = [('blog', '0001_initial')]\n", 5, "inside a block"),
        ("class Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n    dependencies += [('shop', '0001')]\n", 5, "changed with `+=`"),
        ("from shared import Base\nclass Migration(Base):\n    operations = []\n", 4, "not defined in this file"),
        ("class Migration(migrations.Migration, Mixin):\n    operations = []\n", 3, "not defined in this file"),
    ])
    func codeBuiltAttributesAreNamedAtTheirLine(_ c: (String, Int, String)) {
        let o = read(header + c.0)
        let p = o.problems.first { $0.message.contains(c.2) }
        #expect(p != nil, "\(o.problems)")
        #expect(p?.line == c.1, "\(o.problems)")
        #expect(p?.path == "blog/migrations/0002_x.py")
    }

    @Test func aBaseClassOfTheSameFileIsFollowed() throws {
        let o = read(header + """
            class Base(migrations.Migration):
                dependencies = [('blog', '0001_initial')]
                run_before = [('shop', '0002_y')]

            class Migration(Base):
                operations = []
            """)
        let m = try #require(o.migration, "\(o.problems)")
        #expect(m.dependencies == [.key(DjangoKey("blog", "0001_initial"))])
        #expect(m.runBefore == [DjangoKey("shop", "0002_y")])
        // The class's own attribute replaces the inherited one.
        let own = try #require(read(header + "class Base(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n"
            + "class Migration(Base):\n    dependencies = [('blog', '0001_other')]\n").migration)
        #expect(own.dependencies == [.key(DjangoKey("blog", "0001_other"))])
    }

    @Test func aOneLineClassBodyKeepsItsDependencies() throws {
        let o = read(header + "class Migration(migrations.Migration): dependencies = [('blog', '0001_initial')]; operations = []\n")
        let m = try #require(o.migration, "\(o.problems)")
        #expect(m.dependencies == [.key(DjangoKey("blog", "0001_initial"))], "\(o.problems)")
        #expect(m.operationCount == 0)
    }

    @Test func aMethodsLocalNamedDependenciesIsNotTheAttribute() throws {
        let m = try #require(read(header + """
            class Migration(migrations.Migration):
                dependencies = [('blog', '0001_initial')]
                def helper(self):
                    dependencies = []
                    return dependencies
            """).migration)
        #expect(m.dependencies == [.key(DjangoKey("blog", "0001_initial"))])
    }

    @Test func aSouthMigrationIsNamedAsOne() {
        let o = read("from south.db import db\nfrom south.v2 import SchemaMigration\n\nclass Migration(SchemaMigration):\n    def forwards(self, orm):\n        pass\n")
        #expect(o.migration == nil)
        #expect(o.problems.first?.message.contains("is a South migration") == true, "\(o.problems)")
        #expect(o.problems.first?.line == 1)
    }

    @Test func aMigrationModuleMustBeAModuleNotAPath() {
        #expect(throws: ProjectConfig.ConfigError.self) {
            try DjangoSettings.parse("[django.migration_modules]\nblog = \"blog/db_migrations\"\n", path: "revgraph.toml")
        }
        #expect(throws: Never.self) {
            try DjangoSettings.parse("[django.migration_modules]\nblog = \"blog.db_migrations\"\n", path: "revgraph.toml")
        }
    }

    @Test func aMissingParentIsNamedBeforeAnyMergeAdvice() throws {
        func m(_ name: String, _ deps: [String]) -> DjangoMigration {
            var x = DjangoMigration(key: DjangoKey("blog", name), path: "blog/migrations/\(name).py")
            x.dependencies = deps.map { .key(DjangoKey("blog", $0)) }
            return x
        }
        let graph = DjangoGraph(apps: ["blog"], migrations: [m("0001_initial", []), m("0002_a", ["0001_initial"]), m("0003_b", ["0002_gone"])])
        #expect(graph.missingParents(in: "blog").map(\.missing.description) == ["blog.0002_gone"])
    }
}
