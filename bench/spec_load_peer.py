"""openapi-spec-validator on the same spec files, for the spec-load comparison (load JSON + validate)."""
import json
import sys
import time

from openapi_spec_validator import OpenAPIV2SpecValidator

for path in sys.argv[1:]:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        # All errors, not the first: the real Determined spec has one ("/docs" is not a URI), and detapi lints on.
        errors = list(OpenAPIV2SpecValidator(json.load(open(path))).iter_errors())
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"spec-load openapi-spec-validator {path}: best {times[0] * 1000:.1f} ms, median {times[1] * 1000:.1f} ms, runs 3, {len(errors)} errors")
