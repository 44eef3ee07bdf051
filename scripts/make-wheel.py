"""Writes the revgraph wheel from the staged tarball tree (called by scripts/package.sh).

usage: make-wheel.py STAGE VERSION PLATFORM_TAG OUT_DIR   (prints the wheel's path)

The wheel holds no Python code. `pip install` puts bin/revgraph in the environment's scripts
directory (on PATH) and the libraries, man page and completions under its data prefix
(lib/revgraph/, share/), which is where the binary's RPATH ($ORIGIN/../lib/revgraph) looks.
"""
import base64
import hashlib
import os
import sys
import zipfile

stage, version, platform, out = sys.argv[1:5]
dist = f"revgraph-{version}"
wheel_path = os.path.join(out, f"{dist}-py3-none-{platform}.whl")
readme = open(os.path.join(stage, "README.md"), encoding="utf-8").read()

metadata = (
    "Metadata-Version: 2.1\n"
    "Name: revgraph\n"
    f"Version: {version}\n"
    "Summary: The Alembic revision graph from git, without running migration code: heads, merges, hooks, ledger\n"
    "License: MIT\n"
    "License-File: LICENSE\n"
    "Requires-Python: >=3.8\n"
    "Classifier: License :: OSI Approved :: MIT License\n"
    "Classifier: Operating System :: POSIX :: Linux\n"
    "Classifier: Topic :: Database\n"
    "Classifier: Topic :: Software Development :: Version Control :: Git\n"
    "Description-Content-Type: text/markdown\n"
    "\n" + readme
)
wheel = (
    "Wheel-Version: 1.0\n"
    "Generator: revgraph scripts/make-wheel.py\n"
    "Root-Is-Purelib: false\n"
    f"Tag: py3-none-{platform}\n"
)

entries = []  # (archive name, bytes, mode)
entries.append((f"{dist}.data/scripts/revgraph", open(os.path.join(stage, "bin", "revgraph"), "rb").read(), 0o755))
for root in ("lib", "share"):
    for directory, _, files in sorted(os.walk(os.path.join(stage, root))):
        for name in sorted(files):
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, stage)
            entries.append((f"{dist}.data/data/{rel}", open(path, "rb").read(), 0o644))
entries.append((f"{dist}.dist-info/LICENSE", open(os.path.join(stage, "LICENSE"), "rb").read(), 0o644))
entries.append((f"{dist}.dist-info/METADATA", metadata.encode(), 0o644))
entries.append((f"{dist}.dist-info/WHEEL", wheel.encode(), 0o644))


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


record = "".join(f"{name},{digest(data)},{len(data)}\n" for name, data, _ in entries)
record += f"{dist}.dist-info/RECORD,,\n"
entries.append((f"{dist}.dist-info/RECORD", record.encode(), 0o644))

tmp = wheel_path + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data, mode in entries:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
os.replace(tmp, wheel_path)
print(wheel_path)
