# Demo env.py: revgraph never runs it.
