"""The staff workbook of each analysis: which sheets, Chinese headers, formats, chart and 说明 rows.

Built on :mod:`reportlib.outputs.excel` (which handles layout and keeps report text from becoming a
formula); this module only decides what goes where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from reportlib.corpus.corrections import corrections_text
from reportlib.outputs.analysis import (
    LABELS,
    confidence_text,
    explain,
    readable_codes,
    report_label,
    shown_source,
    split_notes,
)
from reportlib.outputs.excel import (
    EXCEL_MAX_ROWS,
    ChartSpec,
    ColumnFormat,
    Sheet,
    infer_decimals,
    number_format,
    write_workbook,
)
from reportlib.parsing.indicators import load_taxonomy
from reportlib.reading.normalize import squeezed

__all__ = [
    "cross_district_workbook",
    "metrics_workbook",
    "parameters_text",
    "profile_workbook",
    "quality_workbook",
    "shown_number",
    "source_line",
    "sources_text",
    "value_formats",
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


#: The rules the required parts, addressees and deadline come from, as staff cite them.
RULES = "《法治政府建设与责任落实督察工作规定》"


def source_line(report: Mapping[str, Any]) -> str:
    """A report as staff cite it: 文号, issuer and title (the file name only when there is no 文号).

    >>> source_line({"doc_number": "泉鲤司〔2024〕6号", "issuer": "泉州市鲤城区司法局", "title": "关于2023年度法治政府建设情况的报告",
    ...              "source": "seeds/000.txt", "report_year": 2023})
    '泉鲤司〔2024〕6号 泉州市鲤城区司法局《关于2023年度法治政府建设情况的报告》（2023年度）'
    >>> source_line({"doc_number": "", "issuer": "厦门市司法局", "title": "厦门市司法局2024年法治政府建设年度报告",
    ...              "source": "/data/in/004.txt", "report_year": 2024})
    '厦门市司法局《厦门市司法局2024年法治政府建设年度报告》（2024年度；无文号，文件004.txt）'
    """
    number = str(report.get("doc_number") or "").strip()
    title = str(report.get("title") or "").strip()
    year = report.get("report_year")
    year_text = "" if year is None or pd.isna(year) else f"{int(year)}年度"
    where = [year_text] if year_text else []
    if not number:
        where.append(f"无文号，文件{Path(str(report.get('source') or '')).name}")
    head = f"{number} " if number else ""
    return f"{head}{report.get('issuer') or ''}《{title}》（{'；'.join(where)}）"


def sources_text(reports: pd.DataFrame, report_ids: Iterable[str] | None = None) -> str:
    """One line per report used: 文号, issuer, title and year (see :func:`source_line`)."""
    frame = reports if report_ids is None else reports[reports["report_id"].isin(list(report_ids))]
    lines = [source_line(r) for r in frame.to_dict("records")]
    return "\n".join(lines) or "（无）"


_DECIMALS = re.compile(r"\d+(?:\.(\d+))?")


def shown_number(value: float, unit: str, raw: str = "") -> tuple[float, str, str]:
    """A value as a workbook shows it: ``(number, unit, Excel number format)``. Counts are
    integers (2,675), rates keep the decimals the source wrote (99.78 → ``0.00"%"``), money is
    in 万元 with the decimals it needs (5024000 元 → 502.4 万元).

    >>> shown_number(2675.0, "件", "2675件"), shown_number(99.78, "%", "99.78%"), shown_number(100.0, "%", "100%")
    ((2675.0, '件', '#,##0'), (99.78, '%', '0.00"%"'), (100.0, '%', '0"%"'))
    >>> shown_number(5024000.0, "元", "502.4万元"), shown_number(24604200.0, "元", "2460.42万元")
    ((502.4, '万元', '#,##0.0'), (2460.42, '万元', '#,##0.00'))
    """
    if unit == "元":
        number = Decimal(repr(float(value))) / Decimal(10000)
        decimals = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
        return float(number), "万元", number_format("number", min(decimals, 4))
    if unit == "%":
        found = _DECIMALS.search(squeezed(raw)) if raw else None
        decimals = len(found.group(1) or "") if found else infer_decimals([value], 4)
        return float(value), "%", number_format("percent", decimals)
    decimals = infer_decimals([value], 4)
    return float(value), unit, number_format("int" if decimals == 0 else "number", decimals)


def value_formats(frame: pd.DataFrame, value: str = "value", unit: str = "unit", raw: str = "raw") -> tuple[str, ...]:
    """One number format per row for a column of values in the frames' units (money in 元):
    counts as integers, rates with the decimals the source wrote, 元 with the decimals it needs.

    >>> value_formats(pd.DataFrame({"value": [2675.0, 99.78, 5024000.0], "unit": ["件", "%", "元"],
    ...                             "raw": ["2675件", "99.78%", "502.4万元"]}))
    ('#,##0', '0.00"%"', '#,##0')
    """
    out = []
    for v, u, r in zip(frame[value], frame[unit], frame[raw], strict=True):
        if u == "元":
            out.append(number_format("number", infer_decimals([v], 2)) if infer_decimals([v], 2) else "#,##0")
        else:
            out.append(shown_number(v, u, r)[2])
    return tuple(out)


def _wider(a: str, b: str) -> str:
    """Of two number formats of one kind, the one with more decimals."""
    return a if len(a) >= len(b) else b


_CHINESE_PARAM = {"region": "地区", "indicators": "指标", "from_year": "起始年度", "to_year": "截止年度", "year": "年度",
                  "per_capita": "每万人折算", "chart_indicator": "图表指标", "report_id": "报告", "deadline": "公开截止日期"}


def _plain_value(value: Any) -> str:
    """A parameter value in words: 是/否, names joined with 、, empty as 默认."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple | set):
        return "、".join(map(str, value)) or "默认"
    if value in (None, "", 0):
        return "默认"
    return str(value)


def parameters_text(parameters: Mapping[str, Any] | str) -> str:
    """Parameters as staff read them: a resolved sentence as given, else 中文名：值 pairs.

    >>> parameters_text({"year": 2023, "per_capita": True, "indicators": []})
    '年度：2023；每万人折算：是；指标：默认'
    >>> parameters_text("鲤城区（350502），全部7项指标，2023→2024（自动选取最近两年）")
    '鲤城区（350502），全部7项指标，2023→2024（自动选取最近两年）'
    """
    if isinstance(parameters, str):
        return parameters or "（默认）"
    return "；".join(f"{_CHINESE_PARAM.get(k, k)}：{_plain_value(v)}" for k, v in parameters.items()) or "（默认）"


def _indicator_names(ids: Iterable[str]) -> str:
    names = {i.id: i.name_zh for i in load_taxonomy().indicators}
    return "、".join(names.get(i, i) for i in ids)


def _sources_or_count(reports: pd.DataFrame, most: int = 50) -> str:
    """:func:`sources_text`, or for a large corpus (which would not fit in one cell) how many
    reports there are and where they are listed."""
    if len(reports) <= most:
        return sources_text(reports)
    return f"{len(reports):,}份报告，逐份列在“报告”工作表（来源文件、发布机关、标题、年度）。"


def _about(title: str, what: str, sources: str, parameters: Mapping[str, Any] | str, how: str,
           extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    params = parameters_text(parameters)
    return [
        ("内容", what),
        ("数据来源", sources),
        *extra,
        ("参数", params),
        ("生成日期", dt.date.today().isoformat()),
        ("阅读说明", how),
        ("生成工具", "reportlib（法治政府建设年度报告解析）；数值均可在“依据（原文句子）”列找到原文"),
    ]


_NOTE = ColumnFormat(LABELS["correction_note"], "text", width=40, wrap=True)


def _corrections_row(corrections: pd.DataFrame | None, reports: pd.DataFrame, used: Iterable[str] | None) -> tuple[str, str]:
    """The 说明 row listing the staff corrections of the reports used (黄色单元格 = corrected)."""
    labels = {r["report_id"]: report_label(r) for r in reports.to_dict("records")}
    text = corrections_text(corrections, used, labels)
    if text != "无":
        text = "黄色底色的数值经人工更正，原解析数值见“原解析数值”或“更正说明”列：\n" + text
    return ("人工更正", text)


def _staff_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes in Chinese and source files without this machine's folders."""
    frame = readable_codes(frame)
    sources = [c for c in frame.columns if c in ("source", "prev_source", "cur_source")]
    return frame.assign(**{c: frame[c].map(lambda v: shown_source(str(v)) if isinstance(v, str) else v) for c in sources})


def _write(dest: str | os.PathLike[str], sheets: list[Sheet], about: list[tuple[str, str]], title: str) -> Path:
    sheets = [dataclasses.replace(sheet, frame=_staff_frame(sheet.frame)) for sheet in sheets]
    return write_workbook(dest, sheets, about, title, timestamp=dt.date.today())


def _yoy_parameters(yoy: pd.DataFrame, parameters: Mapping[str, Any]) -> str:
    """``鲤城区（350502），全部7项指标，2023→2024（自动选取最近两年）``."""
    if isinstance(parameters.get("resolved"), str):
        return str(parameters["resolved"])
    if yoy.empty:
        return parameters_text({k: v for k, v in parameters.items() if k != "resolved"})
    region = "、".join(f"{r}（{c}）" for r, c in dict.fromkeys(zip(yoy["region"], yoy["region_code"], strict=True)))
    chosen = list(parameters.get("indicators") or [])
    which = f"指定{len(chosen)}项指标（{_indicator_names(chosen)}）" if chosen else f"全部{yoy['indicator'].nunique()}项共有指标"
    years = f"{int(yoy['prev_year'].min())}→{int(yoy['cur_year'].max())}"
    how = "（指定年份）" if parameters.get("from_year") or parameters.get("to_year") else "（自动选取最近两年）"
    return f"{region}，{which}，{years}{how}"


def year_over_year_workbook(yoy: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                            parameters: Mapping[str, Any] | None = None, corrections: pd.DataFrame | None = None) -> Path:
    """同比 workbook: 说明, 同比 (one row per indicator: values in the unit the reports write —
    counts as integers, rates with their decimals, money in 万元 with the 元 values in columns of
    their own —, 增减 and 变化率 as Excel formulas over the value cells, evidence columns,
    up/down colours, chart of the percent change), 数据来源."""
    parameters = dict(parameters or {})
    frame = yoy.assign(direction=yoy["direction"].map(_DIRECTION_ZH).fillna(""))
    numbers = reports.set_index("report_id")["doc_number"].to_dict() if "doc_number" in reports.columns else {}
    prev_shown, cur_shown, units, formats = [], [], [], []
    for r in frame.itertuples(index=False):
        p_value, unit, p_fmt = shown_number(r.prev_value, r.unit, r.prev_raw)
        c_value, _, c_fmt = shown_number(r.cur_value, r.unit, r.cur_raw)
        prev_shown.append(p_value)
        cur_shown.append(c_value)
        units.append(unit)
        formats.append(_wider(p_fmt, c_fmt))
    money = frame["unit"] == "元"
    frame = frame.assign(
        prev_value=prev_shown, cur_value=cur_shown, unit=units,
        abs_change=[float(c) - float(p) for p, c in zip(prev_shown, cur_shown, strict=True)],
        change_unit=["个百分点" if u == "%" else u for u in units],
        pct_change=frame["pct_change"] / 100,
        prev_yuan=frame["prev_value"].where(money), cur_yuan=frame["cur_value"].where(money),
        prev_doc=frame["prev_report_id"].map(numbers).fillna(""), cur_doc=frame["cur_report_id"].map(numbers).fillna(""),
    )
    order = ["region", "indicator_name", "unit", "prev_year", "prev_value", "cur_year", "cur_value", "abs_change",
             "change_unit", "pct_change", "direction", "narrative", "prev_raw", "cur_raw", "prev_sentence", "cur_sentence",
             "scope_note", "prev_issuer", "prev_doc", "cur_issuer", "cur_doc", "prev_yuan", "cur_yuan", "prev_approx",
             "cur_approx", "prev_source", "cur_source", "region_code", "indicator", "prev_report_id", "cur_report_id"]
    order[order.index("scope_note") + 1:order.index("scope_note") + 1] = [
        c for c in ("prev_correction_note", "cur_correction_note") if c in frame.columns]
    frame = frame[order].reset_index(drop=True)
    common, own = split_notes(frame["scope_note"].tolist())
    frame["scope_note"] = [f"{n}。" if n else "" for n in own]  # what every row shares is said once, on 说明
    row_formats = tuple(formats)
    wide = ColumnFormat(width=50, wrap=True)
    columns = _columns(frame, {
        "prev_value": ColumnFormat(LABELS["prev_value"], "number", row_formats=row_formats),
        "cur_value": ColumnFormat(LABELS["cur_value"], "number", row_formats=row_formats),
        "abs_change": ColumnFormat(LABELS["abs_change"], "number", row_formats=row_formats, formula="{cur_value}-{prev_value}"),
        "pct_change": ColumnFormat("变化率", "number", row_formats=("0.0%",) * len(frame),
                                   formula='IF({prev_value}=0,"",({cur_value}-{prev_value})/{prev_value})'),
        "prev_sentence": ColumnFormat(LABELS["prev_sentence"], "text", width=wide.width, wrap=True),
        "cur_sentence": ColumnFormat(LABELS["cur_sentence"], "text", width=wide.width, wrap=True),
        "narrative": ColumnFormat(LABELS["narrative"], "text", width=40, wrap=True),
        "scope_note": ColumnFormat(LABELS["scope_note"], "text", width=40, wrap=True),
        "prev_raw": _fmt("prev_raw", "text"), "cur_raw": _fmt("cur_raw", "text"),
        "prev_correction_note": ColumnFormat(LABELS["prev_correction_note"], "text", width=40, wrap=True),
        "cur_correction_note": ColumnFormat(LABELS["cur_correction_note"], "text", width=40, wrap=True),
        "prev_doc": ColumnFormat("上期文号", "text"), "cur_doc": ColumnFormat("本期文号", "text"),
        "prev_yuan": ColumnFormat("上期数值（元）", "number", decimals=0),
        "cur_yuan": ColumnFormat("本期数值（元）", "number", decimals=0),
    })
    region = "、".join(dict.fromkeys(yoy["region"])) or str(parameters.get("region", ""))
    years = f"{yoy['prev_year'].min()}→{yoy['cur_year'].max()}" if len(yoy) else ""
    title = f"法治政府建设年度报告 同比分析：{region} {years}".strip()
    used = set(yoy["prev_report_id"]) | set(yoy["cur_report_id"])
    sheet = Sheet(
        "同比", frame, columns=columns,
        chart=ChartSpec("bar", "indicator_name", ("pct_change",), "变化率", horizontal=True),
        highlight_change=("abs_change", "pct_change"), freeze_columns=2,
        marks={"prev_value": "prev_correction_note", "cur_value": "cur_correction_note"},
        description="每行一个指标：单位、上期与本期数值（件数为整数，比率保留原文小数位，金额以万元计，元值见“上期/本期数值（元）”）、"
                    "增减、变化率（比率类指标以百分点计，不计变化率）、文字说明、两年原文句子和口径说明。",
    )
    src = reports[reports["report_id"].isin(used)][["report_year", "doc_number", "issuer", "title", "issued_date",
                                                    "published_date", "source", "report_id"]]
    sources = Sheet("数据来源", src.reset_index(drop=True), columns=_columns(src), freeze_columns=1, description="本表所用报告。")
    about = _about(
        title, "同一地区相邻两个年度报告中共同出现的指标的变化。", sources_text(reports, used), _yoy_parameters(yoy, parameters),
        "“增减”=本期−上期、“变化率”=增减÷上期，均为表内公式，可核对；绿色为上升、红色为下降；比率类指标（%）的增减单位为百分点。"
        "两年数据来自不同发布机关时见“口径说明”；“约数”表示原文用了约、余、多等字样。",
        extra=[_corrections_row(corrections, reports, _region_reports(reports, yoy, parameters))]
        + ([("口径说明", "；".join(common) + "。（适用于表中各行）")] if common else []),
    )
    return _write(dest, [sheet, sources], about, title)


def _region_reports(reports: pd.DataFrame, yoy: pd.DataFrame, parameters: Mapping[str, Any] | None) -> list[str]:
    """The reports of the compared region(s): a rejected figure leaves no row, but its fix is listed."""
    codes = set(yoy["region_code"]) | {str((parameters or {}).get("region", ""))}
    chosen = reports["region_code"].isin(codes) | reports["region"].isin(codes)
    return list(reports.loc[chosen, "report_id"]) + list(yoy["prev_report_id"]) + list(yoy["cur_report_id"])


def _cross_parameters(cross: pd.DataFrame, parameters: Mapping[str, Any]) -> str:
    """``2023年（自动选取可比地区最多的年份），3个地区，全部15项共有指标，按每万人折算``."""
    if isinstance(parameters.get("resolved"), str):
        return str(parameters["resolved"])
    year = int(cross["year"].iloc[0]) if len(cross) else parameters.get("year", "")
    given = parameters.get("year_given", bool(parameters.get("year")))
    how = "（指定年份）" if given else "（自动选取可比地区最多的年份）"
    chosen = list(parameters.get("indicators") or [])
    which = f"指定{len(chosen)}项指标（{_indicator_names(chosen)}）" if chosen else f"全部{cross['indicator'].nunique()}项共有指标"
    capita = "按每万常住人口折算" if parameters.get("per_capita", True) else "不折算每万人"
    return f"{year}年{how}，{cross['region_code'].nunique()}个地区，{which}，{capita}"


def _wide_table(cross: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, ColumnFormat]]:
    """Indicators down, one column per region, a unit column, then per-10,000-resident columns
    (headers name the population year), and a note on what is not comparable."""
    regions = list(dict.fromkeys(cross.sort_values(["level", "region_code"])["region"]))
    pop_years = cross.dropna(subset=["population_year"]).drop_duplicates("region").set_index("region")["population_year"]
    has_capita = cross["per_10k"].notna().any()
    records, value_formats, capita_formats = [], [], []
    for (_ind, name), group in cross.groupby(["indicator", "indicator_name"], sort=False):
        by_region = group.set_index("region")
        first = group.iloc[0]
        _, unit, _ = shown_number(first["value"], first["unit"], first["raw"])
        units = {shown_number(v, u, "")[1] for v, u in zip(group["value"], group["unit"], strict=True)}
        record: dict[str, Any] = {"indicator_name": name, "unit": "、".join(sorted(units)) if len(units) > 1 else unit}
        fmt = "#,##0"
        for region in regions:
            if region in by_region.index:
                row = by_region.loc[region]
                number, _, f = shown_number(row["value"], row["unit"], row["raw"])
                record[f"v:{region}"] = number
                fmt = _wider(fmt, f) if f.endswith('"%"') == fmt.endswith('"%"') else f
            else:
                record[f"v:{region}"] = math.nan
        value_formats.append(fmt)
        if has_capita:
            money = first["unit"] == "元"
            record["capita_unit"] = "" if first["indicator_kind"] == "rate" else ("万元/万人" if money else f"{first['unit']}/万人")
            for region in regions:
                value = by_region.loc[region, "per_10k"] if region in by_region.index else math.nan
                record[f"c:{region}"] = value / 10000 if money and not pd.isna(value) else value
            capita_formats.append("#,##0.00")
        notes = [n for n in group["compare_note"] if n]
        ranked = group[group["comparable"]]
        record["ranking"] = ("；".join(f"{r}第{int(k)}" for r, k in zip(ranked["region"], ranked["rank"], strict=True))
                             + (f"（按{ranked['rank_basis'].iloc[0]}）" if len(ranked) else "")) or "不排名"
        record["notes"] = "；".join(notes)
        records.append(record)
    wide = pd.DataFrame.from_records(records)
    formats: dict[str, ColumnFormat] = {
        "indicator_name": ColumnFormat("指标", "text"), "unit": ColumnFormat("单位", "text"),
        "capita_unit": ColumnFormat("每万人单位", "text"), "ranking": ColumnFormat("排名", "text", width=30, wrap=True),
        "notes": ColumnFormat("可比性说明", "text", width=50, wrap=True),
    }
    for region in regions:
        formats[f"v:{region}"] = ColumnFormat(region, "number", row_formats=tuple(value_formats))
        if has_capita:
            year = pop_years.get(region)
            label = f"{region}每万人" + (f"（{int(year)}年人口）" if year is not None and not pd.isna(year) else "（无人口数据）")
            formats[f"c:{region}"] = ColumnFormat(label, "number", row_formats=tuple(capita_formats))
    order = ["indicator_name", "unit", *[f"v:{r}" for r in regions], "ranking"]
    if has_capita:
        order += ["capita_unit", *[f"c:{r}" for r in regions]]
    order += ["notes"]
    return wide[order], formats


def cross_district_workbook(cross: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                            parameters: Mapping[str, Any] | None = None, chart_indicator: str | None = None,
                            population_source: str = "data/population.csv", corrections: pd.DataFrame | None = None) -> Path:
    """横向比较 workbook: 说明, 对比表 (wide: indicators down, one column per region, unit, per
    10,000 residents with the population year in the header, ranking and comparability notes),
    横向比较 (long: region × indicator with rank, per 10,000 and notes, for filtering), 图表 (one
    native chart per indicator, small multiples), 数据来源. ``chart_indicator`` puts that
    indicator's chart first."""
    parameters = dict(parameters or {})
    year = int(cross["year"].iloc[0]) if len(cross) else parameters.get("year", "")
    shown = [shown_number(v, u, r) for v, u, r in zip(cross["value"], cross["unit"], cross["raw"], strict=True)]
    money = cross["unit"] == "元"
    long = cross.assign(
        value=[x[0] for x in shown], unit=[x[1] for x in shown],
        per_10k=cross["per_10k"].where(~money, cross["per_10k"] / 10000),
        capita_unit=[("" if k == "rate" else "万元/万人" if u == "元" else f"{u}/万人")
                     for k, u in zip(cross["indicator_kind"], cross["unit"], strict=True)],
        yuan=cross["value"].where(money),
    )
    order = ["indicator_name", "region", "value", "unit", "rank", "rank_basis", "n_regions", "per_10k", "capita_unit",
             "population", "population_year", "compare_note", "per_capita_note", "level_note", "raw", "approx", "sentence",
             "issuer", "doc_number", "level", "issuer_kind", "yuan", "population_source", "population_note", "source",
             "region_code", "indicator", "report_id"]
    order[order.index("sentence"):order.index("sentence")] = [
        c for c in ("original_value", "correction_note") if c in cross.columns]
    frame = long[order].reset_index(drop=True)
    formats = _columns(frame, {
        "value": ColumnFormat(LABELS["value"], "number", row_formats=tuple(x[2] for x in shown)),
        "per_10k": ColumnFormat(LABELS["per_10k"], "number", decimals=2),
        "capita_unit": ColumnFormat("每万人单位", "text"),
        "population": _fmt("population", "int"), "population_year": _fmt("population_year", "plain"),
        "rank": _fmt("rank", "int"), "n_regions": _fmt("n_regions", "int"),
        "sentence": ColumnFormat(LABELS["sentence"], "text", width=50, wrap=True),
        "compare_note": ColumnFormat(LABELS["compare_note"], "text", width=40, wrap=True),
        "raw": _fmt("raw", "text"), "doc_number": ColumnFormat("文号", "text"),
        "yuan": ColumnFormat("数值（元）", "number", decimals=0),
        "original_value": _fmt("original_value", "number"), "correction_note": _NOTE,
    })
    sheets = []
    if len(cross):
        wide, wide_formats = _wide_table(cross)
        sheets.append(Sheet("对比表", wide, columns=wide_formats, freeze_columns=2,
                            description="指标 × 地区：各地区数值、单位、每万常住人口数值（表头注明人口年份）、排名和不可比的原因。"))
    sheets.append(Sheet("横向比较", frame, columns=formats, freeze_columns=2, marks={"value": "correction_note"},
                        description="每行一个地区的一个指标：数值、排名（同一层级、同类发布机关、同一口径的地区之间，"
                                    "有人口数据时按每万人数值从大到小）、每万人数值及所用人口年份、可比性说明和原文句子；可筛选。"))
    if len(cross):
        sheets.append(_chart_sheet(cross, year, chart_indicator))
    used = set(cross["report_id"])
    src = reports[reports["report_id"].isin(used)][["region", "level", "report_year", "doc_number", "issuer", "title",
                                                    "source", "report_id"]]
    sheets.append(Sheet("数据来源", src.reset_index(drop=True), columns=_columns(src), freeze_columns=1, description="本表所用报告。"))
    pops = cross.drop_duplicates("region_code")[["region", "population", "population_year", "population_source", "population_note"]]
    pop_lines = []
    for r in pops.itertuples():
        if pd.isna(r.population):
            pop_lines.append(f"{r.region}：无人口数据")
            continue
        pop_lines.append(f"{r.region}：{int(r.population):,}人（{int(r.population_year)}年，{r.population_source}）"
                         + (f"；{r.population_note}" if r.population_note else ""))
    title = f"法治政府建设年度报告 横向比较：{year}年"
    about = _about(
        title, f"{year}年各地区报告中共同出现的指标并列比较。", sources_text(reports, used), _cross_parameters(cross, parameters),
        "只有同一层级、同类发布机关（人民政府与人民政府、部门与部门）、同一口径和单位的地区之间才排名，其余并列展示并在“可比性说明”中写明原因；"
        "有人口数据时按每万常住人口数值排名。“每万人”=数值÷常住人口×10000，人口统一取同一年份（有数据的地区最多、离报告年度最近；缺该年的地区取最近年份，见表头和“人口年份”），"
        "比率类指标和部门自身工作的数字不折算。金额以万元计，元值见“数值（元）”。",
        extra=[("人口数据", f"{population_source}（常住人口）：\n" + ("\n".join(pop_lines) or "（无）")),
               _corrections_row(corrections, reports, _year_reports(reports, year))],
    )
    return _write(dest, sheets, about, title)


def _year_reports(reports: pd.DataFrame, year: Any) -> list[str]:
    try:
        return list(reports.loc[reports["report_year"].fillna(0).astype(int) == int(year), "report_id"])
    except (TypeError, ValueError):
        return []



#: Small multiples: charts per row of the grid on the 图表 sheet, and the cells one chart takes.
CHARTS_PER_ROW = 2
CHART_COLUMNS, CHART_ROWS = 9, 16


def _chart_sheet(cross: pd.DataFrame, year: Any, first: str | None) -> Sheet:
    """One bar chart per indicator over its own block of rows (regions), laid out in a grid."""
    order = list(dict.fromkeys(cross["indicator"]))
    if first in order:
        order.remove(first)
        order.insert(0, first)
    blocks, charts, row_formats = [], [], []
    start = 0
    for number, ind in enumerate(order):
        part = cross[cross["indicator"] == ind]
        shown = [shown_number(v, u, r) for v, u, r in zip(part["value"], part["unit"], part["raw"], strict=True)]
        unit = shown[0][1]
        block = pd.DataFrame({"indicator_name": part["indicator_name"].to_numpy(), "region": part["region"].to_numpy(),
                              "value": [x[0] for x in shown], "unit": [x[1] for x in shown],
                              "rank": part["rank"].to_numpy()})
        blocks.append(block)
        row_formats += [x[2] for x in shown]
        col = 7 + (number % CHARTS_PER_ROW) * CHART_COLUMNS
        row = 2 + (number // CHARTS_PER_ROW) * CHART_ROWS
        charts.append(ChartSpec("bar", "region", ("value",), f"{year}年{part['indicator_name'].iloc[0]}（{unit}）",
                                horizontal=True, rows=(start, start + len(block)), anchor=f"{get_column_letter(col)}{row}",
                                size=(15.0, 7.5)))
        start += len(block)
    frame = pd.concat(blocks, ignore_index=True)
    return Sheet("图表", frame, columns={
        "indicator_name": ColumnFormat("指标", "text"), "region": ColumnFormat("地区", "text"),
        "value": ColumnFormat("数值", "number", row_formats=tuple(row_formats)), "unit": ColumnFormat("单位", "text"),
        "rank": ColumnFormat("排名", "int")}, charts=charts, freeze_columns=2,
        description="每个指标一张条形图（按指标分块的数值表在左）；未排名的地区与其他地区口径不同，见“可比性说明”。")


def _profile_parameters(profile: Mapping[str, Any], parameters: Mapping[str, Any]) -> str:
    """``鲤城区 2023 泉州市鲤城区司法局（泉鲤司〔2024〕6号），公开截止日期为次年4月1日``."""
    report = profile["report"]
    number = str(report.get("doc_number") or "")
    deadline = str(parameters.get("deadline") or "04-01")
    try:
        month, day = (int(x) for x in deadline.split("-"))
        when = f"次年{month}月{day}日"
    except ValueError:
        when = deadline
    return f"{profile['label']}" + (f"（{number}）" if number else "") + f"，公开截止日期为{when}"


def profile_workbook(profile: Mapping[str, Any], dest: str | os.PathLike[str], parameters: Mapping[str, Any] | None = None) -> Path:
    """报告概况 workbook: 说明, 基本信息, 必备内容, 主送抄送, 提纲, 指标, 检查."""
    report = profile["report"]
    parts = profile["parts"][["part_name", "status_zh", "heading", "evidence"]]
    addressees = profile["addressees"]
    metrics = profile["metrics"].assign(confidence=profile["metrics"]["confidence"].map(confidence_text))
    sheets = [
        Sheet("基本信息", profile["metadata"], columns={"field": "项目", "value": ColumnFormat("内容", "text", width=60, wrap=True)},
              freeze_columns=1),
        Sheet("必备内容", parts, columns=_columns(parts, {"evidence": ColumnFormat("依据", "text", width=60, wrap=True)}), freeze_columns=1,
              description=f"{RULES}要求的五项内容是否具备、在哪个标题下。"),
        Sheet("主送抄送", addressees[["expected", "status", "where", "evidence"]], columns=_columns(addressees, {"status": ColumnFormat("情况", "text")}),
              freeze_columns=1,
              description=f"按发布机关类型应有的主送/抄送对象（{RULES}）；原文没有主送、抄送栏时为“无法判断”。"),
        Sheet("提纲", profile["outline"], columns=_columns(profile["outline"])),
        Sheet("指标", metrics, freeze_columns=2, columns=_columns(metrics, {
            "value": ColumnFormat(LABELS["value"], "number", row_formats=value_formats(metrics)),
            "raw": _fmt("raw", "text"), "confidence": ColumnFormat("可信度", "text"),
            "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True),
            "reason": ColumnFormat(LABELS["reason"], "text", width=40, wrap=True), "correction_note": _NOTE,
            "original_value": _fmt("original_value", "number")}),
              marks={"value": "correction_note"},
              description="每项指标的数值、原文和所在句子（起止位置为原文字符偏移）。"),
        Sheet("检查", profile["checks"], columns=_columns(profile["checks"]), description="未通过或需复核的一致性检查。"),
    ]
    title = f"法治政府建设年度报告 报告概况：{profile['label']}"
    when = profile["timeliness"]
    about = _about(
        title, "一份报告的基本信息、公开是否及时、必备内容、主送抄送、提纲和提取的指标。",
        sources_text(pd.DataFrame([report])), _profile_parameters(profile, dict(parameters or {})),
        "“必备内容”中“有（专门标题）”表示有对应的一级或二级标题，“有（正文或下级标题中提及）”表示只在正文或下级标题中出现。",
        extra=[("是否按时", when["text"]), ("小结", "\n".join(profile["summary"])),
               ("人工更正", _about_fixes(profile.get("corrections")))],
    )
    return _write(dest, sheets, about, title)


def _about_fixes(view: pd.DataFrame | None) -> str:
    """The 说明 text of a corrections view (:func:`reportlib.outputs.analysis.corrections_of`)."""
    if view is None or view.empty:
        return "无"
    lines = []
    for r in view.to_dict("records"):
        change = "否决（不再采用）" if r["corrected"] == "否决" else f"{r['original']} → {r['corrected']}"
        body = change if r["status"] == "已应用" else f"{r['status']}，{r['problem']}"
        who = "，".join(x for x in (r["who"], r["when"]) if x)
        lines.append(f"{r['label']} {r['field_name']}：{body}" + (f"；说明：{r['note']}" if r["note"] else "")
                     + (f"（{who}）" if who else ""))
    return "黄色底色的数值经人工更正：\n" + "\n".join(lines)


def quality_workbook(q: Mapping[str, pd.DataFrame], reports: pd.DataFrame, dest: str | os.PathLike[str],
                     parameters: Mapping[str, Any] | None = None) -> Path:
    """解析质量 workbook: 说明, 报告, 指标覆盖, 问题, 检查, 未采用数字."""
    coverage = q["coverage"]
    cov_formats = {c: ColumnFormat(kind="text") for c in coverage.columns}
    cov_formats["indicator_name"] = ColumnFormat("指标", "text")
    cov_formats["reports_with_value"] = ColumnFormat(LABELS["reports_with_value"], "int")
    sheets = [
        Sheet("报告", q["reports"], columns=_columns(q["reports"]), freeze_columns=2, description="读到的报告和各自的标题数、数字数、指标数。"),
        Sheet("指标覆盖", coverage, columns=cov_formats, freeze_columns=2, description="指标 × 报告：原文数值，空白表示该报告未提取到。"),
        Sheet("问题", q["problems"], columns=_columns(q["problems"]), description="无法读取或解析的输入及警告。"),
        Sheet("检查", q["checks"], columns=_columns(q["checks"]), description="未通过或需复核的一致性检查。"),
        Sheet("未采用数字", q["unpromoted"], freeze_columns=5, columns=_columns(q["unpromoted"], {
            "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True), "raw": _fmt("raw", "text")}),
              description="识别为某指标但未作为该报告数值采用的数字（如下属单位、部分时段），附原因。"),
    ]
    fixes = q.get("corrections")
    if fixes is not None:
        sheets.append(Sheet("人工更正", fixes, columns=_columns(fixes, {
            "problem": ColumnFormat(LABELS["problem"], "text", width=50, wrap=True), "corrected": ColumnFormat("更正为", "text"),
            "original": ColumnFormat(LABELS["original"], "text"), "label": ColumnFormat(LABELS["label"], "text")}),
                            description="更正文件中与这些报告有关的每条更正：是否已应用；已过时或有误的未应用，原因见“问题”。"))
    title = "法治政府建设年度报告 解析质量"
    about = _about(title, "解析结果的完整性：每份报告提取了哪些指标，哪些数字未被采用，哪些检查未通过。",
                   _sources_or_count(reports), parameters or {}, "“未采用数字”的“说明”列给出原因；空白单元格表示未提取到。",
                   extra=[("人工更正", _about_fixes(fixes))])
    return _write(dest, sheets, about, title)


def metrics_workbook(metrics: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                     corrections: pd.DataFrame | None = None, max_rows: int = EXCEL_MAX_ROWS - 1) -> Path:
    """All metrics, one row per report × indicator with provenance (file, sentence, offsets).

    More than ``max_rows`` metrics (Excel's limit by default) are split over sheets 指标1, 指标2 …,
    and the 说明 sheet says so; ``metrics.csv`` next to the workbook holds them in one table."""
    order = ["region", "report_year", "issuer", "indicator_name", "value", "unit", "raw", "approx", "qualifier", "sentence",
             "section", "source", "start", "end", "confidence", "reason", "region_code", "indicator", "report_id"]
    order[order.index("raw"):order.index("raw")] = [c for c in ("original_value", "correction_note", "corrected_by")
                                                    if c in metrics.columns]
    frame = metrics[order].reset_index(drop=True)
    frame["reason"] = [explain(t, r) for t, r in zip(frame["reason"], frame["region"], strict=True)]
    formats = _columns(frame, {
        "value": ColumnFormat(LABELS["value"], "number", row_formats=value_formats(frame)),
        "raw": _fmt("raw", "text"), "start": _fmt("start", "plain"), "end": _fmt("end", "plain"),
        "sentence": ColumnFormat(LABELS["sentence"], "text", width=60, wrap=True),
        "reason": ColumnFormat(LABELS["reason"], "text", width=40, wrap=True),
        "confidence": _fmt("confidence", "number", decimals=2),
        "original_value": _fmt("original_value", "number"), "correction_note": _NOTE,
    })
    src = reports[["region", "report_year", "issuer", "title", "doc_number", "issued_date", "published_date", "source", "report_id"]]
    what = "每份报告的每个指标一行：数值（金额为元，比率为百分数）、原文、所在句子、来源文件和字符位置。"
    parts = [frame.iloc[i : i + max_rows].reset_index(drop=True) for i in range(0, len(frame), max_rows)] or [frame]
    row_formats = formats["value"].row_formats or ()
    sheets = [Sheet("指标" if len(parts) == 1 else f"指标{n}", part, freeze_columns=4, marks={"value": "correction_note"},
                    columns={**formats, "value": dataclasses.replace(
                        formats["value"], row_formats=row_formats[(n - 1) * max_rows : n * max_rows])},
                    description=what if len(parts) == 1 else f"第{n}部分（共{len(parts)}部分）：{what}")
              for n, part in enumerate(parts, start=1)]
    sheets.append(Sheet("报告", src.reset_index(drop=True), columns=_columns(src), freeze_columns=3, description="全部报告。"))
    split = [] if len(parts) == 1 else [(
        "分表", f"共{len(frame):,}项指标，超过一张Excel工作表的行数上限，已按顺序分为{len(parts)}张工作表"
        f"（{'、'.join(s.name for s in sheets[:-1])}）；同目录下的 metrics.csv 为完整的一张表。")]
    title = "法治政府建设年度报告 全部指标"
    about = _about(title, "解析出的全部指标及其出处。", _sources_or_count(reports), {},
                   "“起始位置/结束位置”为原文（解码后）中的字符偏移，text[起始:结束] 即“原文数值”。",
                   extra=[*split, *([_corrections_row(corrections, reports, None)] if corrections is not None else [])])
    return _write(dest, sheets, about, title)


def overview_workbook(overview: pd.DataFrame, grid: pd.DataFrame, reports: pd.DataFrame, dest: str | os.PathLike[str],
                      parameters: Mapping[str, Any] | None = None, summary: Iterable[str] = ()) -> Path:
    """报告一览 workbook: 说明, 报告一览 (one row per report), 覆盖情况 (region × year)."""
    from reportlib.outputs.overview import OVERVIEW_LABELS

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
    from reportlib.outputs.trend import TREND_LABELS

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
