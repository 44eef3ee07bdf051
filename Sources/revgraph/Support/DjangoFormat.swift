import RevgraphCore
import RevgraphWorkspace

/// Text for Django projects, matching `manage.py showmigrations` where the two overlap.
struct DjangoFormat {
    let project: DjangoProject
    /// The graph to print: the project's, or the one a database's applied rows give.
    var graph: DjangoGraph
    /// The rows `django_migrations` holds, when a database was read.
    var recorded: Set<DjangoKey>?

    init(project: DjangoProject, graph: DjangoGraph? = nil, recorded: Set<DjangoKey>? = nil) {
        self.project = project
        self.graph = graph ?? project.graph
        self.recorded = recorded
    }

    /// `showmigrations` (list): each app, sorted, then its migrations from roots to leaves.
    func list(apps only: [String] = [], verbose: Bool = false) -> String {
        var out = ""
        for app in only.isEmpty ? graph.apps : only {
            out += app + "\n"
            let shown = graph.list(app: app)
            for k in shown {
                var title = k.name
                if let r = graph.migrations[k]?.replaces, !r.isEmpty { title += " (\(r.count) squashed migrations)" }
                if !graph.applied.contains(k) {
                    out += " [ ] " + title + "\n"
                } else if recorded?.contains(k) ?? true {
                    out += " [X] " + title + "\n"
                } else {
                    // A squash whose replaced migrations are all applied, itself not yet recorded.
                    out += " [-] " + title + " Run 'manage.py migrate' to finish recording.\n"
                }
            }
            if shown.isEmpty { out += " (no migrations)\n" }
        }
        return out
    }

    /// `showmigrations --plan`: every migration in the order `migrate` applies them; with
    /// `verbose` (Django's `-v 2`) each with its dependencies.
    func plan(apps only: [String] = [], verbose: Bool = false) -> String {
        let order = graph.plan(apps: only.isEmpty ? nil : Set(only))
        if order.isEmpty { return "(no migrations)\n" }
        var out = ""
        for k in order {
            var deps = ""
            if verbose, let p = graph.parents[k], !p.isEmpty { deps = " ... (" + p.map(\.description).joined(separator: ", ") + ")" }
            out += (graph.applied.contains(k) ? "[X]  " : "[ ]  ") + k.description + deps + "\n"
        }
        return out
    }

    /// Each app's leaves, `app.name` a line (`(conflict)` after an app's leaves when it has several).
    func heads(verbose: Bool, display: (String) -> String) -> String {
        var out = ""
        let conflicting = Set(graph.conflicts.map(\.app))
        for l in graph.leaves() {
            out += l.description
            if conflicting.contains(l.app) { out += " (conflict)" }
            if verbose, let m = graph.migrations[l] { out += "  " + display(m.path) }
            out += "\n"
        }
        return out
    }

    /// One migration in detail.
    func show(_ key: DjangoKey, display: (String) -> String) -> String {
        guard let m = graph.migrations[key] else { return "" }
        var out = "Migration: \(key)\nPath: \(display(m.path))\n"
        func keys(_ ks: [DjangoKey]) -> String { ks.isEmpty ? "(none)" : ks.map(\.description).joined(separator: ", ") }
        out += "Dependencies: \(keys(graph.parents[key] ?? []))\n"
        if let e = graph.external[key], !e.isEmpty { out += "External dependencies: \(keys(e)) (apps outside this repository)\n" }
        out += "Dependents: \(keys(graph.children[key] ?? []))\n"
        if !m.replaces.isEmpty { out += "Replaces: \(keys(m.replaces))\n" }
        if !m.runBefore.isEmpty { out += "Run before: \(keys(m.runBefore))\n" }
        if let by = graph.replacedBy[key] { out += "Replaced by: \(by) (the squashed migration is used)\n" }
        if graph.unusedSquashes.contains(key) { out += "Not used: what it replaces is partly applied\n" }
        if m.initial { out += "Initial: True\n" }
        if let n = m.operationCount { out += "Operations: \(n)\n" }
        return out
    }

    /// A key from `app.name`, `app name` or a unique prefix of the name (Django's `get_migration_by_prefix`).
    func resolve(_ text: String) throws -> DjangoKey {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CLIError.usage("'\(text)': name a Django migration as app_label.migration_name") }
        let exact = DjangoKey(parts[0], parts[1])
        if graph.migrations[exact] != nil { return exact }
        let found = graph.migrations.keys.filter { $0.app == parts[0] && $0.name.hasPrefix(parts[1]) }.sorted()
        if found.count == 1 { return found[0] }
        if found.isEmpty {
            guard graph.apps.contains(parts[0]) else {
                throw CLIError.usage("no app labelled '\(parts[0])' has migrations here (apps: \(graph.apps.joined(separator: ", ")))")
            }
            throw CLIError.usage("There is no migration for '\(parts[0])' with the prefix '\(parts[1])'")
        }
        throw CLIError.usage("There is more than one migration for '\(parts[0])' with the prefix '\(parts[1])': "
                             + found.map(\.name).joined(separator: ", "))
    }

    /// `ok: …` for check.
    var summary: String {
        // Never an all-clear over nothing: a project with no migrations package says so.
        guard !graph.apps.isEmpty else {
            return "ok: Django project \(project.name) has no app with a migrations package yet: no migration was checked\n"
        }
        let n = graph.migrations.count
        return "ok: \(n) Django migration\(n == 1 ? "" : "s") in \(graph.apps.count) app\(graph.apps.count == 1 ? "" : "s"), one leaf each\n"
    }
}

/// `--format json` of every read command on a Django project: one document, `revgraph/django/v1`.
struct DjangoJSON: Encodable {
    struct App: Encodable { var label: String, directory: String, leaves: [String] }
    struct Migration: Encodable {
        var app: String, name: String, path: String, line: Int
        var dependencies: [String], externalDependencies: [String], replaces: [String], runBefore: [String]
        var initial: Bool
        var replacedBy: String?
    }
    struct Conflict: Encodable { var app: String, leaves: [String] }

    var ok: Bool
    var command: String
    var project: String
    var migrationCount: Int
    var apps: [App]
    var migrations: [Migration]
    var plan: [String]
    var conflicts: [Conflict]
    var problems: [ProblemJSON]

    init(_ p: DjangoProject, command: String, only: [DjangoKey]? = nil, display: (String) -> String) {
        let g = p.graph
        ok = !p.problems.contains { $0.severity == .error }
        self.command = command
        project = p.name
        migrationCount = g.migrations.count
        apps = p.apps.map { a in App(label: a.label, directory: display(a.directory), leaves: g.leaves(app: a.label).map(\.name)) }
        let keys = only ?? g.migrations.keys.sorted()
        migrations = keys.compactMap { k in
            guard let m = g.migrations[k] else { return nil }
            return Migration(app: k.app, name: k.name, path: display(m.path), line: m.line,
                             dependencies: (g.parents[k] ?? []).map(\.description),
                             externalDependencies: (g.external[k] ?? []).map(\.description),
                             replaces: m.replaces.map(\.description), runBefore: m.runBefore.map(\.description),
                             initial: m.initial, replacedBy: g.replacedBy[k]?.description)
        }
        plan = g.hasCycles ? [] : g.plan().map(\.description)
        conflicts = g.conflicts.map { Conflict(app: $0.app, leaves: $0.leaves.map(\.name)) }
        problems = p.problems.map(ProblemJSON.init)
    }
}
