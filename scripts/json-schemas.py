"""Writes docs/schema/<command>.v1.json, the JSON Schema (2020-12) of each `--format json` output.

usage: python3 scripts/json-schemas.py [OUT_DIR]     (default docs/schema)

Run it after changing an output; the tests validate real outputs against the written files and
check that they are what this script writes. Every object is closed (additionalProperties:
false), so a key added to the Swift side without its schema fails the tests.
"""
import json
import os
import sys

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
OID = {"type": "string", "pattern": "^[0-9a-f]{40}$"}


def opt(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def arr(items):
    return {"type": "array", "items": items}


def obj(required, optional=None):
    props = dict(required)
    props.update(optional or {})
    return {"type": "object", "properties": props, "required": sorted(required), "additionalProperties": False}


def schema_key(command):
    return {"const": f"revgraph/{command}/v1"}


DEFS = {
    "revision": obj({
        "revision": STR, "down_revisions": arr(STR), "depends_on": arr(STR), "branch_labels": arr(STR),
        "declared_branch_labels": arr(STR), "children": arr(STR), "path": STR, "line": INT, "doc": STR,
        "is_head": BOOL, "is_effective_head": BOOL, "is_base": BOOL, "is_branch_point": BOOL, "is_merge_point": BOOL,
    }),
    "problem": obj(
        {"kind": {"enum": ["parse-error", "non-literal-value", "missing-revision", "illegal-identifier",
                           "duplicate-revision", "missing-parent", "missing-dependency", "cycle", "dependency-cycle",
                           "branch-label-collision", "conflicting-heads", "long-identifier", "merge-conflict", "lint", "empty-version-location"]},
         "severity": {"enum": ["error", "warning"]}, "revisions": arr(STR), "message": STR},
        {"path": STR, "line": INT, "fix": STR}),
    "finding_commit": obj({"commit": STR, "author": STR, "email": STR, "time": TIME, "subject": STR}),
    "finding": obj(
        {"kind": STR, "message": STR, "commits": arr({"$ref": "#/$defs/finding_commit"})},
        {"revision": STR, "path": STR, "line": INT, "fix": STR, "ref": STR, "recorded_checksum": STR,
         "current_checksum": STR, "recorded_commit": STR}),
    "log_commit": obj({"id": OID, "summary": STR, "author": STR, "email": STR, "time": TIME, "parents": arr(OID)}),
    "log_side": obj({"revision": STR, "path": STR, "changed": BOOL}, {"commit": {"$ref": "#/$defs/log_commit"}}),
    "merge": obj({"ours": STR, "theirs": STR, "only_ours": arr(STR), "only_theirs": arr(STR),
                  "heads_after_merge": arr(STR), "new_conflicts": arr(arr(STR))}, {"merge_base": OID}),
}


def document(command, title, body, defs):
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": f"https://revgraph.dev/schema/{command}.v1.json", "title": title}
    doc.update(body)
    used = {k: DEFS[k] for k in defs}
    if used:
        doc["$defs"] = used
    return doc


def revision_list(command, what):
    return document(command, f"revgraph {command} --format json: {what}",
                    obj({"schema": schema_key(command), "revisions": arr({"$ref": "#/$defs/revision"}),
                         "problems": arr({"$ref": "#/$defs/problem"})}), ["revision", "problem"])


check_report = {
    "ok": BOOL, "revision_count": INT, "heads": arr(STR), "problems": arr({"$ref": "#/$defs/problem"}),
}
LINT_ITEM = obj({"rule": STR, "severity": {"enum": ["error", "warning"]}, "revision": STR, "path": STR, "line": INT,
                 "message": STR, "fix": STR})
check_optional = {"project": STR, "merge": {"$ref": "#/$defs/merge"}, "lint": arr(LINT_ITEM)}
DJANGO_PROJECT = {
    "ok": BOOL, "command": {"enum": ["heads", "history", "show", "check", "showmigrations", "graph"]},
    "project": STR, "migration_count": INT,
    "apps": arr(obj({"label": STR, "directory": STR, "leaves": arr(STR)})),
    "migrations": arr(obj({"app": STR, "name": STR, "path": STR, "line": INT, "dependencies": arr(STR),
                           "external_dependencies": arr(STR), "replaces": arr(STR), "run_before": arr(STR),
                           "initial": BOOL}, {"replaced_by": STR})),
    "plan": arr(STR), "conflicts": arr(obj({"app": STR, "leaves": arr(STR)})),
    "problems": arr({"$ref": "#/$defs/problem"}),
}
log_event = obj(
    {"kind": STR, "commit": {"$ref": "#/$defs/log_commit"}, "conflicts": arr(arr(STR)),
     "brought": arr({"$ref": "#/$defs/log_side"}), "mainline": arr({"$ref": "#/$defs/log_side"})},
    {"merged_branch": STR, "resolution": {"type": "object", "additionalProperties": arr(STR)},
     "forked_since": OID, "forked_commits": INT})
log_report = {"events": arr(log_event), "scanned": INT, "skipped": INT, "forked_commits": INT, "shallow": BOOL}
log_optional = {"project": STR, "open_since": OID}

SCHEMAS = {
    "heads": revision_list("heads", "the heads"),
    "branches": revision_list("branches", "the branch points"),
    "history": revision_list("history", "the revisions, newest first"),
    "graph": revision_list("graph", "the revisions in drawing order"),
    "show": document("show", "revgraph show --format json", obj({
        "schema": schema_key("show"), "problems": arr({"$ref": "#/$defs/problem"}),
        "revisions": arr(obj({"revision": {"$ref": "#/$defs/revision"}}, {"git": arr(obj(
            {"kind": {"enum": ["added", "modified", "renamed"]}, "path": STR, "commit": OID, "author": STR,
             "email": STR, "time": TIME, "summary": STR}, {"renamed_from": STR}))})),
    }), ["revision", "problem"]),
    "check": document("check", "revgraph check --format json (one project, or every one with --all-projects)", {
        "oneOf": [
            obj(dict(check_report, schema=schema_key("check")), check_optional),
            obj({"schema": schema_key("check"), "ok": BOOL,
                 "projects": arr(obj(check_report, check_optional))}, {"django_projects": arr(obj(DJANGO_PROJECT))}),
        ]}, ["problem", "merge"]),
    "log": document("log", "revgraph log --format json (one project, or {projects} when the tip has several)", {
        "oneOf": [
            obj(dict(log_report, schema=schema_key("log")), log_optional),
            obj({"schema": schema_key("log"), "projects": arr(obj(log_report, log_optional))}),
        ]}, ["log_commit", "log_side"]),
    "status": document("status", "revgraph status --format json", obj({
        "schema": schema_key("status"), "database": STR, "heads": arr(STR), "applied": arr(STR),
        "pending": arr(STR), "unknown": arr(STR)}), []),
    "current": document("current", "revgraph current --format json", obj({
        "schema": schema_key("current"), "database": STR, "revisions": arr({"$ref": "#/$defs/revision"}),
        "unknown": arr(STR)}), ["revision"]),
    "verify": document("verify", "revgraph verify --format json", obj({
        "schema": schema_key("verify"), "ok": BOOL, "checked": arr(STR),
        "findings": arr({"$ref": "#/$defs/finding"})}), ["finding", "finding_commit"]),
    "release-list": document("release-list", "revgraph release list --format json", obj({
        "schema": schema_key("release-list"), "releases": arr(obj(
            {"tag": STR, "commit": OID, "time": TIME, "heads": arr(STR), "revision_count": INT, "manifest": STR,
             "made_by_revgraph": BOOL, "changed_since": arr(STR)}, {"trailers_match": BOOL}))}), []),
    "release-show": document("release-show", "revgraph release show --format json", obj(
        {"schema": schema_key("release-show"), "tag": STR, "commit": OID, "heads": arr(STR), "revisions": arr(STR),
         "manifest": STR, "made_by_revgraph": BOOL}, {"trailers_match": BOOL}), []),
    "lint": document("lint", "revgraph lint --format json", obj(
        {"schema": schema_key("lint"), "checked": INT, "findings": arr(LINT_ITEM)}, {"dialect": {"enum": ["postgresql", "sqlite", "mysql", "other"]}}), []),
    "django": document("django", "revgraph heads|history|show|check|showmigrations|graph --format json on a Django project",
                       obj(dict(DJANGO_PROJECT, schema=schema_key("django"))), ["problem"]),
    "django-log": document("django-log", "revgraph log --format json on a Django project", obj({
        "schema": schema_key("django-log"), "walked": INT, "read": INT, "shallow": BOOL,
        "events": arr(obj({"kind": {"enum": ["fork", "changed", "resolved"]}, "app": STR,
                           "commit": {"$ref": "#/$defs/log_commit"},
                           "leaves": arr(obj({"migration": STR}, {"first_seen": {"$ref": "#/$defs/log_commit"}})),
                           "added": arr(STR)})),
        "unresolved": arr(obj({"app": STR, "leaves": arr(STR)}))}), ["log_commit"]),
    "release-diff": document("release-diff", "revgraph release diff --format json", obj({
        "schema": schema_key("release-diff"), "from": STR, "to": STR, "contains_from_heads": BOOL,
        "added": arr(obj({"revision": STR, "doc": STR, "path": STR}, {"commit": OID, "author": STR})),
        "only_in_from": arr(STR)}), []),
}

out = sys.argv[1] if len(sys.argv) > 1 else "docs/schema"
os.makedirs(out, exist_ok=True)
for command, schema in SCHEMAS.items():
    with open(os.path.join(out, f"{command}.v1.json"), "w") as f:
        json.dump(schema, f, indent=2, sort_keys=True)
        f.write("\n")
