"""Benchmark of ``reportlib build`` on a synthetic corpus of distinct reports.

    python benchmarks/build_bench.py --n 300            # about 10 minutes on a 2-core machine
    python benchmarks/build_bench.py --n 3000           # long: run it once

Generates ``n`` distinct reports (other regions, issuers and years than the seeds, from
:class:`parse_bench.Generator`), then measures, each in a fresh ``reportlib build`` of the
same output folder:

1. cold: nothing parsed or built before;
2. unchanged: the same inputs again (everything from the parse cache and the build cache);
3. one report added: what a user does every week.

Prints the plan (runs per notebook), time per stage, time per run by notebook, the peak memory
of the build process and of its largest worker, and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from parse_bench import Generator  # benchmarks/parse_bench.py, beside this file

from reportlib.build.runner import run_build


def write_corpus(directory: Path, n: int, seed: int) -> Generator:
    directory.mkdir(parents=True, exist_ok=True)
    generator = Generator(n + 1, seed)  # one more, added in step 3
    for index in range(n):
        report = generator.report(index)
        (directory / report.name).write_bytes(report.to_bytes())
    return generator


def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _build(corpus: Path, out: Path, jobs: int, label: str) -> dict:
    started = time.monotonic()
    summary = run_build([corpus], out=out, jobs=jobs, progress=False, echo=False)
    seconds = time.monotonic() - started
    per_notebook: dict[str, list[float]] = defaultdict(list)
    for result in summary.results:
        if result.status == "ok":
            per_notebook[result.name.split("-")[0]].append(result.seconds)
    counts = {s: sum(r.status == s for r in summary.results) for s in ("ok", "cached", "failed")}
    print(f"\n== {label}: {summary.n_reports} reports, {len(summary.results)} runs "
          f"({counts['ok']} built, {counts['cached']} cached, {counts['failed']} failed) in {seconds:.1f} s")
    print("   stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.stages.items()))
    for notebook, times in sorted(per_notebook.items()):
        print(f"   {notebook:<16} {len(times):>5} runs, {statistics.mean(times):.2f} s per run (worker time), "
              f"max {max(times):.2f} s")
    for failure in summary.failures[:5]:
        print(f"   FAILED {failure.name}: {failure.error}")
    return {"label": label, "seconds": round(seconds, 1), "runs": len(summary.results), **counts,
            "stages": summary.stages,
            "per_run": {k: round(statistics.mean(v), 3) for k, v in per_notebook.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="number of synthetic reports (default 300)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebook runs (default 2)")
    parser.add_argument("--seed", type=int, default=20240131)
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary one, removed afterwards)")
    args = parser.parse_args()

    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="reportlib-build-bench-"))
    corpus, out = work / "corpus", work / "out"
    try:
        started = time.monotonic()
        generator = write_corpus(corpus, args.n, args.seed)
        print(f"corpus: {args.n} synthetic reports in {corpus} ({time.monotonic() - started:.1f} s to write)")
        steps = [_build(corpus, out, args.jobs, "cold")]
        steps.append(_build(corpus, out, args.jobs, "unchanged"))
        extra = generator.report(args.n)
        (corpus / extra.name).write_bytes(extra.to_bytes())
        steps.append(_build(corpus, out, args.jobs, "one report added"))
        own, children = _peak_mib()
        print(f"\npeak memory: build process {own:.0f} MiB, largest worker or kernel {children:.0f} MiB")
        print(json.dumps({"n": args.n, "jobs": args.jobs, "steps": steps,
                          "peak_mib": {"build": round(own), "largest_child": round(children)}}, ensure_ascii=False))
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
