"""Time l10n on generated sites of N posts, next to mdpo and translate-toolkit (run by hand; takes a while).

    python benchmarks/run_benchmarks.py --work /tmp/l10n-bench --sizes 100 1000 10000 --repeat 3 --repeat-large 1

For each N, on a site from ``generate_site.py`` (sources and partly translated catalogs for en and de):

* ``sync full``: from the generated site (no templates, outputs or cache), default jobs; then, in turn,
  ``sync no change``, ``sync one post changed`` (a sentence appended to one post), ``check`` (cache warm) and
  ``check cold`` (cache deleted);
* ``sync full --jobs 1``: the same full run on one process (the parallel speed-up);
* ``extract+build en``, jobs 1 and 2: the template, catalog and output of one locale for every post, from the
  generated site, as the peers do it;
* the peers, in their own virtual environment (created on first use, not dependencies of l10n): mdpo through
  its Python API (one process) and translate-toolkit's ``md2po``/``po2md`` over the whole tree (one process
  each), extracting then reassembling the same posts (``.mdx`` given to them as ``.md``), the catalogs filled
  in between as the site's are (not timed).

Every command runs under ``/usr/bin/time -v`` (Debian package ``time``): wall time and peak resident memory
(the largest single process of the command's tree). Raw figures go to ``WORK/results.json``; the medians are
printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
L10N = [str(Path(sys.executable).parent / "l10n")]
PEER_PACKAGES = ("mdpo", "translate-toolkit[markdown]")
TTK = "import sys; from translate.convert.{0} import main; sys.argv[0] = '{0}'; main()"


def timed(command: list[str], cwd: Path) -> dict[str, float | int]:
    """Run under /usr/bin/time -v; wall seconds, CPU seconds (user + system, the command and its children: what
    a busy shared machine changes least), peak RSS (MB) and exit status."""
    result = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True, check=False)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if wall is None or rss is None:
        raise SystemExit(f"no timing for {command}: {result.stderr[-2000:]}")
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    cpu = sum(float(match) for match in re.findall(r"(?:User|System) time \(seconds\): (\S+)", result.stderr))
    return {"wall": seconds, "cpu": cpu, "rss_mb": int(rss.group(1)) / 1024, "exit": result.returncode}


def combined(*runs: dict[str, float | int]) -> dict[str, float | int]:
    """Commands run one after the other: times add up, peak memory is the largest."""
    return {
        "wall": sum(run["wall"] for run in runs),
        "cpu": sum(run.get("cpu", 0.0) for run in runs),
        "rss_mb": max(run["rss_mb"] for run in runs),
        "exit": max(run["exit"] for run in runs),
    }


def fresh_copy(pristine: Path, site: Path) -> Path:
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(pristine, site, symlinks=True)
    return site


def peers_python(work: Path) -> str:
    venv = work / "peers-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return str(python)


def peer_sources(site: Path, target: Path) -> Path:
    """The site's posts, ``.mdx`` renamed ``.md`` (the peers take Markdown files)."""
    if not target.exists():
        source = site / "content" / "fr"
        for path in sorted(source.rglob("*")):
            if path.is_file():
                copy = (target / path.relative_to(source)).with_suffix(".md")
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(path.read_bytes())
    return target


def run_peers(python: str, sources: Path, scratch: Path) -> dict[str, dict[str, float | int]]:
    tools = str(HERE / "peer_tools.py")
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    results = {}
    extract = timed([python, tools, "mdpo", "extract", str(sources), "mdpo-po"], scratch)
    subprocess.run([python, tools, "mdpo", "translate", "mdpo-po"], cwd=scratch, check=True, capture_output=True)
    reassemble = timed([python, tools, "mdpo", "reassemble", str(sources), "mdpo-po", "mdpo-out"], scratch)
    results["mdpo extract"], results["mdpo reassemble"] = extract, reassemble
    results["mdpo extract+reassemble"] = combined(extract, reassemble)
    arguments = ["--progress=none", "-i"]
    extract = timed([python, "-c", TTK.format("md2po"), *arguments, str(sources), "-o", "ttk-po"], scratch)
    subprocess.run([python, tools, "ttk", "translate", "ttk-po"], cwd=scratch, check=True, capture_output=True)
    reassemble = timed(
        [python, "-c", TTK.format("po2md"), *arguments, "ttk-po", "-t", str(sources), "-o", "ttk-out"], scratch
    )
    results["translate-toolkit extract"], results["translate-toolkit reassemble"] = extract, reassemble
    results["translate-toolkit extract+reassemble"] = combined(extract, reassemble)
    return results


def one_repetition(
    pristine: Path,
    work: Path,
    count: int,
    repetition: int,
    python: str,
    *,
    incremental_only: bool = False,
    throughput_only: bool = False,
) -> dict[str, dict]:
    site = work / "site"
    results: dict[str, dict] = {}
    if throughput_only:
        return throughput(pristine, work, site, python)
    fresh_copy(pristine, site)
    results["sync full"] = timed([*L10N, "-q", "sync"], site)
    results["sync no change"] = timed([*L10N, "-q", "sync"], site)
    posts = sorted(path for path in (site / "content" / "fr").rglob("*") if path.is_file())
    changed = posts[(repetition * 37) % count]
    with changed.open("a", encoding="utf-8") as handle:
        handle.write(f"\nUne phrase ajoutée pour le banc d'essai, passage {repetition}.\n")
    results["sync one post changed"] = timed([*L10N, "-q", "sync"], site)
    results["check"] = timed([*L10N, "-q", "check", "--format", "json"], site)
    shutil.rmtree(site / ".l10n-cache")
    results["check cold"] = timed([*L10N, "-q", "check", "--format", "json"], site)
    if incremental_only:
        shutil.rmtree(site)
        return results
    fresh_copy(pristine, site)
    results["sync full --jobs 1"] = timed([*L10N, "-q", "sync", "--jobs", "1"], site)
    results.update(throughput(pristine, work, site, python))
    return results


def throughput(pristine: Path, work: Path, site: Path, python: str) -> dict[str, dict]:
    """One locale's extract then build, serially and on 2 processes, and the peers' extract and reassembly."""
    results: dict[str, dict] = {}
    for jobs in (1, 2):
        fresh_copy(pristine, site)
        extract = timed([*L10N, "-q", "extract", "--lang", "en", "--jobs", str(jobs)], site)
        build = timed([*L10N, "-q", "build", "--lang", "en", "--jobs", str(jobs)], site)
        results[f"extract en --jobs {jobs}"], results[f"build en --jobs {jobs}"] = extract, build
        results[f"extract+build en --jobs {jobs}"] = combined(extract, build)
    results.update(run_peers(python, peer_sources(pristine, work / "peer-src"), work / "peers"))
    shutil.rmtree(site)
    return results


def machine() -> dict[str, str]:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line), "")
    except OSError:
        pass
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip(),
        "cpu": model,
        "python": platform.python_version(),
        "system": platform.platform(),
        "memory": _meminfo("MemTotal"),
    }


def _meminfo(key: str) -> str:
    path = Path("/proc/meminfo")
    lines = path.read_text().splitlines() if path.exists() else []
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch directory (sites, peers' venv, results)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-large", type=int, default=1, help="repetitions for sizes of 10,000 and more")
    parser.add_argument(
        "--incremental-only",
        action="store_true",
        help="only the sync and check scenarios (no --jobs 1 run, no extract+build, no peers); runs are added to "
        "those already in WORK/results.json",
    )
    parser.add_argument(
        "--throughput-only",
        action="store_true",
        help="only the extract+build scenarios and the peers (the throughput target); runs are kept under "
        "'N throughput' in WORK/results.json",
    )
    parser.add_argument(
        "--code",
        type=Path,
        help="run l10n from this copy of the package (e.g. git archive HEAD l10n | tar -x -C DIR), so edits to "
        "the working tree during a long run do not change the tool, and with it the run cache's key",
    )
    arguments = parser.parse_args()
    if arguments.code:
        global L10N
        L10N = [sys.executable, "-m", "l10n"]
        os.environ["PYTHONPATH"] = str(arguments.code.resolve())
        sys.path.insert(0, str(arguments.code.resolve()))
    if not Path("/usr/bin/time").exists():
        raise SystemExit("/usr/bin/time not found: apt-get install -y time")
    work = arguments.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    results_file = work / "results.json"
    report = json.loads(results_file.read_text()) if results_file.exists() else {"machine": machine(), "sizes": {}}
    python = peers_python(work)
    sys.path.insert(0, str(HERE))
    from generate_site import generate

    for count in arguments.sizes:
        pristine = work / str(count) / "pristine"
        if not pristine.exists():
            generate(count, pristine)
        repetitions = arguments.repeat_large if count >= 10000 else arguments.repeat
        key = f"{count} throughput" if arguments.throughput_only else str(count)
        runs = report["sizes"].get(key, []) if arguments.incremental_only or arguments.throughput_only else []
        for repetition in range(len(runs), len(runs) + repetitions):
            before = load()
            started = time.time()
            runs.append(
                one_repetition(
                    pristine,
                    work / str(count),
                    count,
                    repetition,
                    python,
                    incremental_only=arguments.incremental_only,
                    throughput_only=arguments.throughput_only,
                )
            )
            runs[-1]["_load"] = {"before": before, "after": load(), "seconds": time.time() - started}
            print(f"N={count} repetition {repetition + 1} done (load {before} -> {load()})", flush=True)
        report["sizes"][key] = runs
        results_file.write_text(json.dumps(report, indent=1))
    print(table(report))


def table(report: dict) -> str:
    lines = [
        "| N | scenario | wall s (median) | CPU s (median) | peak RSS MB (median) | runs |",
        "|---|---|---|---|---|---|",
    ]
    for count, runs in report["sizes"].items():
        for scenario in [name for name in runs[0] if not name.startswith("_")]:
            walls = [run[scenario]["wall"] for run in runs if scenario in run]
            cpus = [run[scenario]["cpu"] for run in runs if "cpu" in run.get(scenario, {})]
            memory = [run[scenario]["rss_mb"] for run in runs if scenario in run]
            cpu = f"{statistics.median(cpus):.2f}" if cpus else "-"
            lines.append(
                f"| {count} | {scenario} | {statistics.median(walls):.2f} | {cpu} | {statistics.median(memory):.0f} "
                f"| {len(walls)} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
