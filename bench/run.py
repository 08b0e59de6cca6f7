"""Run every benchmark in bench/ in turn (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    # Modules without a main block (settings, URLs for the benchmarks) are not benchmarks.
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and "__main__" in p.read_text()
    )
    failures = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        failures += subprocess.call([sys.executable, str(script)]) != 0  # noqa: S603  (our own scripts)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
