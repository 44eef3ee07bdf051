import Foundation
import RevgraphTestSupport
import Testing

/// A known password in database URLs of many shapes, given with --db, REVGRAPH_DATABASE_URL or
/// sqlalchemy.url: it never appears in what record, verify, current and status print (text, JSON,
/// errors, libpq's and SQLite's messages), as written or percent-decoded.
@Suite struct SecretOutputTests {
    static let secret = "Zw9-s3cr%t"
    static var shapes: [String] {
        let enc = "Zw9-s3cr%25t"
        return [
            "host=127.0.0.1 port=1 user=app password=\(secret) dbname=x", "host=127.0.0.1 port=1 password='\(secret)'",
            "postgresql:/app:\(enc)@127.0.0.1:1/x", "postgresql//app:\(enc)@127.0.0.1:1/x", "postgresql://app:\(enc)",
            "postgresql://user=app password=\(enc)", "postgresql://app%3A\(enc)@127.0.0.1:1/x",
            "postgresql://app:\(enc)@127.0.0.1:1/x", "postgresql+psycopg2://app:\(enc)@127.0.0.1:1/x?sslmode=disable",
            "postgresql://127.0.0.1:1/x?user=app&password=\(enc)", "postgresql:///app:\(enc)", "mysql://app:\(enc)@127.0.0.1/x",
            "sqlite:///nonexistent-dir/app.db?password=\(enc)", "driver://app:\(enc)@localhost/x",
        ]
    }

    @Test func noCommandPrintsThePassword() throws {
        try withTemporaryDirectory("revgraph-secret") { root in
            try makeRepository(at: root, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
            let ini = try String(contentsOfFile: root + "/alembic.ini", encoding: .utf8)
            for url in Self.shapes {
                try (ini + "sqlalchemy.url = \(url.replacingOccurrences(of: "%", with: "%%"))\n")
                    .write(toFile: root + "/alembic.ini", atomically: true, encoding: .utf8)
                for command in [["current"], ["status", "--format", "json"], ["verify"], ["record"], ["status"]] {
                    let runs = [
                        try run(revgraphBinary, command + ["--db", url], cwd: root),
                        try run(revgraphBinary, command, cwd: root, env: ["REVGRAPH_DATABASE_URL": url]),
                        try run(revgraphBinary, command, cwd: root),
                    ]
                    for r in runs {
                        let out = r.stdout + r.stderr
                        #expect(!out.contains(Self.secret) && !out.contains("Zw9-s3cr%25t"), "\(command) \(url): \(out)")
                    }
                }
            }
        }
    }
}
