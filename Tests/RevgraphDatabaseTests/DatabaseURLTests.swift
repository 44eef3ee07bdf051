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
