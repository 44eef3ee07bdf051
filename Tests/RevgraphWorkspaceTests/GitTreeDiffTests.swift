import Foundation
import RevgraphGit
import RevgraphTestSupport
import Testing

/// `diffTrees` (entries compared in place, log's tree walk) must list exactly the files `git
/// diff-tree -r` lists between two commits' trees: added, removed, changed, in subdirectories,
/// files replaced by directories and the reverse, and names whose order depends on git's rule
/// that a directory sorts as if its name ended in '/'.
@Suite struct GitTreeDiffTests {
    /// Names chosen to sit around '/' (0x2F) in byte order: "a-b" (0x2D), "a.b" (0x2E), "a/…", "a0" (0x30).
    static let names = ["a", "a-b", "a.b", "a0", "b.py", "c.py", "d"]

    @Test(arguments: 1...12)
    func diffTreesListsWhatGitDiffTreeLists(seed: Int) throws {
        var rng = SplitMix(state: UInt64(seed) &* 7919)
        let dir = try makeTempDir("revgraph-treediff")
        _ = try git(["init", "-q", "-b", "main"], cwd: dir)
        var commits: [String] = []
        for step in 0..<8 {
            // Rewrite a random layout: each name is absent, a file, or a directory of files.
            for name in Self.names { try? FileManager.default.removeItem(atPath: dir + "/" + name) }
            for name in Self.names {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: continue
                case 1: try write("v\(Int.random(in: 0..<3, using: &rng))\n", to: dir + "/" + name)
                default:
                    for sub in Self.names.prefix(Int.random(in: 1...3, using: &rng)) {
                        try write("s\(Int.random(in: 0..<3, using: &rng))\n", to: "\(dir)/\(name)/\(sub)")
                    }
                }
            }
            _ = try git(["add", "-A"], cwd: dir)
            _ = try git(["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "c\(step)"], cwd: dir)
            commits.append(try git(["rev-parse", "HEAD^{tree}"], cwd: dir).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let repository = try GitRepository(discovering: dir)
        for (a, b) in zip(commits, commits.dropFirst()) + [(commits[0], commits[commits.count - 1])] {
            let expected = try git(["diff-tree", "-r", "--no-renames", a, b], cwd: dir)
                .split(separator: "\n").map { line -> String in
                    // ":100644 100644 <old> <new> M\t<path>"
                    let fields = line.split(separator: "\t", maxSplits: 1)
                    let meta = fields[0].split(separator: " ")
                    let zero = String(repeating: "0", count: 40)
                    let old = meta[2] == zero ? "-" : String(meta[2]), new = meta[3] == zero ? "-" : String(meta[3])
                    return "\(fields[1]) \(old) \(new)"
                }
            let oldID = try repository.tree(ofCommit: repository.commit(sha(of: a, in: dir))).entryID("")
            let newID = try repository.tree(ofCommit: repository.commit(sha(of: b, in: dir))).entryID("")
            let got = try repository.diffTrees(oldID, newID).map { "\($0.path) \($0.old?.hex ?? "-") \($0.new?.hex ?? "-")" }
            #expect(got == expected, "seed \(seed): \(a) -> \(b)")
        }
    }

    /// The commit whose tree is `tree`.
    func sha(of tree: String, in dir: String) throws -> String {
        let log = try git(["log", "--format=%H %T"], cwd: dir).split(separator: "\n")
        return String(log.first { $0.hasSuffix(tree) }!.prefix(40))
    }
}
