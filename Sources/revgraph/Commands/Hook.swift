import ArgumentParser
import Foundation
import RevgraphCore
import RevgraphGit
import RevgraphWorkspace

extension Revgraph {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a git hook's checks (called by the scripts 'revgraph hooks install' writes).",
            discussion: """
                pre-commit: the staged graph, and no edit or deletion of revisions in the protected refs \
                ([revgraph] protected_refs; default: the current branch's upstream and origin/HEAD). \
                pre-push: each pushed tip's graph, its prospective merge with the remote's target branch \
                ([revgraph] push_target; default: the remote's HEAD branch), and no edit of revisions the remote has. \
                post-merge: when the merge forked the graph, [revgraph] post_merge decides: off, suggest (default), \
                create, create-and-stage.
                """)

        @Argument(help: "pre-commit, pre-push or post-merge.") var name: String
        @Argument(parsing: .captureForPassthrough, help: "git's arguments.") var gitArguments: [String] = []

        func validate() throws {
            if !HookScript.names.contains(name) { throw ValidationError("unknown hook '\(name)'") }
        }

        func run() throws {
            switch name {
            case "pre-commit": try preCommit()
            case "pre-push": try prePush()
            default: try postMerge()
            }
        }

        /// Loads a project quietly: a repository without an Alembic project passes.
        func quietly(_ args: [String], cache: ParseCache = ParseCache()) throws -> (ProjectOptionGroup, LoadedProject)? {
            let options = try ProjectOptionGroup.parse(args)
            return try options.load(cache: cache, nilWithoutConfig: true).map { (options, $0) }
        }

        func settings(_ loaded: LoadedProject) -> [String: String] { loaded.config?.revgraphSettings ?? [:] }

        static func list(_ value: String?) -> [String]? {
            value.map { $0.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "," }).map(String.init) }
        }

        func preCommit() throws {
            let cache = try ProjectOptionGroup.parse([]).makeCache(readsGit: true)
            guard let (options, loaded) = try quietly(["--staged"], cache: cache) else { return }
            let repository = try options.openRepository()
            var text = loaded.problems.filter { $0.severity == .error }.map(Output.diagnostic).joined()
            var refs = Self.list(settings(loaded)["protected_refs"]) ?? []
            if refs.isEmpty {
                if let branch = repository.currentBranch(), let up = repository.upstream(of: branch) { refs.append(up) }
                if repository.symbolicTarget("refs/remotes/origin/HEAD") != nil { refs.append("refs/remotes/origin/HEAD") }
            }
            refs = refs.filter { (try? repository.commit($0)) != nil }
            if !refs.isEmpty {
                text += try PublishedCheck(project: options, checked: loaded, cache: cache).run(refs: refs).map(\.text).joined()
            }
            if !text.isEmpty {
                Output.write("revgraph: commit blocked: the staged migrations have problems\n" + text
                    + "revgraph: fix them and commit again (to commit anyway: git commit --no-verify)\n")
                throw Exit.problems
            }
        }

        func prePush() throws {
            let remote = gitArguments.first ?? "origin"
            var blocked = ""
            let zero = String(repeating: "0", count: 40)
            while let line = readLine() {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 4 else { continue }
                let (localRef, localSHA, remoteRef, remoteSHA) = (parts[0], parts[1], parts[2], parts[3])
                if localSHA == zero { continue }  // a deletion
                let cache = try ProjectOptionGroup.parse([]).makeCache(readsGit: true)
                guard let (options, loaded) = try quietly(["--at", localSHA], cache: cache) else { continue }
                let repository = try options.openRepository()
                let where_ = "\(localRef) -> \(remote) \(remoteRef)"
                var text = loaded.problems.filter { $0.severity == .error }.map(Output.diagnostic).joined()
                // The remote's target branch: config, else the remote's HEAD branch.
                var target = settings(loaded)["push_target"]
                if target == nil, let head = repository.symbolicTarget("refs/remotes/\(remote)/HEAD") { target = head }
                if let target, (try? repository.commit(target)) != nil, (try? repository.commit(target))?.hex != localSHA {
                    let merge = try ProspectiveMerge.load(project: options, with: target, cache: cache)
                    for p in merge.newConflicts {
                        text += Output.diagnostic(GraphProblem(
                            kind: .conflictingHeads, path: p.path, line: p.line, revisions: p.revisions,
                            message: "merging this push into \(target) forks the graph: \(p.revisions.joined(separator: ", "))",
                            fix: "merge \(target) into your branch and add a merge revision (revgraph merge --auto), then push"))
                    }
                    text += merge.merged.problems.filter { $0.kind == .mergeConflict }.map(Output.diagnostic).joined()
                }
                var refs: [String] = []
                if remoteSHA != zero, repository.hasCommit(remoteSHA) { refs.append(remoteSHA) }
                if let target, (try? repository.commit(target)) != nil { refs.append(target) }
                if !refs.isEmpty {
                    text += try PublishedCheck(project: options, checked: loaded, cache: cache).run(refs: refs).map(\.text).joined()
                }
                if !text.isEmpty { blocked += "revgraph: \(where_):\n" + text }
            }
            if !blocked.isEmpty {
                Output.write("revgraph: push blocked\n" + blocked + "revgraph: fix it and push again (to push anyway: git push --no-verify)\n")
                throw Exit.problems
            }
        }

        func postMerge() throws {
            guard let (options, loaded) = try quietly([]) else { return }
            let conflicts = loaded.problems.filter { $0.kind == .conflictingHeads }
            guard !conflicts.isEmpty else { return }
            // Only a fork this merge made: the graph before it (ORIG_HEAD) had none of these.
            if let (_, before) = try? quietly(["--at", "ORIG_HEAD"]) {
                let old = Set(before.problems.filter { $0.kind == .conflictingHeads }.map(\.revisions))
                if conflicts.allSatisfy({ old.contains($0.revisions) }) { return }
            }
            let mode = settings(loaded)["post_merge"] ?? "suggest"
            let heads = conflicts.map { $0.revisions.joined(separator: ", ") }.joined(separator: "; ")
            switch mode {
            case "off": return
            case "create", "create-and-stage":
                Output.write("revgraph: the merge forked the migration graph (heads \(heads)); writing a merge revision\n")
                var args = ["--auto", "-m", "merge heads"] + (mode == "create-and-stage" ? ["--stage"] : [])
                args += options.config.flatMap { ["-c", $0] }
                let merge = try Merge.parse(args)
                try merge.run()
            default:
                Output.write("revgraph: the merge forked the migration graph: heads \(heads)\n"
                    + "revgraph: fix: revgraph merge --auto -m \"merge heads\" (or set [revgraph] post_merge = create)\n")
            }
        }
    }
}
