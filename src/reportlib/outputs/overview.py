"""The corpus at a glance: one row per report (the table expert evaluations build by hand) and
which regions have reports for which years.

:func:`corpus_overview` judges every report with the same rules as its profile page
(:func:`reportlib.outputs.analysis.timeliness`, :func:`~reportlib.outputs.analysis.required_parts`,
:func:`~reportlib.outputs.analysis.addressee_check`); :func:`coverage_grid` is the region × year grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pandas as pd

from reportlib.corpus.reader import Corpus
from reportlib.outputs.analysis import (
    LEVEL_ZH,
    PARTS,
    addressee_check,
    report_label,
    report_text,
    required_parts,
    timeliness,
)

__all__ = [
    "OVERVIEW_LABELS",
    "PART_SHORT",
    "TIMELINESS_ZH",
    "addressee_verdict",
    "corpus_overview",
    "coverage_grid",
    "overview_summary",
]

#: 按时 / 逾期 / 无法判断, from :func:`reportlib.outputs.analysis.timeliness` ``status``.
TIMELINESS_ZH = {"on_time": "按时", "late": "逾期", "unknown": "无法判断"}
#: How a required part shows in the one-row-per-report table.
PART_STATUS_ZH = {"present": "有", "in_text": "提及", "missing": "未见"}
#: Column name of each required part in the overview (``part_measures`` …) → short Chinese header.
PART_SHORT = {
    "measures": "主要举措和成效",
    "shortcomings": "不足和原因",
    "leaders": "第一责任人职责",
    "plans": "下一年度安排",
    "other": "其他情况",
}
_KIND_ZH = {"government": "人民政府", "department": "政府部门", "party_government": "党委政府联合", "": "未识别"}

#: Chinese headers of the overview's own columns (the rest come from :data:`reportlib.outputs.analysis.LABELS`).
OVERVIEW_LABELS: dict[str, str] = {
    "label": "报告",
    "province": "省份",
    "city": "城市",
    "level_zh": "层级",
    "issuer_kind_zh": "机关类型",
    "deadline": "截止日期",
    "timeliness": "是否按时",
    "days_late": "逾期天数",
    "timeliness_note": "按时说明",
    "parts_missing": "缺少的必备内容数",
    "addressees_verdict": "主送抄送",
    "addressees_note": "主送抄送说明",
    "n_metrics": "指标数",
    "n_failed_checks": "未通过检查数",
    "profile": "报告概况页",
    **{f"part_{part}": short for part, short in PART_SHORT.items()},
}

OVERVIEW_COLUMNS = (
    "label", "province", "city", "region", "region_code", "level_zh", "issuer", "issuer_kind_zh", "report_year",
    "doc_number", "published_date", "issued_date", "deadline", "timeliness", "days_late", "timeliness_note",
    *(f"part_{part}" for part in PART_SHORT), "parts_missing", "addressees_verdict", "addressees_note",
    "n_metrics", "n_failed_checks", "profile", "report_id", "source",
)


def addressee_verdict(report: Mapping[str, Any]) -> tuple[str, str]:
    """``(verdict, note)`` for the addressees the rules expect of the issuer's kind.

    >>> addressee_verdict({"issuer_kind": "government", "addressees": "区委、区人大常委会"})
    ('符合', '同级党委：主送区委；同级人大常委会：主送区人大常委会')
    >>> addressee_verdict({"issuer_kind": "government", "addressees": "区委"})
    ('缺少', '未见同级人大常委会')
    >>> addressee_verdict({"issuer_kind": "party_government", "addressees": ""})[0]
    '不作判断'
    >>> addressee_verdict({"issuer_kind": "department", "issuer": "某市司法局", "level": "city", "addressees": "", "cc": ""})[0]
    '无法判断'
    """
    check = addressee_check(report)
    if check.empty:
        kind = str(report.get("issuer_kind") or "")
        why = "党委政府联合报告，规定未明确主送对象" if kind == "party_government" else "发布机关类型未识别"
        return "不作判断", why
    status = check["status"] if "status" in check.columns else pd.Series("", index=check.index)
    if (status == "无法判断").all():  # a web reprint without its 主送/抄送 block: the text cannot tell
        return "无法判断", str(check["evidence"].iloc[0] or "原文未见主送、抄送栏，无法判断")
    lacking = check.loc[~check["found"] & (status != "无法判断"), "expected"].tolist()
    if lacking:
        return "缺少", "未见" + "、".join(lacking)
    return "符合", "；".join(f"{r.expected}：{r.where}{r.evidence}" for r in check.itertuples(index=False))


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def corpus_overview(corpus: Corpus, deadline: str = "04-01", *, read_text: bool = True,
                    profile_href: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per report: where and who, year, 文号, dates and 按时/逾期/无法判断, each of the five
    required parts (有 / 提及 / 未见), the addressees against the rules, number of metrics and of
    failed checks, and the file name of its profile page (``profile``).

    ``read_text`` lets required parts be found in the report's text as on the profile page (the
    source files are read); ``profile_href`` maps report ids to their profile pages (a report
    not in it gets an empty ``profile``). Sorted by province, city, region, year, issuer.
    """
    reports = corpus.reports
    sections = dict(tuple(corpus.sections.groupby("report_id", sort=False)))
    empty_sections = corpus.sections.iloc[0:0]
    metrics = corpus.metrics.groupby("report_id").size()
    checks = corpus.checks
    failed = checks[checks["status"] != "pass"].groupby("report_id").size()
    rows = []
    for report in reports.to_dict("records"):
        rid = str(report["report_id"])
        when = timeliness(report, deadline)
        text = report_text(report) if read_text else None
        # required_parts reads only ``.sections``: hand it this report's rows, not the whole corpus.
        parts = required_parts(rid, SimpleNamespace(sections=sections.get(rid, empty_sections)), text)  # type: ignore[arg-type]
        status = dict(zip(parts["part"], parts["status"], strict=True))
        verdict, note = addressee_verdict(report)
        year = report.get("report_year")
        rows.append({
            "label": report_label(report),
            "province": _text(report.get("province")),
            "city": _text(report.get("city")),
            "region": _text(report.get("region")),
            "region_code": _text(report.get("region_code")),
            "level_zh": LEVEL_ZH.get(_text(report.get("level")), _text(report.get("level"))),
            "issuer": _text(report.get("issuer")),
            "issuer_kind_zh": _KIND_ZH.get(_text(report.get("issuer_kind")), _text(report.get("issuer_kind"))),
            "report_year": None if year is None or pd.isna(year) else int(year),
            "doc_number": _text(report.get("doc_number")),
            "published_date": _text(report.get("published_date")),
            "issued_date": _text(report.get("issued_date")),
            "deadline": when["deadline"],
            "timeliness": TIMELINESS_ZH[when["status"]],
            "days_late": when["days_late"] if when["status"] == "late" else None,
            "timeliness_note": when["text"],
            **{f"part_{part}": PART_STATUS_ZH[status.get(part, "missing")] for part, *_ in PARTS},
            "parts_missing": sum(s == "missing" for s in status.values()),
            "addressees_verdict": verdict,
            "addressees_note": note,
            "n_metrics": int(metrics.get(rid, 0)),
            "n_failed_checks": int(failed.get(rid, 0)),
            "profile": (profile_href or {}).get(rid, ""),
            "report_id": rid,
            "source": _text(report.get("source")),
        })
    frame = pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))
    frame["report_year"] = frame["report_year"].astype("Int64")
    frame["days_late"] = frame["days_late"].astype("Int64")
    order = frame.assign(_y=frame["report_year"].fillna(0))
    order = order.sort_values(["province", "city", "region_code", "_y", "issuer", "report_id"], kind="stable")
    return order.drop(columns="_y").reset_index(drop=True)


def coverage_grid(reports: pd.DataFrame) -> pd.DataFrame:
    """Region × year: the number of reports each region has for each year (0 = none).

    Columns: ``province, city, region, region_code, level_zh``, one column per year (as text,
    ``"2023"``), ``n_years`` and ``n_reports``. Reports without a region or year are left out.

    >>> r = pd.DataFrame({"province": ["福建省"] * 3, "city": ["泉州市"] * 3, "region": ["鲤城区", "鲤城区", "南安市"],
    ...                   "region_code": ["350502", "350502", "350583"], "level": ["county"] * 3,
    ...                   "report_year": [2023, 2024, 2024]})
    >>> coverage_grid(r)[["region", "2023", "2024", "n_years"]].values.tolist()
    [['鲤城区', 1, 1, 2], ['南安市', 0, 1, 1]]
    """
    dated = reports[(reports["region_code"].astype(str) != "") & reports["report_year"].notna()].copy()
    keys = ["province", "city", "region", "region_code"]
    base = ["province", "city", "region", "region_code", "level_zh"]
    if dated.empty:
        return pd.DataFrame(columns=[*base, "n_years", "n_reports"])
    dated["year"] = dated["report_year"].astype(int).astype(str)
    for col in keys:
        dated[col] = dated[col].map(_text)
    dated["level_zh"] = dated["level"].map(lambda v: LEVEL_ZH.get(_text(v), _text(v)))
    names = dated.drop_duplicates("region_code").set_index("region_code")
    grid = dated.pivot_table(index="region_code", columns="year", values="report_id" if "report_id" in dated else "region",
                             aggfunc="size", fill_value=0)
    years = sorted(grid.columns)
    grid = grid[years].astype(int)
    out = names.loc[grid.index, ["province", "city", "region", "level_zh"]].reset_index()
    out = pd.concat([out, grid.reset_index(drop=True)], axis=1)
    out["n_years"] = (grid.to_numpy() > 0).sum(axis=1)
    out["n_reports"] = grid.to_numpy().sum(axis=1)
    out = out[[*base, *years, "n_years", "n_reports"]]
    out.columns.name = None
    return out.sort_values(["province", "city", "region_code"], kind="stable").reset_index(drop=True)


def overview_summary(overview: pd.DataFrame, grid: pd.DataFrame) -> list[str]:
    """Chinese sentences for the top of the overview page.

    >>> o = pd.DataFrame({"timeliness": ["按时", "逾期"], "parts_missing": [0, 2], "addressees_verdict": ["符合", "缺少"],
    ...                   "n_failed_checks": [0, 1]})
    >>> overview_summary(o, pd.DataFrame({"region_code": ["1"], "n_years": [2]}))[0]
    '共2份报告，涉及1个地区；其中1个地区有两年及以上的报告。'
    """
    n = len(overview)
    if n == 0:
        return ["没有读到报告。"]
    counts = overview["timeliness"].value_counts()
    multi = int((grid["n_years"] >= 2).sum()) if len(grid) else 0
    lines = [
        f"共{n}份报告，涉及{len(grid)}个地区；其中{multi}个地区有两年及以上的报告。",
        "是否按时公开：" + "，".join(f"{label}{int(counts.get(label, 0))}份" for label in TIMELINESS_ZH.values()) + "。",
        f"五项必备内容齐全的{int((overview['parts_missing'] == 0).sum())}份，缺少至少一项的{int((overview['parts_missing'] > 0).sum())}份。",
        f"主送抄送符合要求的{int((overview['addressees_verdict'] == '符合').sum())}份，"
        f"有缺少的{int((overview['addressees_verdict'] == '缺少').sum())}份，"
        f"原文无主送抄送栏、无法判断的{int((overview['addressees_verdict'] == '无法判断').sum())}份，"
        f"不作判断的{int((overview['addressees_verdict'] == '不作判断').sum())}份。",
        f"有未通过或需复核的一致性检查的报告{int((overview['n_failed_checks'] > 0).sum())}份。",
    ]
    return lines


def quality_on_page(q: Mapping[str, pd.DataFrame], most_reports: int = 40, most_rows: int = 200) -> dict[str, Any]:
    """What the parse-quality page shows of :func:`reportlib.outputs.analysis.quality`, so the page stays
    small at thousands of reports (the workbook keeps every row).

    Tables are cut to their first ``most_rows`` rows, with a Chinese note saying so in ``notes``.
    Past ``most_reports`` reports the indicator × report matrix becomes one count per indicator
    and the per-report chart (``chart``: the reports, else None) gives way to ``histogram``: how
    many reports have how many metrics.

    >>> q = {"reports": pd.DataFrame({"n_metrics": [3, 3, 5]}), "coverage": pd.DataFrame(
    ...     {"indicator_name": ["法律援助案件"], "reports_with_value": [2], "a": ["1件"], "b": ["2件"], "c": [""]}),
    ...     "problems": pd.DataFrame(), "checks": pd.DataFrame(), "unpromoted": pd.DataFrame({"raw": ["1件"] * 5})}
    >>> page = quality_on_page(q, most_reports=2, most_rows=4)
    >>> list(page["coverage"].columns), page["chart"] is None, page["histogram"].values.tolist()
    (['indicator_name', 'reports_with_value'], True, [[3, 2], [5, 1]])
    >>> len(page["unpromoted"]), page["notes"]["unpromoted"]
    (4, '共5行，此处列出前4行；全部见 Excel 工作簿。')
    """
    n_reports = len(q["reports"])
    out: dict[str, Any] = {"notes": {}}
    for name in ("reports", "problems", "checks", "unpromoted"):
        frame = q[name]
        out[name] = frame.head(most_rows)
        out["notes"][name] = f"共{len(frame):,}行，此处列出前{most_rows}行；全部见 Excel 工作簿。" if len(frame) > most_rows else ""
    small = n_reports <= most_reports
    out["coverage"] = q["coverage"] if small else q["coverage"][["indicator_name", "reports_with_value"]]
    out["notes"]["coverage"] = "" if small else f"{n_reports:,}份报告：此处只列每项指标有数值的报告数，指标 × 报告的原文数值见 Excel 工作簿。"
    out["chart"] = q["reports"] if small else None
    counts = q["reports"]["n_metrics"].value_counts().sort_index() if "n_metrics" in q["reports"] else pd.Series(dtype=int)
    out["histogram"] = pd.DataFrame({"n_metrics": counts.index.astype(int), "n_reports": counts.to_numpy().astype(int)})
    return out
