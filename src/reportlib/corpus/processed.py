"""The parse output on disk: a :class:`~reportlib.corpus.reader.Corpus` as CSV files and back, dtypes intact.

``data/processed/`` holds one UTF-8 CSV per frame (``reports.csv``, ``sections.csv``, …) and
``parse_summary.json``, which records counts, the inputs and every column's dtype so that
:func:`read_processed` restores exactly the frames :func:`reportlib.read_reports` returned.
Text cells that a spreadsheet would evaluate (``=…``, ``+…``, ``-…``, ``@…``) are written with a
leading apostrophe (:mod:`reportlib.core.csvsafe`); :func:`read_processed` removes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from reportlib.core.atomic import atomic_path, write_text_atomic
from reportlib.core.csvsafe import neutralise_frame, restore_text
from reportlib.core.errors import ReportlibError
from reportlib.corpus.reader import Corpus
from reportlib.corpus.schema import validate_corpus

__all__ = ["SUMMARY_FILE", "has_processed", "processed_hash", "read_processed", "write_processed"]

SUMMARY_FILE = "parse_summary.json"


def _csv(directory: Path, table: str) -> Path:
    return directory / f"{table}.csv"


def _dtype_of(series: pd.Series) -> str:
    """The dtype tag stored in the summary: a pandas dtype name, or ``mixed`` for an object
    column that holds numbers as well as text (e.g. ``checks.expected``)."""
    name = str(series.dtype)
    if name in ("object", "str", "string"):
        values = [v for v in series.tolist() if v is not None and v == v]
        return "object" if all(isinstance(v, str) for v in values) else "mixed"
    return name


def write_processed(corpus: Corpus, directory: str | os.PathLike[str], inputs: list[str] | None = None) -> Path:
    """Write every frame of ``corpus`` and ``parse_summary.json`` into ``directory`` atomically."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    dtypes: dict[str, dict[str, str]] = {}
    for table in Corpus.TABLES:
        frame = corpus.table(table)
        dtypes[table] = {str(col): _dtype_of(frame[col]) for col in frame.columns}
        with atomic_path(_csv(directory, table)) as part:
            neutralise_frame(frame).to_csv(part, index=False, lineterminator="\n", encoding="utf-8")
    summary = {
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": list(inputs or []),
        "counts": {table: len(corpus.table(table)) for table in Corpus.TABLES},
        "failed_inputs": len(corpus.failed),
        "reports": [
            {"report_id": r.report_id, "source": r.source, "issuer": r.issuer, "region": r.region,
             "report_year": None if pd.isna(r.report_year) else int(r.report_year)}
            for r in corpus.reports.itertuples(index=False)
        ],
        "dtypes": dtypes,
    }
    write_text_atomic(directory / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return directory


def has_processed(directory: str | os.PathLike[str]) -> bool:
    """True when ``directory`` holds a complete parse output (every frame and the summary)."""
    directory = Path(directory)
    return (directory / SUMMARY_FILE).is_file() and all(
        _csv(directory, t).is_file() for t in Corpus.TABLES if t not in Corpus.OPTIONAL_TABLES)


def processed_hash(directory: str | os.PathLike[str]) -> str:
    """SHA-256 over the frames' CSV bytes (not the summary, whose timestamp changes every parse)."""
    digest = hashlib.sha256()
    for table in Corpus.TABLES:
        if table in Corpus.OPTIONAL_TABLES and not _csv(Path(directory), table).is_file():
            continue
        digest.update(table.encode())
        digest.update(_csv(Path(directory), table).read_bytes())
    return digest.hexdigest()


def _restore(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    for col in frame.columns:
        kind = dtypes.get(col, "object")
        raw = frame[col]
        if kind == "bool":
            frame[col] = raw.map({"True": True, "False": False, "true": True, "false": False}).fillna(False).astype(bool)
        elif kind.startswith("int"):
            frame[col] = pd.to_numeric(raw.replace("", "0")).astype("int64")
        elif kind == "Int64":
            frame[col] = pd.to_numeric(raw.replace("", None)).astype("Int64")
        elif kind.startswith("float"):
            frame[col] = pd.to_numeric(raw.replace("", None)).astype("float64")
        elif kind == "mixed":
            frame[col] = raw.map(lambda v: _number_or_text(restore_text(v)) if v[:1] != "'" else restore_text(v)).astype("object")
        else:
            frame[col] = raw.map(restore_text).astype("object")
    return frame


def _number_or_text(value: str) -> Any:
    """``'99.94'`` → 99.94, ``'0–100 %'`` stays text.

    >>> _number_or_text("99.94"), _number_or_text("0–100 %"), _number_or_text("")
    (99.94, '0–100 %', '')
    """
    try:
        return float(value)
    except ValueError:
        return value


def read_processed(directory: str | os.PathLike[str], *, validate: bool = True) -> Corpus:
    """The :class:`Corpus` stored in ``directory`` by :func:`write_processed`.

    Raises :class:`ReportlibError` naming the directory when a file is missing or unreadable.
    """
    directory = Path(directory)
    if not has_processed(directory):
        raise ReportlibError(
            f"{directory}: no complete parse output here (expected {', '.join(t + '.csv' for t in Corpus.TABLES)} "
            f"and {SUMMARY_FILE}); run `reportlib build` or pass the report files instead."
        )
    try:
        summary = json.loads((directory / SUMMARY_FILE).read_text(encoding="utf-8"))
        frames = {}
        for table in Corpus.TABLES:
            if table in Corpus.OPTIONAL_TABLES and not _csv(directory, table).is_file():
                continue  # written before this table existed: the Corpus default (empty) stands
            frame = pd.read_csv(_csv(directory, table), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
            frames[table] = _restore(frame, summary.get("dtypes", {}).get(table, {}))
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ReportlibError(f"{directory}: cannot read the parse output ({exc}); rebuild it with `reportlib build`.") from exc
    corpus = Corpus(**frames)
    if validate:
        validate_corpus(corpus)
    return corpus
