import Foundation
import RevgraphTestSupport
import Testing

/// An app with a missing parent and two leaves: check names the missing parent before any advice
/// to merge, and merge refuses with the same words instead of "Could not find common ancestor".
@Suite struct DjangoMissingParentTests {
    @Test func theMissingParentIsNamedFirst() throws {
        try withTemporaryDirectory("revgraph-django-gap") { root in
            typealias M = DjangoFixture.Migration
            try DjangoFixture.write(at: root, apps: ["blog"], migrations: [
                M("blog", "0001_initial", tables: ["post"]),
                M("blog", "0002_a", ["(\"blog\", \"0001_initial\")"], tables: ["a"]),
                M("blog", "0003_b", ["(\"blog\", \"0002_gone\")"], tables: ["b"]),
            ])
            let check = try revgraph(["check"], cwd: root)
            #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("blog.0002_gone"), "\(check.stdout)")
            #expect(!check.stdout.contains("fix: run 'revgraph merge'"), "\(check.stdout)")
            let merge = try revgraph(["merge", "--no-header"], cwd: root)
            #expect(merge.status != 0)
            #expect(merge.stderr.contains("lacks blog.0002_gone, a parent blog.0003_b names"), "\(merge.stderr)")
            #expect(!merge.stderr.contains("common ancestor"))
        }
    }
}
