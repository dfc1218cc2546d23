"""Python's json.loads on the same file, for the parse benchmark's peer figure."""
import json
import sys
import time

data = open(sys.argv[1], "rb").read()
json.loads(data)
times = []
deadline = time.perf_counter() + 3
while len(times) < 3 or time.perf_counter() < deadline:
    t = time.perf_counter()
    json.loads(data)
    times.append(time.perf_counter() - t)
times.sort()
mb = len(data) / 1e6
print(f"json-parse python-json.loads MB/s best {mb / times[0]:.1f} median {mb / times[len(times) // 2]:.1f} runs {len(times)}")
