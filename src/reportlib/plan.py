"""The run plan of a build: which notebook runs, with which parameters, under which file name.

Derived from the corpus alone: one parse-quality run, one corpus overview, one year-over-year run
per region with reports for two or more years, one multi-year trend per region with three or
more, one cross-district run per year with two or more regions and one profile per report. File
names are ASCII and deterministic (``year_over_year-350502``, ``region_trend-350502``,
``cross_district-2023``, ``report_profile-a17f6c7e72e8``, ``parse_quality``, ``corpus_overview``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from reportlib.analysis import report_label
from reportlib.corpus import Corpus

__all__ = ["OVERVIEW_NAME", "QUALITY_NAME", "Run", "cross_name", "derive_plan", "profile_name", "safe_name", "trend_name",
           "yoy_name"]

#: A region needs reports for this many years to get a multi-year trend run.
TREND_MIN_YEARS = 3

QUALITY_NAME = "parse_quality"
OVERVIEW_NAME = "corpus_overview"


def safe_name(text: str) -> str:
    """``text`` reduced to ``[A-Za-z0-9._-]`` for a file name.

    >>> safe_name("350502"), safe_name("鲤城区 2023"), safe_name("a/b")
    ('350502', '2023', 'a-b')
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return name if name and not name.startswith("-") and re.match(r"[A-Za-z0-9]", name) else "x-" + name


def yoy_name(region_code: str) -> str:
    """``year_over_year-350502``."""
    return f"year_over_year-{safe_name(region_code)}"


def trend_name(region_code: str) -> str:
    """``region_trend-350502``."""
    return f"region_trend-{safe_name(region_code)}"


def cross_name(year: int) -> str:
    """``cross_district-2023``."""
    return f"cross_district-{int(year)}"


def profile_name(report_id: str) -> str:
    """``report_profile-a17f6c7e72e8``."""
    return f"report_profile-{safe_name(report_id)}"


def _some(names: list[str], most: int = 8) -> str:
    """Names joined with 、, at most ``most`` of them (an index line stays short at thousands of regions).

    >>> _some(["鲤城区", "南安市"]), _some([f"{i}区" for i in range(10)], 3)
    ('鲤城区、南安市', '0区、1区、2区等10个地区')
    """
    return "、".join(names) if len(names) <= most else "、".join(names[:most]) + f"等{len(names)}个地区"


@dataclass(frozen=True)
class Run:
    """One notebook run: ``notebook`` (file in ``notebooks/``) with ``parameters``, output stem ``name``."""

    name: str
    notebook: str
    title: str
    description: str
    group: str
    parameters: dict[str, Any] = field(default_factory=dict)


def derive_plan(corpus: Corpus) -> list[Run]:
    """Every run the corpus calls for, in a stable order (quality, overview, year over year and trend
    per region, cross-district, profiles)."""
    reports = corpus.reports
    runs = [
        Run(QUALITY_NAME, "parse_quality.ipynb", "解析质量",
            f"{len(reports)}份报告读到了什么：各报告的指标覆盖、问题、未通过的一致性检查、未采用的数字。",
            "总览", {}),
        Run(OVERVIEW_NAME, "corpus_overview.ipynb", "报告一览",
            f"{len(reports)}份报告一表：是否按时公开、五项必备内容、主送抄送、指标数、未通过的检查，链接各报告概况；地区 × 年度覆盖情况。",
            "总览", {}),
    ]
    dated = reports[(reports["region_code"] != "") & reports["report_year"].notna()]
    for code, group in sorted(dated.groupby("region_code"), key=lambda kv: kv[0]):
        years = sorted({int(y) for y in group["report_year"]})
        if len(years) < 2:
            continue
        region = str(group.iloc[0]["region"])
        issuers = "、".join(dict.fromkeys(group.sort_values("report_year")["issuer"]))
        runs.append(Run(
            yoy_name(code), "year_over_year.ipynb", f"同比：{region} {years[-2]}→{years[-1]}",
            f"{region}（{code}）{years[-2]}年与{years[-1]}年共有指标的增减、变化率和两年原文依据；来源：{issuers}。",
            "同比分析", {"region": code},
        ))
        if len(years) >= TREND_MIN_YEARS:
            runs.append(Run(
                trend_name(code), "region_trend.ipynb", f"多年趋势：{region} {years[0]}–{years[-1]}",
                f"{region}（{code}）{len(years)}个年度各指标的逐年数值、逐年和全期变化及每个数值的原文依据；来源：{issuers}。",
                "多年趋势", {"region": code},
            ))
    for year, group in sorted(dated.groupby(dated["report_year"].astype(int)), key=lambda kv: kv[0]):
        regions = list(dict.fromkeys(group.sort_values("region_code")["region"]))
        if group["region_code"].nunique() < 2:
            continue
        runs.append(Run(
            cross_name(year), "cross_district.ipynb", f"横向比较：{int(year)}年",
            f"{int(year)}年{_some(regions)}的共有指标并列、排名和每万人数值（附人口数据年份与来源）。",
            "横向比较", {"year": int(year)},
        ))
    ordered = reports.assign(_y=reports["report_year"].fillna(0)).sort_values(["region_code", "_y", "report_id"])
    for r in ordered.to_dict("records"):
        label = report_label(r)
        year = r.get("report_year")
        runs.append(Run(
            profile_name(str(r["report_id"])), "report_profile.ipynb", f"报告概况：{label}",
            f"《{r['title'] or r['source']}》：基本信息、是否按时公开、五项必备内容、主送抄送、提纲、提取的指标"
            + ("" if year is None or pd.isna(year) else f"（{int(year)}年度）") + "。",
            "报告概况", {"report_id": str(r["report_id"])},
        ))
    return runs
