"""Run every benchmark in this folder (``bench_*.py``) one after another.

Usage: ``.venv/bin/python benchmarks/run.py [args passed to each benchmark, e.g. --units 40]``.
Exits with the first non-zero status of a benchmark, 0 when all ran.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    status = 0
    for script in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        code = subprocess.call([sys.executable, str(script), *sys.argv[1:]])
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main())
