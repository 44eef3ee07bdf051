import RevgraphCore
import RevgraphDatabase
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
