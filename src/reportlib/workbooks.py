"""The staff workbook of each analysis: which sheets, Chinese headers, formats, chart and 说明 rows.

Built on :mod:`reportlib.excel` (which handles layout and keeps report text from becoming a
formula); this module only decides what goes where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from reportlib.analysis import LABELS, readable_codes, report_label
from reportlib.excel import EXCEL_MAX_ROWS, ChartSpec, ColumnFormat, Sheet, write_workbook

__all__ = [
    "cross_district_workbook",
    "metrics_workbook",
    "profile_workbook",
    "quality_workbook",
    "sources_text",
    "year_over_year_workbook",
]

_TEXT = ColumnFormat(kind="text")
_DIRECTION_ZH = {"up": "上升", "down": "下降", "flat": "持平"}


def _fmt(label_key: str, kind: str | None = None, **kw: Any) -> ColumnFormat:
    return ColumnFormat(LABELS.get(label_key, label_key), kind=kind, **kw)  # type: ignore[arg-type]


def _columns(frame: pd.DataFrame, special: Mapping[str, ColumnFormat] | None = None) -> dict[str, ColumnFormat]:
    """A ColumnFormat for every column: Chinese label, text for identifiers, given overrides."""
    special = dict(special or {})
    out: dict[str, ColumnFormat] = {}
    for col in frame.columns:
        if col in special:
            out[col] = special[col]
        elif col in ("region_code", "report_id", "prev_report_id", "cur_report_id", "indicator", "section_id", "parent_id"):
            out[col] = ColumnFormat(LABELS.get(col, col), kind="text")
        else:
            out[col] = ColumnFormat(LABELS.get(col, col))
    return out


def sources_text(reports: pd.DataFrame, report_ids: Iterable[str] | None = None) -> str:
    """One line per report used: file name, issuer, title, year."""
    frame = reports if report_ids is None else reports[reports["report_id"].isin(list(report_ids))]
    lines = [f"{r['source']} — {r['issuer']}《{r['title']}》（{report_label(r)}）" for r in frame.to_dict("records")]
    return "\n".join(lines) or "（无）"


def _sources_or_count(reports: pd.DataFrame, most: int = 50) -> str:
    """:func:`sources_text`, or for a large corpus (which would not fit in one cell) how many
    reports there are and where they are listed."""
    if len(reports) <= most:
        return sources_text(reports)
    return f"{len(reports):,}份报告，逐份列在“报告”工作表（来源文件、发布机关、标题、年度）。"


def _about(title: str, what: str, sources: str, parameters: Mapping[str, Any], how: str,
           extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    params = "；".join(f"{k} = {v!r}" for k, v in parameters.items()) or "（默认）"
    return [
        ("内容", what),
        ("数据来源", sources),
        *extra,
        ("参数", params),
        ("生成日期", dt.date.today().isoformat()),
        ("阅读说明", how),
        ("生成工具", "reportlib（法治政府建设年度报告解析）；数值均可在“依据（原文句子）”列找到原文"),
    ]


def _write(dest: str | os.PathLike[str], sheets: list[Sheet], about: list[tuple[str, str]], title: str) -> Path:
    sheets = [dataclasses.replace(sheet, frame=readable_codes(sheet.frame)) for sheet in sheets]
    return write_workbook(dest, sheets, about, title, timestamp=dt.date.today())


def year_over_year_workbook(yoy: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                            parameters: Mapping[str, Any] | None = None) -> Path:
    """同比 workbook: 说明, 同比 (one row per indicator, evidence columns, up/down colours, chart of
    the percent change), 数据来源."""
    frame = yoy.assign(direction=yoy["direction"].map(_DIRECTION_ZH).fillna(""))
    order = ["region", "indicator_name", "prev_year", "prev_value", "cur_year", "cur_value", "abs_change", "change_unit",
             "pct_change", "unit", "direction", "narrative", "prev_raw", "cur_raw", "prev_sentence", "cur_sentence",
             "scope_note", "prev_issuer", "cur_issuer", "prev_source", "cur_source", "prev_approx", "cur_approx",
             "region_code", "indicator", "prev_report_id", "cur_report_id"]
    frame = frame[order]
    wide = ColumnFormat(width=50, wrap=True)
    formats = _columns(frame, {
        "prev_value": _fmt("prev_value", "number"), "cur_value": _fmt("cur_value", "number"),
        "abs_change": _fmt("abs_change", "number"), "pct_change": _fmt("pct_change", "percent", decimals=1),
        "prev_sentence": ColumnFormat(LABELS["prev_sentence"], "text", width=wide.width, wrap=True),
        "cur_sentence": ColumnFormat(LABELS["cur_sentence"], "text", width=wide.width, wrap=True),
        "narrative": ColumnFormat(LABELS["narrative"], "text", width=40, wrap=True),
        "scope_note": ColumnFormat(LABELS["scope_note"], "text", width=40, wrap=True),
        "prev_raw": _fmt("prev_raw", "text"), "cur_raw": _fmt("cur_raw", "text"),
    })
    region = ", ".join(dict.fromkeys(yoy["region"])) or str((parameters or {}).get("region", ""))
    years = f"{yoy['prev_year'].min()}→{yoy['cur_year'].max()}" if len(yoy) else ""
    title = f"法治政府建设年度报告 同比分析：{region} {years}".strip()
    used = set(yoy["prev_report_id"]) | set(yoy["cur_report_id"])
    sheet = Sheet(
        "同比", frame, columns=formats,
        chart=ChartSpec("bar", "indicator_name", ("pct_change",), "变化率（%）", horizontal=True),
        highlight_change=("abs_change", "pct_change"),
        description="每行一个指标：上期与本期数值、增减、变化率（比率类指标以百分点计，不计变化率）、文字说明、两年原文句子和口径说明。",
    )
    src = reports[reports["report_id"].isin(used)][["report_year", "issuer", "title", "source", "issued_date", "published_date", "report_id"]]
    sources = Sheet("数据来源", src.reset_index(drop=True), columns=_columns(src), description="本表所用报告。")
    about = _about(
        title, "同一地区相邻两个年度报告中共同出现的指标的变化。", sources_text(reports, used), parameters or {},
        "“增减”=本期−上期；“变化率（%）”=增减÷上期×100，绿色为上升、红色为下降；比率类指标（%）的增减单位为百分点。"
        "两年数据来自不同发布机关时见“口径说明”；“约数”表示原文用了约、余、多等字样。",
    )
    return _write(dest, [sheet, sources], about, title)


def cross_district_workbook(cross: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                            parameters: Mapping[str, Any] | None = None, chart_indicator: str | None = None,
                            population_source: str = "data/population.csv") -> Path:
    """横向比较 workbook: 说明, 横向比较 (long: region × indicator with rank, per 10,000 and notes),
    对比表 (indicator × region values), 图表 (one indicator, native chart), 数据来源."""
    year = int(cross["year"].iloc[0]) if len(cross) else (parameters or {}).get("year", "")
    order = ["indicator_name", "region", "value", "unit", "rank", "n_regions", "per_10k", "population", "population_year",
             "per_capita_note", "population_source", "population_note", "level_note", "raw", "approx", "sentence", "issuer",
             "level", "source", "region_code", "indicator", "report_id"]
    frame = cross[order]
    formats = _columns(frame, {
        "value": _fmt("value", "number"), "per_10k": _fmt("per_10k", "number", decimals=2),
        "population": _fmt("population", "int"), "population_year": _fmt("population_year", "plain"),
        "rank": _fmt("rank", "int"), "n_regions": _fmt("n_regions", "int"),
        "sentence": ColumnFormat(LABELS["sentence"], "text", width=50, wrap=True),
        "raw": _fmt("raw", "text"),
    })
    sheets = [Sheet("横向比较", frame, columns=formats,
                    description="每行一个地区的一个指标：数值、排名（数值从大到小）、每万人数值及所用人口年份、层级说明和原文句子。")]
    if len(cross):
        wide = cross.pivot_table(index="indicator_name", columns="region", values="value", aggfunc="first", sort=False)
        wide = wide.reset_index()
        wide_formats = {c: ColumnFormat(kind="number") for c in wide.columns if c != "indicator_name"}
        wide_formats["indicator_name"] = ColumnFormat("指标", "text")
        sheets.append(Sheet("对比表", wide, columns=wide_formats, description="指标 × 地区的数值（单位见“横向比较”表）。"))
        chosen = chart_indicator if chart_indicator in set(cross["indicator"]) else _most_reported(cross)
        part = cross[cross["indicator"] == chosen][["region", "value", "per_10k", "unit", "indicator_name"]].reset_index(drop=True)
        name, unit = part["indicator_name"].iloc[0], part["unit"].iloc[0]
        sheets.append(Sheet(
            "图表", part, columns=_columns(part, {"value": _fmt("value", "number"), "per_10k": _fmt("per_10k", "number", decimals=2)}),
            chart=ChartSpec("bar", "region", ("value",), f"{year}年{name}（{unit}）", horizontal=True),
            description=f"{name}：各地区数值的条形图。",
        ))
    used = set(cross["report_id"])
    src = reports[reports["report_id"].isin(used)][["region", "level", "report_year", "issuer", "title", "source", "report_id"]]
    sheets.append(Sheet("数据来源", src.reset_index(drop=True), columns=_columns(src), description="本表所用报告。"))
    pops = cross.drop_duplicates("region_code")[["region", "population", "population_year", "population_source", "population_note"]]
    pop_text = "\n".join(f"{r.region}：{'' if pd.isna(r.population) else int(r.population)}人（{'' if pd.isna(r.population_year) else int(r.population_year)}年，{r.population_source}）"
                         + (f"；{r.population_note}" if r.population_note else "") for r in pops.itertuples()) or "（无）"
    title = f"法治政府建设年度报告 横向比较：{year}年"
    about = _about(
        title, f"{year}年各地区报告中共同出现的指标并列比较。", sources_text(reports, used), parameters or {},
        "“排名”按数值从大到小；“每万人”=数值÷常住人口×10000，人口取与报告年度最接近的年份（见“人口年份”），比率类指标不折算；"
        "市级数据与区县数据不可直接比较（见“层级说明”）。",
        extra=[("人口数据", f"{population_source}（常住人口）：\n{pop_text}")],
    )
    return _write(dest, sheets, about, title)


def _most_reported(cross: pd.DataFrame) -> str:
    counts = cross.groupby("indicator", sort=False)["region_code"].nunique()
    return str(counts.idxmax())


def profile_workbook(profile: Mapping[str, Any], dest: str | os.PathLike[str], parameters: Mapping[str, Any] | None = None) -> Path:
    """报告概况 workbook: 说明, 基本信息, 必备内容, 主送抄送, 提纲, 指标, 检查."""
    report = profile["report"]
    parts = profile["parts"][["part_name", "status_zh", "heading", "evidence"]]
    addressees = profile["addressees"]
    metrics = profile["metrics"]
    sheets = [
        Sheet("基本信息", profile["metadata"], columns={"field": "项目", "value": ColumnFormat("内容", "text", width=60, wrap=True)}),
        Sheet("必备内容", parts, columns=_columns(parts, {"evidence": ColumnFormat("依据", "text", width=60, wrap=True)}),
              description="reporting-rules.md 要求的五项内容是否具备、在哪个标题下。"),
        Sheet("主送抄送", addressees, columns=_columns(addressees), description="按发布机关类型应有的主送/抄送对象。"),
        Sheet("提纲", profile["outline"], columns=_columns(profile["outline"])),
        Sheet("指标", metrics, columns=_columns(metrics, {
            "value": _fmt("value", "number"), "raw": _fmt("raw", "text"),
            "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True),
            "reason": ColumnFormat(LABELS["reason"], "text", width=40, wrap=True)}),
              description="每项指标的数值、原文和所在句子（起止位置为原文字符偏移）。"),
        Sheet("检查", profile["checks"], columns=_columns(profile["checks"]), description="未通过或需复核的一致性检查。"),
    ]
    title = f"法治政府建设年度报告 报告概况：{profile['label']}"
    when = profile["timeliness"]
    about = _about(
        title, "一份报告的基本信息、公开是否及时、必备内容、主送抄送、提纲和提取的指标。",
        sources_text(pd.DataFrame([report])), parameters or {},
        "“必备内容”中“有（专门标题）”表示有对应的一级或二级标题，“有（正文或下级标题中提及）”表示只在正文或下级标题中出现。",
        extra=[("是否按时", when["text"]), ("小结", "\n".join(profile["summary"]))],
    )
    return _write(dest, sheets, about, title)


def quality_workbook(q: Mapping[str, pd.DataFrame], reports: pd.DataFrame, dest: str | os.PathLike[str],
                     parameters: Mapping[str, Any] | None = None) -> Path:
    """解析质量 workbook: 说明, 报告, 指标覆盖, 问题, 检查, 未采用数字."""
    coverage = q["coverage"]
    cov_formats = {c: ColumnFormat(kind="text") for c in coverage.columns}
    cov_formats["indicator_name"] = ColumnFormat("指标", "text")
    cov_formats["reports_with_value"] = ColumnFormat(LABELS["reports_with_value"], "int")
    sheets = [
        Sheet("报告", q["reports"], columns=_columns(q["reports"]), description="读到的报告和各自的标题数、数字数、指标数。"),
        Sheet("指标覆盖", coverage, columns=cov_formats, description="指标 × 报告：原文数值，空白表示该报告未提取到。"),
        Sheet("问题", q["problems"], columns=_columns(q["problems"]), description="无法读取或解析的输入及警告。"),
        Sheet("检查", q["checks"], columns=_columns(q["checks"]), description="未通过或需复核的一致性检查。"),
        Sheet("未采用数字", q["unpromoted"], columns=_columns(q["unpromoted"], {
            "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True), "raw": _fmt("raw", "text")}),
              description="识别为某指标但未作为该报告数值采用的数字（如下属单位、部分时段），附原因。"),
    ]
    title = "法治政府建设年度报告 解析质量"
    about = _about(title, "解析结果的完整性：每份报告提取了哪些指标，哪些数字未被采用，哪些检查未通过。",
                   _sources_or_count(reports), parameters or {}, "“未采用数字”的“说明”列给出原因；空白单元格表示未提取到。")
    return _write(dest, sheets, about, title)


def metrics_workbook(metrics: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                     max_rows: int = EXCEL_MAX_ROWS - 1) -> Path:
    """All metrics, one row per report × indicator with provenance (file, sentence, offsets).

    More than ``max_rows`` metrics (Excel's limit by default) are split over sheets 指标1, 指标2 …,
    and the 说明 sheet says so; ``metrics.csv`` next to the workbook holds them in one table."""
    order = ["region", "report_year", "issuer", "indicator_name", "value", "unit", "raw", "approx", "qualifier", "sentence",
             "section", "source", "start", "end", "confidence", "reason", "region_code", "indicator", "report_id"]
    frame = metrics[order].reset_index(drop=True)
    formats = _columns(frame, {
        "value": _fmt("value", "number"), "raw": _fmt("raw", "text"), "start": _fmt("start", "plain"), "end": _fmt("end", "plain"),
        "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True),
        "reason": ColumnFormat(LABELS["reason"], "text", width=40, wrap=True),
        "confidence": _fmt("confidence", "number", decimals=2),
    })
    src = reports[["region", "report_year", "issuer", "title", "doc_number", "issued_date", "published_date", "source", "report_id"]]
    what = "每份报告的每个指标一行：数值（金额为元，比率为百分数）、原文、所在句子、来源文件和字符位置。"
    parts = [frame.iloc[i : i + max_rows].reset_index(drop=True) for i in range(0, len(frame), max_rows)] or [frame]
    sheets = [Sheet("指标" if len(parts) == 1 else f"指标{n}", part, columns=formats,
                    description=what if len(parts) == 1 else f"第{n}部分（共{len(parts)}部分）：{what}")
              for n, part in enumerate(parts, start=1)]
    sheets.append(Sheet("报告", src.reset_index(drop=True), columns=_columns(src), description="全部报告。"))
    split = [] if len(parts) == 1 else [(
        "分表", f"共{len(frame):,}项指标，超过一张Excel工作表的行数上限，已按顺序分为{len(parts)}张工作表"
        f"（{'、'.join(s.name for s in sheets[:-1])}）；同目录下的 metrics.csv 为完整的一张表。")]
    title = "法治政府建设年度报告 全部指标"
    about = _about(title, "解析出的全部指标及其出处。", _sources_or_count(reports), {},
                   "“起始位置/结束位置”为原文（解码后）中的字符偏移，text[起始:结束] 即“原文数值”。", extra=split)
    return _write(dest, sheets, about, title)


def overview_workbook(overview: pd.DataFrame, grid: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                      parameters: Mapping[str, Any] | None = None, summary: Iterable[str] = ()) -> Path:
    """报告一览 workbook: 说明, 报告一览 (one row per report), 覆盖情况 (region × year)."""
    from reportlib.overview import OVERVIEW_LABELS

    labels = {**LABELS, **OVERVIEW_LABELS}
    formats = {col: ColumnFormat(labels.get(col, col)) for col in overview.columns}
    for col in ("region_code", "report_id", "doc_number", "profile", "source", "timeliness_note", "addressees_note"):
        formats[col] = ColumnFormat(labels.get(col, col), "text")
    formats["report_year"] = ColumnFormat(labels["report_year"], "plain")
    year_columns = [c for c in grid.columns if str(c).isdigit()]
    grid_formats = {col: ColumnFormat(labels.get(col, col)) for col in grid.columns}
    grid_formats["region_code"] = ColumnFormat(labels["region_code"], "text")
    grid_formats.update({c: ColumnFormat(f"{c}年", "int") for c in year_columns})
    grid_formats["n_years"] = ColumnFormat("有报告的年数", "int")
    grid_formats["n_reports"] = ColumnFormat("报告数", "int")
    sheets = [
        Sheet("报告一览", overview, columns=formats,
              description="每份报告一行：地区、层级、发布机关、年度、文号、发布/成文日期与是否按时、五项必备内容、主送抄送、指标数、未通过的检查数。"),
        Sheet("覆盖情况", grid, columns=grid_formats, description="地区 × 年度：每个地区每年有几份报告（0 表示没有）。"),
    ]
    title = "法治政府建设年度报告 报告一览"
    about = _about(title, "全部报告的基本情况和覆盖范围，是进入各份报告概况页的入口。", f"{len(reports)}份报告（来源文件见“报告一览”的“来源文件”列）",
                   parameters or {},
                   "必备内容：“有”为有专门标题，“提及”为只在正文或下级标题中出现，“未见”为没有找到。"
                   "是否按时以发布日期为准，未见发布日期时以成文日期代替。",
                   extra=[("小结", "\n".join(summary))] if summary else [])
    return _write(dest, sheets, about, title)


def trend_workbook(trend: Mapping[str, pd.DataFrame], reports: pd.DataFrame, dest: str | os.PathLike[str],
                   parameters: Mapping[str, Any] | None = None) -> Path:
    """多年趋势 workbook: 说明, 全期变化 (one row per indicator), 逐年数值 (one row per indicator and year, with evidence)."""
    from reportlib.trend import TREND_LABELS

    labels = {**LABELS, **TREND_LABELS}
    spans, points = trend["spans"], trend["points"]
    text = ColumnFormat(kind="text")
    span_formats = {col: ColumnFormat(labels.get(col, col)) for col in spans.columns}
    for col in ("region_code", "indicator", "first_raw", "last_raw", "series", "issuers", "scope_note", "narrative"):
        span_formats[col] = dataclasses.replace(text, label=labels.get(col, col),
                                                width=50 if col in ("series", "narrative", "scope_note") else None,
                                                wrap=True if col in ("series", "narrative", "scope_note") else None)
    for col in ("span_pct_change",):
        span_formats[col] = ColumnFormat(labels[col], "percent", decimals=1)
    for col in ("first_year", "last_year"):
        span_formats[col] = ColumnFormat(labels[col], "plain")
    point_formats = {col: ColumnFormat(labels.get(col, col)) for col in points.columns}
    for col in ("region_code", "indicator", "report_id", "raw", "source", "issuer", "scope_note"):
        point_formats[col] = dataclasses.replace(text, label=labels.get(col, col))
    point_formats["sentence"] = ColumnFormat(labels["sentence"], "text", width=60, wrap=True)
    point_formats["pct_change"] = ColumnFormat(labels["pct_change"], "percent", decimals=1)
    for col in ("year", "prev_year"):
        point_formats[col] = ColumnFormat(labels.get(col, col), "plain")
    region = str(spans["region"].iloc[0]) if len(spans) else str((parameters or {}).get("region", ""))
    sheets = [
        Sheet("全期变化", spans, columns=span_formats, highlight_change="span_change",
              description="每项指标一行：起始与末尾年度的数值、全期增减和变化率、年均增减、逐年数值和口径说明。比率类指标的增减以百分点计。"),
        Sheet("逐年数值", points, columns=point_formats, highlight_change="change",
              description="每项指标每个年度一行：数值、原文、原文句子、发布机关、来源文件，以及较上一期的增减。"),
    ]
    title = f"法治政府建设年度报告 多年趋势：{region}"
    about = _about(title, f"{region}各年度报告中同一指标的逐年变化。", sources_text(reports, points["report_id"].unique()),
                   parameters or {}, "同一地区同一年度有多份报告时，取可信度最高的数值，其次取政府报告；“口径说明”指出发布机关变化、约数和缺少的年份。")
    return _write(dest, sheets, about, title)
