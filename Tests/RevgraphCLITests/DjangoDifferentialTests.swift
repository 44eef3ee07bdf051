import Foundation
import RevgraphTestSupport
import Testing

/// Compares revgraph with real Django (installed by the test command into the virtualenv) on
/// hand-made and randomly generated projects: `showmigrations` and `--plan -v 2` text, leaves
/// and conflicts, the merge migrations `makemigrations --merge --noinput` writes (byte for byte,
/// for the same clock), and `migrate` succeeding once revgraph's merge files are in place.
@Suite(.serialized) struct DjangoDifferentialTests {
    /// Now, as Django's header writes it (UTC).
    enum UTCMinute {
        static var now: String {
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "yyyy-MM-dd HH:mm"
            return f.string(from: Date())
        }
    }

    typealias M = DjangoFixture.Migration

    static func dep(_ app: String, _ name: String) -> String { "(\"\(app)\", \"\(name)\")" }

    /// A random project: apps grown in one global order (so no cycle), with forks, merges,
    /// cross-app dependencies (names, `__first__`, `__latest__`, the swappable user model),
    /// `run_before`, and squashed migrations with or without the files they replace.
    static func randomProject(seed: UInt64) -> (apps: [String], migrations: [M]) {
        var rng = SplitMix(state: seed)
        let allApps = ["accounts", "blog", "shop", "zeta_app"]
        let apps = Array(allApps.prefix(2 + rng.int(3)))
        var migrations: [M] = []
        var numbers: [String: Int] = [:]
        var table = 0
        // Parents through dependencies (resolved by hand), to keep run_before acyclic.
        var parents: [String: Set<String>] = [:]
        func ancestors(_ k: String) -> Set<String> {
            var seen = Set<String>(), stack = [k]
            while let x = stack.popLast() { for p in parents[x] ?? [] where seen.insert(p).inserted { stack.append(p) } }
            return seen
        }
        let words = ["add_field", "rename", "index", "backfill", "x", "a_rather_long_descriptive_name"]
        let steps = 4 + rng.int(18)
        for _ in 0..<steps {
            let app = apps[rng.int(apps.count)]
            let mine = migrations.filter { $0.app == app }
            let n = (numbers[app] ?? 0) + (mine.isEmpty || !rng.chance(0.25) ? 1 : 0)
            numbers[app] = max(n, 1)
            var name = String(format: "%04d", max(n, 1)) + "_" + (mine.isEmpty ? "initial" : words[rng.int(words.count)])
            if migrations.contains(where: { $0.app == app && $0.name == name }) { name += "_\(migrations.count)" }
            table += 1
            var m = M(app, name, [], tables: ["T\(table)"])
            var ps: Set<String> = []
            if mine.isEmpty {
                m.initial = true
            } else {
                let leaves = mine.filter { c in !migrations.contains { $0.app == app && $0.dependencies.contains(dep(app, c.name)) } }
                let pool = rng.chance(0.75) && !leaves.isEmpty ? leaves : mine
                let a = pool[rng.int(pool.count)]
                m.dependencies.append(dep(app, a.name))
                ps.insert("\(app).\(a.name)")
                if leaves.count >= 2 && rng.chance(0.2), let b = leaves.first(where: { $0.name != a.name }) {
                    m.dependencies.append(dep(app, b.name))
                    ps.insert("\(app).\(b.name)")
                }
            }
            let others = migrations.filter { $0.app != app }
            if !others.isEmpty && rng.chance(0.35) {
                let o = others[rng.int(others.count)]
                switch rng.int(4) {
                case 0:
                    m.dependencies.append(dep(o.app, "__first__"))
                    ps.insert("\(o.app).\(migrations.first { $0.app == o.app }!.name)")
                case 1 where app != "accounts" && migrations.contains(where: { $0.app == "accounts" }):
                    m.dependencies.append("migrations.swappable_dependency(settings.AUTH_USER_MODEL)")
                    ps.insert("accounts.\(migrations.first { $0.app == "accounts" }!.name)")
                default:
                    m.dependencies.append(dep(o.app, o.name))
                    ps.insert("\(o.app).\(o.name)")
                }
            }
            parents["\(app).\(name)"] = ps
            if !others.isEmpty && rng.chance(0.12) {
                let anc = ancestors("\(app).\(name)")
                if let t = others.filter({ !anc.contains("\($0.app).\($0.name)") }).last {
                    m.runBefore = [(t.app, t.name)]
                    parents["\(t.app).\(t.name), default: []"] = []
                    parents["\(t.app).\(t.name)", default: []].insert("\(app).\(name)")
                }
            }
            migrations.append(m)
        }
        // A squash of an app's first migrations when they form a chain.
        if rng.chance(0.5), let app = apps.first(where: { a in migrations.filter { $0.app == a }.count >= 3 }) {
            let mine = migrations.filter { $0.app == app }
            var chain = [mine[0]]
            for c in mine.dropFirst() {
                guard c.dependencies.contains(dep(app, chain.last!.name)), c.dependencies.filter({ $0.hasPrefix("(\"\(app)\"") }).count == 1,
                      c.runBefore.isEmpty else { break }
                chain.append(c)
            }
            let chainNames = Set(chain.map(\.name))
            let dependents = migrations.filter { m in m.app == app && !chainNames.contains(m.name) }
            if chain.count >= 2 {
                let last = chain.last!.name
                var squash = M(app, "0001_squashed_\(last.prefix(4))_\(chain.count)", [], tables: chain.flatMap(\.tables))
                squash.initial = true
                squash.replaces = chain.map { (app, $0.name) }
                var external: [String] = []
                for c in chain { for d in c.dependencies where !d.hasPrefix("(\"\(app)\"") && !external.contains(d) { external.append(d) } }
                squash.dependencies = external
                // Migrations the chain members must run before stay after the squash too.
                _ = dependents
                migrations.append(squash)
                if rng.chance(0.5) { migrations.removeAll { $0.app == app && chainNames.contains($0.name) } }
            }
        }
        return (apps, migrations)
    }

    /// Runs Django and revgraph on the project at `dir` and compares everything.
    func compare(_ dir: String, apps: [String], migrations: [M], label: String, python: String,
                 mergeArguments: [String] = [], env: [String: String] = [:], database: DjangoFixture.Database = .sqlite) throws {
        try DjangoFixture.write(at: dir, apps: apps, migrations: migrations, database: database,
                                settings: "AUTH_USER_MODEL = \"accounts.User\"")
        try RevgraphTestSupport.write("[django]\nversion = \"5.2.19\"\n\n[django.settings]\nAUTH_USER_MODEL = \"accounts.User\"\n",
                                      to: dir + "/revgraph.toml")
        let copy = dir + "-revgraph"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: dir, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }

        let django = try DjangoFixture.runDjango(python: python, at: dir, env: env)
        if let crash = django["plan"] as? String, crash.hasPrefix("crash: CircularDependencyError: ") {
            // Django refuses the whole graph; so does revgraph, naming the same migrations.
            let check = try revgraph(["check"], cwd: copy)
            let members = crash.dropFirst("crash: CircularDependencyError: ".count).components(separatedBy: ", ")
            #expect(check.status == 1 && check.stdout.contains("Circular dependency"), "\(label): \(crash)\n\(check.stdout)")
            // Django names the one cycle its set order meets first; revgraph names each cycle it
            // finds in key order, so the two share members rather than match.
            #expect(members.contains { check.stdout.contains($0) }, "\(label): no member of \(members) named in \(check.stdout)")
            let plan = try revgraph(["showmigrations", "--plan"], cwd: copy)
            #expect(plan.status == 1, "\(label): showmigrations on a cycle")
            return
        }
        let plan = try revgraph(["showmigrations", "--plan", "--verbosity", "2"], cwd: copy)
        #expect(plan.stdout == django["plan"] as? String, "\(label): showmigrations --plan -v 2\n\(plan.stderr)")
        let list = try revgraph(["showmigrations"], cwd: copy)
        #expect(list.stdout == django["list"] as? String, "\(label): showmigrations")
        let heads = try revgraph(["heads"], cwd: copy)
        let leaves = heads.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(leaves == django["leaves"] as? [String] ?? [], "\(label): leaves")
        let conflicts = django["conflicts"] as? [String: [String]] ?? [:]
        let check = try revgraph(["check"], cwd: copy)
        #expect((check.status == 0) == conflicts.isEmpty, "\(label): check\n\(check.stdout)")
        for (app, names) in conflicts {
            #expect(check.stdout.contains("(\(names.joined(separator: ", ")) in \(app))"), "\(label): conflict in \(app)\n\(check.stdout)")
        }
        // After Django's migrate (and its merge files): the applied marks read from django_migrations.
        if case .sqlite = database, django["migrate"] as? String == "" {
            let url = "sqlite:///\(dir)/db.sqlite3"
            let list = try revgraph(["showmigrations", "--db", url], cwd: dir)
            #expect(list.stdout == django["list_after"] as? String, "\(label): showmigrations after migrate\n\(list.stderr)")
            let plan = try revgraph(["showmigrations", "--plan", "--db", url], cwd: dir)
            #expect(plan.stdout == django["plan_after"] as? String, "\(label): showmigrations --plan after migrate")
        }
        guard !conflicts.isEmpty else {
            #expect(django["migrate"] as? String == "", "\(label): Django's migrate: \(django["migrate"] ?? "")")
            return
        }
        let merged = django["merged"] as? [String: String] ?? [:]
        if let failure = django["merge"] as? String, failure.hasPrefix("crash") {
            let r = try revgraph(["merge"], cwd: copy)
            #expect(r.status == 2 && r.stderr.contains("Could not find common ancestor"), "\(label): \(failure) vs \(r.stderr)")
            return
        }
        // The same clock: the minute Django wrote in its header.
        let header = merged.values.first.flatMap { $0.split(separator: "\n").first }.map(String.init) ?? ""
        var time = String(header.split(separator: " ").suffix(2).joined(separator: " "))
        if !header.hasPrefix("# Generated by Django") { time = UTCMinute.now }
        let r = try revgraph(["merge", "--date", time] + mergeArguments, cwd: copy)
        #expect(r.status == 0, "\(label): merge: \(r.stderr)")
        for (path, text) in merged {
            let ours = try? String(contentsOfFile: copy + "/" + path, encoding: .utf8)
            #expect(ours == text, "\(label): \(path) differs from Django's:\n\(ours ?? "(missing)")\n---\n\(text)")
        }
        let after = try revgraph(["check"], cwd: copy)
        #expect(after.status == 0, "\(label): check after merge: \(after.stdout)")
        // Django's migrate on the tree with revgraph's merge files.
        try? FileManager.default.removeItem(atPath: copy + "/db.sqlite3")
        if case .postgresql(let name, _, _, _, _) = database {
            let base = try Requirement.postgresServer()
            _ = try run("/usr/bin/psql", [base, "-q", "-c", "DROP DATABASE \(name)"], cwd: copy)
            _ = try run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"], cwd: copy)
        }
        let migrate = try run(python, ["manage.py", "migrate", "-v", "0"], cwd: copy)
        #expect(migrate.status == 0, "\(label): migrate after revgraph's merge: \(migrate.stderr)")
        let applied = try run(python, ["manage.py", "showmigrations", "--plan"], cwd: copy)
        #expect(!applied.stdout.contains("[ ]") && applied.stdout.contains("[X]"), "\(label): not all applied:\n\(applied.stdout)")
    }

    /// A fork in one app and a project to host it.
    static func forked(_ a: String, _ b: String) -> [M] {
        [M("blog", "0001_initial", tables: ["Post"]),
         M("blog", a, [dep("blog", "0001_initial")], tables: ["A"]),
         M("blog", b, [dep("blog", "0001_initial")], tables: ["B"]),
         M("shop", "0001_initial", [dep("blog", "__latest__")], tables: ["Item"])]
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv with Django (REVGRAPH_ALEMBIC_PYTHON)"))
    func handMadeMerges() throws {
        let python = try Requirement.python()
        try withTemporaryDirectory("revgraph-django") { root in
            // Leaf names longer than 47 characters together: the name carries the time instead.
            try compare(root + "/long", apps: ["blog", "shop"],
                        migrations: Self.forked("0002_a_rather_long_descriptive_name", "0002_another_long_descriptive_name"),
                        label: "long names", python: python)
            // --name, and --no-header.
            try compare(root + "/named", apps: ["blog", "shop"], migrations: Self.forked("0002_a", "0002_b"),
                        label: "--name", python: python, mergeArguments: ["-m", "join_them"], env: ["MERGE_NAME": "join_them"])
            try compare(root + "/noheader", apps: ["blog", "shop"], migrations: Self.forked("0002_a", "0002_b"),
                        label: "--no-header", python: python, mergeArguments: ["--no-header"], env: ["MERGE_NO_HEADER": "1"])
            // Two roots in one app: Django finds no common ancestor, and neither does revgraph.
            try compare(root + "/roots", apps: ["blog"],
                        migrations: [M("blog", "0001_initial"), M("blog", "0001_other")], label: "two roots", python: python)
            // Squashed, numbered past the squash: the merge is numbered after the squash's last number.
            var squash = M("blog", "0001_squashed_0004_all", [], tables: ["S"])
            squash.replaces = [("blog", "0001_initial"), ("blog", "0002_x"), ("blog", "0003_y"), ("blog", "0004_z")]
            try compare(root + "/squash", apps: ["blog"],
                        migrations: [squash, M("blog", "0005_a", [Self.dep("blog", "0004_z")], tables: ["A"]),
                                     M("blog", "0005_b", [Self.dep("blog", "0004_z")], tables: ["B"])],
                        label: "squash only", python: python)
        }
    }

    @Test(.enabled(if: Requirement.alembic && Requirement.postgres, "needs Django and PostgreSQL"))
    func mergeThenMigrateOnPostgreSQL() throws {
        let python = try Requirement.python()
        let base = try Requirement.postgresServer()
        // postgresql://user:password@host:port/db
        let u = URLComponents(string: base)!
        let name = "rgdj_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        let created = try run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"], cwd: "/")
        #expect(created.status == 0, "\(created.stderr)")
        defer { _ = try? run("/usr/bin/psql", [base, "-q", "-c", "DROP DATABASE IF EXISTS \(name)"], cwd: "/") }
        try withTemporaryDirectory("revgraph-django") { root in
            try compare(root + "/pg", apps: ["blog", "shop"], migrations: Self.forked("0002_a", "0002_b"), label: "PostgreSQL",
                        python: python, database: .postgresql(name: name, user: u.user!, password: u.password!,
                                                              host: u.host!, port: u.port!))
        }
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv with Django (REVGRAPH_ALEMBIC_PYTHON)"))
    func appliedMarksOfASquashPartlyAndWhollyApplied() throws {
        let python = try Requirement.python()
        try withTemporaryDirectory("revgraph-django") { root in
            let dir = root + "/p"
            try DjangoFixture.write(at: dir, apps: ["blog"], migrations: [
                M("blog", "0001_initial", tables: ["A"]), M("blog", "0002_x", [Self.dep("blog", "0001_initial")], tables: ["B"]),
                M("blog", "0003_y", [Self.dep("blog", "0002_x")], tables: ["C"]), M("blog", "0004_z", [Self.dep("blog", "0003_y")], tables: ["D"]),
            ])
            func django(_ args: [String]) throws -> String {
                let r = try run(python, ["manage.py"] + args, cwd: dir)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                return r.stdout
            }
            _ = try django(["migrate", "blog", "0002_x", "-v", "0"])
            var squash = M("blog", "0001_squashed_0003_y", [], tables: ["A", "B", "C"])
            squash.replaces = [("blog", "0001_initial"), ("blog", "0002_x"), ("blog", "0003_y")]
            try squash.source.write(toFile: dir + "/blog/migrations/0001_squashed_0003_y.py", atomically: true, encoding: .utf8)
            let url = "sqlite:///\(dir)/db.sqlite3"
            for stage in ["partly applied: the squash is not used", "wholly applied: the squash is, not yet recorded"] {
                for args in [["showmigrations"], ["showmigrations", "--plan"], ["showmigrations", "--plan", "--verbosity", "2"]] {
                    let ours = try revgraph(args + ["--db", url], cwd: dir)
                    #expect(ours.stdout == (try django(Array(args.dropFirst()).isEmpty ? ["showmigrations"] : ["showmigrations"] + args.dropFirst().map { $0 == "--verbosity" ? "-v" : $0 })),
                            "\(stage): \(args)\n\(ours.stdout)\(ours.stderr)")
                }
                if stage.hasPrefix("partly") {
                    // Applying the rest without the squash file, then putting it back: all replaced are applied.
                    try FileManager.default.moveItem(atPath: dir + "/blog/migrations/0001_squashed_0003_y.py", toPath: root + "/squash.py")
                    _ = try django(["migrate", "blog", "0003_y", "-v", "0"])
                    try FileManager.default.moveItem(atPath: root + "/squash.py", toPath: dir + "/blog/migrations/0001_squashed_0003_y.py")
                }
            }
            #expect(try revgraph(["showmigrations", "--db", url], cwd: dir).stdout.contains(" [-] 0001_squashed_0003_y (3 squashed migrations) Run 'manage.py migrate' to finish recording."))
        }
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv with Django (REVGRAPH_ALEMBIC_PYTHON)"))
    func missingDependencyInDjangosWords() throws {
        let python = try Requirement.python()
        try withTemporaryDirectory("revgraph-django") { root in
            let dir = root + "/p"
            try DjangoFixture.write(at: dir, apps: ["blog"], migrations: [
                M("blog", "0001_initial"), M("blog", "0002_a", [Self.dep("blog", "0001_gone")])])
            let django = try DjangoFixture.runDjango(python: python, at: dir)
            let crash = try #require(django["plan"] as? String)
            let words = crash.replacingOccurrences(of: "crash: NodeNotFoundError: ", with: "")
            #expect(crash.hasPrefix("crash: NodeNotFoundError"))
            let check = try revgraph(["check"], cwd: dir)
            #expect(check.status == 1)
            #expect(check.stdout.contains("blog/migrations/0002_a.py:5: error: \(words)"), "\(check.stdout)")
        }
    }

    @Test(.enabled(if: Requirement.alembic, "needs the test virtualenv with Django (REVGRAPH_ALEMBIC_PYTHON)"),
          arguments: Array(UInt64(1)...UInt64(24)))
    func randomProjects(seed: UInt64) throws {
        let python = try Requirement.python()
        let (apps, migrations) = Self.randomProject(seed: seed)
        try withTemporaryDirectory("revgraph-django") { root in
            try compare(root + "/p", apps: apps, migrations: migrations, label: "seed \(seed)", python: python)
        }
    }
}
