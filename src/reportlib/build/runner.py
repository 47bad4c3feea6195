"""``reportlib build``: parse the reports, run every notebook of the plan, write HTML, Excel and index.html.

Steps:

1. parse the inputs (default ``seeds/``) and write the frames to the processed directory:
   ``data/processed/`` when the inputs are the project's seeds, else ``<out>/processed/`` so a
   build of other reports never overwrites the seeds' parse output;
2. derive the run plan from the corpus (:func:`reportlib.build.plan.derive_plan`);
3. run the notebooks with papermill in parallel worker processes; each run executes into
   ``<out>/.tmp/``, then the executed ``.ipynb``, its offline HTML and its workbook are moved into
   ``<out>`` one file at a time with :func:`os.replace`. A failed run leaves earlier outputs of the
   same name untouched and keeps its executed notebook as ``<out>/failed/<name>.ipynb``;
4. write ``<out>/metrics.xlsx`` (every metric with provenance) and ``<out>/index.html``.

Incremental: ``<out>/.cache.json`` remembers, per run name, the hash of the data the run reads,
the population table, the notebook file, the parameters and the reportlib sources. A run whose
hash is unchanged and whose outputs exist is skipped and reported as cached; ``force`` reruns all.
A run about one report, region or year reads only that slice of the corpus
(``<processed>/runs/<name>/``, see :mod:`reportlib.corpus.slices`) and its hash covers only that slice,
so a changed report re-runs only what depends on it. Unchanged input files are not parsed again
(``<processed>/.parse_cache/``, see :mod:`reportlib.corpus.parsecache`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reportlib.build.plan import Run, derive_plan, run_reports
from reportlib.core import paths as _paths
from reportlib.core.atomic import write_text_atomic
from reportlib.core.errors import BuildError
from reportlib.core.outlock import hold_output
from reportlib.corpus.corrections import apply_corrections, corrections_key
from reportlib.corpus.parsecache import CACHE_DIR_NAME as PARSE_CACHE
from reportlib.corpus.parsecache import prune as prune_parse_cache
from reportlib.corpus.slices import CorpusIndex, slice_ids, write_slice

__all__ = ["BuildSummary", "RunResult", "execute_run", "run_build"]

CACHE_FILE = ".cache.json"
SLICES_DIR = "runs"  # <processed>/runs/<run name>/: the slice of the corpus one run reads
KERNEL = "python3"
INDEX_TITLE = "法治政府建设年度报告：分析结果"


@dataclass
class RunResult:
    """The outcome of one planned run: ``status`` is ``ok``, ``cached`` or ``failed``."""

    name: str
    status: str
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    failed_notebook: str = ""


@dataclass
class BuildSummary:
    """What a build did; ``ok`` is False when any run failed or an input could not be parsed."""

    out: Path
    processed_dir: Path
    results: list[RunResult]
    seconds: float
    n_reports: int = 0
    failed_inputs: list[str] = field(default_factory=list)
    #: How many corrections were applied and how many were stale or unreadable (not applied).
    corrections: dict[str, int] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: parse, plan, runs, aggregates

    @property
    def ok(self) -> bool:
        return not self.failures and not self.failed_inputs

    @property
    def failures(self) -> list[RunResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def cached(self) -> list[RunResult]:
        return [r for r in self.results if r.status == "cached"]

    def __str__(self) -> str:
        counts = {s: sum(r.status == s for r in self.results) for s in ("ok", "cached", "failed")}
        lines = [
            f"reportlib build: {self.n_reports} reports, {len(self.results)} runs "
            f"({counts['ok']} built, {counts['cached']} cached, {counts['failed']} failed) in {self.seconds:.1f}s",
            f"  outputs: {self.out / 'index.html'}",
            f"  parse output: {self.processed_dir}",
        ]
        if self.corrections:
            applied = self.corrections.get("applied", 0)
            skipped = self.corrections.get("stale", 0) + self.corrections.get("invalid", 0)
            lines.append(f"  corrections: {applied} applied, {skipped} not applied (stale or invalid; see parse_quality)")
        lines += [f"  input not parsed: {_one_line(item)}" for item in self.failed_inputs]
        for r in self.failures:
            lines.append(f"  FAILED {r.name}: {r.error}")
            if r.failed_notebook:
                lines.append(f"         executed notebook: {r.failed_notebook}")
        return "\n".join(lines)


def _one_line(text: str) -> str:
    """``text`` with control characters escaped (a file name with a line break stays one line)."""
    return text if text.isprintable() else "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


# ---------------------------------------------------------------------------- hashing and cache


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_hash() -> str:
    """Hash of reportlib's own sources (code, taxonomy, templates): outputs depend on them too."""
    digest = hashlib.sha256()
    for path in sorted(_paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".j2", ".css", ".json"):
            digest.update(str(path.relative_to(_paths.PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run_key(run: Run, notebook: Path, inputs_hash: str, lib_hash: str, corrections: str = "") -> str:
    """The cache key of one run: inputs, notebook file, parameters, library and (when there are
    any) the corrections of the reports the run reads, with the list of those reports."""
    fields = {"inputs": inputs_hash, "notebook": _sha(notebook.read_bytes()), "parameters": run.parameters,
              "library": lib_hash, "name": run.name}
    if corrections:
        fields["corrections"] = corrections
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return _sha(payload.encode())


def _parse_hash(corpus) -> str:
    """What the parse read: each report's file and content hash, and the problems. The frames are a
    pure function of these and the library (hashed separately); corrections are keyed per run."""
    digest = hashlib.sha256()
    for name in ("reports", "problems"):
        frame = corpus.table(name)
        cols = ["source", "sha256"] if name == "reports" else list(frame.columns)
        digest.update(frame[cols].to_csv(index=False, lineterminator="\n").encode())
    return digest.hexdigest()


def _run_corrections(run: Run, corpus) -> str:
    """The corrections part of a run's key: which reports it reads (a corrected region or year moves
    a report between runs) and their fixes."""
    reads = run_reports(run, corpus.reports)
    return json.dumps(reads, ensure_ascii=False) + "\n" + corrections_key(corpus.corrections, reads)


def _load_cache(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


# ---------------------------------------------------------------------------- one run (in a worker)


def _worker_init(parent_pid: int | None = None) -> None:
    """Prepare a worker process: kernels start from this interpreter's environment (the venv), and
    the kernels' own chatter on stderr (e.g. 'Kernel is running over TCP') stays off the progress bar.

    A worker stops when the build that started it is gone (killed with SIGKILL, say): it gets
    SIGTERM, which ends its run (kernel shut down, nothing published) instead of writing on."""
    bindir = os.path.dirname(sys.executable)
    os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("MPLBACKEND", "Agg")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if parent_pid is not None:
        signal.signal(signal.SIGTERM, _on_term)
        _die_with_parent(parent_pid)


def _on_term(signum: int, frame: Any) -> None:
    raise SystemExit(143)


def _die_with_parent(parent_pid: int) -> None:
    """SIGTERM to this process when ``parent_pid`` is no longer its parent (Linux prctl, and a
    watcher thread wherever prctl is not available)."""
    import threading

    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, daemon=True, name="reportlib-parent-watch").start()


class RunTimeout(BuildError):
    """A run took longer than its time limit."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise RunTimeout("timed out")


def _error_text(exc: BaseException) -> str:
    """One line for the summary: the notebook's own exception (``RuntimeError: …`` in cell 5) if any."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip().strip("-")]
    return lines[0] if lines else type(exc).__name__


def _papermill(job: dict[str, Any], executed: Path, parameters: dict[str, Any]) -> None:
    """Execute the notebook in the worker's warm kernel (``job['warm']``, see
    :mod:`reportlib.build.warmkernel`) or in a kernel of its own; the whole run is limited to
    ``job['timeout']`` s."""
    import papermill
    from jupyter_client.manager import KernelManager
    from nbclient.exceptions import CellTimeoutError

    from reportlib.build import warmkernel

    warm = bool(job.get("warm"))
    km = None if warm else KernelManager(kernel_name=KERNEL)
    engine = {"engine_name": warmkernel.ENGINE_NAME} if warm else {"km": km}
    if warm:
        warmkernel.register()
    timeout = int(job["timeout"])
    try:
        papermill.execute_notebook(
            job["notebook"], str(executed), parameters=parameters, kernel_name=KERNEL, cwd=job["cwd"],
            progress_bar=False, log_output=False, execution_timeout=timeout, **engine,
        )
    except (RunTimeout, CellTimeoutError):
        if warm:
            warmkernel.pool().discard()
        raise RunTimeout(f"timed out after {timeout} s") from None
    except Exception:
        if warm:  # a failed notebook may have left anything behind in its kernel
            warmkernel.pool().discard()
        raise
    finally:
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)


@contextlib.contextmanager
def _run_limit(seconds: int) -> Any:
    """The whole run, notebook and HTML export, within ``seconds`` (SIGALRM raises :class:`RunTimeout`).

    A thread of a Dask worker cannot take signals: there the per-cell limit (papermill's
    ``execution_timeout``) is the bound."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    except RunTimeout:
        raise RunTimeout(f"timed out after {seconds} s") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def execute_run(job: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook run and publish its outputs; never raises (failures are returned).

    ``job`` holds ``name``, ``notebook``, ``parameters``, ``title``, ``out``, ``processed_dir``,
    ``cwd`` and ``timeout`` (seconds for the whole run; the kernel is shut down after it).
    Runs in a worker process (see :func:`run_build`): papermill executes in that process, the
    notebook in a fresh ``python3`` kernel.
    """
    from reportlib.outputs.htmlexport import notebook_to_html

    started = time.monotonic()
    name, out = job["name"], Path(job["out"])
    tmp_root = Path(job["tmp"]) if job.get("tmp") else out / ".tmp"
    tmp = tmp_root / f"{name}-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir(parents=True, exist_ok=True)
    executed = tmp / f"{name}.ipynb"
    result: dict[str, Any] = {"name": name, "status": "failed", "outputs": [], "error": "", "failed_notebook": ""}
    try:
        parameters = {**job["parameters"], "processed_dir": str(job["processed_dir"]), "output_dir": str(tmp)}
        html = tmp / f"{name}.html"
        with _run_limit(int(job["timeout"])):  # the limit covers the export too; publishing is not cut short
            _papermill(job, executed, parameters)
            notebook_to_html(executed, html, job["title"])
        for workbook in sorted(tmp.glob("*.xlsx")):
            os.replace(workbook, out / workbook.name)
            result["outputs"].append(workbook.name)
        os.replace(executed, out / executed.name)
        os.replace(html, out / html.name)
        result["outputs"] += [executed.name, html.name]
        (out / "failed" / executed.name).unlink(missing_ok=True)
        result["status"] = "ok"
    except Exception as exc:  # one failing run must not stop the others
        result["error"] = _error_text(exc)
        if executed.exists():
            failed = out / "failed" / executed.name
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(executed, failed)
            result["failed_notebook"] = str(failed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        result["seconds"] = round(time.monotonic() - started, 2)
    return result


# ---------------------------------------------------------------------------- the build


def _inputs(given_paths: Sequence[str | os.PathLike[str]] | None) -> tuple[list[Path], bool]:
    """The input paths and whether they are exactly the project's seeds."""
    seeds = _paths.seeds_dir().resolve()
    if not given_paths and not seeds.is_dir():
        raise BuildError(f"no PATH given and no seeds/ folder in {_paths.project_root()}; "
                         "name the reports to build: reportlib build DIR --out OUT.")
    given = [Path(p) for p in (given_paths or [seeds])]
    return given, [p.resolve() for p in given] == [seeds]


def _outcomes(jobs_list: list[dict[str, Any]], jobs: int, client: Any = None) -> Iterable[tuple[str, dict[str, Any]]]:
    """``(name, outcome)`` of every job as it finishes: in ``jobs`` spawned worker processes, or
    on the Dask cluster of ``client`` (its workers must see the same file system)."""
    if client is not None:
        from distributed import as_completed as completed

        futures = client.map(execute_run, jobs_list, pure=False)
        names = {future.key: job["name"] for future, job in zip(futures, jobs_list, strict=True)}
    else:
        context = multiprocessing.get_context("spawn")  # clean workers: no inherited threads or event loops
        executor = ProcessPoolExecutor(max_workers=min(jobs, len(jobs_list)), mp_context=context,
                                       initializer=_worker_init)
        submitted = [executor.submit(execute_run, job) for job in jobs_list]
        futures, completed = submitted, as_completed
        names = {id(future): job["name"] for future, job in zip(submitted, jobs_list, strict=True)}
    try:
        for future in completed(futures):
            name = names[future.key if client is not None else id(future)]
            try:
                outcome = future.result()
            except Exception as exc:  # a dead worker fails its run only
                outcome = {"name": name, "status": "failed", "error": f"worker crashed: {exc}", "outputs": []}
            yield name, outcome
    finally:
        if client is None:
            executor.shutdown(wait=True, cancel_futures=True)


def _write_slices(index: CorpusIndex, slices: dict[str, list[str] | None], runs: list[Run],
                  processed: Path) -> dict[str, Path]:
    """Write the data of each run that needs only a slice to ``<processed>/runs/<name>/`` (kept, so
    an executed notebook can be run again); drop the folders of runs no longer planned."""
    root = processed / SLICES_DIR
    wanted = {name for name, ids in slices.items() if ids is not None}
    if root.is_dir():
        for stale in root.iterdir():
            if stale.name not in wanted:
                shutil.rmtree(stale, ignore_errors=True)
    todo = [(run.name, ids) for run in runs if (ids := slices.get(run.name)) is not None]
    with ThreadPoolExecutor(max_workers=4) as pool:  # mostly file system work: threads overlap it
        written = pool.map(lambda item: write_slice(index, item[1], root / item[0]), todo)
        return {name: path for (name, _), path in zip(todo, written, strict=True)}


def _notebook_finder(notebooks_dir: str | os.PathLike[str] | None, runs: list[Run]) -> dict[str, Path]:
    """The file each planned notebook is run from: ``notebooks_dir`` first (edited copies; a
    notebook not there comes from the default place), else :func:`reportlib.core.paths.notebooks_dir`."""
    default = _paths.notebooks_dir()
    places = list(dict.fromkeys([*([Path(notebooks_dir).resolve()] if notebooks_dir else []), default,
                                 _paths.installed_notebooks_dir()]))  # last: an older project copy may lack a notebook
    if notebooks_dir and not places[0].is_dir():
        raise BuildError(f"{notebooks_dir}: no such notebooks directory (--notebooks).")
    found: dict[str, Path] = {}
    for name in dict.fromkeys(run.notebook for run in runs):
        candidates = [place / name for place in places if (place / name).is_file()]
        if not candidates:
            raise BuildError(f"notebook {name} not found in {' or '.join(str(p) for p in places)}; "
                             "reinstall reportlib or pass --notebooks DIR.")
        found[name] = candidates[0]
    return found


def _relative_sources(corpus, root: Path) -> None:
    """Record sources inside the project relative to its root (``seeds/000_….txt``): stable across checkouts."""
    prefix = str(root.resolve()) + os.sep
    for name in corpus.TABLES:
        frame = corpus.table(name)
        if "source" in frame.columns:
            frame["source"] = frame["source"].map(lambda s: s[len(prefix) :] if isinstance(s, str) and s.startswith(prefix) else s)


def run_build(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    out: str | os.PathLike[str] | None = None,
    jobs: int = 0,
    force: bool = False,
    timeout: int = 600,
    processed_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    plan: Iterable[Run] | None = None,
    progress: bool = True,
    echo: bool = True,
    corrections: str | os.PathLike[str] | None = None,
    wait: bool = False,
    warm_kernels: bool = True,
    client: Any = None,
) -> BuildSummary:
    """Parse ``paths`` (default ``seeds/``), run the plan, write everything to ``out`` (default ``reports/``).

    ``jobs`` is the number of notebooks run at once (0 = one per core, at most :data:`MAX_JOBS`).
    ``processed_dir`` overrides where the parse output goes; ``plan`` replaces the derived run plan
    (tests). The build holds ``out`` (:mod:`reportlib.core.outlock`): a second build into the same folder
    raises :class:`~reportlib.core.outlock.OutputLocked`, or waits when ``wait`` is True.
    ``warm_kernels`` reuses one kernel per worker across runs (:mod:`reportlib.build.warmkernel`);
    False starts a fresh kernel for every run. With a ``distributed.Client`` the parses and the
    notebook runs go to its Dask cluster instead of local processes.
    The summary is printed unless ``echo`` is False; ``summary.ok`` is False if any run failed.
    ``corrections`` is the corrections file applied after parsing (default ``data/corrections.csv``
    when it exists); ``<out>/review.xlsx`` is written for staff to mark up the next ones.
    """
    if timeout <= 0:
        raise BuildError(f"--timeout must be a positive number of seconds, not {timeout}")
    out_dir = Path(out) if out else _paths.reports_dir()
    out_dir = _prepare_out(out_dir)
    with hold_output(out_dir, wait=wait):
        return _locked_build(paths, out_dir, jobs=jobs, force=force, timeout=timeout, processed_dir=processed_dir,
                             notebooks_dir=notebooks_dir, plan=plan, progress=progress, echo=echo,
                             corrections=corrections, warm_kernels=warm_kernels, client=client)


#: Most notebook runs at once, whatever ``--jobs`` asks: each is a kernel of a few hundred MB.
MAX_JOBS = 2 * (os.cpu_count() or 1)


def _prepare_out(out_dir: Path) -> Path:
    """Create ``out_dir``; one clear error when it is a file or cannot be written."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: --out names a file, not a folder; choose a folder for the outputs")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc})") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise BuildError(f"{out_dir}: the output folder is not writable; choose another --out")
    return out_dir.resolve()


def _snapshot(corpus, out_dir: Path, inputs: list[str]) -> tuple[Path, str]:
    """Write the parse output once, immutably, to ``OUT/.snapshots/<hash>/``; the runs read it there.

    The hash that keys the runs' cache is the hash of exactly these files, so what a run reads is
    what its key hashed, whatever another build does to ``data/processed`` meanwhile.
    """
    from reportlib.corpus.processed import processed_hash, write_processed

    root = out_dir / SNAPSHOTS
    staging = root / f".new-{os.getpid()}-{time.time_ns()}"
    try:
        write_processed(corpus, staging, inputs=inputs)
        digest = processed_hash(staging)
    except BaseException:  # disk full, interrupted: no half snapshot is left behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = root / digest[:32]
    if final.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
    else:
        os.replace(staging, final)
    for other in root.iterdir():  # under the lock: snapshots of earlier builds are no one's now
        if other != final:
            shutil.rmtree(other, ignore_errors=True)
    return final, digest


def _publish_processed(snapshot: Path, processed: Path) -> None:
    """Copy the snapshot's files to the user-facing processed folder, each file atomically."""
    from reportlib.core.atomic import atomic_path

    processed.mkdir(parents=True, exist_ok=True)
    for src in sorted(snapshot.iterdir()):
        with atomic_path(processed / src.name) as part:
            shutil.copyfile(src, part)


SNAPSHOTS = ".snapshots"


def _locked_build(
    paths: Sequence[str | os.PathLike[str]] | None,
    out_dir: Path,
    *,
    jobs: int,
    force: bool,
    timeout: int,
    processed_dir: str | os.PathLike[str] | None,
    notebooks_dir: str | os.PathLike[str] | None,
    plan: Iterable[Run] | None,
    progress: bool,
    echo: bool,
    corrections: str | os.PathLike[str] | None = None,
    warm_kernels: bool = True,
    client: Any = None,
) -> BuildSummary:
    from reportlib.corpus.reader import read_reports

    started = time.monotonic()
    root = _paths.project_root()
    jobs = min(jobs if jobs > 0 else (os.cpu_count() or 1), MAX_JOBS)
    inputs, is_seeds = _inputs(paths)
    if processed_dir is None:
        processed_dir = _paths.processed_dir() if is_seeds else out_dir / "processed"
    processed = Path(processed_dir).resolve()

    parse_started = time.time()
    corpus = read_reports([p.resolve() for p in inputs], jobs=jobs, progress=progress, exclude=[out_dir],
                          parse_cache=processed / PARSE_CACHE, client=client)
    prune_parse_cache(processed / PARSE_CACHE, parse_started - 1)
    _relative_sources(corpus, root)
    if corrections is None and _paths.corrections_csv().is_file():
        corrections = _paths.corrections_csv()
    corpus = apply_corrections(corpus, corrections)
    snapshot, frames_hash = _snapshot(corpus, out_dir, [str(p) for p in inputs])
    _publish_processed(snapshot, processed)
    failed_inputs = [f"{r.source}: {r.reason}" for r in corpus.failed.itertuples(index=False)]

    stages = {"parse": time.monotonic() - started}
    runs = list(plan) if plan is not None else derive_plan(corpus)
    notebook_of = _notebook_finder(notebooks_dir, runs)
    population = _paths.population_csv()
    population_hash = _sha(population.read_bytes()) if population.is_file() else ""
    inputs_hash = _sha((frames_hash + population_hash).encode())  # what a whole-corpus run reads: the snapshot
    lib_hash = library_hash()
    index = CorpusIndex(corpus)
    slices = {run.name: slice_ids(run, corpus.reports) for run in runs}  # None: the run needs the whole corpus
    cache = {} if force else _load_cache(out_dir)
    results: dict[str, RunResult] = {}
    todo: list[tuple[Run, str]] = []
    for run in runs:
        ids = slices[run.name]
        run_inputs = inputs_hash if ids is None else _sha(f"slice:{index.key(ids)}:{population_hash}".encode())
        key = run_key(run, notebook_of[run.notebook], run_inputs, lib_hash, _run_corrections(run, corpus))
        entry = cache.get(run.name, {})
        if entry.get("key") == key and all((out_dir / f).is_file() for f in entry.get("outputs", [])):
            results[run.name] = RunResult(run.name, "cached", outputs=list(entry["outputs"]))
        else:
            todo.append((run, key))

    new_cache = {name: cache[name] for name in cache if name in results}
    tmp_root = out_dir / ".tmp" / f"build-{os.getpid()}-{time.time_ns()}"
    run_data = _write_slices(index, slices, [run for run, _ in todo], out_dir / "processed")
    stages["plan"] = time.monotonic() - started - sum(stages.values())
    if todo:
        jobs_list = [
            {"name": run.name, "notebook": str(notebook_of[run.notebook]), "parameters": run.parameters, "title": run.title,
             "out": str(out_dir), "processed_dir": str(run_data.get(run.name, snapshot)), "cwd": str(root),
             "timeout": timeout, "warm": warm_kernels, "tmp": str(tmp_root)}
            for run, _ in todo
        ]
        keys = {run.name: key for run, key in todo}
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(jobs_list), unit="run", desc="notebooks")
        for name, outcome in _outcomes(jobs_list, jobs, client):
            result = RunResult(**{k: outcome.get(k, v) for k, v in asdict(RunResult(name, "failed")).items()})
            results[name] = result
            if result.status == "ok":
                new_cache[name] = {"key": keys[name], "outputs": result.outputs,
                                   "built": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}
            if bar is not None:
                bar.set_postfix_str(f"{name}: {result.status}")
                bar.update()
        if bar is not None:
            bar.close()
    write_text_atomic(out_dir / CACHE_FILE, json.dumps(new_cache, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(tmp_root, ignore_errors=True)  # this build's own temporary runs only
    with contextlib.suppress(OSError):
        (out_dir / ".tmp").rmdir()  # gone when empty
    stages["runs"] = time.monotonic() - started - sum(stages.values())

    from reportlib.outputs.review import REVIEW_FILE, review_workbook
    from reportlib.outputs.workbooks import metrics_workbook

    metrics_workbook(corpus.metrics, corpus.reports, out_dir / "metrics.xlsx", corrections=corpus.corrections)
    _write_metric_tables(corpus.metrics, out_dir)
    review_workbook(corpus, out_dir / REVIEW_FILE)
    ordered = [results[run.name] for run in runs]
    summary = BuildSummary(out=out_dir, processed_dir=processed, results=ordered, seconds=0.0,
                           n_reports=len(corpus.reports), failed_inputs=failed_inputs,
                           corrections={str(k): int(v) for k, v in corpus.corrections["status"].value_counts().items()})
    _write_index(out_dir, runs, results, summary, inputs, corpus.reports)
    stages["aggregates"] = time.monotonic() - started - sum(stages.values())
    summary.stages = {k: round(v, 2) for k, v in stages.items()}
    summary.seconds = round(time.monotonic() - started, 1)
    if echo:
        print(summary)
    return summary


def _shown_folder(path: Path, out: Path) -> str:
    """A folder as a page shows it: relative to the outputs or the project, else by its name —
    never an absolute path of this machine."""
    resolved = path.resolve()
    for base, prefix in ((out.resolve(), ""), (_paths.project_root().resolve(), "")):
        try:
            return prefix + (resolved.relative_to(base).as_posix() or ".")
        except ValueError:
            continue
    return resolved.name or str(path)


METRIC_TABLES = ("metrics.csv", "metrics.parquet")


def _write_metric_tables(metrics: Any, out: Path) -> list[str]:
    """Every metric as one table for tools other than Excel (no row limit): ``metrics.csv``
    (UTF-8 with BOM, so Excel shows the Chinese too) and, when pyarrow is installed,
    ``metrics.parquet``. Returns the file names written."""
    from reportlib.core.atomic import atomic_path
    from reportlib.core.csvsafe import neutralise_frame

    written = []
    with atomic_path(out / "metrics.csv") as part:  # text a spreadsheet would evaluate is neutralised
        neutralise_frame(metrics).to_csv(part, index=False, lineterminator="\n", encoding="utf-8-sig")
    written.append("metrics.csv")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        (out / "metrics.parquet").unlink(missing_ok=True)  # never leave a stale copy next to a fresh CSV
        return written
    with atomic_path(out / "metrics.parquet") as part:
        metrics.to_parquet(part, index=False)
    written.append("metrics.parquet")
    return written


def _write_index(out: Path, runs: list[Run], results: dict[str, RunResult], summary: BuildSummary,
                 inputs: list[Path], reports: Any = None) -> None:
    from reportlib.build.indexpage import grouped_index_page, run_places

    entries: list[dict[str, Any]] = []
    for run in runs:
        result = results[run.name]
        html_name = f"{run.name}.html"
        links = [(label, f"{run.name}{ext}") for label, ext in (("Excel", ".xlsx"), ("Notebook", ".ipynb"))
                 if (out / f"{run.name}{ext}").is_file()]
        description = run.description
        if result.status == "failed":
            description = f"本次运行失败（{result.error[:120]}）；" + (
                "以下为上次成功的结果。" if (out / html_name).is_file() else "尚无成功的结果。") + description
            if result.failed_notebook:
                links.append(("失败的运行", f"failed/{run.name}.ipynb"))
        if not (out / html_name).is_file():
            if result.failed_notebook:
                entries.append({"title": run.title + "（失败）", "href": f"failed/{run.name}.ipynb",
                                "description": description, "group": run.group, "name": run.name, "failed": True})
            continue
        entries.append({"title": run.title, "href": html_name, "description": description, "group": run.group,
                        "links": links, "name": run.name, "failed": result.status == "failed"})
    tables = [(name.rsplit(".", 1)[1].upper().replace("PARQUET", "Parquet"), name) for name in METRIC_TABLES
              if (out / name).is_file()]
    entries.append({"title": "全部指标（Excel）", "href": "metrics.xlsx", "group": "数据", "links": tables,
                    "description": "每份报告的每个指标一行：数值、单位、原文、所在句子、来源文件和字符位置；"
                    "CSV 与 Parquet 为同样内容的一张表（不受 Excel 行数上限限制）。"})
    entries.append({"title": "数字审核表（Excel）", "href": "review.xlsx", "group": "数据",
                    "description": "每份报告每个指标的全部候选数字：标记采用、更正或否决后运行 "
                                   "reportlib corrections import review.xlsx，重新生成即采用更正。"})
    counts = {s: sum(r.status == s for r in summary.results) for s in ("ok", "cached", "failed")}
    info = [
        ("生成时间", dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")),
        ("输入", "、".join(_shown_folder(Path(p), out) for p in inputs)),
        ("报告数", str(summary.n_reports)),
        ("运行", f"新生成 {counts['ok']}，沿用缓存 {counts['cached']}，失败 {counts['failed']}"),
        ("解析结果", _shown_folder(Path(summary.processed_dir), out)),
        ("人口数据", "data/population.csv（常住人口，来源见各行 source 列）"),
    ]
    places = run_places(runs, reports) if reports is not None else {}
    grouped_index_page(entries, places, INDEX_TITLE, info, dest=out / "index.html")
