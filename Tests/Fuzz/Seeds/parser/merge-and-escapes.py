"""merge

Revision ID: m1
Revises: a1, b1
"""
revision = "m1"
down_revision = ("a1", "b1")
branch_labels = ("x",)
depends_on = None
ÿ# coding: latin-1
revision = u"\N{LATIN SMALL LETTER E WITH ACUTE}\x41\101"
down_revision = None; branch_labels = ["x"]
ÿrevision = "a1" "b"
down_revision = "m1"
if True:
    revision = "z"
