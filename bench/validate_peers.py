"""Bytes -> verdict with Python's jsonschema-rs and fastjsonschema, on the same body and schema as detapi.

Usage: validate_peers.py SPEC BODY [SECONDS]
The schema is the spec's v1GetExperimentsResponse with all definitions, as draft 4 (what Swagger 2.0 uses).
"""
import json
import sys
import time

import fastjsonschema
import jsonschema_rs

spec = json.load(open(sys.argv[1]))
body = open(sys.argv[2], "rb").read()
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
schema = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "$ref": "#/definitions/v1GetExperimentsResponse",
    "definitions": spec["definitions"],
}
mb = len(body) / 1e6


def measure(name, verdict):
    print(f"validate {name} verdict: {'valid' if verdict() else 'INVALID'}")
    times = []
    deadline = time.perf_counter() + seconds
    while len(times) < 3 or time.perf_counter() < deadline:
        t = time.perf_counter()
        verdict()
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"validate {name} bytes-to-verdict MB/s best {mb / times[0]:.1f} median {mb / times[len(times) // 2]:.1f} runs {len(times)}")


rs = jsonschema_rs.Draft4Validator(schema)
measure("jsonschema-rs", lambda: rs.is_valid(json.loads(body)))

fast = fastjsonschema.compile(schema)


def fast_verdict():
    try:
        fast(json.loads(body))
        return True
    except fastjsonschema.JsonSchemaException:
        return False


measure("fastjsonschema", fast_verdict)
