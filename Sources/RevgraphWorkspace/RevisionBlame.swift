import RevgraphCore
import RevgraphGit

/// The commits that added and later changed one revision's file, following renames
/// (a file that disappears at one path and reappears with the same revision id at another).
public struct RevisionBlame {
    public struct Change: Sendable {
        public enum Kind: Sendable, Equatable {
            case added
            case modified
            case renamed(from: String)
        }
        public var kind: Kind
        public var path: String
        public var commit: GitCommitInfo
    }

    let repository: GitRepository
    let options: ProjectOptions
    let cache: ParseCache

    public init(repository: GitRepository, options: ProjectOptions, cache: ParseCache = ParseCache()) {
        self.repository = repository
        self.options = options
        self.cache = cache
    }

    /// Changes to `revision`'s file, newest first, walking every commit reachable from `tip`.
    /// - Parameter path: the file's repository-relative path at `tip`.
    public func changes(revision: String, path: String, tip: GitObjectID) throws(GitError) -> [Change] {
        var out: [Change] = []
        var current = path
        var trees: [GitObjectID: GitTree] = [:]
        func tree(_ c: GitObjectID) throws(GitError) -> GitTree {
            if let t = trees[c] { return t }
            let t = try repository.tree(ofCommit: c)
            trees[c] = t
            return t
        }
        let commits = try repository.commits(from: tip, hiding: nil, firstParent: false).reversed()
        for id in commits {
            guard let blob = try tree(id).blobID(current) else { continue }
            let info = try repository.commitInfo(id)
            var parentBlobs: [GitObjectID?] = []
            for p in info.parents { parentBlobs.append(try tree(p).blobID(current)) }
            if parentBlobs.contains(where: { $0 == blob }) { continue }  // unchanged relative to some parent
            if parentBlobs.contains(where: { $0 != nil }) {
                out.append(Change(kind: .modified, path: current, commit: info))
                continue
            }
            // No parent has the path: added here, or renamed from another path.
            if let first = info.parents.first, let old = try pathOf(revision, in: first), old != current {
                out.append(Change(kind: .renamed(from: old), path: current, commit: info))
                current = old
                continue
            }
            out.append(Change(kind: .added, path: current, commit: info))
            break
        }
        return out
    }

    private func pathOf(_ revision: String, in commit: GitObjectID) throws(GitError) -> String? {
        guard let tree = try? GitSourceTree(repository: repository, kind: .commit(commit, spec: commit.hex)),
              let loaded = try? ProjectLoader(options: options, cache: cache).load(from: tree),
              let i = loaded.graph.index[revision]
        else { return nil }
        return loaded.graph.revision(i).path
    }
}
