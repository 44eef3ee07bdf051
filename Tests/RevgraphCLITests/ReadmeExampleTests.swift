import Foundation
import RevgraphTestSupport
import Testing

/// Every README example marked `<!-- test: FILE -->` (the line before its fence) is run: an ini or
/// TOML example is pasted into FILE of a fresh Alembic repository (with the paths `make:` lists)
/// and must be read without a config error; an `sh` example's commands run there and must succeed.
@Suite struct ReadmeExampleTests {
    struct Example: CustomStringConvertible {
        var line: Int
        var file: String
        var make: [String]
        var text: String
        var description: String { "README.md:\(line) (\(file))" }
    }

    static func examples() throws -> [Example] {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        var out: [Example] = []
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("<!-- test: "), l.hasSuffix(" -->"), i + 1 < lines.count, lines[i + 1].hasPrefix("```") {
                let spec = l.dropFirst("<!-- test: ".count).dropLast(" -->".count).components(separatedBy: "; make: ")
                var body: [String] = []
                var j = i + 2
                while j < lines.count, !lines[j].hasPrefix("```") { body.append(lines[j]); j += 1 }
                out.append(Example(line: i + 2, file: spec[0], make: spec.count > 1 ? spec[1].split(separator: " ").map(String.init) : [],
                                   text: body.joined(separator: "\n") + "\n"))
                i = j
            }
            i += 1
        }
        return out
    }

    @Test func theReadmeMarksItsConfigAndShellExamples() throws {
        let all = try Self.examples()
        #expect(all.filter { $0.file == "sh" }.count >= 2)
        #expect(all.contains { $0.file == "alembic.ini" } && all.contains { $0.file == "revgraph.toml" })
    }

    @Test(arguments: try ReadmeExampleTests.examples())
    func exampleRuns(_ example: Example) throws {
        try withTemporaryDirectory("revgraph-readme") { root in
            try makeRepository(at: root, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
            for path in example.make {
                if path.hasSuffix("/") {
                    try write(migration("m" + String(path.count), down: []), to: root + "/" + path + "m.py")
                } else if path.hasSuffix("alembic.ini") {
                    let dir = (path as NSString).deletingLastPathComponent
                    try write("[alembic]\nscript_location = %(here)s/migrations\n", to: root + "/" + path)
                    try write(migration("x" + String(dir.count), down: []), to: root + "/" + dir + "/migrations/versions/x.py")
                } else {
                    try write("", to: root + "/" + path)
                }
            }
            _ = try git(["add", "-A"], cwd: root)
            _ = try git(["commit", "-qm", "fixture", "--allow-empty"], cwd: root)
            if example.file == "sh" {
                let bin = (revgraphBinary as NSString).deletingLastPathComponent
                for command in example.text.split(separator: "\n") {
                    let cmd = command.split(separator: "#", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
                    guard !cmd.isEmpty else { continue }
                    let r = try run("/bin/sh", ["-c", cmd], cwd: root, env: ["PATH": "\(bin):/usr/bin:/bin"])
                    #expect(r.status == 0, "\(example): \(cmd): \(r.stdout)\(r.stderr)")
                }
                return
            }
            let target = root + "/" + example.file
            let existing = (try? String(contentsOfFile: target, encoding: .utf8)) ?? ""
            try write(existing + "\n" + example.text, to: target)
            let args = example.file == "revgraph.toml" ? ["check", "--all-projects"] : ["check"]
            let r = try revgraph(args, cwd: root)
            #expect(r.status == 0 || r.status == 1, "\(example): \(r.stdout)\(r.stderr)")
            #expect(!r.stderr.contains("revgraph setting") && !r.stderr.contains("cannot read"), "\(example): \(r.stderr)")
        }
    }
}
