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
        .systemLibrary(name: "CLibGit2", path: "Sources/CLibGit2",
                       pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CSQLite3", path: "Sources/CSQLite3",
                       pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ",
                       pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Pure: parsing, graph, identifiers, formatting. No I/O, no C.
        .target(name: "RevgraphCore"),
        // libgit2 wrapper: trees of commits and of the index, as plain values.
        .target(name: "RevgraphGit", dependencies: ["CLibGit2"]),
        // SQLite and PostgreSQL through their C clients: the version table and the ledger.
        .target(name: "RevgraphDatabase", dependencies: ["RevgraphCore", "CSQLite3", "CLibPQ"]),
        // Config discovery and loading a project from the work tree or from git.
        .target(name: "RevgraphWorkspace", dependencies: ["RevgraphCore", "RevgraphGit"]),
        .executableTarget(name: "revgraph", dependencies: [
            "RevgraphCore", "RevgraphWorkspace", "RevgraphGit", "RevgraphDatabase",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "RevgraphCoreTests", dependencies: ["RevgraphCore"]),
        .testTarget(name: "RevgraphWorkspaceTests", dependencies: ["RevgraphWorkspace", "RevgraphCore", "RevgraphGit"]),
        .testTarget(name: "RevgraphCLITests", dependencies: ["RevgraphCore"]),
        .testTarget(name: "RevgraphDatabaseTests", dependencies: ["RevgraphDatabase", "RevgraphCore"]),
    ]
)
