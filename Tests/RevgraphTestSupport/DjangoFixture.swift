import Foundation

/// Django projects for tests: `manage.py`, a settings module and apps with migration files
/// written from specs (each migration creates one table, so `migrate` does real work).
public struct DjangoFixture {
    public struct Migration {
        public var app: String
        public var name: String
        /// Python source of each `dependencies` entry: `("blog", "0001_initial")`,
        /// `migrations.swappable_dependency(settings.AUTH_USER_MODEL)`.
        public var dependencies: [String] = []
        public var replaces: [(String, String)] = []
        public var runBefore: [(String, String)] = []
        public var initial = false
        /// Tables created (a squash creates those of what it replaces).
        public var tables: [String] = []

        public init(_ app: String, _ name: String, _ dependencies: [String] = [], tables: [String] = []) {
            self.app = app
            self.name = name
            self.dependencies = dependencies
            self.tables = tables
        }

        public var path: String { "\(app)/migrations/\(name).py" }

        public var source: String {
            var s = "from django.conf import settings\nfrom django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
            if initial { s += "    initial = True\n" }
            if !replaces.isEmpty { s += "    replaces = [" + replaces.map { "(\"\($0.0)\", \"\($0.1)\")" }.joined(separator: ", ") + "]\n" }
            if !runBefore.isEmpty { s += "    run_before = [" + runBefore.map { "(\"\($0.0)\", \"\($0.1)\")" }.joined(separator: ", ") + "]\n" }
            s += "    dependencies = [\n" + dependencies.map { "        \($0),\n" }.joined() + "    ]\n\n    operations = [\n"
            for t in tables {
                s += "        migrations.CreateModel(name=\"\(t)\", fields=[(\"id\", models.AutoField(primary_key=True))]),\n"
            }
            return s + "    ]\n"
        }
    }

    /// The `DATABASES` entry: SQLite in the project, or a PostgreSQL database.
    public enum Database {
        case sqlite
        case postgresql(name: String, user: String, password: String, host: String, port: Int)
    }

    /// Writes the project into `dir`: `manage.py`, `proj/settings.py`, and each app of `apps`
    /// with an empty models module and its migrations.
    public static func write(at dir: String, apps: [String], migrations: [Migration], database: Database = .sqlite,
                             settings extra: String = "") throws {
        try RevgraphTestSupport.write("""
            import os, sys
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)

            """, to: dir + "/manage.py")
        try RevgraphTestSupport.write("", to: dir + "/proj/__init__.py")
        let db: String
        switch database {
        case .sqlite: db = "{\"ENGINE\": \"django.db.backends.sqlite3\", \"NAME\": \"db.sqlite3\"}"
        case .postgresql(let name, let user, let password, let host, let port):
            db = "{\"ENGINE\": \"django.db.backends.postgresql\", \"NAME\": \"\(name)\", \"USER\": \"\(user)\", \"PASSWORD\": \"\(password)\", \"HOST\": \"\(host)\", \"PORT\": \"\(port)\"}"
        }
        try RevgraphTestSupport.write("""
            SECRET_KEY = "test"
            INSTALLED_APPS = [\(apps.map { "\"\($0)\"" }.joined(separator: ", "))]
            DATABASES = {"default": \(db)}
            USE_TZ = True
            TIME_ZONE = "UTC"
            DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
            \(extra)

            """, to: dir + "/proj/settings.py")
        for a in apps {
            try RevgraphTestSupport.write("", to: "\(dir)/\(a)/__init__.py")
            try RevgraphTestSupport.write("", to: "\(dir)/\(a)/models.py")
            try RevgraphTestSupport.write("", to: "\(dir)/\(a)/migrations/__init__.py")
        }
        for m in migrations { try RevgraphTestSupport.write(m.source, to: "\(dir)/\(m.path)") }
    }

    /// A Python driver that runs Django's own commands in one process on the project in argv[1]
    /// and writes what they printed and wrote as JSON to argv[2]: `showmigrations --plan -v 2`,
    /// `showmigrations`, the loader's leaves and conflicts, then (when there are conflicts)
    /// `makemigrations --merge --noinput` and the files it created, then `migrate`.
    public static let driver = #"""
        import io, json, os, sys
        project, out = sys.argv[1], sys.argv[2]
        os.chdir(project); sys.path.insert(0, project)
        os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"
        import django
        django.setup()
        from django.core.management import call_command
        from django.db.migrations.loader import MigrationLoader
        res = {}
        def cmd(key, *args, **kw):
            buf = io.StringIO()
            try:
                call_command(*args, stdout=buf, stderr=io.StringIO(), no_color=True, **kw)
                res[key] = buf.getvalue()
            except BaseException as e:
                res[key] = "crash: %s: %s" % (type(e).__name__, e)
        cmd("plan", "showmigrations", format="plan", verbosity=2)
        cmd("list", "showmigrations")
        try:
            loader = MigrationLoader(None, ignore_no_migrations=True)
            res["leaves"] = ["%s.%s" % k for k in loader.graph.leaf_nodes()]
            res["conflicts"] = {a: n for a, n in sorted(loader.detect_conflicts().items())}
        except BaseException as e:
            res["leaves"] = "crash: %s: %s" % (type(e).__name__, e)
            res["conflicts"] = {}
        def files():
            found = {}
            for root, dirs, names in os.walk(project):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                for n in names:
                    if n.endswith(".py") and os.sep + "migrations" in root:
                        p = os.path.join(root, n)
                        found[os.path.relpath(p, project)] = open(p, encoding="utf-8").read()
            return found
        if res["conflicts"]:
            before = files()
            kw = {}
            if os.environ.get("MERGE_NAME"): kw["name"] = os.environ["MERGE_NAME"]
            if os.environ.get("MERGE_NO_HEADER"): kw["include_header"] = False
            cmd("merge", "makemigrations", merge=True, interactive=False, verbosity=0, **kw)
            after = files()
            res["merged"] = {p: t for p, t in after.items() if p not in before}
        cmd("migrate", "migrate", verbosity=0)
        cmd("list_after", "showmigrations")
        cmd("plan_after", "showmigrations", format="plan")
        json.dump(res, open(out, "w"))
        """#

    /// Runs ``driver`` with `python` on the project at `dir`.
    public static func runDjango(python: String, at dir: String, env: [String: String] = [:]) throws -> [String: Any] {
        let script = dir + "/../django-driver.py", out = dir + "/../django-out.json"
        try driver.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try run(python, [script, dir, out], cwd: dir, env: env)
        guard r.status == 0, let data = FileManager.default.contents(atPath: out),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("the Django driver failed (\(r.status)): \(r.stdout)\(r.stderr)")
        }
        return json
    }
}
