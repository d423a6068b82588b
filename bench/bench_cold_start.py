"""Cold start: wall time of whole `reportqa` processes on a built index, beside `python -c pass`.

    python bench/bench_cold_start.py               # 5 runs of each command, the bundled report
    python bench/bench_cold_start.py --runs 10

Each command runs in a fresh process, so imports, the index load, jieba's dictionary and the
embedding model are all paid every time, as a user pays them. The index is built first (not
timed) in a temporary folder. Prints a Markdown table: median and best wall time, and the median
as a ratio to the bare interpreter's. Target (README): `reportqa ask` median <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.5
QUESTION = "一共发放了多少个口罩？"


def reportqa() -> str:
    """The `reportqa` script beside this interpreter (the project's virtual environment)."""
    script = Path(sys.executable).with_name("reportqa")
    if not script.exists():
        sys.exit(f"{script} not found: run `make install` first")
    return str(script)


def wall(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # 1: the report does not say, still a full answer
            sys.exit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace').strip()}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=Path("docs_src"), help="folder of reports (default docs_src)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    args = ap.parse_args()
    cli = reportqa()
    with tempfile.TemporaryDirectory() as tmp:
        docs, index = Path(tmp) / "docs", Path(tmp) / "index"
        shutil.copytree(args.docs, docs)
        env = {
            **os.environ,
            "QA_DOCS_DIR": str(docs),
            "QA_INDEX_DIR": str(index),
            "QA_DATA_DIR": str(Path(tmp) / "data"),
        }
        subprocess.run([cli, "index", "build", "--quiet"], env=env, check=True, stdout=subprocess.DEVNULL)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reportqa --help": [cli, "--help"],
            "reportqa index info": [cli, "index", "info"],
            f'reportqa ask "{QUESTION}"': [cli, "ask", QUESTION, "--no-rebuild"],
        }
        results = {name: wall(argv, env, args.runs) for name, argv in commands.items()}
    base = statistics.median(results["python -c pass"])
    print(f"{args.runs} runs each, on {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end")
    print("| command | median | best | median / python -c pass |")
    print("|---|---|---|---|")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"| `{name}` | {median:.2f} s | {min(times):.2f} s | {median / base:.1f}× |")
    ask = statistics.median(results[f'reportqa ask "{QUESTION}"'])
    print(f"\ntarget: reportqa ask median <= {TARGET_SECONDS} s: {'met' if ask <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
