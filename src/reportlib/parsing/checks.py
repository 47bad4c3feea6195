"""Consistency checks inside one report: rates and shares against counts, parts against totals,
magnitudes, and contradictory values for one indicator.

One row per check, as :data:`CHECK_COLUMNS`: ``expected`` is what the other figures of the report
imply, ``observed`` what the report states, ``status`` is ``pass`` | ``fail`` | ``warn`` and
``evidence`` quotes every figure used (``raw: sentence``, joined by `` | ``). Magnitude rows are
written only for figures out of range; the other checks write a row whenever their figures exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from reportlib.core.guard import search_tail
from reportlib.core.records import MENTION_COLUMNS, METRIC_COLUMNS
from reportlib.parsing.mentions import SHARE_RE, SHARE_WIDTH
from reportlib.reading.normalize import halfwidth, squeezed

CHECK_COLUMNS = ("report_id", "source", "check", "indicators", "expected", "observed", "status", "evidence")

#: rate indicator → (numerator, denominator): the rate should equal numerator / denominator × 100.
RATE_RULES: dict[str, tuple[str, str]] = {
    "mediation_success_rate": ("mediation_success", "mediation_disputes"),
    "admin_reconsideration_mediation_rate": ("admin_reconsideration_mediated", "admin_reconsideration_closed"),
    "admin_reconsideration_correction_rate": ("admin_reconsideration_corrected", "admin_reconsideration_closed"),
}
#: total → parts that cannot exceed it (and usually add up to it).
PART_RULES: dict[str, tuple[str, ...]] = {
    "legal_aid_cases": ("legal_aid_criminal_cases", "legal_aid_civil_cases"),
}
#: smaller ≤ larger.
ORDER_RULES: tuple[tuple[str, str], ...] = (
    ("mediation_success", "mediation_disputes"),
    ("admin_reconsideration_accepted", "admin_reconsideration_applications"),
    ("admin_reconsideration_corrected", "admin_reconsideration_closed"),
    ("admin_reconsideration_mediated", "admin_reconsideration_closed"),
)
#: Largest believable count for one jurisdiction in a year (a province-wide figure may be larger).
MAX_COUNT = {"township": 200_000, "county": 1_000_000, "city": 5_000_000, "province": 50_000_000, "": 50_000_000}
#: Largest believable amount in 元 for one jurisdiction in a year.
MAX_AMOUNT = {"township": 1e10, "county": 1e11, "city": 1e12, "province": 1e13, "": 1e13}
#: Hedges that make a stated rate a lower bound (达98%以上).
LOWER_BOUND = ("以上", "超过", "超", "逾", "不低于", "不少于")
#: Share statements are checked only against counts of these units.
_COUNT_UNITS = frozenset({"件", "人", "人次", "次", "场", "份", "条"})


def tolerance(observed_raw: str) -> float:
    """Half a unit of the last decimal the text gives, plus float slack.

    >>> tolerance("99.9%"), tolerance("20.12%"), tolerance("100%"), tolerance("99.9 ％")
    (0.051, 0.006, 0.501, 0.051)
    """
    digits = "".join(ch for ch in halfwidth(observed_raw) if ch.isdigit() or ch == ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(Decimal(5) / Decimal(10) ** (decimals + 1) + Decimal("0.001"))


def rate_agrees(expected: float, observed: float, raw: str, qualifier: str = "") -> bool:
    """Whether a stated rate agrees with the rate the counts give, at the precision it is written.

    >>> rate_agrees(3452 / 3454 * 100, 99.9, "99.9%"), rate_agrees(67 / 333 * 100, 20.12, "20.12%")
    (True, True)
    >>> rate_agrees(3400 / 3454 * 100, 99.9, "99.9%"), rate_agrees(99.5, 98, "98%", "以上")
    (False, True)
    """
    tol = tolerance(raw)
    if qualifier in LOWER_BOUND:
        return expected >= observed - tol
    return abs(expected - observed) <= tol


def implied_total(part: float, share: float, raw: str) -> int | None:
    """The smallest whole total ≥ ``part`` that gives ``share`` % at the precision written, or None.

    >>> implied_total(28, 42.42, "42.42%"), implied_total(67, 20.12, "20.12%")
    (66, 333)
    >>> implied_total(28, 42.47, "42.47%") is None  # no whole number of cases gives 42.47 %
    True
    """
    if share <= 0 or part <= 0:
        return None
    tol = tolerance(raw) - 0.001
    low, high = part * 100 / (share + tol), part * 100 / max(share - tol, 1e-9)
    candidate = max(math.ceil(low - 1e-9), math.ceil(part))
    return candidate if candidate <= high + 1e-9 else None


def run_checks(parsed) -> list[tuple]:  # parsed: reportlib.parsing.parse.ParsedReport
    """All checks for one parsed report, as rows of :data:`CHECK_COLUMNS`."""
    if not parsed.mentions:
        return []
    metrics = {row[METRIC_COLUMNS.index("indicator")]: dict(zip(METRIC_COLUMNS, row, strict=True)) for row in parsed.metrics}
    # the checks read the claimed mentions and the sentences of unclaimed shares: only those
    # become dicts (in order)
    ind, kind, unit, sent = (MENTION_COLUMNS.index(c) for c in ("indicator", "kind", "unit", "sentence_start"))
    share_sentences = {r[sent] for r in parsed.mentions if r[kind] == "share" and r[unit] == "%" and not r[ind]}
    mentions = [dict(zip(MENTION_COLUMNS, row, strict=True)) for row in parsed.mentions if row[ind] or row[sent] in share_sentences]
    rid, source = parsed.mentions[0][MENTION_COLUMNS.index("report_id")], parsed.mentions[0][MENTION_COLUMNS.index("source")]
    level = (parsed.report or {}).get("level", "") or ""
    rows = [
        *_rates(metrics),
        *_parts(metrics),
        *_order(metrics),
        *_shares(mentions),
        *_magnitudes(metrics, level),
        *_contradictions(mentions),
    ]
    return [(rid, source, *r) for r in rows]


# --------------------------------------------------------------------------- the checks
# Each yields (check, indicators, expected, observed, status, evidence).


def _evidence(*rows: dict) -> str:
    return " | ".join(f"{r['raw']}: {r['sentence']}" for r in rows)


def _is_share(row: dict) -> bool:
    """The figure is stated as a share (占审结的20.12%), not as a rate (调解成功率99.9%)."""
    raw = squeezed(row["raw"])
    sentence = row["sentence"]
    at = sentence.find(raw)
    while at >= 0:
        if search_tail(SHARE_RE, SHARE_WIDTH, sentence, at):
            return True
        at = sentence.find(raw, at + 1)
    return False


def _rates(metrics: dict[str, dict]) -> Iterable[tuple]:
    for rate, (num, den) in RATE_RULES.items():
        if rate not in metrics or num not in metrics:
            continue
        r, n = metrics[rate], metrics[num]
        check = "share_vs_counts" if _is_share(r) else "rate_vs_counts"
        if den in metrics and metrics[den]["value"] > 0:
            d = metrics[den]
            expected = n["value"] / d["value"] * 100
            ok = rate_agrees(expected, r["value"], r["raw"], r["qualifier"])
            yield (check, f"{rate} = {num} / {den}", round(expected, 2), r["value"], "pass" if ok else "fail",
                   _evidence(r, n, d))
        elif not r["approx"]:
            total = implied_total(n["value"], r["value"], r["raw"])
            yield ("share_implies_total", f"{rate} = {num} / {den}", float(total) if total else math.nan, r["value"],
                   "pass" if total else "fail", _evidence(r, n))


def _parts(metrics: dict[str, dict]) -> Iterable[tuple]:
    for total, parts in PART_RULES.items():
        present = [p for p in parts if p in metrics]
        if total not in metrics or not present:
            continue
        parts_sum = sum(metrics[p]["value"] for p in present)
        value = metrics[total]["value"]
        if parts_sum > value:
            status = "fail"
        elif len(present) == len(parts) and parts_sum == value:
            status = "pass"
        else:
            status = "warn"  # a part is missing or not named (行政案件 …)
        yield ("parts_vs_total", f"{total} = {' + '.join(present)}", value, parts_sum, status,
               _evidence(metrics[total], *(metrics[p] for p in present)))


def _order(metrics: dict[str, dict]) -> Iterable[tuple]:
    for small, large in ORDER_RULES:
        if small in metrics and large in metrics:
            ok = metrics[small]["value"] <= metrics[large]["value"]
            yield ("part_not_above_total", f"{small} ≤ {large}", metrics[large]["value"], metrics[small]["value"],
                   "pass" if ok else "fail", _evidence(metrics[small], metrics[large]))


def _shares(mentions: list[dict]) -> Iterable[tuple]:
    """A share no indicator claims (其中刑事2357件，占88.1%) against the counts of its sentence:
    the count just before it over an earlier, larger count of the same unit."""
    for i, share in enumerate(mentions):
        if share["kind"] != "share" or share["unit"] != "%" or share["indicator"] or share["value"] <= 0:
            continue
        same = [m for m in mentions[:i] if m["sentence_start"] == share["sentence_start"] and m["end"] <= share["start"]]
        if not same or same[-1]["unit"] not in _COUNT_UNITS or same[-1]["kind"] != "level":
            continue
        part = same[-1]
        totals = [m for m in same[:-1] if m["unit"] == part["unit"] and m["kind"] == "level" and m["value"] >= part["value"]
                  and m["start"] != part["start"]]
        if not totals:
            continue
        ratios = [(part["value"] / t["value"] * 100, t) for t in totals]
        agree = [(x, t) for x, t in ratios if rate_agrees(x, share["value"], share["raw"], share["qualifier"])]
        if agree:
            expected, total, status = agree[0][0], agree[0][1], "pass"
        else:
            expected, total = min(ratios, key=lambda xt: abs(xt[0] - share["value"]))
            status = "fail" if len(totals) == 1 else "warn"
        label = f"share {share['raw']} = {part['raw']} / {total['raw']}"
        yield ("share_vs_counts", label, round(expected, 2), share["value"], status, _evidence(share))


def _magnitudes(metrics: dict[str, dict], level: str) -> Iterable[tuple]:
    for ind, row in metrics.items():
        unit, v = row["unit"], row["value"]
        if unit == "%":
            if not 0 <= v <= 100:
                yield ("magnitude", ind, 100.0, v, "fail", _evidence(row))
        elif unit == "元":
            bound = MAX_AMOUNT.get(level, MAX_AMOUNT[""])
            if not 0 <= v <= bound:
                yield ("magnitude", ind, bound, v, "fail", _evidence(row))
        else:
            bound = MAX_COUNT.get(level, MAX_COUNT[""])
            if not 0 <= v <= bound:
                yield ("magnitude", ind, float(bound), v, "fail", _evidence(row))
            elif v != int(v):
                yield ("magnitude", ind, float(round(v)), v, "fail", _evidence(row))  # 12.5件: not a count


def _contradictions(mentions: list[dict]) -> Iterable[tuple]:
    """Two whole-jurisdiction level figures for one indicator: the same value (pass) or not (fail)."""
    by_indicator: dict[str, list[dict]] = {}
    for m in mentions:
        if m["indicator"] and m["kind"] == "level" and m["confidence"] >= 0.75:
            by_indicator.setdefault(m["indicator"], []).append(m)
    for ind, rows in by_indicator.items():
        if len(rows) < 2:
            continue
        primary = next((r for r in rows if r["promoted"]), rows[0])
        others = [r for r in rows if r is not primary]
        differing = [r for r in others if r["value"] != primary["value"]]
        observed = differing[0]["value"] if differing else others[0]["value"]
        yield ("duplicate_values", ind, primary["value"], observed, "fail" if differing else "pass",
               _evidence(primary, *others))
