import Foundation
import RevgraphTestSupport
import Testing

/// `log` gives the same answer on every run and resolves a revision held by two files as alembic
/// does (the file it loads last); a range starts from the state at its first commit's parent.
@Suite struct LogExactTests {
    func v(_ dir: String, _ file: String) -> String { dir + "/migrations/versions/" + file }

    @Test func aRevisionInTwoFilesIsResolvedAsAlembicResolvesItOnEveryRun() throws {
        try withTemporaryDirectory("revgraph-log-dup") { root in
            // x is in two files; alembic keeps x_q.py (loaded after x_f.py): x's parent is q.
            try makeRepository(at: root, files: ["a.py": migration("a", down: []), "f.py": migration("f", down: ["a"]),
                                                 "q.py": migration("q", down: ["a"])])
            try write(migration("x", down: ["f"]), to: v(root, "x_f.py"))
            try write(migration("x", down: ["q"]), to: v(root, "x_q.py"))
            _ = try git(["add", "-A"], cwd: root)
            _ = try git(["commit", "-qm", "x twice: heads f and x"], cwd: root)
            // Resolved by making x (the file alembic keeps) a merge of f and q.
            try write(migration("x", down: ["f", "q"]), to: v(root, "x_q.py"))
            _ = try git(["commit", "-qam", "x merges f and q"], cwd: root)
            var outputs = Set<String>()
            for _ in 0..<6 {
                let r = try revgraph(["log"], cwd: root)
                #expect(r.status == 0, "\(r.stderr)")
                outputs.insert(r.stdout)
            }
            #expect(outputs.count == 1, "\(outputs)")
            #expect(outputs.first?.contains("by rewriting down_revision of x (q -> f, q)") == true, "\(outputs)")
        }
    }

    @Test func aRangeStartsFromItsFirstCommitsParent() throws {
        try withTemporaryDirectory("revgraph-log-range") { root in
            try makeRepository(at: root, files: ["a.py": migration("a", down: []), "b1.py": migration("b1", down: ["a"]),
                                                 "b2.py": migration("b2", down: ["a"])])
            let forked = try git(["rev-parse", "HEAD"], cwd: root).trimmingCharacters(in: .whitespacesAndNewlines)
            try write("notes\n", to: root + "/README")
            _ = try git(["add", "-A"], cwd: root)
            _ = try git(["commit", "-qm", "readme"], cwd: root)
            try write("more\n", to: root + "/README")
            _ = try git(["commit", "-qam", "readme again"], cwd: root)
            let r = try revgraph(["log", "\(forked)..HEAD"], cwd: root)
            #expect(r.status == 0, "\(r.stderr)")
            // The fork was there before the range: no commit of the range made it.
            #expect(!r.stdout.contains("  fork: "), "\(r.stdout)")
            #expect(r.stdout.contains("still forked since \(forked.prefix(12))"), "\(r.stdout)")
            // The whole history still names the commit that forked it.
            #expect(try revgraph(["log"], cwd: root).stdout.contains("  fork: heads b1, b2"))
        }
    }
}
