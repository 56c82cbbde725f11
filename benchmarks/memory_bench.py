"""Peak memory of l10n runs against the number of posts (run by hand; issue 6, "memory flat").

    python benchmarks/memory_bench.py --work /tmp/l10n-mem --sizes 100 1000 10000 --code /tmp/l10n-code

For each N, on a fresh copy of a site from ``generate_site.py``: ``sync full`` (default jobs), ``sync no
change``, ``check`` (cache warm), each one ``l10n -q`` process under ``/usr/bin/time -v`` (peak RSS of the
largest single process, wall time). Prints one Markdown row per run, with the load average before it, and
the growth per post between consecutive sizes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

from run_benchmarks import fresh_copy, load

SCENARIOS = (("sync full", ["sync"]), ("sync no change", ["sync"]), ("check", ["check", "--format", "json"]))


_FIELDS = {
    "wall": r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)",
    "user": r"User time \(seconds\)",
    "system": r"System time \(seconds\)",
    "rss": r"Maximum resident set size \(kbytes\)",
}


def timed(command: list[str], cwd: Path) -> dict[str, float | int]:
    """Wall seconds, CPU seconds (user + system, workers included), peak RSS (MB), exit status."""
    result = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True, check=False)
    figures: dict[str, float] = {}
    for name, label in _FIELDS.items():
        match = re.search(label + r": (\S+)", result.stderr)
        if match is None:
            raise SystemExit(f"no timing for {command}: {result.stderr[-2000:]}")
        figures[name] = 0.0
        for part in match.group(1).split(":"):
            figures[name] = figures[name] * 60 + float(part)
    return {
        "wall": figures["wall"],
        "cpu": figures["user"] + figures["system"],
        "rss_mb": figures["rss"] / 1024,
        "exit": result.returncode,
    }


def measure(pristine: Path, site: Path, command: list[str]) -> dict[str, dict[str, float | int | str]]:
    fresh_copy(pristine, site)
    results: dict[str, dict[str, float | int | str]] = {}
    for name, arguments in SCENARIOS:
        before = load()
        results[name] = {**timed([*command, "-q", *arguments], site), "load": before}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch directory (sites)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--code", type=Path, help="run l10n from this copy of the package (PYTHONPATH)")
    arguments = parser.parse_args()
    command = [str(Path(sys.executable).parent / "l10n")]
    if arguments.code:
        os.environ["PYTHONPATH"] = str(arguments.code.resolve())
        command = [sys.executable, "-m", "l10n"]
    from generate_site import generate

    work = arguments.work.resolve()
    peaks: dict[int, float] = {}
    print("| N | scenario | wall s | CPU s | peak RSS MB | exit | load before |", flush=True)
    print("|---:|---|---:|---:|---:|---:|---|", flush=True)
    for count in arguments.sizes:
        pristine = work / f"pristine-{count}"
        if not pristine.exists():
            generate(count, pristine)
        results = measure(pristine, work / f"site-{count}", command)
        for name, run in results.items():
            figures = f"{run['wall']:.2f} | {run['cpu']:.2f} | {run['rss_mb']:.0f} | {run['exit']}"
            print(f"| {count:,} | {name} | {figures} | {run['load']} |", flush=True)
        peaks[count] = float(results["sync full"]["rss_mb"])
    sizes = sorted(peaks)
    for small, large in itertools.pairwise(sizes):
        growth = (peaks[large] - peaks[small]) * 1024 / (large - small)
        print(f"sync full: {growth:.1f} KB per post from {small:,} to {large:,} posts")


if __name__ == "__main__":
    main()
