"""A region over many years: each indicator as a series over every report year, with the evidence
of every point, the change from one point to the next and over the whole span, and scope notes
where the reporting issuer changes.

Built on the same per-year selection as the year-over-year analysis (one figure per region, year
and indicator: the most confident, then the government's report), so a trend and the
year-over-year pairs it contains agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from reportlib.outputs.analysis import _dec, _kind_of, _primary, _taxonomy_order, format_change, format_value

__all__ = ["POINT_COLUMNS", "SPAN_COLUMNS", "TREND_LABELS", "region_trend", "series_text", "span_text"]

POINT_COLUMNS = (
    "region_code", "region", "indicator", "indicator_name", "indicator_kind", "unit", "year", "value", "raw",
    "approx", "qualifier", "sentence", "issuer", "source", "report_id", "prev_year", "change", "change_unit",
    "pct_change", "scope_note",
)
SPAN_COLUMNS = (
    "region_code", "region", "indicator", "indicator_name", "indicator_kind", "unit", "n_points", "first_year",
    "last_year", "first_raw", "last_raw", "first_value", "last_value", "first_approx", "last_approx", "span_change", "change_unit", "span_pct_change",
    "change_per_year", "series", "issuers", "scope_note", "narrative",
)
#: Chinese headers of the trend's own columns.
TREND_LABELS = {
    "change": "较上一期增减",
    "pct_change": "较上一期变化率（%）",
    "prev_year": "上一期年度",
    "n_points": "年数",
    "first_year": "起始年度",
    "last_year": "末尾年度",
    "first_raw": "起始原文",
    "last_raw": "末尾原文",
    "first_value": "起始数值",
    "first_approx": "起始为约数",
    "last_approx": "末尾为约数",
    "last_value": "末尾数值",
    "span_change": "全期增减",
    "span_pct_change": "全期变化率（%）",
    "change_per_year": "年均增减",
    "series": "逐年数值",
    "issuers": "发布机关",
}


def _point_note(prev: pd.Series | None, cur: pd.Series) -> str:
    notes = []
    if prev is not None and prev["issuer"] != cur["issuer"]:
        notes.append(f"{cur['report_year']}年数据来自{cur['issuer']}的报告，上一期（{prev['report_year']}年）来自{prev['issuer']}；口径可能不同")
    if prev is not None and cur["report_year"] - prev["report_year"] > 1:
        notes.append(f"与上一期相隔{cur['report_year'] - prev['report_year']}年，中间年份无该指标")
    if cur["approx"]:
        notes.append(f"约数（原文“{cur['raw']}”）")
    if cur.get("other_reports"):
        notes.append(f"同年另有{cur['other_reports']}")
    return "；".join(notes) + ("。" if notes else "")


def series_text(points: pd.DataFrame) -> str:
    """``2021年300件 → 2022年320件 → 2023年283件`` for one indicator's points (in year order).

    >>> series_text(pd.DataFrame({"year": [2021, 2023], "value": [300.0, 283.0], "unit": ["件", "件"],
    ...                           "approx": [False, True], "qualifier": ["", "约"]}))
    '2021年300件 → 2023年约283件'
    """
    return " → ".join(f"{int(p.year)}年{format_value(p.value, p.unit, bool(p.approx), p.qualifier)}"
                      for p in points.itertuples(index=False))


def span_text(row: dict[str, Any]) -> str:
    """One Chinese sentence for the whole span of an indicator.

    >>> span_text({"indicator_name": "法律援助案件", "unit": "件", "indicator_kind": "count", "first_year": 2021,
    ...            "last_year": 2024, "first_value": 400.0, "last_value": 280.0, "n_points": 4})
    '法律援助案件2021年至2024年（4个年度）由400件降至280件，共减少120件（下降30.0%），年均减少40件。'
    >>> span_text({"indicator_name": "出庭应诉率", "unit": "%", "indicator_kind": "rate", "first_year": 2022,
    ...            "last_year": 2024, "first_value": 98.0, "last_value": 98.0, "n_points": 3})
    '出庭应诉率2022年至2024年（3个年度）首末两年持平，均为98%。'
    """
    name, unit = row["indicator_name"], row["unit"]
    first_approx, last_approx = bool(row.get("first_approx", False)), bool(row.get("last_approx", False))
    hedged = first_approx or last_approx
    first, last = row["first_value"], row["last_value"]
    head = f"{name}{row['first_year']}年至{row['last_year']}年（{row['n_points']}个年度）"
    change = float(_dec(last) - _dec(first))
    first_text, last_text = format_value(first, unit, first_approx), format_value(last, unit, last_approx)
    if change == 0:
        return f"{head}首末两年持平，均为{last_text}。"
    up = change > 0
    years = row["last_year"] - row["first_year"]
    per_year = format_change(round(change / years, 2), unit, hedged) if years else ""  # shown to 2 decimals
    if row.get("indicator_kind") == "rate" or unit == "%":
        text = f"{head}由{first_text}{'升至' if up else '降至'}{last_text}，共{'提高' if up else '下降'}{format_change(change, unit, hedged)}"
        return text + (f"，年均{'提高' if up else '下降'}{per_year}。" if per_year else "。")
    text = f"{head}由{first_text}{'增至' if up else '降至'}{last_text}，共{'增加' if up else '减少'}{format_change(change, unit, hedged)}"
    if first:
        text += f"（{'上升' if up else '下降'}{'约' if hedged else ''}{abs(change) / abs(first) * 100:.1f}%）"
    return text + (f"，年均{'增加' if up else '减少'}{per_year}。" if per_year else "。")


def region_trend(metrics: pd.DataFrame, reports: pd.DataFrame, region: str,
                 indicators: Iterable[str] | None = None, min_points: int = 2) -> dict[str, pd.DataFrame]:
    """Every indicator of one region (name or 6-digit code) over all its report years.

    Returns ``points`` (:data:`POINT_COLUMNS`: one row per indicator and year with the value, its
    sentence, issuer and file, the change from the indicator's previous point and a scope note)
    and ``spans`` (:data:`SPAN_COLUMNS`: one row per indicator with at least ``min_points``
    years: first and last value, change over the whole span, in percent (not for rates) and per
    year, the series as text, the issuers and a note where they change). Changes are computed in
    Decimal; rates change in percentage points and get no percent change.
    """
    frame = _primary(metrics, reports)
    frame = frame[(frame["region"] == region) | (frame["region_code"] == region)]
    if indicators:
        frame = frame[frame["indicator"].isin(list(indicators))]
    order = _taxonomy_order()
    points: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    groups = sorted(frame.groupby(["region_code", "indicator"], sort=False), key=lambda kv: (kv[0][0], order.get(kv[0][1], 999), kv[0][1]))
    for (code, ind), group in groups:
        group = group.sort_values("report_year")
        if len(group) < min_points:
            continue
        unit = str(group["unit"].iloc[-1])
        kind = _kind_of(ind, unit)
        rows = []
        prev = None
        for _, cur in group.iterrows():
            change = math.nan if prev is None else float(_dec(cur["value"]) - _dec(prev["value"]))
            pct = (math.nan if prev is None or kind == "rate" or prev["value"] == 0 or prev["unit"] != cur["unit"]
                   else change / prev["value"] * 100)
            rows.append({
                "region_code": code, "region": cur["region"], "indicator": ind, "indicator_name": cur["indicator_name"],
                "indicator_kind": kind, "unit": cur["unit"], "year": int(cur["report_year"]), "value": float(cur["value"]),
                "raw": cur["raw"], "approx": bool(cur["approx"]), "qualifier": cur["qualifier"], "sentence": cur["sentence"],
                "issuer": cur["issuer"], "source": cur["source"], "report_id": cur["report_id"],
                "prev_year": None if prev is None else int(prev["report_year"]), "change": change,
                "change_unit": "个百分点" if unit == "%" else unit, "pct_change": pct, "scope_note": _point_note(prev, cur),
            })
            prev = cur
        points += rows
        first, last = rows[0], rows[-1]
        issuers = list(dict.fromkeys(r["issuer"] for r in rows))
        span_change = float(_dec(last["value"]) - _dec(first["value"]))
        years = last["year"] - first["year"]
        span = {
            "region_code": code, "region": last["region"], "indicator": ind, "indicator_name": last["indicator_name"],
            "indicator_kind": kind, "unit": unit, "n_points": len(rows), "first_year": first["year"],
            "last_year": last["year"], "first_raw": first["raw"], "last_raw": last["raw"], "first_value": first["value"],
            "last_value": last["value"], "first_approx": first["approx"], "last_approx": last["approx"], "span_change": span_change, "change_unit": "个百分点" if unit == "%" else unit,
            "span_pct_change": math.nan if kind == "rate" or first["value"] == 0 else span_change / first["value"] * 100,
            "change_per_year": span_change / years if years else math.nan,
            "series": series_text(pd.DataFrame(rows)), "issuers": "、".join(issuers),
            "scope_note": _span_note(rows, issuers),
        }
        span["narrative"] = span_text(span)
        spans.append(span)
    points_frame = pd.DataFrame(points, columns=list(POINT_COLUMNS))
    points_frame["prev_year"] = points_frame["prev_year"].astype("Int64")
    for col in ("value", "change", "pct_change"):
        points_frame[col] = points_frame[col].astype("float64")
    points_frame["approx"] = points_frame["approx"].astype(bool)
    spans_frame = pd.DataFrame(spans, columns=list(SPAN_COLUMNS))
    for col in ("first_value", "last_value", "span_change", "span_pct_change", "change_per_year"):
        spans_frame[col] = spans_frame[col].astype("float64")
    return {"points": points_frame.reset_index(drop=True), "spans": spans_frame.reset_index(drop=True)}


def _span_note(rows: list[dict[str, Any]], issuers: list[str]) -> str:
    """Which years come from which issuer, when more than one reported the series."""
    if len(issuers) < 2:
        return ""
    runs: list[tuple[str, list[int]]] = []
    for r in rows:
        if runs and runs[-1][0] == r["issuer"]:
            runs[-1][1].append(r["year"])
        else:
            runs.append((r["issuer"], [r["year"]]))
    parts = [f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年" for _, years in runs]
    return "发布机关有变化：" + "，".join(f"{p}来自{issuer}" for p, (issuer, _) in zip(parts, runs, strict=True)) + "；口径可能不同。"
