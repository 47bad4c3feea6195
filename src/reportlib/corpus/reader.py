"""``read_reports``: many inputs → one :class:`Corpus` of tidy frames, optionally in parallel."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from reportlib.core.records import (
    MENTION_COLUMNS,
    METRIC_COLUMNS,
    PROBLEM_COLUMNS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
)
from reportlib.core.versions import base_title, decide
from reportlib.corpus import parsecache
from reportlib.corpus.schema import validate_frame
from reportlib.parsing.checks import CHECK_COLUMNS
from reportlib.parsing.parse import PARSE_SECONDS, ParsedReport, parse_one, parse_path  # noqa: F401 - public here as before

#: Columns of ``Corpus.corrections`` (kept in step with :data:`reportlib.corpus.corrections.LOG_COLUMNS`).
CORRECTION_LOG_COLUMNS = ("report_id", "source", "report_sha256", "field", "field_name", "action", "status", "original",
                          "corrected", "note", "who", "when", "problem", "line", "mention_id", "set_value", "set_unit")

#: File endings read from directories; files named explicitly are read whatever their ending.
SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".docx", ".pdf")
#: Document formats users download but reportlib cannot read: read anyway, so that the problem
#: row says what to do (save as .docx, export as PDF …) instead of only "not read".
DIAGNOSED = (".doc", ".wps", ".rtf", ".odt", ".ofd", ".xls", ".xlsx")


@dataclass
class Corpus:
    """The parsed reports as tidy frames (see the contract for their columns)."""

    reports: pd.DataFrame
    sections: pd.DataFrame
    mentions: pd.DataFrame
    metrics: pd.DataFrame
    problems: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=lambda: _frame([], CHECK_COLUMNS))
    #: The corrections that concern these reports, with their status (see :mod:`reportlib.corpus.corrections`);
    #: empty unless corrections were applied.
    corrections: pd.DataFrame = field(default_factory=lambda: _frame([], CORRECTION_LOG_COLUMNS))

    TABLES = ("reports", "sections", "mentions", "metrics", "problems", "checks", "corrections")
    #: Tables a parse output written before they existed may lack (read as empty).
    OPTIONAL_TABLES = ("corrections",)

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.TABLES:
            raise KeyError(f"unknown table {name!r}; choose one of {', '.join(self.TABLES)}")
        return getattr(self, name)

    @property
    def failed(self) -> pd.DataFrame:
        """Inputs that could not be read or parsed (problems with severity ``error``)."""
        return self.problems[self.problems["severity"] == "error"]

    def __repr__(self) -> str:
        return (
            f"Corpus({len(self.reports)} reports, {len(self.sections)} sections, {len(self.mentions)} mentions, "
            f"{len(self.metrics)} metrics, {len(self.problems)} problems)"
        )


#: Folders never walked into: virtual environments, caches and version control (hidden folders too).
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env"})
#: A folder holding one of these is an output of reportlib (a build's ``--out``, a parse output).
OUTPUT_MARKERS = (".cache.json", "parse_summary.json", ".lock")
#: Pages that reportlib wrote carry this tag in their head; they are outputs, never reports.
GENERATOR_MARK = b'<meta name="generator" content="reportlib">'


def is_own_page(path: Path) -> bool:
    """True for an HTML page reportlib wrote (its generator tag in the first 4 KB)."""
    if path.suffix.lower() not in (".html", ".htm", ".shtml"):
        return False
    try:
        with path.open("rb") as handle:
            return GENERATOR_MARK in handle.read(4096)
    except OSError:
        return False


def _is_output_dir(path: Path) -> bool:
    return any((path / marker).exists() for marker in OUTPUT_MARKERS) or (path / "pyvenv.cfg").is_file()


def _walk(root: Path, excluded: set[Path]) -> list[Path]:
    """Regular files under ``root`` in a stable order, skipping hidden folders and files, virtual
    environments, reportlib's own output folders and ``excluded`` folders."""
    found: list[Path] = []
    for current, dirs, names in os.walk(root, onerror=_raise):
        here = Path(current)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in SKIPPED_DIRS
            and not _is_output_dir(here / d) and (here / d).resolve() not in excluded
        )
        found += [here / n for n in names if not n.startswith(".")]
    return sorted(found)


def _raise(error: OSError) -> None:
    raise error


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a report file (a FIFO, a device, a folder …), None when it is a regular file."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"not read: {kind}, not a report file"


_OWN_PAGE = "not read: a page written by reportlib (an output, not a report)"


def _verdict(path: Path, severity: str) -> tuple[str | None, str]:
    """(reason, severity) for a file that is not to be read — a FIFO, device or reportlib's own
    page — or (None, "") for a file to parse. ``severity`` is what a non-regular file gets."""
    reason = _not_regular(path)
    if reason:
        return reason, severity
    if is_own_page(path):
        return _OWN_PAGE, "warning"
    return None, ""


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[tuple[Path, str | None, str]]:
    """Files to read, in a stable order, as ``(path, reason, severity)``: ``reason`` is None for a
    file to parse, else why it is not parsed (an ``error`` for a named path that is unusable, a
    ``warning`` for a file of another type found in a directory).

    Only regular files are read (a FIFO or ``/dev/zero`` is an error, not a hang). Outputs are never
    inputs: folders in ``exclude`` (a build's ``--out``), folders reportlib wrote (a build output, a
    parse output), virtual environments, hidden folders, and pages reportlib wrote are skipped.
    """
    excluded = {Path(p).resolve() for p in exclude}
    for raw in paths:
        if str(raw) == "":
            yield Path(""), "empty path: name a file or folder", "error"
            continue
        path = Path(raw)
        if path.is_dir():
            try:
                files = _walk(path, excluded)
            except PermissionError:
                yield path, "permission denied: the directory cannot be listed", "error"
                continue
            found = [p for p in files if p.suffix.lower() in SUFFIXES and not _not_regular(p) and not is_own_page(p)]
            if not found:
                yield path, f"directory holds no reports ({', '.join(SUFFIXES)})", "error"
            for p in files:
                if p.suffix.lower() in SUFFIXES + DIAGNOSED:
                    yield p, *_verdict(p, "warning")
                else:
                    yield p, f"not read: {p.suffix or 'no extension'} is not a report format ({', '.join(SUFFIXES)})", "warning"
        elif path.exists() or path.is_symlink():
            yield path, *_verdict(path, "error")
        else:
            yield path, "file does not exist", "error"


#: Most parse processes at once, whatever ``jobs`` asks: more than the cores only costs memory.
MAX_JOBS = 2 * (os.cpu_count() or 1)
def read_reports(
    paths_or_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    validate: bool = True,
    progress: bool = False,
    corrections: str | os.PathLike[str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    parse_cache: str | os.PathLike[str] | None = None,
    client: Any = None,
) -> Corpus:
    """Parse files and directories of reports into a :class:`Corpus`.

    Every input is accounted for: a report that parses adds rows to the frames; one that cannot
    be read or is not a report adds a row to ``problems`` with the reason. Results come in input
    order whatever ``jobs`` is. The same report given twice (or a mirror of it) is kept once.
    ``corrections`` names a corrections file (see :mod:`reportlib.corpus.corrections`) applied after parsing.
    With ``parse_cache`` (a directory) a file parsed before by the same parser is not parsed
    again (:mod:`reportlib.corpus.parsecache`). With a ``distributed.Client`` the files are parsed on
    its Dask cluster (whose workers must see the same file system), results still in input order.
    """
    if isinstance(paths_or_dir, (str, os.PathLike)):
        paths_or_dir = [paths_or_dir]
    inputs = list(iter_inputs(paths_or_dir, exclude))
    problems: list[tuple] = [(str(p), "", severity, "read", reason) for p, reason, severity in inputs if reason]
    files = [p for p, reason, _ in inputs if not reason]
    with _gc_paused():
        results = _map_dask(files, client, _parser(parse_cache)) if client is not None else \
            _map(files, jobs, progress, _parser(parse_cache))
        corpus = assemble(results, problems, validate=validate)
    if corrections is not None:
        from reportlib.corpus.corrections import apply_corrections  # corrections builds on this module

        corpus = apply_corrections(corpus, corrections, validate=validate)
    return corpus


def _map_dask(files: list[Path], client: Any, parse: Callable[[Path], ParsedReport | tuple]) -> Iterator[ParsedReport | tuple]:
    """Per-file results from a Dask cluster, in input order; each result is released once taken."""
    futures = client.map(parse, files, pure=False)
    for i, future in enumerate(futures):
        yield future.result()
        futures[i] = None  # type: ignore[call-overload]


def _parser(parse_cache: str | os.PathLike[str] | None) -> Callable[[Path], ParsedReport | tuple]:
    """:func:`parse_one`, or its cached form (picklable, for worker processes)."""
    if parse_cache is None:
        return parse_one
    return functools.partial(parsecache.parse_cached, cache_dir=str(parse_cache), version=parsecache.parser_version())


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing makes millions of acyclic rows, and collecting
    while they pile up costs about a tenth of the run for nothing (reference counting frees them)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _map(files: list[Path], jobs: int, progress: bool,
         parse: Callable[[Path], ParsedReport | tuple] = parse_one) -> Iterator[ParsedReport | tuple]:
    """Per-file results in input order, as they come (nothing is held here)."""
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    jobs = min(jobs, MAX_JOBS)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="report", desc="parse", leave=False)
    try:
        if jobs == 1 or len(files) < 2 * jobs:
            items: Iterable[ParsedReport | tuple] = map(parse, files)
            yield from _counted(items, bar)
        else:
            chunk = max(1, min(64, len(files) // (jobs * 8) or 1))
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                yield from _counted(pool.map(parse, files, chunksize=chunk), bar)
    finally:
        if bar:
            bar.close()


def _counted(items: Iterable[ParsedReport | tuple], bar) -> Iterator[ParsedReport | tuple]:
    for item in items:
        if bar:
            bar.update()
        yield item


#: Reports whose rows are turned into frames at a time: the row tuples of a chunk are freed as soon
#: as its frames exist, so memory holds frames (compact) rather than rows (about 3x larger).
ASSEMBLE_CHUNK = 500


def assemble(results: Iterable[ParsedReport | tuple], problems: list[tuple] | None = None, *, validate: bool = True) -> Corpus:
    """Build the frames from per-report results (consumed as they come), dropping duplicates."""
    problems = list(problems or [])
    reports: list[dict] = []
    rows: dict[str, list[tuple]] = {"sections": [], "mentions": [], "metrics": [], "checks": []}
    chunks: dict[str, list[pd.DataFrame]] = {name: [] for name in rows}
    seen_hash: dict[str, str] = {}
    seen_id: dict[str, str] = {}
    versions: dict[tuple, tuple[dict, tuple]] = {}  # (issuer, year, base title) -> kept report, its numbers
    dropped: set[str] = set()  # report ids superseded by a later version after their rows were kept
    pending = 0
    for item in results:
        if isinstance(item, tuple):
            problems.append(item)
            continue
        rep = item.report
        original = seen_id.get(rep["report_id"]) or seen_hash.get(rep["text_hash"])
        if original is not None:
            problems.append((rep["source"], rep["report_id"], "warning", "duplicate", f"duplicate of {original}: kept once"))
            continue
        seen_id[rep["report_id"]] = seen_hash[rep["text_hash"]] = rep["source"]
        key = (rep["issuer"], rep["report_year"], base_title(rep["title"]))
        if all(key):
            numbers = _numbers(item)
            if key not in versions:
                versions[key] = (rep, numbers)
            else:
                other, other_numbers = versions[key]
                if numbers == other_numbers:  # a mirror: the same report saying the same
                    problems.append((rep["source"], rep["report_id"], "warning", "duplicate",
                                     f"duplicate of {other['source']}: kept once"))
                    continue
                decision = decide(other, rep)
                if decision is None:
                    problems.append((rep["source"], rep["report_id"], "warning", "conflict",
                                     f"another version of {other['source']} (same issuer, year and title, other "
                                     "numbers) and nothing tells which is later: both kept; remove the wrong one"))
                elif decision.keep == 0:
                    problems.append((rep["source"], rep["report_id"], "warning", "superseded",
                                     f"superseded by {other['source']} ({decision.why}): not used"))
                    continue
                else:
                    dropped.add(other["report_id"])
                    problems.append((other["source"], other["report_id"], "warning", "superseded",
                                     f"superseded by {rep['source']} ({decision.why}): not used"))
                    versions[key] = (rep, numbers)
        reports.append(rep)
        rows["sections"].extend(item.sections)
        rows["mentions"].extend(item.mentions)
        rows["metrics"].extend(item.metrics)
        rows["checks"].extend(item.checks)
        problems.extend(item.problems)
        pending += 1
        if pending == ASSEMBLE_CHUNK:
            _flush(rows, chunks, validate)
            pending = 0
    _flush(rows, chunks, validate)
    if dropped:
        reports = [r for r in reports if r["report_id"] not in dropped]
        for frames in chunks.values():
            frames[:] = [f[~f["report_id"].isin(dropped)].reset_index(drop=True) for f in frames]
    corpus = Corpus(
        reports=_frame([tuple(r[c] for c in REPORT_COLUMNS) for r in reports], REPORT_COLUMNS),
        sections=_joined(chunks["sections"], SECTION_COLUMNS),
        mentions=_joined(chunks["mentions"], MENTION_COLUMNS),
        metrics=_joined(chunks["metrics"], METRIC_COLUMNS),
        problems=_frame(problems, PROBLEM_COLUMNS),
        checks=_joined(chunks["checks"], CHECK_COLUMNS),
    )
    chunks.clear()  # the chunk frames are copies now
    if validate:  # the row tables were checked chunk by chunk (their ids start with a report's own id)
        validate_frame("reports", corpus.reports)
        validate_frame("problems", corpus.problems)
    return corpus


_METRIC_INDICATOR, _METRIC_VALUE = METRIC_COLUMNS.index("indicator"), METRIC_COLUMNS.index("value")


def _numbers(item: ParsedReport) -> tuple:
    """What a report says, for telling a mirror (same numbers) from another version (other numbers)."""
    return tuple(sorted((str(row[_METRIC_INDICATOR]), str(row[_METRIC_VALUE])) for row in item.metrics))


_COLUMNS = {"sections": SECTION_COLUMNS, "mentions": MENTION_COLUMNS, "metrics": METRIC_COLUMNS, "checks": CHECK_COLUMNS}


def _flush(rows: dict[str, list[tuple]], chunks: dict[str, list[pd.DataFrame]], validate: bool) -> None:
    """Turn the rows gathered so far into chunk frames (checked against their schemas)."""
    for name, table_rows in rows.items():
        if table_rows or not chunks[name]:
            frame = _frame(table_rows, _COLUMNS[name])
            if validate:
                        validate_frame(name, frame)
            chunks[name].append(frame)
            table_rows.clear()


def _joined(frames: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    frames = [frame for frame in frames if len(frame)] or frames[:1]
    if not frames:
        return _frame([], columns)
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


_INT_COLUMNS = {"start", "end", "sentence_start", "sentence_end", "n_chars", "level", "n_sections", "n_mentions",
                "n_metrics", "n_candidates", "line"}
_FLOAT_COLUMNS = {"value", "confidence"}
_BOOL_COLUMNS = {"approx", "promoted", "traditional"}


def _frame(rows: list[tuple], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else pd.DataFrame(columns=list(columns))
    for col in columns:
        if col == "report_year":
            frame[col] = frame[col].astype("Int64")
        elif (col == "level" and "section_id" in columns) or col in _INT_COLUMNS - {"level"}:
            frame[col] = frame[col].astype("int64")
        elif col in _FLOAT_COLUMNS:
            frame[col] = frame[col].astype("float64")
        elif col in _BOOL_COLUMNS:
            frame[col] = frame[col].astype("bool")
        elif col in ("expected", "observed"):
            frame[col] = frame[col].astype("object")
        else:
            frame[col] = frame[col].fillna("").astype("object")
    return frame
