// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "revgraph",
    products: [
        .executable(name: "revgraph", targets: ["revgraph"]),
        .library(name: "RevgraphCore", targets: ["RevgraphCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Headers only: libgit2 is linked statically (RevgraphGit's linker settings).
        .systemLibrary(name: "CLibGit2", path: "Sources/CLibGit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CSQLite3", path: "Sources/CSQLite3",
                       pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Headers only: libpq is loaded at run time, when a PostgreSQL URL is used (LibPQ.swift).
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        // zlib (a dependency of libgit2): loose objects are inflated with a bounded, verified stream.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib",
                       pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The libssh2 and GSSAPI functions the static libgit2 names, as stubs that fail: revgraph
        // never connects anywhere, and loading libssh2, OpenSSL and Kerberos cost every start.
        .target(name: "CGitOffline"),
        // Pure: parsing, graph, identifiers, formatting. No I/O, no C.
        .target(name: "RevgraphCore"),
        // libgit2 wrapper: trees of commits and of the index, as plain values.
        // libgit2 and the libraries only it uses (mbedTLS, http-parser, PCRE2) are linked from
        // their static archives: loading them at start cost about 2 ms of every command. Its
        // network transports' libssh2 and GSSAPI calls land in CGitOffline's stubs (no libssh2,
        // OpenSSL or Kerberos is loaded). mbedTLS's CA-bundle loader is wrapped (CertificateBundle.swift).
        .target(name: "RevgraphGit", dependencies: ["CLibGit2", "CZlib", "CGitOffline"], linkerSettings: [
            .unsafeFlags(["-Xlinker", "-l:libgit2.a", "-Xlinker", "-l:libmbedtls.a", "-Xlinker", "-l:libmbedx509.a",
                          "-Xlinker", "-l:libmbedcrypto.a", "-Xlinker", "-l:libhttp_parser.a", "-Xlinker", "-l:libpcre2-8.a",
                          "-Xlinker", "--wrap=mbedtls_x509_crt_parse_file"]),
            .linkedLibrary("z"), .linkedLibrary("rt"),
        ]),
        // SQLite and PostgreSQL through their C clients: the version table and the ledger.
        .target(name: "RevgraphDatabase", dependencies: ["RevgraphCore", "CSQLite3", "CLibPQ"]),
        // Config discovery and loading a project from the work tree or from git.
        // The project as a user selects it (Workspace), merge planning, published and release checks.
        .target(name: "RevgraphWorkspace", dependencies: ["RevgraphCore", "RevgraphGit"]),
        // Joins the workspace and the database: ledger audit, record policy, release standing.
        .target(name: "RevgraphLedger", dependencies: ["RevgraphCore", "RevgraphWorkspace", "RevgraphGit", "RevgraphDatabase"]),
        // Git hooks: scripts, install/uninstall, and the checks of pre-commit, pre-push and post-merge.
        .target(name: "RevgraphHooks", dependencies: ["RevgraphCore", "RevgraphWorkspace", "RevgraphGit"]),
        // Arguments in, text/JSON and exit codes out.
        .executableTarget(name: "revgraph", dependencies: [
            "RevgraphCore", "RevgraphWorkspace", "RevgraphGit", "RevgraphDatabase", "RevgraphLedger", "RevgraphHooks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Temp directories, git fixtures, the built binary, the reference tools: for the test targets only.
        .target(name: "RevgraphTestSupport", path: "Tests/RevgraphTestSupport"),
        .testTarget(name: "RevgraphCoreTests", dependencies: ["RevgraphCore", "RevgraphTestSupport"]),
        .testTarget(name: "RevgraphWorkspaceTests", dependencies: [
            "RevgraphWorkspace", "RevgraphCore", "RevgraphGit", "RevgraphTestSupport"]),
        .testTarget(name: "RevgraphLedgerTests", dependencies: [
            "RevgraphLedger", "RevgraphWorkspace", "RevgraphDatabase", "RevgraphCore", "RevgraphTestSupport"]),
        .testTarget(name: "RevgraphHooksTests", dependencies: [
            "RevgraphHooks", "RevgraphWorkspace", "RevgraphCore", "RevgraphTestSupport"]),
        .testTarget(name: "RevgraphCLITests", dependencies: ["RevgraphCore", "RevgraphTestSupport"]),
        .testTarget(name: "RevgraphDatabaseTests", dependencies: ["RevgraphDatabase", "RevgraphCore"]),
    ]
)
