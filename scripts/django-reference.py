"""The reference for scripts/compare-django-history.sh: Python's ast reads each migration's class attributes
(no import of the project), and Django's own MigrationLoader builds the graph from them; prints what
`manage.py showmigrations --plan --verbosity 2` prints. Dependencies on apps outside the tree are dropped,
as revgraph keeps them as external. usage: python scripts/django-reference.py PROJECT_DIR
"""
import ast, os, sys, io
root = sys.argv[1]
# Settings revgraph reads from revgraph.toml, given here by the environment:
# SWAPPABLE="AUTH_USER_MODEL=accounts.User WAGTAIL_PAGE_MODEL=wagtailcore.Page", EXCLUDE="lib/blocks other/app".
swappable = {"AUTH_USER_MODEL": "auth.User"}
swappable.update(kv.split("=", 1) for kv in os.environ.get("SWAPPABLE", "").split())
exclude = [e.strip("/") for e in os.environ.get("EXCLUDE", "").split()]
skip = {".git", "node_modules", ".venv", "venv", "site-packages", "__pycache__", ".tox", ".nox", ".mypy_cache"}
apps = {}
for d, dirs, files in os.walk(root):
    dirs[:] = sorted(x for x in dirs if x not in skip and not os.path.exists(os.path.join(d, x, ".git")))
    if os.path.basename(d) == "migrations" and "__init__.py" in files:
        appdir = os.path.dirname(d)
        rel = os.path.relpath(appdir, root)
        if any(rel == e or rel.startswith(e + "/") for e in exclude):
            continue
        label = os.path.basename(appdir)
        try:
            t = ast.parse(open(os.path.join(appdir, "apps.py"), "rb").read())
            for n in ast.walk(t):
                if isinstance(n, ast.ClassDef):
                    for b in n.body:
                        if isinstance(b, ast.Assign) and len(b.targets) == 1 and getattr(b.targets[0], "id", "") == "label" and isinstance(b.value, ast.Constant):
                            label = b.value.value; raise StopIteration
        except (OSError, StopIteration, SyntaxError):
            pass
        apps.setdefault(label, d)
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=[], **swappable)
django.setup()
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader
def val(node):
    if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "swappable_dependency":
        v = swappable[node.args[0].attr]
        return (v.split(".", 1)[0], "__first__")
    if isinstance(node, (ast.List, ast.Tuple)):
        return [val(e) for e in node.elts]
    return ast.literal_eval(node)
disk = {}
for label, d in apps.items():
    for f in sorted(os.listdir(d)):
        if not f.endswith(".py") or f[0] in "_~" or "." in f[:-3]: continue
        t = ast.parse(open(os.path.join(d, f), "rb").read())
        cls = [n for n in t.body if isinstance(n, ast.ClassDef) and n.name == "Migration"][-1]
        attrs = {}
        for b in cls.body:
            target = b.targets[0] if isinstance(b, ast.Assign) and len(b.targets) == 1 else (b.target if isinstance(b, ast.AnnAssign) else None)
            if target is not None and getattr(target, "id", None) in ("dependencies", "replaces", "run_before", "initial"):
                attrs[target.id] = val(b.value)
        m = Migration(f[:-3], label)
        keep = lambda ks: [tuple(k) for k in ks if k[0] in apps]
        m.dependencies = keep(attrs.get("dependencies", []))
        m.replaces = [tuple(k) for k in attrs.get("replaces", [])]
        m.run_before = keep(attrs.get("run_before", []))
        disk[(label, f[:-3])] = m
class Loader(MigrationLoader):
    def load_disk(self):
        self.disk_migrations = dict(disk); self.unmigrated_apps = set(); self.migrated_apps = set(apps)
loader = Loader(None, ignore_no_migrations=True)
g = loader.graph
seen = set()
for t in g.leaf_nodes():
    for k in g.forwards_plan(t):
        if k not in seen:
            seen.add(k); n = g.node_map[k]
            deps = ", ".join("%s.%s" % p.key for p in sorted(n.parents))
            print("[ ]  %s.%s%s" % (k[0], k[1], " ... (%s)" % deps if deps else ""))
