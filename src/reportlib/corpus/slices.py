"""What each run depends on: its slice of the corpus, and a cache key made from that slice.

A report profile needs its report, a year-over-year or trend run its region's reports, a
cross-district run its year's reports; the overview, parse quality and any run the plan does not
describe need the whole corpus. A run executes on a processed directory holding only its slice,
and its cache key is the slice's content (plus notebook, library and parameters, added by the
build), so adding or changing one report re-runs only the runs whose slice holds it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reportlib.corpus.processed import write_processed
from reportlib.corpus.reader import Corpus

__all__ = ["CorpusIndex", "slice_ids", "slice_key"]


def slice_ids(run: Any, reports: pd.DataFrame) -> list[str] | None:
    """The report ids ``run`` depends on, or ``None`` for the whole corpus.

    Read from the run's parameters: ``report_id`` → that report; ``region`` (a 6-digit code) →
    the region's reports; ``year`` → that year's reports. Anything else (or a run with none of
    them) depends on everything. ``output_name`` only names the workbook and is not looked at.
    """
    params: Mapping[str, Any] = {k: v for k, v in (run.parameters or {}).items() if k != "output_name"}
    if set(params) == {"report_id"}:
        return [str(params["report_id"])]
    if set(params) == {"region"}:
        return reports.loc[reports["region_code"] == str(params["region"]), "report_id"].astype(str).tolist()
    if set(params) == {"year"}:
        years = pd.to_numeric(reports["report_year"], errors="coerce")
        return reports.loc[years == int(params["year"]), "report_id"].astype(str).tolist()
    return None


class CorpusIndex:
    """Row positions of every report in every frame, computed once, so that slicing thousands
    of runs out of a large corpus does not scan the frames once per run."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.rows: dict[str, dict[str, np.ndarray]] = {}
        for table in Corpus.TABLES:
            frame = corpus.table(table)
            if "report_id" in frame.columns and len(frame):
                self.rows[table] = {str(k): np.asarray(v) for k, v in frame.groupby("report_id", sort=False).indices.items()}
            else:
                self.rows[table] = {}
        reports = corpus.reports
        self.fingerprint = dict(zip(reports["report_id"].astype(str),
                                    (reports["sha256"].astype(str) + "|" + reports["source"].astype(str)), strict=True))

    def subset(self, ids: list[str]) -> Corpus:
        """The corpus of ``ids`` only; problems of those reports only (a slice never carries the
        failed inputs, which only corpus-wide runs show)."""
        frames = {}
        for table in Corpus.TABLES:
            frame = self.corpus.table(table)
            parts = [self.rows[table][i] for i in ids if i in self.rows[table]]
            positions = np.sort(np.concatenate(parts)) if parts else np.array([], dtype=int)
            frames[table] = frame.iloc[positions].reset_index(drop=True)
        return Corpus(**frames)

    def key(self, ids: list[str]) -> str:
        """A hash of the slice: each report's file hash and source, in id order."""
        digest = hashlib.sha256()
        for i in sorted(ids):
            digest.update(f"{i}={self.fingerprint.get(i, '')}\n".encode())
        return digest.hexdigest()


def slice_key(index: CorpusIndex, ids: list[str] | None, whole: str) -> str:
    """The inputs part of a run's cache key: the slice's hash, or ``whole`` (the hash of the
    whole processed corpus) for a run that depends on everything."""
    return whole if ids is None else "slice:" + index.key(ids)


def write_slice(index: CorpusIndex, ids: list[str], directory: str | os.PathLike[str]) -> Path:
    """Write the slice of ``ids`` as a processed directory (:func:`reportlib.corpus.processed.write_processed`)."""
    return write_processed(index.subset(ids), directory)
