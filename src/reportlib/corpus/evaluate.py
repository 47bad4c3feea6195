"""Score the parser against a labelled folder: ``corpus/``, ``meta.csv`` and ``gold.csv``.

The folder layout is the one of ``../shared/realworld`` (see its README):

- ``meta.csv``: per file, what a careful reader gets — issuer, issuer_kind, province, city, county,
  level, report_year, and whether the text names the issuer, the year and the region at all
  (``text_has_issuer``, ``text_has_year``, ``text_has_region``);
- ``gold.csv``: per file, indicator values (``core`` = unambiguous, ``optional`` = arguable) and
  ``trap`` rows: a number that must not become that indicator's metric (value empty, note
  ``phrase | why``).

A metadata field is *knowable* when the text gives what it needs: the region fields when the text
names the region, the year when it names the year, the issuer when it names the issuer or the
region (an abbreviation such as 区司法局 plus the region names it fully). Accuracy is counted over
knowable fields; a value given for an unknowable field that is wrong counts as a *guess*.
Precision counts every promoted metric: right when it equals a core or optional value of that
file and indicator, a *trap* when it is the trap phrase's number, wrong otherwise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reportlib.corpus.reader import read_reports

META_FIELDS = ("issuer", "issuer_kind", "province", "city", "county", "level", "report_year")
_REGION_FIELDS = frozenset({"province", "city", "county", "level"})


@dataclass
class Evaluation:
    """What :func:`evaluate` found: per-field metadata scores, indicator scores and the misses."""

    fields: pd.DataFrame  # field, knowable, right, accuracy, guesses
    indicators: pd.DataFrame  # indicator, core, core_found, optional, optional_found, promoted, right, traps
    misses: pd.DataFrame  # file, what, expected, got
    metadata_accuracy: float = 0.0
    core_recall: float = 0.0
    precision: float = 0.0
    traps_promoted: int = 0
    n_files: int = 0
    n_metrics: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"files: {self.n_files}   metrics promoted: {self.n_metrics}",
            f"metadata accuracy (knowable fields): {self.metadata_accuracy:.1%}",
            f"core recall: {self.core_recall:.1%}   precision: {self.precision:.1%}   traps promoted: {self.traps_promoted}",
        ]
        return "\n".join(lines)


def _norm(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return re.sub(r"\s+", "", text)


def _yes(value: object) -> bool:
    return _norm(value).lower() in {"yes", "y", "true", "1"}


def _knowable(name: str, row: pd.Series) -> bool:
    has_region, has_year = _yes(row.get("text_has_region", "yes")), _yes(row.get("text_has_year", "yes"))
    if name in _REGION_FIELDS:
        return has_region
    if name == "report_year":
        return has_year
    if name == "issuer":
        return _yes(row.get("text_has_issuer", "yes")) or has_region
    return True


def _digits(text: str) -> set[str]:
    return {d.replace(",", "") for d in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def evaluate(gold_dir: str | Path, *, jobs: int = 1) -> Evaluation:
    """Parse ``gold_dir/corpus`` and score it against ``meta.csv`` and ``gold.csv``."""
    gold_dir = Path(gold_dir)
    for needed in ("corpus", "meta.csv", "gold.csv"):
        if not (gold_dir / needed).exists():
            raise FileNotFoundError(f"{gold_dir}: no {needed} (a gold folder has corpus/, meta.csv and gold.csv)")
    meta = pd.read_csv(gold_dir / "meta.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(gold_dir / "gold.csv", dtype=str, keep_default_na=False)
    files = [gold_dir / "corpus" / name for name in meta["file"]]
    corpus = read_reports([str(p) for p in files if p.exists()], jobs=jobs)
    problems = [f"{name}: not found in corpus/" for name, p in zip(meta["file"], files, strict=True) if not p.exists()]

    reports = corpus.reports.assign(file=corpus.reports["source"].map(lambda s: Path(str(s)).name))
    by_file = {row["file"]: row for _, row in reports.iterrows()}
    metrics = corpus.metrics.assign(file=corpus.metrics["source"].map(lambda s: Path(str(s)).name))

    misses: list[dict[str, str]] = []
    field_rows = []
    for name in META_FIELDS:
        knowable = right = guesses = 0
        for _, expected_row in meta.iterrows():
            got_row = by_file.get(expected_row["file"])
            got = _norm(got_row.get(name, "")) if got_row is not None else ""
            expected = _norm(expected_row.get(name, ""))
            if _knowable(name, expected_row):
                knowable += 1
                if got == expected:
                    right += 1
                else:
                    misses.append({"file": expected_row["file"], "what": name, "expected": expected, "got": got})
            elif got and got != expected:
                guesses += 1
                misses.append({"file": expected_row["file"], "what": f"{name} (guess)", "expected": expected, "got": got})
        field_rows.append({"field": name, "knowable": knowable, "right": right,
                           "accuracy": right / knowable if knowable else 1.0, "guesses": guesses})
    fields = pd.DataFrame(field_rows)

    valued = gold[gold["status"].isin(["core", "optional"])].copy()
    valued["number"] = valued["value"].astype(float)
    traps = gold[gold["status"] == "trap"]
    promoted: dict[tuple[str, str], list[pd.Series]] = {}
    for _, m in metrics.iterrows():
        promoted.setdefault((m["file"], m["indicator"]), []).append(m)

    stats: dict[str, dict[str, int]] = {}

    def stat(indicator: str) -> dict[str, int]:
        return stats.setdefault(indicator, dict.fromkeys(
            ("core", "core_found", "optional", "optional_found", "promoted", "right", "traps"), 0))

    for _, g in valued.iterrows():
        s = stat(g["indicator"])
        s[g["status"]] += 1
        found = any(_same(float(m["value"]), g["number"]) for m in promoted.get((g["file"], g["indicator"]), []))
        if found:
            s[f"{g['status']}_found"] += 1
        elif g["status"] == "core":
            got = ", ".join(str(m["raw"]) for m in promoted.get((g["file"], g["indicator"]), []))
            misses.append({"file": g["file"], "what": f"{g['indicator']} (core)", "expected": g["value"], "got": got})

    n_traps = 0
    for (file, indicator), rows in promoted.items():
        expected = valued[(valued["file"] == file) & (valued["indicator"] == indicator)]["number"].tolist()
        trap_rows = traps[(traps["file"] == file) & (traps["indicator"] == indicator)]
        trap_numbers = set().union(*(_digits(str(n).split("|")[0]) for n in trap_rows["note"])) if len(trap_rows) else set()
        for m in rows:
            s = stat(indicator)
            s["promoted"] += 1
            value = float(m["value"])
            if any(_same(value, e) for e in expected):
                s["right"] += 1
                continue
            is_trap = bool(_digits(_norm(m["raw"])) & trap_numbers)
            if is_trap:
                s["traps"] += 1
                n_traps += 1
            misses.append({"file": file, "what": f"{indicator} ({'trap' if is_trap else 'wrong'})",
                           "expected": ", ".join(f"{e:g}" for e in expected), "got": str(m["raw"])})
    indicators = pd.DataFrame([{"indicator": k, **v} for k, v in sorted(stats.items())],
                              columns=["indicator", "core", "core_found", "optional", "optional_found",
                                       "promoted", "right", "traps"])
    core = int(indicators["core"].sum())
    n_promoted = int(indicators["promoted"].sum())
    knowable = int(fields["knowable"].sum())
    return Evaluation(
        fields=fields,
        indicators=indicators,
        misses=pd.DataFrame(misses, columns=["file", "what", "expected", "got"]),
        metadata_accuracy=int(fields["right"].sum()) / knowable if knowable else 1.0,
        core_recall=int(indicators["core_found"].sum()) / core if core else 1.0,
        precision=int(indicators["right"].sum()) / n_promoted if n_promoted else 1.0,
        traps_promoted=n_traps,
        n_files=len(meta),
        n_metrics=n_promoted,
        problems=problems + [f"{r.source}: {r.reason}" for r in corpus.failed.itertuples()],
    )


def render(result: Evaluation) -> str:
    """The evaluation as plain text, for the ``reportlib evaluate`` command."""
    out = [result.summary(), "", "metadata per field:"]
    for r in result.fields.itertuples():
        guess = f"   wrong guesses where the text cannot tell: {r.guesses}" if r.guesses else ""
        out.append(f"  {r.field:<12} {r.right:>3}/{r.knowable:<3} {r.accuracy:6.1%}{guess}")
    out += ["", "indicators (core found/core, optional found/optional, promoted, right, traps):"]
    for r in result.indicators.itertuples():
        out.append(f"  {r.indicator:<40} core {r.core_found}/{r.core}  optional {r.optional_found}/{r.optional}"
                   f"  promoted {r.promoted}  right {r.right}  traps {r.traps}")
    if len(result.misses):
        out += ["", "misses:"]
        for r in result.misses.itertuples():
            out.append(f"  {r.file}  {r.what}: expected {r.expected or '—'}, got {r.got or '—'}")
    if result.problems:
        out += ["", "inputs not read:"] + [f"  {p}" for p in result.problems]
    return "\n".join(out)
