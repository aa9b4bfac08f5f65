"""The code location's load time beside a bare `import dagster, dagster_dbt`, measured in
the same fresh interpreter (bare imports first, then the rest), best of five."""

import subprocess
import sys

PROBE = """
import time
t0 = time.perf_counter(); import dagster, dagster_dbt; t1 = time.perf_counter()
import orchestration.definitions; t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def main(runs: int = 5) -> None:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
        bare, extra = map(float, out.stdout.split()[-2:])
        samples.append((bare + extra, bare, extra))
    _, bare, extra = min(samples)
    print(f"code location load: import dagster, dagster_dbt {bare:.2f} s; "
          f"orchestration.definitions +{extra:.2f} s (budget +0.50 s)")


if __name__ == "__main__":
    main()
