"""Machine-translation throughput against local servers (run by hand).

    python benchmarks/translate_bench.py                     # 1,000 segments, 100 ms per request, jobs 1 and 8
    python benchmarks/translate_bench.py --segments 200 --latency 0.05 --jobs 1 4 8 16
    python benchmarks/translate_bench.py --llm               # one post of 300 segments, 200 ms, jobs 1 and 4
    python benchmarks/translate_bench.py --llm --repeat 5    # the best of 5 runs for each --jobs (a shared machine)
    python benchmarks/translate_bench.py --llm --server-process   # the server in its own process, as a real one is

Every request goes through deep-translator's real LibreTranslator and our transport, retries and
orchestration; the server sleeps ``--latency`` seconds per request, as a remote service would. With
``--llm``, ``l10n translate``'s whole path (catalog, batches per post, the real ``openai`` client, verification,
reply cache) runs against the local OpenAI-compatible server of tests/llm_server.py, in a fresh project for
each ``--jobs`` value (a shared one would answer from its reply cache). That server runs in the benchmark's
own process unless ``--server-process``: there its threads share the interpreter lock with the command's, so
the command's local work slows the server's answers down, which no remote server (or Ollama) does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from llm_server import LLMServer
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


class _ServerProcess:
    """tests/llm_server.py in a child process, with the figures the benchmark reads from it."""

    def __init__(self, delay: float) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(delay, child), daemon=True)

    def __enter__(self) -> _ServerProcess:
        self._process.start()
        self.base_url: str = self._connection.recv()
        return self

    def figures(self) -> tuple[int, int, float, float]:
        """Requests, most in flight, when the first request came and when the last answer went
        (``time.monotonic``, the same clock in every process)."""
        self._connection.send("figures")
        result: tuple[int, int, float, float] = self._connection.recv()
        return result

    def __exit__(self, *exc: object) -> None:
        self._connection.send("stop")
        self._process.join(timeout=10)


def _serve(delay: float, connection: Any) -> None:
    with LLMServer(delay=delay) as server:
        connection.send(server.base_url)
        while connection.recv() == "figures":
            first = server.arrivals[0] if server.arrivals else 0.0
            connection.send((server.requests, server.max_in_flight, first, server.last_answer))


Figures = tuple[float, float, float, float, float, int, int, int]


def run_llm(count: int, latency: float, jobs: int, server_process: bool = False) -> Figures:
    """One post of ``count`` segments through ``translate_project``: (seconds in all, seconds from the first
    request to the last answer, seconds before the first request, seconds after the last answer, CPU seconds
    of the process (the local server's included), requests, most in flight, failed)."""
    import tempfile

    from l10n.config import load_config
    from l10n.project import iter_posts
    from l10n.run import operations
    from l10n.translate.command import translate_project

    body = "\n\n".join(f"Le paragraphe numéro {n} parle de **jardinage** et de `code`." for n in range(count))
    serving = _ServerProcess(latency) if server_process else LLMServer(delay=latency)
    with serving as server, tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "l10n.toml").write_text(
            f'source_lang = "fr"\ntarget_langs = ["en"]\nbackend = "llm"\n'
            f'[backends.llm]\nmodel = "bench"\nbase_url = "{server.base_url}"\n',
            encoding="utf-8",
        )
        post = root / "content" / "fr" / "long.md"
        post.parent.mkdir(parents=True)
        post.write_text(body + "\n", encoding="utf-8")
        config = load_config(root)
        operations.extract_catalogs(config, iter_posts(config), ["en"]).commit()
        start, cpu = time.monotonic(), time.process_time()
        [report] = translate_project(config, jobs=jobs, environ={})
        end, cpu = time.monotonic(), time.process_time() - cpu
        if isinstance(server, _ServerProcess):
            requests, in_flight, first, last = server.figures()
        else:
            requests, in_flight = server.requests, server.max_in_flight
            first, last = (server.arrivals[0] if server.arrivals else start), server.last_answer
        return end - start, last - first, first - start, end - last, cpu, requests, in_flight, len(report.failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=None, help="default: 1,000 (300 with --llm)")
    parser.add_argument("--latency", type=float, default=None, help="seconds per request (0.1; 0.2 with --llm)")
    parser.add_argument("--jobs", type=int, nargs="+", default=None, help="default: 1 8 (1 4 with --llm)")
    parser.add_argument("--llm", action="store_true", help="the llm backend, a post's segments per request")
    parser.add_argument("--repeat", type=int, default=1, help="with --llm: runs per --jobs value (in turns), "
                        "the fastest kept")
    parser.add_argument("--server-process", action="store_true", help="with --llm: the server in a child process")
    options = parser.parse_args()
    if options.llm:
        count, latency = options.segments or 300, options.latency if options.latency is not None else 0.2
        where = "its own process" if options.server_process else "this process"
        print(f"llm: one post of {count} segments, {latency * 1000:.0f} ms per request, the server in {where}")
        run_llm(20, 0.0, 1)  # warm-up: the client's lazy imports take seconds on a cold start, once per process
        timings = {}
        runs: dict[int, list[Figures]] = {jobs: [] for jobs in options.jobs or [1, 4]}
        for _ in range(max(1, options.repeat)):  # in turns, so that every --jobs value meets the same load
            for jobs, kept in runs.items():
                kept.append(run_llm(count, latency, jobs, options.server_process))
        for jobs, kept in runs.items():
            elapsed, requesting, before, after, cpu, requests, in_flight, failed = min(kept)
            timings[jobs] = (elapsed, requesting)
            print(f"--jobs {jobs:>2}: {elapsed:6.2f} s wall ({before:.2f} s to the first request, {requesting:.2f} s "
                  f"from it to the last answer, {after:.2f} s after it; {cpu:.2f} s CPU), {requests} requests, "
                  f"max {in_flight} in flight, {failed} failed")
        if len(timings) > 1:
            first, first_requesting = next(iter(timings.values()))
            for jobs, (elapsed, requesting) in list(timings.items())[1:]:
                print(f"--jobs {jobs}: {elapsed / first:.2f} of the first's wall time, "
                      f"{requesting / first_requesting:.2f} of its request phase")
        return
    options.segments = options.segments or 1000
    options.latency = options.latency if options.latency is not None else 0.1
    options.jobs = options.jobs or [1, 8]
    print(f"{options.segments} distinct segments, {options.latency * 1000:.0f} ms per request")
    for jobs in options.jobs:
        elapsed, in_flight, failed = run(options.segments, options.latency, jobs)
        rate = options.segments / elapsed
        print(f"--jobs {jobs:>2}: {elapsed:7.2f} s wall, {rate:6.1f} segments/s, "
              f"max {in_flight} in flight, {failed} failed")


if __name__ == "__main__":
    main()
