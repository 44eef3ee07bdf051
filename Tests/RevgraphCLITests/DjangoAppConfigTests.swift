import Foundation
import RevgraphTestSupport
import Testing

/// An app's label as Django chooses its AppConfig (the only subclass, else the one marked
/// default = True, else the base AppConfig and the package's name), compared with Django's own
/// `showmigrations` on the same project.
@Suite struct DjangoAppConfigTests {
    @Test(.enabled(if: Requirement.alembic, "needs Django in the test virtualenv"),
          arguments: [
            ("class BlogConfig(AppConfig):\n    name = 'blog'\n    label = 'news'\n", "news"),
            ("class A(AppConfig):\n    name = 'blog'\n    label = 'first'\n\n\nclass B(AppConfig):\n    name = 'blog'\n    label = 'second'\n", "blog"),
            ("class A(AppConfig):\n    name = 'blog'\n    label = 'first'\n\n\nclass B(AppConfig):\n    name = 'blog'\n    label = 'second'\n    default = True\n", "second"),
            ("class A(AppConfig):\n    name = 'blog'\n    label = 'first'\n    default = False\n\n\nclass B(AppConfig):\n    name = 'blog'\n    label = 'second'\n", "second"),
          ])
    func theLabelIsTheOneDjangoChooses(_ c: (String, String)) throws {
        let python = try Requirement.python()
        try withTemporaryDirectory("revgraph-appconfig") { root in
            try DjangoFixture.write(at: root, apps: ["blog"], migrations: [DjangoFixture.Migration("blog", "0001_initial", tables: ["post"])])
            try write("from django.apps import AppConfig\n\n\n" + c.0, to: root + "/blog/apps.py")
            let django = try run(python, ["manage.py", "showmigrations"], cwd: root)
            #expect(django.status == 0, "\(django.stderr)")
            #expect(django.stdout.hasPrefix("\(c.1)\n"), "Django: \(django.stdout)")
            let ours = try revgraph(["showmigrations"], cwd: root)
            #expect(ours.stdout == django.stdout, "revgraph: \(ours.stdout)\(ours.stderr)\nDjango: \(django.stdout)")
        }
    }
}
