import Foundation
import Testing

/// The package root, found from this file's path.
public let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `revgraph` binary: `REVGRAPH_BIN`, else the one beside the running test bundle
/// (SwiftPM builds both into the same directory, whatever the configuration).
public let revgraphBinary: String = {
    if let bin = ProcessInfo.processInfo.environment["REVGRAPH_BIN"] { return bin }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // The bundle's executable may sit inside `<name>.xctest/`.
    if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("revgraph").path
}()

/// What the integration tests need from outside: alembic in a virtualenv, a PostgreSQL server.
/// Locally a test that needs a missing one is skipped, visibly (`.enabled(if:)`); under CI=true
/// it runs and fails.
public enum Requirement {
    public static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    /// `REVGRAPH_ALEMBIC_PYTHON`: a python with alembic installed (the test command makes one).
    public static let alembicPython = ProcessInfo.processInfo.environment["REVGRAPH_ALEMBIC_PYTHON"]
    /// `REVGRAPH_TEST_POSTGRES_URL`: a server the test command starts on 127.0.0.1.
    public static let postgresURL = ProcessInfo.processInfo.environment["REVGRAPH_TEST_POSTGRES_URL"]

    /// For `.enabled(if:)`: true when alembic is there, and always in CI.
    public static let alembic = alembicPython != nil || inCI
    /// For `.enabled(if:)`: true when PostgreSQL is there, and always in CI.
    public static let postgres = postgresURL != nil || inCI

    /// The alembic python; throws (a failure) when it is missing.
    public static func python() throws -> String {
        guard let p = alembicPython else { throw TestFailure("REVGRAPH_ALEMBIC_PYTHON is not set; the test command installs alembic") }
        return p
    }

    /// The PostgreSQL URL; throws (a failure) when it is missing.
    public static func postgresServer() throws -> String {
        guard let u = postgresURL else { throw TestFailure("REVGRAPH_TEST_POSTGRES_URL is not set: the test command starts PostgreSQL") }
        return u
    }
}

public struct RunResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program and captures its output (stdin from `input`).
@discardableResult
public func run(_ executable: String, _ args: [String], cwd: String? = nil, input: String? = nil,
         env: [String: String] = [:]) throws -> RunResult
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                     stderr: String(decoding: e, as: UTF8.self))
}

public func revgraph(_ args: [String], cwd: String, input: String? = nil) throws -> RunResult {
    try run(revgraphBinary, args, cwd: cwd, input: input)
}

/// A fresh temporary directory, removed by the caller's `defer`.
public func makeTempDir(_ name: String = "revgraph") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

public func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Runs git with a fixed identity.
@discardableResult
public func git(_ args: [String], cwd: String) throws -> String {
    let r = try run("/usr/bin/git", args, cwd: cwd, env: [
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
    ])
    if r.status != 0 { throw TestFailure("git \(args.joined(separator: " ")) failed: \(r.stderr)") }
    return r.stdout
}

/// git as a developer runs it: a fixed identity, no system or global config, and revgraph found
/// through `REVGRAPH` (the built binary) unless `env` says otherwise.
@discardableResult
public func developerGit(_ args: [String], _ cwd: String, env: [String: String] = [:]) throws -> RunResult {
    var e = ["GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
             "GIT_COMMITTER_EMAIL": "dev@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
             "REVGRAPH": revgraphBinary]
    for (k, v) in env { e[k] = v }
    return try run("/usr/bin/git", args, cwd: cwd, env: e)
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// A migration file in the layout `alembic revision` writes.
public func migration(_ id: String, down: [String], message: String = "", labels: [String] = [], depends: [String] = [],
               annotated: Bool = true) -> String
{
    func lit(_ xs: [String], list: Bool = false) -> String {
        if xs.isEmpty { return "None" }
        if xs.count == 1 { return "'\(xs[0])'" }
        let inner = xs.map { "'\($0)'" }.joined(separator: ", ")
        return list ? "[\(inner)]" : "(\(inner))"
    }
    let ann = annotated ? ": Union[str, Sequence[str], None]" : ""
    return """
        \"\"\"\(message)

        Revision ID: \(id)
        Revises: \(down.joined(separator: ", "))
        Create Date: 2026-11-27 12:00:00.000000

        \"\"\"
        from typing import Sequence, Union

        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision\(annotated ? ": str" : "") = '\(id)'
        down_revision\(ann) = \(lit(down))
        branch_labels\(ann) = \(labels.isEmpty ? "None" : "(" + labels.map { "'\($0)'" }.joined(separator: ", ") + ",)")
        depends_on\(ann) = \(lit(depends, list: true))


        def upgrade() -> None:
            pass


        def downgrade() -> None:
            pass

        """
}

/// A project with `alembic.ini` and `migrations/versions`.
public func makeProject(at root: String, files: [String: String]) throws {
    try write("[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n", to: root + "/alembic.ini")
    try write("# env.py is never run by revgraph\n", to: root + "/migrations/env.py")
    for (name, text) in files { try write(text, to: root + "/migrations/versions/\(name)") }
}

/// Runs `body` in a fresh temporary directory, removed afterwards.
public func withTemporaryDirectory<T>(_ name: String = "revgraph", _ body: (String) throws -> T) throws -> T {
    let dir = try makeTempDir(name)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

/// A git repository with a project (`alembic.ini`, `migrations/versions`) committed on `main`.
public func makeRepository(at dir: String, files: [String: String]) throws {
    try git(["init", "-q", "-b", "main", dir], cwd: "/")
    try makeProject(at: dir, files: files)
    try git(["add", "-A"], cwd: dir)
    try git(["commit", "-qm", "base"], cwd: dir)
}

/// A deterministic random generator (SplitMix64), for property tests that must fail the same way twice.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    /// `n` lower-case hex digits.
    public mutating func hex(_ n: Int) -> String { String((0..<n).map { _ in Array("0123456789abcdef")[int(16)] }) }
}
