/// The migration graph of one Django project, built as Django's `MigrationLoader.build_graph`
/// builds it: every migration a node, `dependencies` and `run_before` edges, `__first__` and
/// `__latest__` resolved, swappable dependencies resolved through settings, squashed migrations
/// used in place of the ones they replace when all or none of those are applied.
///
/// Where Django raises (a dependency on a missing migration, a cycle), the graph records a
/// ``GraphProblem`` and leaves the edge out, so that every command can still answer.
/// Dependencies on apps the repository has no migrations for (Django's own `auth`, third-party
/// apps) are kept as ``external`` and never fail the graph.
public struct DjangoGraph: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Values of swappable settings (`AUTH_USER_MODEL` → `accounts.User`).
        public var swappable: [String: String] = ["AUTH_USER_MODEL": "auth.User"]
        /// Migrations recorded as applied (`django_migrations`); nil when no database is read,
        /// which Django treats as none applied.
        public var applied: Set<DjangoKey>?
        public init() {}
    }

    /// Every migration read, by key.
    /// The parents migrations of `app` name that the app does not have (`("app", "0003_x")`
    /// with no such file), each with the migration that names it, sorted: while one is missing
    /// the leaves may share no ancestor, and a merge cannot be written.
    public func missingParents(in app: String) -> [(missing: DjangoKey, from: DjangoKey)] {
        var out: [(missing: DjangoKey, from: DjangoKey)] = []
        // A squashed migration stands for the ones it replaces: they are not missing.
        let replaced = Set(migrations.values.flatMap(\.replaces))
        for (key, m) in migrations where key.app == app {
            for case .key(let d) in m.dependencies where d.app == app && d.name != "__first__" && d.name != "__latest__"
                && migrations[d] == nil && !replaced.contains(d) {
                out.append((d, key))
            }
        }
        return out.sorted { ($0.missing.description, $0.from.description) < ($1.missing.description, $1.from.description) }
    }

    public let migrations: [DjangoKey: DjangoMigration]
    /// Apps that have a migrations package, sorted.
    public let apps: [String]
    /// The graph's nodes after squashing, sorted.
    public let nodes: [DjangoKey]
    /// Parents and children of each node, sorted.
    public let parents: [DjangoKey: [DjangoKey]]
    public let children: [DjangoKey: [DjangoKey]]
    /// Dependencies on migrations of apps outside the repository, by migration.
    public let external: [DjangoKey: [DjangoKey]]
    /// Replaced migration → the squashed migration used for it.
    public let replacedBy: [DjangoKey: DjangoKey]
    /// Squashed migrations left out because what they replace is partly applied.
    public let unusedSquashes: [DjangoKey]
    /// Applied migrations as Django counts them (a squash is applied when all it replaces are).
    public let applied: Set<DjangoKey>
    public let problems: [GraphProblem]
    /// Nodes on a cycle (Django refuses the whole graph).
    public let cyclic: Set<DjangoKey>

    public init(apps: [String], migrations list: [DjangoMigration], settings: Settings = Settings()) {
        var b = Builder(apps: Set(apps), settings: settings)
        for m in list.sorted(by: { $0.key < $1.key }) { b.add(m) }
        b.build()
        migrations = b.migrations
        self.apps = apps.sorted(by: DjangoKey.pythonPrecedes)
        // Index order by key, so that edges sort as integers.
        let rank = b.ranks()
        let alive = (0..<b.keys.count).filter { b.isNode[$0] }
        nodes = alive.sorted { rank[$0] < rank[$1] }.map { b.keys[$0] }
        var parents: [DjangoKey: [DjangoKey]] = [:], children: [DjangoKey: [DjangoKey]] = [:]
        parents.reserveCapacity(alive.count)
        children.reserveCapacity(alive.count)
        for i in alive {
            if !b.parents[i].isEmpty { parents[b.keys[i]] = b.parents[i].sorted { rank[$0] < rank[$1] }.map { b.keys[$0] } }
            if !b.children[i].isEmpty { children[b.keys[i]] = b.children[i].sorted { rank[$0] < rank[$1] }.map { b.keys[$0] } }
        }
        self.parents = parents
        self.children = children
        external = b.external
        replacedBy = b.replacedBy
        unusedSquashes = b.unusedSquashes.sorted()
        applied = b.applied
        cyclic = b.cyclic
        problems = b.problems
    }

    public var hasCycles: Bool { !cyclic.isEmpty }

    /// Nodes with no parent in their own app (`root_nodes`), sorted; of one app when `app` is given.
    public func roots(app: String? = nil) -> [DjangoKey] {
        nodes.filter { n in (app == nil || n.app == app) && !(parents[n] ?? []).contains { $0.app == n.app } }
    }

    /// Nodes with no child in their own app (`leaf_nodes`), sorted; of one app when `app` is given.
    public func leaves(app: String? = nil) -> [DjangoKey] {
        nodes.filter { n in (app == nil || n.app == app) && !(children[n] ?? []).contains { $0.app == n.app } }
    }

    /// Apps with more than one leaf, with their leaves (`detect_conflicts`), sorted by app.
    public var conflicts: [(app: String, leaves: [DjangoKey])] {
        var byApp: [String: [DjangoKey]] = [:]
        for l in leaves() { byApp[l.app, default: []].append(l) }
        return byApp.filter { $0.value.count > 1 }.sorted { DjangoKey.pythonPrecedes($0.key, $1.key) }
            .map { (app: $0.key, leaves: $0.value) }
    }

    /// What must be applied up to `target`, ending with it (`forwards_plan`).
    public func forwardsPlan(_ target: DjangoKey) -> [DjangoKey] {
        var visited = Set<DjangoKey>()
        var out: [DjangoKey] = []
        postorder(target, &visited, &out)
        return out
    }

    /// The order `migrate` applies everything (`showmigrations --plan`), of some apps only when given.
    public func plan(apps only: Set<String>? = nil) -> [DjangoKey] {
        var visited = Set<DjangoKey>()
        var out: [DjangoKey] = []
        for t in leaves() where only == nil || only!.contains(t.app) { postorder(t, &visited, &out) }
        return out
    }

    /// One app's migrations from roots to leaves, as `showmigrations` lists them.
    public func list(app: String) -> [DjangoKey] {
        var visited = Set<DjangoKey>()
        var out: [DjangoKey] = []
        for l in leaves(app: app) { postorder(l, &visited, &out) }
        return out.filter { $0.app == app }
    }

    /// Django's `iterative_dfs`: parents pushed in sorted order, so the greatest is walked first.
    /// `visited` is shared between targets: a node once finished has all its ancestors finished,
    /// so skipping it changes nothing in the order of the rest. Linear; a cycle cannot loop it.
    func postorder(_ start: DjangoKey, _ visited: inout Set<DjangoKey>, _ out: inout [DjangoKey]) {
        guard !visited.contains(start) else { return }
        var expanded = Set<DjangoKey>()
        var stack: [(DjangoKey, Bool)] = [(start, false)]
        while let (node, processed) = stack.popLast() {
            if visited.contains(node) { continue }
            if processed {
                visited.insert(node)
                out.append(node)
            } else if expanded.insert(node).inserted {
                stack.append((node, true))
                for p in parents[node] ?? [] where !visited.contains(p) { stack.append((p, false)) }
            }
        }
    }
}

extension DjangoGraph {
    /// The mutable state of one build, over integer indices (a key is hashed once, when first met).
    struct Builder {
        let apps: Set<String>
        let settings: Settings
        var migrations: [DjangoKey: DjangoMigration] = [:]
        /// Every key met (migrations, then keys only referenced), by index.
        var keys: [DjangoKey] = []
        var index: [DjangoKey: Int] = [:]
        /// Whether the index is a migration still in the graph.
        var isNode: [Bool] = []
        var parents: [Set<Int>] = []
        var children: [Set<Int>] = []
        /// Migrations in key order.
        var order: [Int] = []
        /// Migrations by app, in key order.
        var byApp: [String: [Int]] = [:]
        /// Keys referenced but not on disk, with the message Django would raise for each.
        var dummies: [Int: (origin: DjangoKey, message: String)] = [:]
        /// Each app's roots and leaves, as far as they are known (dropped when an edge inside the
        /// app or a new node changes them), so that `__first__`/`__latest__` cost no scan each.
        var ends: [String: (roots: [Int], leaves: [Int])] = [:]
        var external: [DjangoKey: [DjangoKey]] = [:]
        var replacedBy: [DjangoKey: DjangoKey] = [:]
        var unusedSquashes: [DjangoKey] = []
        var applied = Set<DjangoKey>()
        var cyclic = Set<DjangoKey>()
        var problems: [GraphProblem] = []

        init(apps: Set<String>, settings: Settings) {
            self.apps = apps
            self.settings = settings
            applied = settings.applied ?? []
        }

        /// The index of `k`, added (as neither node nor dummy) when new.
        mutating func id(_ k: DjangoKey) -> Int {
            if let i = index[k] { return i }
            let i = keys.count
            keys.append(k)
            index[k] = i
            isNode.append(false)
            parents.append([])
            children.append([])
            return i
        }

        mutating func add(_ m: DjangoMigration) {
            guard index[m.key] == nil else { return }
            migrations[m.key] = m
            let i = id(m.key)
            isNode[i] = true
            order.append(i)
            byApp[m.key.app, default: []].append(i)
        }

        /// Each index's position in key order.
        func ranks() -> [Int] {
            var rank = [Int](repeating: 0, count: keys.count)
            for (r, i) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() { rank[i] = r }
            return rank
        }

        func problem(_ kind: GraphProblem.Kind, _ m: DjangoMigration, _ message: String, fix: String,
                     severity: GraphProblem.Severity = .error) -> GraphProblem {
            GraphProblem(kind: kind, severity: severity, path: m.path, line: m.line, revisions: [m.key.description],
                         message: message, fix: fix)
        }

        /// Python's `%r` of a key tuple.
        static func repr(_ k: DjangoKey) -> String { "(\(PythonValue.reprString(k.app)), \(PythonValue.reprString(k.name)))" }

        func present(_ i: Int) -> Bool { isNode[i] || dummies[i] != nil }

        mutating func link(origin: DjangoKey, child: Int, parent: Int) {
            for (i, role) in [(child, "child"), (parent, "parent")] where !present(i) {
                dummies[i] = (origin, "Migration \(origin) dependencies reference nonexistent \(role) node \(Self.repr(keys[i]))")
                ends[keys[i].app] = nil
            }
            if keys[child].app == keys[parent].app { ends[keys[child].app] = nil }
            parents[child].insert(parent)
            children[parent].insert(child)
        }

        mutating func rootsOrLeaves(_ app: String, leaves: Bool) -> [Int] {
            if let known = ends[app] { return leaves ? known.leaves : known.roots }
            let all = (byApp[app] ?? []) + dummies.keys.filter { keys[$0].app == app }
            func without(_ edges: [Set<Int>]) -> [Int] {
                all.filter { n in !edges[n].contains { keys[$0].app == app } }.sorted { keys[$0] < keys[$1] }
            }
            let found = (roots: without(parents), leaves: without(children))
            ends[app] = found
            return leaves ? found.leaves : found.roots
        }

        /// `check_key`: `__first__`/`__latest__` resolved; nil when Django ignores the entry.
        mutating func resolve(_ key: DjangoKey, for m: DjangoMigration) -> Int? {
            let special = key.name == "__first__" || key.name == "__latest__"
            if !special || index[key].map(present) == true {
                if !apps.contains(key.app) {
                    external[m.key, default: []].append(key)
                    return nil
                }
                return id(key)
            }
            if key.app == m.key.app { return nil }
            guard apps.contains(key.app) else {
                external[m.key, default: []].append(key)
                return nil
            }
            let found = rootsOrLeaves(key.app, leaves: key.name == "__latest__").first
            if found == nil {
                problems.append(problem(.missingDependency, m, "Dependency on app with no migrations: \(key.app) (from \(m.key), '\(m.path)')",
                                        fix: "add a first migration to \(key.app), or remove the dependency"))
            }
            return found
        }

        func dependencyKeys(_ m: DjangoMigration, _ problems: inout [GraphProblem]) -> [DjangoKey] {
            m.dependencies.compactMap { d -> DjangoKey? in
                switch d {
                case .key(let k): return k
                case .swappable(let setting):
                    guard let value = settings.swappable[setting] else {
                        problems.append(problem(.nonLiteralValue, m, "\(m.key) depends on settings.\(setting), whose value revgraph does not know",
                                                fix: "set it in revgraph.toml: [django.settings] \(setting) = \"app_label.Model\""))
                        return nil
                    }
                    let label = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? value
                    return DjangoKey(label, "__first__")
                }
            }
        }

        mutating func build() {
            var resolved: [[DjangoKey]] = []
            for i in order { resolved.append(dependencyKeys(migrations[keys[i]]!, &problems)) }
            // Internal dependencies first, so that `__first__` finds the right root.
            for (n, i) in order.enumerated() {
                let k = keys[i]
                for p in resolved[n] where p.app == k.app && p.name != "__first__" { link(origin: k, child: i, parent: id(p)) }
            }
            for (n, i) in order.enumerated() {
                let m = migrations[keys[i]]!
                for p in resolved[n] where p.app != m.key.app {
                    if let p = resolve(p, for: m) { link(origin: m.key, child: i, parent: p) }
                }
                for c in m.runBefore {
                    if let c = resolve(c, for: m) { link(origin: m.key, child: c, parent: i) }
                }
            }
            squash()
            for (i, d) in dummies.sorted(by: { keys[$0.key] < keys[$1.key] }) {
                let m = migrations[d.origin]!
                problems.append(problem(.missingDependency, m, d.message,
                                        fix: "add migration \(keys[i]) or correct the dependency in '\(m.path)'"))
                for p in parents[i] { children[p].remove(i) }
                for c in children[i] { parents[c].remove(i) }
                parents[i] = []
                children[i] = []
            }
            findCycles()
        }

        /// Replacements, in key order (Django's order is the file system's).
        mutating func squash() {
            for i in order {
                let m = migrations[keys[i]]!
                guard !m.replaces.isEmpty, isNode[i] else { continue }
                let statuses = m.replaces.map { applied.contains($0) }
                if statuses.allSatisfy({ $0 }) { applied.insert(m.key) } else { applied.remove(m.key) }
                let replaced = m.replaces.compactMap { index[$0] }
                if statuses.allSatisfy({ $0 }) || !statuses.contains(true) {
                    removeReplaced(i, Set(replaced))
                } else {
                    removeReplacement(i, replaced)
                }
            }
        }

        /// `remove_replaced_nodes`: the squash takes the replaced nodes' edges.
        mutating func removeReplaced(_ r: Int, _ replaced: Set<Int>) {
            for old in replaced.sorted(by: { keys[$0] < keys[$1] }) {
                let wasNode = isNode[old]
                isNode[old] = false
                let wasDummy = dummies.removeValue(forKey: old) != nil
                guard wasNode || wasDummy else { continue }
                replacedBy[keys[old]] = keys[r]
                for c in children[old] {
                    parents[c].remove(old)
                    if !replaced.contains(c) { children[r].insert(c); parents[c].insert(r) }
                }
                for p in parents[old] {
                    children[p].remove(old)
                    if !replaced.contains(p) { parents[r].insert(p); children[p].insert(r) }
                }
                children[old] = []
                parents[old] = []
            }
        }

        /// `remove_replacement_node`: the squash is dropped; its children hang on the latest replaced nodes.
        mutating func removeReplacement(_ r: Int, _ replaced: [Int]) {
            isNode[r] = false
            unusedSquashes.append(keys[r])
            var latest = Set(replaced.filter(present))
            var theirParents = Set<Int>()
            for k in latest { theirParents.formUnion(parents[k]) }
            latest.subtract(theirParents)
            for c in children[r] {
                parents[c].remove(r)
                for k in latest { children[k].insert(c); parents[c].insert(k) }
            }
            for p in parents[r] { children[p].remove(r) }
            children[r] = []
            parents[r] = []
        }

        /// Whether every node can be ordered (Kahn's count of in-degrees: linear, no sorting); the
        /// walk that names the cycles runs only when one cannot.
        func isAcyclic() -> Bool {
            var indegree = parents.map(\.count)
            var ready = (0..<keys.count).filter { isNode[$0] && indegree[$0] == 0 }
            var done = 0
            while let n = ready.popLast() {
                done += 1
                for c in children[n] where isNode[c] {
                    indegree[c] -= 1
                    if indegree[c] == 0 { ready.append(c) }
                }
            }
            return done == isNode.filter { $0 }.count
        }

        /// Nodes on a cycle through their children (iterative three-colour walk, in key order).
        mutating func findCycles() {
            if isAcyclic() { return }
            let byKey: (Int, Int) -> Bool = { self.keys[$0] < self.keys[$1] }
            var state = [UInt8](repeating: 0, count: keys.count)  // 1 on the path, 2 done
            var found: [[Int]] = []
            for start in (0..<keys.count).filter({ isNode[$0] }).sorted(by: byKey) where state[start] == 0 {
                var path: [Int] = [start]
                var iterators: [[Int]] = [children[start].sorted(by: byKey)]
                state[start] = 1
                while let top = path.last {
                    if let next = iterators[iterators.count - 1].popLast() {
                        switch state[next] {
                        case 0:
                            state[next] = 1
                            path.append(next)
                            iterators.append(children[next].sorted(by: byKey))
                        case 1:
                            let i = path.lastIndex(of: next)!
                            found.append(Array(path[i...]))
                        default: break
                        }
                    } else {
                        state[top] = 2
                        path.removeLast()
                        iterators.removeLast()
                    }
                }
            }
            for c in found {
                cyclic.formUnion(c.map { keys[$0] })
                let m = migrations[keys[c[0]]]!
                problems.append(problem(.cycle, m, "Circular dependency: \(c.map { keys[$0].description }.joined(separator: ", "))",
                                        fix: "remove one of the dependencies that form the loop"))
            }
        }
    }
}
