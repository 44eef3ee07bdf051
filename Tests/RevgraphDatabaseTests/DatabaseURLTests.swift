import RevgraphCore
@testable import RevgraphDatabase
import Testing

@Suite struct DatabaseURLTests {
    @Test func sqlalchemyURLsParseAndMask() throws {
        #expect(try DatabaseURL("sqlite:///relative.db").sqlitePath == "relative.db")
        #expect(try DatabaseURL("sqlite:////abs/x.db").sqlitePath == "/abs/x.db")
        #expect(try DatabaseURL("sqlite://").sqlitePath == nil)
        let pg = try DatabaseURL("postgresql+psycopg2://app:s3cr%40t@db.example:5433/prod?sslmode=require")
        #expect(pg.dialect == .postgresql)
        #expect(pg.description == "postgresql+psycopg2://app:***@db.example:5433/prod?sslmode=require")
        #expect(!pg.scrub("auth failed for s3cr@t").contains("s3cr@t"))
        #expect(DatabaseURL.mask("postgresql://u@h/db?password=hunter2") == "postgresql://u@h/db?password=***")
        #expect(throws: DatabaseError.self) { try DatabaseURL("mysql://u:p@h/db") }
        #expect {
            try DatabaseURL("mysql+pymysql://u:p@h/db")
        } throws: { error in
            "\(error)".contains("'mysql' dialect is not supported yet")
        }
    }

    @Test func libpqGetsKeywordsFromTheParsedPartsNeverTheURL() throws {
        let u = try DatabaseURL("postgresql+asyncpg://app:p%40ss:w@rd@db.example:5433/prod%20db?sslmode=require&application_name=rg")
        let k = Dictionary(u.libpqKeywords, uniquingKeysWith: { $1 })
        #expect(k == ["user": "app", "password": "p@ss:w@rd", "host": "db.example", "port": "5433", "dbname": "prod db",
                      "sslmode": "require", "application_name": "rg"])
        let ipv6 = try DatabaseURL("postgresql://u@[::1]:5432/x")
        #expect(Dictionary(ipv6.libpqKeywords, uniquingKeysWith: { $1 })["host"] == "::1")
        let socket = try DatabaseURL("postgresql:///db?host=/run/pg")
        #expect(Dictionary(socket.libpqKeywords, uniquingKeysWith: { $1 }) == ["dbname": "db", "host": "/run/pg"])
        for bad in ["postgresql://u:p@host:notaport/db", "postgresql://u:p@[::1/db"] {
            #expect { try DatabaseURL(bad) } throws: { "\($0)".contains("***") && !"\($0)".contains(":p@") }
        }
    }

    @Test func scrubbingCoversEveryFormOfThePassword() throws {
        let u = try DatabaseURL("postgresql://app:s%40cr%3At@h/db")
        for leak in ["s%40cr%3At", "s@cr:t", "password=s@cr:t", "password='s@cr:t'"] {
            #expect(!u.scrub("error near \(leak) here").contains("cr"), "\(leak)")
        }
        #expect(u.scrub("connect to password=other failed") == "connect to password=*** failed")
    }

    @Test func checksumIgnoresLineEndingsAndBOM() {
        let lf = Array("a\nb\n".utf8)
        #expect(Checksum.of(lf) == Checksum.of(Array("a\r\nb\r\n".utf8)))
        #expect(Checksum.of(lf) == Checksum.of([0xEF, 0xBB, 0xBF] + lf))
        #expect(Checksum.of(lf) != Checksum.of(Array("a\nb\n\n".utf8)))
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1000))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// A known secret in URLs, DSNs and libpq keyword strings of every shape, well-formed or not:
/// it never survives masking, in the URL's own text, in a parse error, or in a driver message that
/// repeats it (as written or decoded).
@Suite struct SecretMaskPropertyTests {
    static let schemes = ["postgresql", "postgres", "postgresql+psycopg2", "sqlite", "mysql+pymysql", "driver", "", "PostgreSQL"]
    /// Every way a scheme can be cut from the rest ("postgresqlapp:x" names no scheme and no user: not a case).
    static let separators = ["://", ":/", "//", ":", ":///", ":////"]
    static let secrets = ["S3cr3t", "p@ss:w/rd", "sp ace", "per%cent", "qu'ote", "ünï©ødé", "Qz7"]

    /// The secret as it is written at `place` (percent-encoded in a URL, quoted in a keyword string).
    static func urls(_ secret: String) -> [String] {
        let enc = DatabaseURL.percentEncode(secret)
        var out: [String] = []
        for scheme in schemes {
            for sep in separators {
                let p = scheme + sep
                out += [p + "app:\(enc)@127.0.0.1:1/db", p + "app:\(enc)@", p + "app:\(enc)", p + "app%3A\(enc)@h/db",
                        p + ":\(enc)@h", p + "app:\(enc)@[::1]:5432/db?sslmode=disable",
                        p + "h/db?password=\(enc)", p + "h/db?sslmode=x&PASSWORD=\(enc)&x=1", p + "user=app password=\(enc)",
                        p + "app:\(enc)@h@other/db"]
            }
        }
        let quoted = "'" + secret.replacingAll("'", with: "\\'") + "'"
        out += ["host=127.0.0.1 port=1 user=app password=\(quoted) dbname=x", "password = \(quoted)", "dbname=x password=\(quoted)",
                "host=h password=\(enc)", "PASSWORD=\(quoted) host=h"]
        return out
    }

    @Test(arguments: secrets)
    func aSecretNeverSurvivesMasking(_ secret: String) {
        let enc = DatabaseURL.percentEncode(secret)
        for url in Self.urls(secret) {
            let shown: String
            do { shown = try DatabaseURL(url).description } catch { shown = error.description }
            let masked = SecretMask.mask(url, sources: [url])
            for text in [shown, masked] {
                #expect(!text.contains(secret) && !text.contains(enc), "\(url) -> \(text)")
            }
            // A driver message repeating the value, as written and decoded.
            if let parsed = try? DatabaseURL(url) {
                let message = "FATAL: password authentication failed (\(secret)) invalid port \"\(enc)\" for \(url)"
                let scrubbed = parsed.scrub(message)
                #expect(!scrubbed.contains(secret) && !scrubbed.contains(enc), "\(url) -> \(scrubbed)")
            }
        }
    }

    @Test func whatIsNotASecretStays() {
        #expect(SecretMask.mask("postgresql://app@127.0.0.1:5432/db") == "postgresql://app@127.0.0.1:5432/db")
        #expect(SecretMask.mask("sqlite:///var/app.db") == "sqlite:///var/app.db")
        #expect(SecretMask.mask("postgresql://app:***@h/db") == "postgresql://app:***@h/db")
    }
}
