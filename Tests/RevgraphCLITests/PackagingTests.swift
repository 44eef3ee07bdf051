import Foundation
import RevgraphTestSupport
import Testing

/// The release artifacts of `scripts/package.sh` (the test command builds them first and sets
/// `REVGRAPH_DIST_DIR`), run as a user without Swift would: the toolchain's directory is hidden
/// by an empty tmpfs mounted over it in a private mount namespace (`unshare -m`).
@Suite(.serialized)
struct PackagingTests {
    static let distDir = ProcessInfo.processInfo.environment["REVGRAPH_DIST_DIR"]
    static let enabled = distDir != nil || Requirement.inCI

    /// The Swift toolchain's root, from where this test process loaded libswiftCore.so.
    static func toolchainRoot() throws -> String {
        // /proc files report size 0: read to the end rather than by size.
        let data = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd() ?? Data()
        let maps = String(decoding: data, as: UTF8.self)
        guard let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
              let path = line.split(separator: " ").last, let r = path.range(of: "/usr/lib/swift")
        else { throw TestFailure("libswiftCore.so is not mapped: cannot tell where the toolchain is") }
        return String(path[..<r.lowerBound])
    }

    /// Whether this machine lets a test make a private mount namespace (root with CAP_SYS_ADMIN).
    /// (`REVGRAPH_TEST_NO_NAMESPACE=1` takes the fallback path on purpose, to test it.)
    static let canHide: Bool = {
        if ProcessInfo.processInfo.environment["REVGRAPH_TEST_NO_NAMESPACE"] != nil { return false }
        guard let root = try? toolchainRoot(),
              let r = try? run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount -t tmpfs none \"$0\"", root], cwd: "/")
        else { return false }
        return r.status == 0
    }()

    /// Runs `executable` with the toolchain's directory hidden. Where mount namespaces are not
    /// allowed, the binary is checked instead: no RPATH into the toolchain and no library it loads
    /// from there (said on stderr, so the weaker proof is visible).
    static func hidden(_ executable: String, _ args: [String], cwd: String) throws -> RunResult {
        let root = try toolchainRoot()
        guard canHide else {
            FileHandle.standardError.write(Data("PackagingTests: no mount namespace here; checking \(executable)'s libraries instead of hiding \(root)\n".utf8))
            let ldd = try run("/usr/bin/ldd", [executable])
            if !executable.hasPrefix(root), ldd.status == 0, ldd.stdout.contains(root) {
                throw TestFailure("\(executable) loads libraries from the toolchain:\n\(ldd.stdout)")
            }
            let elf = try run("/usr/bin/readelf", ["-d", executable])
            if elf.stdout.split(separator: "\n").contains(where: { $0.contains("PATH") && $0.contains(root) }) {
                throw TestFailure("\(executable) has an RPATH into the toolchain:\n\(elf.stdout)")
            }
            return try run(executable, args, cwd: cwd)
        }
        return try run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount -t tmpfs none \"$0\" && exec \"$@\"", root, executable] + args,
                       cwd: cwd)
    }

    static func artifact(_ suffix: String) throws -> String {
        guard let dir = distDir else { throw TestFailure("REVGRAPH_DIST_DIR is not set: the test command runs scripts/package.sh") }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("revgraph-") && $0.hasSuffix(suffix) }
        guard names.count == 1 else { throw TestFailure("expected one revgraph-*\(suffix) in \(dir), found \(names)") }
        return dir + "/" + names[0]
    }

    @Test(.enabled(if: enabled, "needs the packaged artifacts (REVGRAPH_DIST_DIR; scripts/package.sh)"))
    func theToolchainIsReallyHidden() throws {
        let root = try Self.toolchainRoot()
        // Without mount namespaces the other tests check the binaries' libraries instead.
        guard Self.canHide else {
            // The fallback check must tell the development build (which needs the toolchain) apart.
            #expect(throws: TestFailure.self) { try Self.hidden(revgraphBinary, ["--version"], cwd: "/") }
            return
        }
        let r = try Self.hidden("/bin/sh", ["-c", "ls -A \"$0\" | wc -l; test -e \"$0/usr/bin/swift\" && echo visible || echo hidden", root],
                                cwd: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "0\nhidden\n")
        // The development build needs the toolchain's runtime: hidden, it cannot start.
        let dev = try Self.hidden(revgraphBinary, ["--version"], cwd: "/")
        #expect(dev.status != 0)
        #expect(dev.stderr.contains("libswift"))
    }

    /// The product uses FoundationEssentials only: Foundation proper, CoreFoundation and ICU
    /// (time zones come from the tz database, ZoneInfoFiles) are not linked. They cost every
    /// start about 0.6 ms (36,000 more relocations, 170 more page faults) and 48 MB of binary.
    @Test func theBinaryLinksNeitherFoundationNorICU() throws {
        let symbols = try run("/usr/bin/nm", ["--defined-only", revgraphBinary])
        try #require(symbols.status == 0, "\(symbols.stderr)")
        let names = symbols.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last }
        #expect(names.contains { $0.hasPrefix("$s20FoundationEssentials") }, "the symbol table was read")
        #expect(!names.contains { $0.hasPrefix("$s10Foundation") }, "Foundation is linked")
        #expect(!names.contains { $0.hasPrefix("$s30FoundationInternationalization") }, "FoundationInternationalization is linked")
        #expect(!names.contains { $0.hasPrefix("__CFInitialize") || $0.contains("icu_") }, "CoreFoundation or ICU is linked")
    }

    @Test(.enabled(if: enabled, "needs the packaged artifacts (REVGRAPH_DIST_DIR; scripts/package.sh)"))
    func tarballHoldsWhatItShould() throws {
        let tarball = try Self.artifact(".tar.gz")
        let list = try run("/usr/bin/tar", ["-tzf", tarball]).stdout.split(separator: "\n").map(String.init)
        let top = (tarball as NSString).lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        for entry in ["bin/revgraph", "lib/revgraph/libpq.so.5", "lib/revgraph/libsqlite3.so.0",
                      "share/man/man1/revgraph.1", "share/bash-completion/completions/revgraph", "share/zsh/site-functions/_revgraph",
                      "share/fish/vendor_completions.d/revgraph.fish", "LICENSE", "README.md", "CHANGELOG.md"] {
            #expect(list.contains("\(top)/\(entry)"), "\(entry) missing from \(tarball)")
        }
        #expect(!list.contains { $0.contains("libswift") }, "the Swift runtime is linked statically, never carried")
        #expect(!list.contains { $0.contains("libgit2") }, "libgit2 is linked statically, never carried")
        #expect(!list.contains { $0.contains("libssh2") }, "libgit2's SSH calls land in stubs (CGitOffline): no libssh2 to carry")
        // libgit2's call of mbedTLS's CA-bundle loader is wrapped (CertificateBundle.swift): the
        // packaged binary never opens the bundle.
        let dir = try makeTempDir("revgraph-tarball-syms")
        try #require(run("/usr/bin/tar", ["-xzf", tarball, "-C", dir]).status == 0)
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") && !Requirement.inCI {
            FileHandle.standardError.write(Data("PackagingTests: no strace here; the packaged binary's CA-bundle check did not run\n".utf8))
        } else {
            let repo = try makeTempDir("revgraph-tarball-repo")
            try makeRepository(at: repo, files: ["a1_init.py": migration("a1", down: [])])
            let log = repo + "/opens.log"
            let r = try run("/usr/bin/strace", ["-f", "-e", "trace=open,openat", "-o", log, "\(dir)/\(top)/bin/revgraph", "heads", "--at", "HEAD"],
                            cwd: repo)
            #expect(r.status == 0 && r.stdout == "a1 (head)\n", "\(r.stderr)")
            #expect(!(try String(contentsOfFile: log, encoding: .utf8)).contains("/etc/ssl/certs"))
        }
    }

    /// Without libpq (the file made unreadable in a private mount namespace), a PostgreSQL URL ends
    /// in a named error (exit 2) that says what to install, and the password stays out of it.
    @Test(.enabled(if: canHide || Requirement.inCI, "needs a mount namespace (unshare -m)"))
    func withoutLibpqAPostgresURLSaysWhatToInstall() throws {
        try #require(Self.canHide, "no mount namespace here: libpq cannot be hidden")
        try withTemporaryDirectory("revgraph-nolibpq") { dir in
            try makeProject(at: dir, files: ["a1_init.py": migration("a1", down: [])])
            let libpq = try run("/usr/bin/readlink", ["-f", "/lib/x86_64-linux-gnu/libpq.so.5"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(FileManager.default.fileExists(atPath: libpq))
            let r = try run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount --bind /dev/null \"$0\" && exec \"$@\"", libpq,
                                                 revgraphBinary, "current", "--db", "postgresql://u:s3cr3t@127.0.0.1:9/x"], cwd: dir)
            #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains("cannot load libpq.so.5"), "\(r.stderr)")
            #expect(r.stderr.contains("install libpq"), "\(r.stderr)")
            #expect(!r.stderr.contains("s3cr3t") && !r.stdout.contains("s3cr3t"))
            // Everything that does not reach PostgreSQL runs as before.
            let heads = try run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount --bind /dev/null \"$0\" && exec \"$@\"", libpq,
                                                     revgraphBinary, "heads"], cwd: dir)
            #expect(heads.status == 0 && heads.stdout == "a1 (head)\n", "\(heads.stderr)")
        }
    }

    /// libpq is not linked (LibPQ.swift): the packaged binary loads the copy it carries, and only
    /// when asked for it (here by --version, which prints libpq's version).
    @Test(.enabled(if: enabled, "needs the packaged artifacts (REVGRAPH_DIST_DIR; scripts/package.sh)"))
    func tarballBinaryLoadsTheCarriedLibpqOnDemand() throws {
        let tarball = try Self.artifact(".tar.gz")
        let top = (tarball as NSString).lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        let dir = try makeTempDir("revgraph-tarball-libpq")
        try #require(run("/usr/bin/tar", ["-xzf", tarball, "-C", dir]).status == 0)
        let binary = "\(dir)/\(top)/bin/revgraph"
        let needed = try run("/usr/bin/readelf", ["-d", binary]).stdout
        #expect(!needed.contains("libpq"), "libpq is loaded at run time, not linked")
        func loaded(_ args: [String]) throws -> [Substring] {
            let log = try makeTempDir("revgraph-ld") + "/files"
            let r = try run(binary, args, cwd: dir, env: ["LD_DEBUG": "files", "LD_DEBUG_OUTPUT": log])
            #expect(r.status == 0, "\(r.stderr)")
            let logDir = (log as NSString).deletingLastPathComponent
            return try FileManager.default.contentsOfDirectory(atPath: logDir)
                .map { try String(contentsOfFile: logDir + "/" + $0, encoding: .utf8) }.joined()
                .split(separator: "\n").filter { $0.contains("/libpq.so.5") }
        }
        let version = try loaded(["--version"])
        #expect(version.contains { $0.contains("\(dir)/\(top)/bin/../lib/revgraph/libpq.so.5") }, "\(version)")
        #expect(try loaded(["hooks", "print", "pre-commit"]).isEmpty, "a command without a database does not load libpq")
    }

    @Test(.enabled(if: enabled && Requirement.alembic, "needs the packaged artifacts and alembic"), arguments: LedgerBackend.available)
    func tarballBinaryRunsTheDemoWithoutSwift(backend: LedgerBackend) throws {
        let dir = try makeTempDir("revgraph-tarball")
        try #require(run("/usr/bin/tar", ["-xzf", try Self.artifact(".tar.gz"), "-C", dir]).status == 0)
        let top = try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasPrefix("revgraph-") }!
        try demo(binary: "\(dir)/\(top)/bin/revgraph", backend: backend)
    }

    @Test(.enabled(if: enabled && Requirement.alembic, "needs the packaged artifacts and alembic"), arguments: LedgerBackend.available)
    func wheelInstallsARevgraphThatRunsTheDemoWithoutSwift(backend: LedgerBackend) throws {
        let wheel = try Self.artifact(".whl")
        let venv = try makeTempDir("revgraph-wheel") + "/venv"
        try #require(run("/usr/bin/python3", ["-m", "venv", venv]).status == 0)
        let pip = try run(venv + "/bin/pip", ["install", "-q", "--no-index", "--disable-pip-version-check", wheel])
        try #require(pip.status == 0, "\(pip.stderr)")
        let version = try Self.hidden(venv + "/bin/revgraph", ["--version"], cwd: "/")
        #expect(version.status == 0, "\(version.stderr)")
        let name = (wheel as NSString).lastPathComponent
        let projectVersion = name.split(separator: "-")[1]
        #expect(version.stdout.hasPrefix("revgraph \(projectVersion) (commit "))
        #expect(!version.stdout.contains("unknown"), "the packaged binary knows its commit")
        #expect(version.stdout.contains("libgit2 1.") && version.stdout.contains("libpq 1") && version.stdout.contains("SQLite 3."))
        try demo(binary: venv + "/bin/revgraph", backend: backend)
    }

    @Test(.enabled(if: enabled && Requirement.alembic, "needs the packaged artifacts and auditwheel in the test virtualenv"))
    func wheelTagIsWhatAuditwheelSees() throws {
        let wheel = try Self.artifact(".whl")
        let auditwheel = ((try Requirement.python()) as NSString).deletingLastPathComponent + "/auditwheel"
        let r = try run(auditwheel, ["show", wheel])
        #expect(r.status == 0, "\(r.stderr)")
        let tag = (wheel as NSString).lastPathComponent.split(separator: "-").last!.replacingOccurrences(of: ".whl", with: "")
        let shown = r.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(shown.contains("consistent with the following platform tag: \"\(tag)\""), "\(r.stdout)")
    }

    /// The demo's story with `binary`, hidden from the toolchain: a git merge forks the graph,
    /// `check` fails, `merge --auto` writes the merge revision, alembic upgrades the database,
    /// `record` and `verify` keep and check the ledger, and an edit of an applied file is caught.
    func demo(binary: String, backend: LedgerBackend) throws {
        let python = try Requirement.python()
        let dir = try makeTempDir("revgraph-demo")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("Examples/demo").path, toPath: dir)
        let url = try backend.databaseURL(in: dir)
        let ini = try String(contentsOfFile: dir + "/alembic.ini", encoding: .utf8)
        try ini.replacingOccurrences(of: "sqlite:///demo.db", with: url.replacingOccurrences(of: "%", with: "%%"))
            .write(toFile: dir + "/alembic.ini", atomically: true, encoding: .utf8)
        let pending = dir + "/pending"
        let versions = dir + "/migrations/versions"
        try FileManager.default.moveItem(atPath: pending, toPath: dir + "/../" + (dir as NSString).lastPathComponent + "-pending")
        let moved = dir + "/../" + (dir as NSString).lastPathComponent + "-pending"
        try git(["init", "-q", "-b", "main"], cwd: dir)
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "users and orders"], cwd: dir)
        try git(["checkout", "-q", "-b", "feature"], cwd: dir)
        try FileManager.default.copyItem(atPath: moved + "/3c1d4e5f6a7b_add_email.py", toPath: versions + "/3c1d4e5f6a7b_add_email.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "add email"], cwd: dir)
        try git(["checkout", "-q", "main"], cwd: dir)
        try FileManager.default.copyItem(atPath: moved + "/9a8b7c6d5e4f_add_invoices.py", toPath: versions + "/9a8b7c6d5e4f_add_invoices.py")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "add invoices"], cwd: dir)
        try git(["merge", "-q", "--no-edit", "feature"], cwd: dir)

        func rg(_ args: String...) throws -> RunResult { try Self.hidden(binary, args, cwd: dir) }
        let heads = try rg("heads")
        #expect(heads.status == 0, "\(heads.stderr)")
        #expect(heads.stdout.contains("3c1d4e5f6a7b (head)") && heads.stdout.contains("9a8b7c6d5e4f (head)"), "\(heads.stdout)")
        #expect(try rg("check").status == 1)
        let merge = try rg("merge", "--auto", "-m", "merge email and invoices")
        #expect(merge.status == 0, "\(merge.stderr)")
        let check = try rg("check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        try git(["add", "-A"], cwd: dir)
        try git(["commit", "-qm", "merge heads"], cwd: dir)

        let up = try run(python, ["-m", "alembic", "upgrade", "head"], cwd: dir)
        try #require(up.status == 0, "alembic upgrade failed: \(up.stderr)")
        let record = try rg("record")
        #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
        let verify = try rg("verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // An applied migration edited afterwards: verify names it.
        let orders = versions + "/5a6b7c8d9e0f_create_orders.py"
        let text = try String(contentsOfFile: orders, encoding: .utf8)
        try (text + "\n# edited after it ran\n").write(toFile: orders, atomically: true, encoding: .utf8)
        try git(["commit", "-qam", "edit an applied migration", "--no-verify"], cwd: dir)
        let caught = try rg("verify")
        #expect(caught.status == 1)
        #expect((caught.stdout + caught.stderr).contains("5a6b7c8d9e0f"))
        for output in [heads, merge, record, verify, caught] where backend == .postgresql {
            #expect(!(output.stdout + output.stderr).contains(try Requirement.postgresServer().passwordPart), "no password in output")
        }
    }
}

/// Where the ledger lives in a packaging run.
enum LedgerBackend: String, CaseIterable, Sendable {
    case sqlite, postgresql
    static let available: [LedgerBackend] = Requirement.postgres ? allCases : [.sqlite]

    /// A fresh database of this kind, as an SQLAlchemy URL.
    func databaseURL(in dir: String) throws -> String {
        guard self == .postgresql else { return "sqlite:///\(dir)/demo.db" }
        let base = try Requirement.postgresServer()
        let name = "rg_pkg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        let created = try run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"], cwd: dir)
        guard created.status == 0 else { throw TestFailure("createdb failed: \(created.stderr)") }
        return String(base[..<base.lastIndex(of: "/")!]).replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
            + "/" + name
    }
}

extension String {
    /// The password of a `scheme://user:password@host` URL.
    var passwordPart: String {
        guard let at = range(of: "@"), let scheme = range(of: "://") else { return "\u{0}" }
        let userinfo = self[scheme.upperBound..<at.lowerBound]
        guard let colon = userinfo.firstIndex(of: ":") else { return "\u{0}" }
        return String(userinfo[userinfo.index(after: colon)...])
    }
}
