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
        nodes = b.nodes.sorted()
        parents = b.parents.mapValues { $0.sorted() }
        children = b.children.mapValues { $0.sorted() }
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
    /// The mutable state of one build.
    struct Builder {
        let apps: Set<String>
        let settings: Settings
        var migrations: [DjangoKey: DjangoMigration] = [:]
        var order: [DjangoKey] = []
        var nodes = Set<DjangoKey>()
        /// Keys referenced but not on disk, with the message Django would raise for each.
        var dummies: [DjangoKey: (origin: DjangoKey, message: String)] = [:]
        var parents: [DjangoKey: Set<DjangoKey>] = [:]
        var children: [DjangoKey: Set<DjangoKey>] = [:]
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

        /// Nodes by app, in key order (as added).
        var byApp: [String: [DjangoKey]] = [:]

        mutating func add(_ m: DjangoMigration) {
            migrations[m.key] = m
            order.append(m.key)
            nodes.insert(m.key)
            byApp[m.key.app, default: []].append(m.key)
        }

        func problem(_ kind: GraphProblem.Kind, _ m: DjangoMigration, _ message: String, fix: String,
                     severity: GraphProblem.Severity = .error) -> GraphProblem {
            GraphProblem(kind: kind, severity: severity, path: m.path, line: m.line, revisions: [m.key.description],
                         message: message, fix: fix)
        }

        /// Python's `%r` of a key tuple.
        static func repr(_ k: DjangoKey) -> String { "(\(PythonRepr.string(k.app)), \(PythonRepr.string(k.name)))" }

        /// Each app's roots and leaves, as far as they are known (dropped when an edge inside the
        /// app or a new node changes them), so that `__first__`/`__latest__` cost no scan each.
        var ends: [String: (roots: [DjangoKey], leaves: [DjangoKey])] = [:]

        mutating func link(origin: DjangoKey, child: DjangoKey, parent: DjangoKey) {
            for (k, role) in [(child, "child"), (parent, "parent")] where !nodes.contains(k) && dummies[k] == nil {
                dummies[k] = (origin, "Migration \(origin) dependencies reference nonexistent \(role) node \(Self.repr(k))")
                ends[k.app] = nil
            }
            if child.app == parent.app { ends[child.app] = nil }
            parents[child, default: []].insert(parent)
            children[parent, default: []].insert(child)
        }

        func has(_ k: DjangoKey) -> Bool { nodes.contains(k) || dummies[k] != nil }

        mutating func rootsOrLeaves(_ app: String, leaves: Bool) -> [DjangoKey] {
            if let known = ends[app] { return leaves ? known.leaves : known.roots }
            let all = (byApp[app] ?? []) + dummies.keys.filter { $0.app == app }
            func without(_ edges: [DjangoKey: Set<DjangoKey>]) -> [DjangoKey] {
                all.filter { n in !(edges[n] ?? []).contains { $0.app == app } }.sorted()
            }
            let found = (roots: without(parents), leaves: without(children))
            ends[app] = found
            return leaves ? found.leaves : found.roots
        }

        /// `check_key`: `__first__`/`__latest__` resolved; nil when Django ignores the entry.
        mutating func resolve(_ key: DjangoKey, for m: DjangoMigration) -> DjangoKey? {
            let special = key.name == "__first__" || key.name == "__latest__"
            if !special || has(key) {
                if !apps.contains(key.app) {
                    external[m.key, default: []].append(key)
                    return nil
                }
                return key
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
            var resolved: [DjangoKey: [DjangoKey]] = [:]
            for k in order { resolved[k] = dependencyKeys(migrations[k]!, &problems) }
            // Internal dependencies first, so that `__first__` finds the right root.
            for k in order {
                for p in resolved[k]! where p.app == k.app && p.name != "__first__" { link(origin: k, child: k, parent: p) }
            }
            for k in order {
                let m = migrations[k]!
                for p in resolved[k]! where p.app != k.app {
                    if let p = resolve(p, for: m) { link(origin: k, child: k, parent: p) }
                }
                for c in m.runBefore {
                    if let c = resolve(c, for: m) { link(origin: k, child: c, parent: k) }
                }
            }
            squash()
            for (k, d) in dummies.sorted(by: { $0.key < $1.key }) {
                let m = migrations[d.origin]!
                problems.append(problem(.missingDependency, m, d.message,
                                        fix: "add migration \(k) or correct the dependency in '\(m.path)'"))
                for p in parents[k] ?? [] { children[p]?.remove(k) }
                for c in children[k] ?? [] { parents[c]?.remove(k) }
                parents[k] = nil
                children[k] = nil
            }
            findCycles()
        }

        /// Replacements, in key order (Django's order is the file system's).
        mutating func squash() {
            for k in order {
                let m = migrations[k]!
                guard !m.replaces.isEmpty, nodes.contains(k) else { continue }
                let statuses = m.replaces.map { applied.contains($0) }
                if statuses.allSatisfy({ $0 }) { applied.insert(k) } else { applied.remove(k) }
                if statuses.allSatisfy({ $0 }) || !statuses.contains(true) {
                    removeReplaced(k, Set(m.replaces))
                } else {
                    removeReplacement(k, m.replaces)
                }
            }
        }

        /// `remove_replaced_nodes`: the squash takes the replaced nodes' edges.
        mutating func removeReplaced(_ r: DjangoKey, _ replaced: Set<DjangoKey>) {
            for old in replaced.sorted() {
                let wasNode = nodes.remove(old) != nil
                let wasDummy = dummies.removeValue(forKey: old) != nil
                guard wasNode || wasDummy else { continue }
                replacedBy[old] = r
                for c in children.removeValue(forKey: old) ?? [] {
                    parents[c]?.remove(old)
                    if !replaced.contains(c) { children[r, default: []].insert(c); parents[c, default: []].insert(r) }
                }
                for p in parents.removeValue(forKey: old) ?? [] {
                    children[p]?.remove(old)
                    if !replaced.contains(p) { parents[r, default: []].insert(p); children[p, default: []].insert(r) }
                }
            }
        }

        /// `remove_replacement_node`: the squash is dropped; its children hang on the latest replaced nodes.
        mutating func removeReplacement(_ r: DjangoKey, _ replaced: [DjangoKey]) {
            nodes.remove(r)
            unusedSquashes.append(r)
            var present = Set(replaced.filter { nodes.contains($0) || dummies[$0] != nil })
            var theirParents = Set<DjangoKey>()
            for k in present { theirParents.formUnion(parents[k] ?? []) }
            present.subtract(theirParents)
            for c in children.removeValue(forKey: r) ?? [] {
                parents[c]?.remove(r)
                for k in present { children[k, default: []].insert(c); parents[c, default: []].insert(k) }
            }
            for p in parents.removeValue(forKey: r) ?? [] { children[p]?.remove(r) }
        }

        /// Whether every node can be ordered (Kahn's count of in-degrees: linear, no sorting); the
        /// walk that names the cycles runs only when one cannot.
        func isAcyclic() -> Bool {
            var indegree: [DjangoKey: Int] = [:]
            for n in nodes { indegree[n] = (parents[n] ?? []).count }
            var ready = indegree.filter { $0.value == 0 }.map(\.key)
            var done = 0
            while let n = ready.popLast() {
                done += 1
                for c in children[n] ?? [] {
                    guard let d = indegree[c] else { continue }
                    indegree[c] = d - 1
                    if d == 1 { ready.append(c) }
                }
            }
            return done == indegree.count
        }

        /// Nodes on a cycle through their children (iterative three-colour walk).
        mutating func findCycles() {
            if isAcyclic() { return }
            var state: [DjangoKey: UInt8] = [:]  // 1 on the path, 2 done
            var found: [[DjangoKey]] = []
            for start in nodes.sorted() where state[start] == nil {
                var path: [DjangoKey] = [start]
                var iterators: [[DjangoKey]] = [(children[start] ?? []).sorted()]
                state[start] = 1
                while let top = path.last {
                    if let next = iterators[iterators.count - 1].popLast() {
                        switch state[next] {
                        case nil:
                            state[next] = 1
                            path.append(next)
                            iterators.append((children[next] ?? []).sorted())
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
                cyclic.formUnion(c)
                let m = migrations[c[0]]!
                problems.append(problem(.cycle, m, "Circular dependency: \(c.map(\.description).joined(separator: ", "))",
                                        fix: "remove one of the dependencies that form the loop"))
            }
        }
    }
}
