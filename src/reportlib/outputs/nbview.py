"""How the analyses look inside a notebook: escaped HTML tables, narratives with their evidence.

Every piece of report text is HTML-escaped here (``DataFrame.to_html(escape=True)`` or
:func:`html.escape`), so a sentence that contains ``<script>`` shows as text in the page.
Numbers are formatted for reading (``−84件``, ``−22.9%``, ``502.4万元``); the frames keep full precision.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

import pandas as pd
from IPython.display import HTML as _IPythonHTML

from reportlib.outputs.analysis import LABELS, format_pct, format_value, readable_codes, split_notes

#: The class that math typesetters (MathJax in JupyterLab and classic Notebook) leave alone.
NO_MATH = "tex2jax_ignore mathjax_ignore"


class HTML(_IPythonHTML):
    """IPython's HTML output inside an element that math typesetting skips: ``$…$`` in report text
    stays text in JupyterLab too (the offline pages load no typesetter at all)."""

    def __init__(self, data: str | None = None, **kwargs: Any) -> None:
        if isinstance(data, str):
            data = f'<div class="{NO_MATH}">{data}</div>'
        super().__init__(data, **kwargs)

__all__ = [
    "MINUS",
    "bullets",
    "cite",
    "cross_table",
    "cross_wide",
    "excel_link",
    "fmt_number",
    "fmt_pct",
    "fmt_signed",
    "message",
    "split_notes",
    "table",
    "with_mark",
    "yoy_evidence",
    "yoy_table",
]

MINUS = "\u2212"  # the typographic minus sign: −84
_UP, _DOWN = "#2e7d32", "#c62828"
_CORRECTED = "background:#fff2cc"  # the fill of corrected cells, as in the workbooks


def _value_cell(text: str, note: str) -> str:
    """A value cell; a corrected one is filled and marked 【已更正】 (the note as its tooltip)."""
    if not note:
        return html.escape(text)
    return f'<span style="{_CORRECTED}" title="{html.escape(note)}">{html.escape(text)}【已更正】</span>'



def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: Any, decimals: int | None = None) -> str:
    """Thousands separators (or exactly ``decimals``); empty when missing or not finite.

    A figure as a report writes it (at most :data:`WRITTEN_DECIMALS` decimals) is shown as it was
    parsed, from its shortest exact decimal form, never rounded: 99.945 stays 99.945. A computed
    figure with more decimals (a per-capita rate, float noise such as 0.30000000000000004) is
    shown with at most two.

    >>> fmt_number(5024000.0), fmt_number(99.78), fmt_number(17.518009), fmt_number(float("nan"))
    ('5,024,000', '99.78', '17.52', '')
    >>> fmt_number(99.945), fmt_number(0.1 + 0.2), fmt_number(1234.5), fmt_number(float("inf"))
    ('99.945', '0.3', '1,234.5', '')
    """
    if _missing(value) or not math.isfinite(float(value)):
        return ""
    if decimals is not None:
        return f"{float(value):,.{decimals}f}"
    written = Decimal(repr(float(value)))
    if -written.as_tuple().exponent <= WRITTEN_DECIMALS:
        text = f"{written:,f}"
    else:
        text = f"{float(value):,.2f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


#: Most decimals a report writes for a figure (99.945%); more means a computed value.
WRITTEN_DECIMALS = 3


def fmt_signed(value: Any, suffix: str = "", decimals: int | None = None) -> str:
    """A change with its sign, the minus as ``−``.

    >>> fmt_signed(-84.0, "件"), fmt_signed(701.0), fmt_signed(0.0, "件"), fmt_signed(-22.888, "%", 1)
    ('−84件', '+701', '0件', '−22.9%')
    """
    if _missing(value):
        return ""
    text = fmt_number(abs(float(value)), decimals)
    if text in ("0", "0.0", "0.00"):
        return text + suffix
    return ("+" if value > 0 else MINUS) + text + suffix


def fmt_pct(value: Any) -> str:
    """A percent change with one decimal: ``−22.9%``; empty when missing.

    >>> fmt_pct(-22.888283), fmt_pct(float("nan"))
    ('−22.9%', '')
    """
    return format_pct(value)


def table(frame: pd.DataFrame, columns: Sequence[str] | None = None, labels: Mapping[str, str] | None = None,
          formats: Mapping[str, Any] | None = None) -> HTML:
    """``frame`` (optionally only ``columns``) as an escaped HTML table with Chinese headers.

    ``formats`` maps a column to a function from value to display text; numbers default to
    :func:`fmt_number`, booleans to 是/否.
    """
    labels = {**LABELS, **(labels or {})}
    formats = dict(formats or {})
    total = len(frame)
    if total > MAX_ROWS:  # what a page shows is bounded: the first rows, and a line saying so
        frame = frame.head(MAX_ROWS)
    view = readable_codes(frame[list(columns)] if columns is not None else frame)
    shown = pd.DataFrame(index=view.index)
    for col in view.columns:
        series = view[col]
        if col in formats:
            shown[col] = series.map(lambda v, f=formats[col]: "" if _missing(v) else f(v))
        elif pd.api.types.is_bool_dtype(series.dtype):
            shown[col] = series.map(lambda v: "是" if v else "否")
        elif pd.api.types.is_numeric_dtype(series.dtype) and not col.endswith("year") and col not in ("year", "start", "end"):
            shown[col] = series.map(fmt_number)
        else:
            shown[col] = series.map(lambda v: "" if _missing(v) else _capped(str(v)))
    if "correction_note" in frame.columns and "value" in shown.columns:  # a corrected figure says so
        marked = frame.loc[shown.index, "correction_note"].fillna("").astype(str) != ""
        shown.loc[marked, "value"] = shown.loc[marked, "value"] + "（已更正）"
    shown.columns = [labels.get(str(c), str(c)) for c in view.columns]
    if shown.empty:
        return HTML("<p><em>（无数据）</em></p>")
    note = (f"<p><em>共{total:,}行，此处列出前{MAX_ROWS:,}行；全部数据见Excel工作簿。</em></p>"
            if total > MAX_ROWS else "")
    return HTML(shown.to_html(escape=True, index=False, border=0, na_rep="") + note)


#: Most rows a table on a page shows, and most characters of one cell: a page stays readable and
#: small whatever the corpus (the workbooks hold every row).
MAX_ROWS = 500
MAX_CELL_CHARS = 600


def _capped(text: str) -> str:
    """``text`` cut to :data:`MAX_CELL_CHARS` with an ellipsis.

    >>> _capped("案" * 601)[-2:], len(_capped("案" * 601)), _capped("367件")
    ('案…', 600, '367件')
    """
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def message(text: str) -> HTML:
    """One escaped paragraph."""
    return HTML(f"<p>{html.escape(text)}</p>")


def bullets(items: Iterable[str]) -> HTML:
    """An escaped bullet list (nothing when ``items`` is empty)."""
    lines = [f"<li>{html.escape(str(i))}</li>" for i in items if str(i)]
    return HTML("<ul>" + "".join(lines) + "</ul>" if lines else "")


def with_mark(sentence: str, raw: str) -> str:
    """``sentence`` escaped, with the first occurrence of ``raw`` wrapped in ``<mark>``.

    The sentence is the normalised text and ``raw`` the original, so ``3454 件`` or ``３６７件``
    is found as ``3454件`` or ``367件``.

    >>> with_mark("共办理<案件>367件。", "367件")
    '共办理&lt;案件&gt;<mark>367件</mark>。'
    >>> with_mark("排查调处矛盾纠纷3454件，调处成功3452件", "3454 件"), with_mark("共367件", "３６７件")
    ('排查调处矛盾纠纷<mark>3454件</mark>，调处成功3452件', '共<mark>367件</mark>')
    """
    from reportlib.reading.normalize import squeezed

    key = squeezed(raw) if raw else ""
    found = re.search(r"\s*".join(map(re.escape, key)), sentence) if key else None
    if found is None:
        return html.escape(sentence)
    at, end = found.span()
    return html.escape(sentence[:at]) + f"<mark>{html.escape(sentence[at:end])}</mark>" + html.escape(sentence[end:])


def yoy_table(yoy: pd.DataFrame) -> HTML:
    """The year-over-year frame as a reader's table: 指标, 上期, 本期, 增减, 变化率, 口径说明.

    A note every row shares (two issuers, say) is written once above the table; the 口径说明
    column keeps what is particular to a row."""
    if yoy.empty:
        return HTML("<p><em>（无可比较的指标）</em></p>")
    common, own = split_notes(yoy["scope_note"].tolist())
    rows = []
    for r, note in zip(yoy.itertuples(index=False), own, strict=True):
        colour = _UP if r.direction == "up" else _DOWN if r.direction == "down" else "inherit"
        change = fmt_signed(r.abs_change, "", None)
        if r.unit == "元":
            change = fmt_signed(r.abs_change / 10000, "万元")
        elif r.unit == "%":
            change = fmt_signed(r.abs_change, "个百分点")
        else:
            change = fmt_signed(r.abs_change, r.unit)
        cells = [
            html.escape(r.indicator_name),
            _value_cell(f"{r.prev_year}年：{format_value(r.prev_value, r.unit, r.prev_approx)}",
                        getattr(r, "prev_correction_note", "")),
            _value_cell(f"{r.cur_year}年：{format_value(r.cur_value, r.unit, r.cur_approx)}",
                        getattr(r, "cur_correction_note", "")),
            f'<span style="color:{colour}">{html.escape(change)}</span>',
            f'<span style="color:{colour}">{html.escape(fmt_pct(r.pct_change))}</span>',
            html.escape(note),
        ]
        rows.append("<tr>" + "".join(f'<td class="num">{c}</td>' if 0 < i < 5 else f"<td>{c}</td>"
                                     for i, c in enumerate(cells)) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("指标", "上期", "本期", "增减", "变化率", "口径说明"))
    lead = f'<p class="scope-note">口径说明（适用于下表各行）：{html.escape("；".join(common))}。</p>' if common else ""
    return HTML(f'{lead}<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def cite(issuer: str, doc_number: str = "", source: str = "") -> str:
    """How evidence names its report: issuer and 文号, the file name only when there is no 文号.

    >>> cite("泉州市鲤城区司法局", "泉鲤司〔2024〕6号", "seeds/000.txt"), cite("厦门市司法局", "", "/in/004.txt")
    ('泉州市鲤城区司法局 泉鲤司〔2024〕6号', '厦门市司法局，文件004.txt')
    """
    if doc_number:
        return f"{issuer} {doc_number}"
    name = PurePath(str(source)).name
    return f"{issuer}，文件{name}" if name else issuer


def yoy_evidence(yoy: pd.DataFrame, reports: pd.DataFrame | None = None) -> HTML:
    """For each row: the narrative, then both evidence sentences (the number marked), cited by
    issuer and 文号 (``reports`` gives the 文号; the file name only as a last resort). Notes
    every row shares are left to the table above."""
    numbers = reports.set_index("report_id")["doc_number"].to_dict() if reports is not None else {}
    _, own = split_notes(yoy["scope_note"].tolist())
    blocks = []
    for r, own_note in zip(yoy.itertuples(index=False), own, strict=True):
        sides = []
        for year, sentence, raw, issuer, source, rid in (
            (r.prev_year, r.prev_sentence, r.prev_raw, r.prev_issuer, r.prev_source, r.prev_report_id),
            (r.cur_year, r.cur_sentence, r.cur_raw, r.cur_issuer, r.cur_source, r.cur_report_id),
        ):
            sides.append(
                f"<li><strong>{year}年</strong>（{html.escape(cite(issuer, str(numbers.get(rid, '') or ''), source))}）："
                f"“{with_mark(sentence, raw)}”</li>"
            )
        note = f'<p style="color:#57606a">{html.escape(own_note)}。</p>' if own_note else ""
        for year, fix in ((r.prev_year, getattr(r, "prev_correction_note", "")), (r.cur_year, getattr(r, "cur_correction_note", ""))):
            if fix:
                note += f'<p style="{_CORRECTED}">{year}年数值：{html.escape(fix)}</p>'
        blocks.append(f"<h4>{html.escape(r.narrative)}</h4><ul>{''.join(sides)}</ul>{note}")
    return HTML("".join(blocks) or "<p><em>（无）</em></p>")


def cross_table(cross: pd.DataFrame, per_capita: bool = True) -> HTML:
    """The cross-district frame as a reader's long table, one block of rows per indicator: value,
    rank among comparable regions (and on what basis), per 10,000 residents, why a row is not ranked."""
    columns = ["indicator_name", "region", "value", "rank", "rank_basis"]
    formats: dict[str, Any] = {"rank": lambda v: f"{int(v)}"}
    shown = cross.copy()
    shown["value"] = [format_value(v, u, a) for v, u, a in zip(cross["value"], cross["unit"], cross["approx"], strict=True)]
    shown["per_10k"] = ["" if _missing(v) else f"{fmt_number(v / 10000, 2)}万元" if u == "元" else f"{fmt_number(v, 2)}{u}"
                        for v, u in zip(cross["per_10k"], cross["unit"], strict=True)]
    if per_capita:
        columns += ["per_10k", "population_year", "per_capita_note"]
        formats["population_year"] = lambda v: f"{int(v)}"
    columns += ["compare_note", "issuer"]
    if "correction_note" in cross.columns:
        columns.append("correction_note")
    return table(shown, columns, formats=formats)


def cross_wide(cross: pd.DataFrame, per_capita: bool = True) -> HTML:
    """Indicators down, one column per region (values as the reports write them), then per
    10,000 residents per region (the header names the population year) and the ranking among
    comparable regions; a row's regions that are not comparable are not ranked."""
    if cross.empty:
        return HTML("<p><em>（无数据）</em></p>")
    regions = list(dict.fromkeys(cross.sort_values(["level", "region_code"])["region"]))
    years = cross.dropna(subset=["population_year"]).drop_duplicates("region").set_index("region")["population_year"]
    capita = per_capita and cross["per_10k"].notna().any()
    head = ["指标", *regions, "排名（同类地区之间）"]
    if capita:
        head += [f"{r}每万人" + (f"（{int(years[r])}年人口）" if r in years.index else "") for r in regions]
    rows = []
    for (_, name), group in cross.groupby(["indicator", "indicator_name"], sort=False):
        by_region = group.set_index("region")
        cells = [name]
        for region in regions:
            if region in by_region.index:
                r = by_region.loc[region]
                cells.append(format_value(r["value"], r["unit"], bool(r["approx"])))
            else:
                cells.append("")
        ranked = group[group["comparable"]]
        cells.append("；".join(f"{r}第{int(k)}" for r, k in zip(ranked["region"], ranked["rank"], strict=True))
                     + (f"（按{ranked['rank_basis'].iloc[0]}）" if len(ranked) else "不排名"))
        if capita:
            for region in regions:
                value = by_region.loc[region, "per_10k"] if region in by_region.index else math.nan
                unit = str(by_region.loc[region, "unit"]) if region in by_region.index else ""
                cells.append("" if _missing(value) else (f"{fmt_number(value / 10000, 2)}万元" if unit == "元"
                                                         else f"{fmt_number(value, 2)}{unit}"))
        rank_at = 1 + len(regions)
        rows.append("<tr>" + "".join(
            f'<td class="{"rank" if i == rank_at else "num" if i else "label"}">{html.escape(str(c))}</td>'
            for i, c in enumerate(cells)) + "</tr>")
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return HTML(f'<table class="dataframe"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def excel_link(path: Any) -> HTML:
    """The line naming the workbook, as a link next to the page: ``Excel 工作簿：<a>同比_….xlsx</a>``."""
    name = PurePath(str(path)).name
    return HTML(f'<p class="excel-link">Excel 工作簿：<a href="{html.escape(quote(name))}">{html.escape(name)}</a></p>')


def linked_table(frame: pd.DataFrame, columns: Sequence[str], links: Mapping[str, tuple[str, str]],
                 labels: Mapping[str, str] | None = None, formats: Mapping[str, Any] | None = None) -> HTML:
    """Like :func:`table`, with link cells: ``links`` maps a shown column to ``(href_column, text)``;
    a row whose href is empty shows no link. Hrefs are relative file names, escaped; nothing else changes.

    >>> f = pd.DataFrame({"name": ["<a>"], "page": ["p 1.html"]})
    >>> "<a href=\\"p 1.html\\">概况</a>" in linked_table(f, ["name", "page"], {"page": ("page", "概况")}).data
    True
    """
    shown = frame[list(dict.fromkeys([*columns, *(href for href, _ in links.values())]))].copy()
    anchors: dict[str, str] = {}
    for col, (href_col, text) in links.items():
        values = []
        for i, href in enumerate(frame[href_col].tolist()):
            href = "" if _missing(href) else str(href)
            if not href or re.match(r"^\s*(javascript|vbscript|data):", href, re.IGNORECASE):
                values.append("")
                continue
            token = f"\u2063link{col}{i}\u2063"
            anchors[html.escape(token)] = f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'
            values.append(token)
        shown[col] = values
    page = table(shown, columns, labels=labels, formats={**(formats or {}), **{c: str for c in links}}).data
    for token, anchor in anchors.items():
        page = page.replace(token, anchor)
    return HTML(page)
