#!/usr/bin/env python3
"""Counts the operations of a spec that a `detapi mock` log shows answered with a documented 2xx.

Usage: reached_from_log.py SPEC MOCK_LOG
A log line is `METHOD PATH STATUS …`; each is matched against the spec's path templates (literal segments
before variables, as a router does). Prints the count and the total, for comparing tools on one definition of
"reached" (detapi's report counts the same way).
"""
import json, re, sys

spec = json.load(open(sys.argv[1]))
base = spec.get("basePath", "").rstrip("/")
routes = []
for path, item in spec["paths"].items():
    for method, op in item.items():
        if not isinstance(op, dict) or "operationId" not in op:
            continue
        documented = set(op.get("responses", {}).keys())
        parts = (base + path).strip("/").split("/")
        literal = sum(1 for p in parts if not p.startswith("{"))
        pattern = "^/" + "/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
        routes.append((method.upper(), re.compile(pattern), -literal, op["operationId"], documented))
routes.sort(key=lambda r: r[2])
reached = set()
for line in open(sys.argv[2], errors="replace"):
    fields = line.split()
    if len(fields) < 3 or not fields[2].isdigit():
        continue
    method, path, status = fields[0], fields[1].split("?")[0], fields[2]
    if not 200 <= int(status) < 300:
        continue
    for m, pattern, _, op, documented in routes:
        if m == method and pattern.match(path):
            if status in documented or "2XX" in documented or "default" in documented:
                reached.add(op)
            break
print(f"{len(reached)} {sum(1 for _ in routes)}")
