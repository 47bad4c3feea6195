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
from typing import Any

import pandas as pd
from IPython.display import HTML

from reportlib.analysis import LABELS, format_value, readable_codes

__all__ = [
    "MINUS",
    "bullets",
    "cross_table",
    "fmt_number",
    "fmt_pct",
    "fmt_signed",
    "message",
    "table",
    "with_mark",
    "yoy_evidence",
    "yoy_table",
]

MINUS = "\u2212"  # the typographic minus sign: −84
_UP, _DOWN = "#2e7d32", "#c62828"


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: Any, decimals: int | None = None) -> str:
    """Thousands separators and at most two decimals (or exactly ``decimals``); empty when missing.

    >>> fmt_number(5024000.0), fmt_number(99.78), fmt_number(17.518009), fmt_number(float("nan"))
    ('5,024,000', '99.78', '17.52', '')
    """
    if _missing(value):
        return ""
    if decimals is not None:
        return f"{float(value):,.{decimals}f}"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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
    return fmt_signed(value, "%", 1)


def table(frame: pd.DataFrame, columns: Sequence[str] | None = None, labels: Mapping[str, str] | None = None,
          formats: Mapping[str, Any] | None = None) -> HTML:
    """``frame`` (optionally only ``columns``) as an escaped HTML table with Chinese headers.

    ``formats`` maps a column to a function from value to display text; numbers default to
    :func:`fmt_number`, booleans to 是/否.
    """
    labels = {**LABELS, **(labels or {})}
    formats = dict(formats or {})
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
            shown[col] = series.map(lambda v: "" if _missing(v) else str(v))
    shown.columns = [labels.get(str(c), str(c)) for c in view.columns]
    if shown.empty:
        return HTML("<p><em>（无数据）</em></p>")
    return HTML(shown.to_html(escape=True, index=False, border=0, na_rep=""))


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
    from reportlib.normalize import squeezed

    key = squeezed(raw) if raw else ""
    found = re.search(r"\s*".join(map(re.escape, key)), sentence) if key else None
    if found is None:
        return html.escape(sentence)
    at, end = found.span()
    return html.escape(sentence[:at]) + f"<mark>{html.escape(sentence[at:end])}</mark>" + html.escape(sentence[end:])


def yoy_table(yoy: pd.DataFrame) -> HTML:
    """The year-over-year frame as a reader's table: 指标, 上期, 本期, 增减, 变化率, 口径说明."""
    if yoy.empty:
        return HTML("<p><em>（无可比较的指标）</em></p>")
    rows = []
    for r in yoy.itertuples(index=False):
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
            html.escape(f"{r.prev_year}年：{format_value(r.prev_value, r.unit, r.prev_approx)}"),
            html.escape(f"{r.cur_year}年：{format_value(r.cur_value, r.unit, r.cur_approx)}"),
            f'<span style="color:{colour}">{html.escape(change)}</span>',
            f'<span style="color:{colour}">{html.escape(fmt_pct(r.pct_change))}</span>',
            html.escape(r.scope_note),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("指标", "上期", "本期", "增减", "变化率", "口径说明"))
    return HTML(f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def yoy_evidence(yoy: pd.DataFrame) -> HTML:
    """For each row: the narrative, then both evidence sentences (the number marked), issuer and file."""
    blocks = []
    for r in yoy.itertuples(index=False):
        sides = []
        for year, sentence, raw, issuer, source in (
            (r.prev_year, r.prev_sentence, r.prev_raw, r.prev_issuer, r.prev_source),
            (r.cur_year, r.cur_sentence, r.cur_raw, r.cur_issuer, r.cur_source),
        ):
            sides.append(
                f"<li><strong>{year}年</strong>（{html.escape(issuer)}，{html.escape(source)}）："
                f"“{with_mark(sentence, raw)}”</li>"
            )
        note = f'<p style="color:#57606a">{html.escape(r.scope_note)}</p>' if r.scope_note else ""
        blocks.append(f"<h4>{html.escape(r.narrative)}</h4><ul>{''.join(sides)}</ul>{note}")
    return HTML("".join(blocks) or "<p><em>（无）</em></p>")


def cross_table(cross: pd.DataFrame, per_capita: bool = True) -> HTML:
    """The cross-district frame as a reader's table, one block of rows per indicator."""
    columns = ["indicator_name", "region", "value", "rank"]
    formats: dict[str, Any] = {"rank": lambda v: f"{int(v)}"}
    shown = cross.copy()
    shown["value"] = [format_value(v, u, a) for v, u, a in zip(cross["value"], cross["unit"], cross["approx"], strict=True)]
    if per_capita:
        columns += ["per_10k", "population_year", "per_capita_note"]
        formats["population_year"] = lambda v: f"{int(v)}"
    columns += ["level_note", "issuer"]
    return table(shown, columns, formats=formats)


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
