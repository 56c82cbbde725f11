"""Machine-translation throughput against the local LibreTranslate-compatible server (run by hand).

    python benchmarks/translate_bench.py                     # 1,000 segments, 100 ms per request, jobs 1 and 8
    python benchmarks/translate_bench.py --segments 200 --latency 0.05 --jobs 1 4 8 16

Every request goes through deep-translator's real LibreTranslator and our transport, retries and
orchestration; the server sleeps ``--latency`` seconds per request, as a remote service would.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from mt_server import MTServer

from l10n.translate.backends import make_backend
from l10n.translate.orchestrator import Orchestrator


def segments(count: int) -> list[str]:
    return [f"Le paragraphe numéro {number} parle de <g1>jardinage</g1> et de <x2/>." for number in range(count)]


def run(count: int, latency: float, jobs: int) -> tuple[float, int, int]:
    with MTServer(delay=latency) as server:
        backend = make_backend("libre", {"url": server.url}, timeout=30.0, environ={})
        orchestrator = Orchestrator(backend, "fr", "en", jobs=jobs)
        start = time.perf_counter()
        outcomes = orchestrator.run(segments(count))
        elapsed = time.perf_counter() - start
        failed = sum(outcome.translation is None for outcome in outcomes.values())
        return elapsed, server.max_in_flight, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the server waits per request")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 8])
    options = parser.parse_args()
    print(f"{options.segments} distinct segments, {options.latency * 1000:.0f} ms per request")
    for jobs in options.jobs:
        elapsed, in_flight, failed = run(options.segments, options.latency, jobs)
        rate = options.segments / elapsed
        print(f"--jobs {jobs:>2}: {elapsed:7.2f} s wall, {rate:6.1f} segments/s, "
              f"max {in_flight} in flight, {failed} failed")


if __name__ == "__main__":
    main()
