"""The run plan of a build: which notebook runs, with which parameters, under which file name.

Derived from the corpus alone: one parse-quality run, one corpus overview, one year-over-year run
per region with reports for two or more years, one multi-year trend per region with three or
more, one cross-district run per year with two or more regions and one profile per report. File
names are the ones staff recognise — region, years and issuer — and depend on the corpus alone,
so they stay the same from build to build: ``解析质量``, ``报告一览``, ``同比_鲤城区_2023-2024``,
``趋势_鲤城区_2021-2024``, ``横向比较_2023``, ``报告概况_鲤城区_2023_泉州市鲤城区司法局``. Where two
regions share a name the division code is added; where two reports would share a name, the report id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from reportlib.corpus.reader import Corpus
from reportlib.corpus.slices import slice_ids
from reportlib.outputs.analysis import report_label

__all__ = ["OVERVIEW_NAME", "QUALITY_NAME", "Run", "cross_name", "derive_plan", "file_stem", "profile_name", "safe_name",
           "trend_name", "yoy_name"]

#: A region needs reports for this many years to get a multi-year trend run.
TREND_MIN_YEARS = 3

QUALITY_NAME = "解析质量"
OVERVIEW_NAME = "报告一览"
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def safe_name(text: str) -> str:
    """``text`` reduced to ``[A-Za-z0-9._-]`` for a file name.

    >>> safe_name("350502"), safe_name("鲤城区 2023"), safe_name("a/b")
    ('350502', '2023', 'a-b')
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return name if name and not name.startswith("-") and re.match(r"[A-Za-z0-9]", name) else "x-" + name


def file_stem(*parts: Any) -> str:
    """A file name (without extension) from ``parts`` joined by ``_``: Chinese kept, characters
    that file systems or shells trip on dropped.

    >>> file_stem("同比", "鲤城区", "2023-2024"), file_stem("报告概况", "鲤城区", 2023, "泉州市 鲤城区/司法局")
    ('同比_鲤城区_2023-2024', '报告概况_鲤城区_2023_泉州市鲤城区司法局')
    >>> file_stem("报告概况", "", None, "x")
    '报告概况_x'
    """
    cleaned = [_NOT_IN_NAMES.sub("", str(p)).strip(".") for p in parts if p is not None and str(p) != ""]
    return "_".join(p for p in cleaned if p)[:120] or "报告"


def yoy_name(region_code: str, region: str = "", years: tuple[int, int] | None = None) -> str:
    """``同比_鲤城区_2023-2024`` (with region name and years), else ``同比_350502``."""
    if region and years:
        return file_stem("同比", region, f"{int(years[0])}-{int(years[1])}")
    return file_stem("同比", region or region_code)


def trend_name(region_code: str, region: str = "", years: tuple[int, int] | None = None) -> str:
    """``趋势_鲤城区_2021-2024`` (with region name and first and last year), else ``趋势_350502``."""
    if region and years:
        return file_stem("趋势", region, f"{int(years[0])}-{int(years[1])}")
    return file_stem("趋势", region or region_code)


def cross_name(year: int) -> str:
    """``横向比较_2023``."""
    return file_stem("横向比较", int(year))


def profile_name(report_id: str, report: dict[str, Any] | None = None) -> str:
    """``报告概况_鲤城区_2023_泉州市鲤城区司法局`` for a report row, else ``报告概况_a17f6c7e72e8``."""
    if report:
        year = report.get("report_year")
        year = None if year is None or pd.isna(year) else int(year)
        stem = file_stem("报告概况", report.get("region") or "", year, report.get("issuer") or "")
        if stem != "报告概况":
            return stem
    return file_stem("报告概况", report_id)


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
    per region, cross-district, profiles).

    Each run's parameters carry ``output_name``, the run's name, so that the notebook names its
    workbook as the build names the page."""
    reports = corpus.reports
    runs = [
        Run(QUALITY_NAME, "parse_quality.ipynb", "解析质量",
            f"{len(reports)}份报告读到了什么：各报告的指标覆盖、问题、未通过的一致性检查、未采用的数字。",
            "总览", {"output_name": QUALITY_NAME}),
        Run(OVERVIEW_NAME, "corpus_overview.ipynb", "报告一览",
            f"{len(reports)}份报告一表：是否按时公开、五项必备内容、主送抄送、指标数、未通过的检查，链接各报告概况；地区 × 年度覆盖情况。",
            "总览", {"output_name": OVERVIEW_NAME}),
    ]
    dated = reports[(reports["region_code"] != "") & reports["report_year"].notna()]
    shared_names = {name for name, codes in dated.groupby("region")["region_code"].nunique().items() if codes > 1}
    for code, group in sorted(dated.groupby("region_code"), key=lambda kv: kv[0]):
        years = sorted({int(y) for y in group["report_year"]})
        if len(years) < 2:
            continue
        region = str(group.iloc[0]["region"])
        shown = f"{region}{code}" if region in shared_names else region
        issuers = "、".join(dict.fromkeys(group.sort_values("report_year")["issuer"]))
        name = yoy_name(code, shown, (years[-2], years[-1]))
        runs.append(Run(
            name, "year_over_year.ipynb", f"同比：{region} {years[-2]}→{years[-1]}",
            f"{region}（{code}）{years[-2]}年与{years[-1]}年共有指标的增减、变化率和两年原文依据；来源：{issuers}。",
            "同比分析", {"region": code, "output_name": name},
        ))
        if len(years) >= TREND_MIN_YEARS:
            trend = trend_name(code, shown, (years[0], years[-1]))
            runs.append(Run(
                trend, "region_trend.ipynb", f"多年趋势：{region} {years[0]}–{years[-1]}",
                f"{region}（{code}）{len(years)}个年度各指标的逐年数值、逐年和全期变化及每个数值的原文依据；来源：{issuers}。",
                "多年趋势", {"region": code, "output_name": trend},
            ))
    for year, group in sorted(dated.groupby(dated["report_year"].astype(int)), key=lambda kv: kv[0]):
        regions = list(dict.fromkeys(group.sort_values("region_code")["region"]))
        if group["region_code"].nunique() < 2:
            continue
        runs.append(Run(
            cross_name(year), "cross_district.ipynb", f"横向比较：{int(year)}年",
            f"{int(year)}年{_some(regions)}的共有指标并列；同一层级、同类发布机关的地区之间排名，附每万人数值（人口数据年份与来源）。",
            "横向比较", {"year": int(year), "output_name": cross_name(year)},
        ))
    ordered = reports.assign(_y=reports["report_year"].fillna(0)).sort_values(["region_code", "_y", "report_id"])
    records = ordered.to_dict("records")
    stems = [profile_name(str(r["report_id"]), r) for r in records]
    for r, stem in zip(records, stems, strict=True):
        label = report_label(r)
        year = r.get("report_year")
        name = stem if stems.count(stem) == 1 else file_stem(stem, r["report_id"])
        runs.append(Run(
            name, "report_profile.ipynb", f"报告概况：{label}",
            f"《{r['title'] or r['source']}》：基本信息、是否按时公开、五项必备内容、主送抄送、提纲、提取的指标"
            + ("" if year is None or pd.isna(year) else f"（{int(year)}年度）") + "。",
            "报告概况", {"report_id": str(r["report_id"]), "output_name": name},
        ))
    return runs


def run_reports(run: Run, reports: pd.DataFrame) -> list[str] | None:
    """The report ids a run reads (None: every report, e.g. the parse-quality run): its slice,
    as :func:`reportlib.corpus.slices.slice_ids` defines it (one rule for what a run reads).

    The build keys a run's cache entry on these reports and their corrections, so a correction
    reruns only the runs that show it.
    """
    ids = slice_ids(run, reports)
    return None if ids is None else sorted(ids)
