"""Excel workbooks for staff: a 说明 sheet, then tidy data sheets that read well in Chinese.

The module knows frames and formats, nothing about notebooks or parsing::

    write_workbook(
        "reports/yoy.xlsx",
        [Sheet("同比", frame, columns={"region": ColumnFormat("地区"),
                                       "pct_change": ColumnFormat("变化率", kind="percent")},
               chart=ChartSpec("clustered", "region", ("previous", "current"), "法律援助案件"),
               highlight_change="pct_change")],
        about={"内容": "……", "数据来源": "……", "生成时间": "2025-01-01"},
        title="法治政府建设年度报告：同比",
    )

Every data sheet gets a bold, frozen header row (and, on request, frozen label columns), an
autofilter, column widths that count a Chinese character as two, rows as tall as their wrapped
text, number formats by column kind (or one per row, for long tables of mixed indicators),
printing on the page width with the header repeated and, on request, up/down colours, the
workbook's own formulas over its cells (增减 = 本期 − 上期) and native Excel charts (several per
sheet: small multiples). The 说明 sheet prints on one page.

Text is always text. A string from a report that looks like a formula (``=HYPERLINK(...)``,
``+1+1``, ``-2``, ``@SUM(A1)``, also after leading blanks, or starting with a tab or CR) is
stored as a string cell (``t="inlineStr"``, never ``<f>``) whose style carries Excel's
``quotePrefix`` flag: Excel and LibreOffice show it literally and keep it text when someone edits
the cell, and openpyxl reads back the very same string with ``data_type == 's'``. No apostrophe
is added to the value. Characters that XML cannot carry (control characters other than tab, LF
and CR) are replaced by a space.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reportlib.core.atomic import write_bytes_atomic
from reportlib.core.errors import ReportlibError

__all__ = [
    "ABOUT_SHEET",
    "ChartSpec",
    "ColumnFormat",
    "Sheet",
    "build_workbook",
    "cell_value",
    "clean_text",
    "display_width",
    "file_timestamp",
    "formula_text",
    "infer_decimals",
    "infer_kind",
    "looks_like_formula",
    "number_format",
    "workbook_bytes",
    "write_workbook",
]

ColumnKind = Literal["text", "int", "number", "percent", "yuan", "date", "plain", "bool"]
ChartKind = Literal["bar", "clustered", "line"]

ABOUT_SHEET = "说明"
MAX_WIDTH = 60  # widest data column, in Excel character units; longer text wraps
MIN_WIDTH = 6
EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
DEFAULT_TIMESTAMP = dt.datetime(2000, 1, 1)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

HEADER_FONT = Font(bold=True)
TOP = Alignment(vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
UP_FILL = PatternFill("solid", fgColor="C6EFCE")  # Excel's "Good" style
UP_FONT = Font(color="006100")
DOWN_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "Bad" style
DOWN_FONT = Font(color="9C0006")
CORRECTED_FILL = PatternFill("solid", fgColor="FFF2CC")  # a cell staff corrected (see reportlib.corpus.corrections)

_YEAR_NAME = re.compile(r"(^|_)year($|_)|年份|年度|^年$", re.IGNORECASE)
_FORMULA_START = re.compile(
    r"""
    ^[\t\r]            # a tab or carriage return first: Excel may strip it and see what follows
    | ^[ \t\r\n]*      # or, after any leading blanks and line breaks,
      [=+\-@]          # a character that starts a formula
    """,
    re.VERBOSE,
)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Bidirectional controls (embeddings, overrides, isolates, marks): in report text they only serve to
#: make a cell read differently from what it holds, so they are dropped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ColumnFormat:
    """How one column looks: Chinese header ``label``, value ``kind``, and optional overrides.

    kind: ``text`` | ``int`` (``#,##0``) | ``number`` (``#,##0.0`` …) | ``percent`` (percent
    numbers such as 99.9, shown ``99.9%`` without scaling) | ``yuan`` (``#,##0" 元"``) | ``date``
    (``yyyy-mm-dd``; ISO strings are converted) | ``plain`` (numbers without thousands
    separators: years, codes) | ``bool`` (是/否). ``None`` infers it from the column's dtype.
    ``decimals`` fixes the decimals of number/percent/yuan (default: the fewest, up to 2, that
    show every value exactly). ``width`` overrides the fitted width; ``wrap`` forces wrapping on
    or off (default: wrap when the content is wider than the cap).
    """

    label: str | None = None
    kind: ColumnKind | None = None
    decimals: int | None = None
    width: float | None = None
    wrap: bool | None = None
    #: one number format per row (a long table whose rows are different indicators: counts as
    #: ``#,##0``, a rate with the decimals its source gives); overrides ``kind``'s format
    row_formats: tuple[str, ...] | None = None
    #: an Excel formula written instead of the value wherever the value is not missing, with
    #: ``{column}`` standing for that column's cell in the same row: ``"{cur_value}-{prev_value}"``.
    #: The workbook's own formulas only; text from reports never becomes one.
    formula: str | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A native Excel chart of ``values`` columns against the ``category`` column.

    kind: ``bar`` (one or more series as bars), ``clustered`` (several series side by side, e.g.
    2023 vs 2024; the same chart type, named for intent) or ``line``. ``horizontal`` turns bars
    sideways, which suits long Chinese category names. Column names are frame column names.
    """

    kind: ChartKind
    category: str
    values: Sequence[str]
    title: str
    y_title: str | None = None
    x_title: str | None = None
    horizontal: bool = False
    #: frame rows ``(first, stop)`` the chart draws (default: all), for one chart per block of rows
    rows: tuple[int, int] | None = None
    #: the cell of the chart's top-left corner (default: beside or under the table)
    anchor: str | None = None
    #: size in cm (default: fitted to the number of bars)
    size: tuple[float, float] | None = None


@dataclass
class Sheet:
    """One data sheet: the whole ``frame`` (columns in frame order, index not written).

    ``columns`` maps frame column names to a :class:`ColumnFormat` or just a header label;
    names not in the frame are ignored, so one label dictionary can serve many sheets.
    ``highlight_change`` names numeric column(s) whose cells turn green when positive and red
    when negative. ``description`` is listed on the 说明 sheet.
    """

    name: str
    frame: pd.DataFrame
    columns: Mapping[str, ColumnFormat | str] | None = None
    chart: ChartSpec | None = None
    highlight_change: str | Sequence[str] | None = None
    description: str | None = None
    #: ``{value column: note column}``: a value cell whose row has a note is filled with
    #: :data:`CORRECTED_FILL` (so is the note), e.g. ``{"value": "correction_note"}``.
    marks: Mapping[str, str] | None = None
    #: more charts (small multiples: one per indicator, each over its own ``rows``)
    charts: Sequence[ChartSpec] = ()
    #: label columns frozen at the left with the header row (region, indicator …)
    freeze_columns: int = 0


@dataclass
class _Column:
    """A column resolved for writing."""

    name: str
    label: str
    kind: ColumnKind
    fmt: ColumnFormat
    values: list[Any] = field(default_factory=list)
    number_format: str = "General"


# ---------------------------------------------------------------------------- small pure helpers


def display_width(text: str) -> int:
    """Width of the longest line of ``text`` in Excel character units: CJK and full-width count 2.

    >>> display_width("abc"), display_width("法律援助"), display_width("367件（约）")
    (3, 8, 11)
    >>> display_width("短\\n一行更长的文字")
    14
    """
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula rather than text.

    >>> [looks_like_formula(s) for s in ["=1+1", "+1", "-2", "@SUM(A1)", "  =1", "\\t=1", "\\rx", "\\n-3"]]
    [True, True, True, True, True, True, True, True]
    >>> [looks_like_formula(s) for s in ["法律援助", "1+1", "a=b", "＝1", "", " "]]
    [False, False, False, False, False, False]
    """
    return bool(_FORMULA_START.match(text))


def clean_text(text: str) -> str:
    """``text`` as a cell can hold it: XML-illegal control characters become spaces, and text
    beyond Excel's 32,767 characters is cut with an ellipsis.

    >>> clean_text("第一页\\x0c第二页\\t（续）"), clean_text("案件\\u202e件763")
    ('第一页 第二页\\t（续）', '案件件763')
    >>> len(clean_text("字" * 40_000))
    32767
    """
    text = _BIDI_CONTROLS.sub("", _ILLEGAL_XML.sub(" ", text))
    if len(text) > EXCEL_MAX_CHARS:
        text = text[: EXCEL_MAX_CHARS - 1] + "…"
    return text


def is_missing(value: Any) -> bool:
    """True for None, NaN, NA, NaT and infinities: they become empty cells.

    >>> [is_missing(v) for v in [None, float("nan"), pd.NA, pd.NaT, np.inf, 0, "", "x"]]
    [True, True, True, True, True, False, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return not math.isfinite(value)
    return False


def infer_decimals(values: Iterable[Any], most: int = 2) -> int:
    """The fewest decimals (at most ``most``) that show every number in ``values`` exactly.

    >>> infer_decimals([367, 283.0, None]), infer_decimals([99.9, 100]), infer_decimals([-22.888])
    (0, 1, 2)
    """
    needed = 0
    for value in values:
        if is_missing(value) or isinstance(value, str | bool | np.bool_):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        while needed < most and abs(number * 10**needed - round(number * 10**needed)) > 1e-6:
            needed += 1
    return needed


def number_format(kind: ColumnKind, decimals: int = 0) -> str:
    """The Excel number format for a column kind.

    >>> number_format("int"), number_format("number", 1), number_format("percent", 1)
    ('#,##0', '#,##0.0', '0.0"%"')
    >>> number_format("yuan"), number_format("yuan", 2), number_format("date"), number_format("text")
    ('#,##0" 元"', '#,##0.00" 元"', 'yyyy-mm-dd', '@')
    """
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return {
        "int": "#,##0",
        "number": f"#,##0{fraction}",
        "percent": f'0{fraction}"%"',
        "yuan": f'#,##0{fraction}" 元"',
        "date": "yyyy-mm-dd",
        "plain": "General",
        "bool": "General",
        "text": "@",
    }[kind]


def infer_kind(name: str, series: pd.Series) -> ColumnKind:
    """A column kind from the dtype, or from the values of an object/string column: numbers
    (also ``Decimal``) are numeric, ISO ``YYYY-MM-DD`` strings are dates. Numeric columns named
    like a year (``report_year``, ``年份``) are ``plain``, so 2024 is not shown as 2,024.

    >>> infer_kind("report_year", pd.Series([2023, 2024])), infer_kind("value", pd.Series([1, 2]))
    ('plain', 'int')
    >>> infer_kind("approx", pd.Series([True])), infer_kind("sentence", pd.Series(["句子"]))
    ('bool', 'text')
    >>> infer_kind("value", pd.Series([Decimal("502.4"), None], dtype=object))
    'number'
    >>> infer_kind("issued_date", pd.Series(["2024-03-31", ""])), infer_kind("x", pd.Series(["", None]))
    ('date', 'text')
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_numeric_dtype(dtype):
        if _YEAR_NAME.search(name):
            return "plain"
        return "int" if pd.api.types.is_integer_dtype(dtype) else "number"
    present = [v for v in series.tolist() if not is_missing(v) and v != ""]
    if not present:
        return "text"
    inferred = pd.api.types.infer_dtype(present, skipna=True)
    if inferred in ("integer", "decimal", "floating", "mixed-integer-float"):
        if _YEAR_NAME.search(name):
            return "plain"
        return "int" if inferred == "integer" else "number"
    if inferred == "boolean":
        return "bool"
    if inferred in ("date", "datetime", "datetime64"):
        return "date"
    if inferred == "string" and all(_ISO_DATE.fullmatch(v) for v in present):
        return "date"
    return "text"


def _plain_python(value: Any) -> Any:
    """numpy scalars as Python scalars; Timestamps as naive datetimes."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value


def cell_value(value: Any, kind: ColumnKind) -> Any:
    """What goes into the cell for ``value`` in a column of ``kind`` (``None`` = empty).

    >>> cell_value(float("nan"), "int") is None, cell_value(True, "bool"), cell_value(12, "text")
    (True, '是', '12')
    >>> cell_value("2024-03-31", "date"), cell_value("2024年3月", "date"), cell_value(np.int64(3), "int")
    (datetime.date(2024, 3, 31), '2024年3月', 3)
    """
    if is_missing(value):
        return None
    value = _plain_python(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if kind == "date":
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            return value.date()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return value
        return value
    if isinstance(value, int | float | Decimal | dt.date | str):
        return value
    return str(value)


def file_timestamp(when: dt.datetime | dt.date | None) -> dt.datetime:
    """The workbook's created/modified time: naive UTC, whole seconds, a fixed date by default.

    >>> file_timestamp(None), file_timestamp(dt.date(2025, 1, 2))
    (datetime.datetime(2000, 1, 1, 0, 0), datetime.datetime(2025, 1, 2, 0, 0))
    >>> file_timestamp(dt.datetime(2025, 1, 2, 8, 0, 5, 123, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    datetime.datetime(2025, 1, 2, 0, 0, 5)
    """
    if when is None:
        return DEFAULT_TIMESTAMP
    if not isinstance(when, dt.datetime):
        return dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


# ---------------------------------------------------------------------------- cells and sheets


def _put(cell: Cell, value: Any) -> None:
    """Store ``value``; strings always as strings (never formulas), formula-like ones quote-prefixed."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error: undo
        if looks_like_formula(text) or text in _ERROR_CODES:
            cell.quotePrefix = True
    else:
        cell.value = value


def _resolve_columns(sheet: Sheet) -> list[_Column]:
    formats = sheet.columns or {}
    resolved = []
    for position, name in enumerate(sheet.frame.columns):
        fmt = formats.get(name, ColumnFormat())
        if isinstance(fmt, str):
            fmt = ColumnFormat(label=fmt)
        series = sheet.frame.iloc[:, position]
        kind = fmt.kind or infer_kind(str(name), series)
        column = _Column(name=name, label=fmt.label or str(name), kind=kind, fmt=fmt)
        column.values = [cell_value(v, kind) for v in series.tolist()]
        if kind in ("number", "percent", "yuan"):
            decimals = fmt.decimals if fmt.decimals is not None else infer_decimals(column.values)
            if kind == "percent" and fmt.decimals is None:
                decimals = max(decimals, 1)
            column.number_format = number_format(kind, decimals)
        else:
            column.number_format = number_format(kind)
        resolved.append(column)
    return resolved


def _shown(value: Any, column: _Column) -> str:
    """Roughly what Excel shows for ``value``, to measure the column width."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return "2024-12-31"
    fmt = column.number_format
    if isinstance(value, int | float | Decimal) and fmt != "General":
        decimals = len(fmt.split(".")[1].split('"')[0]) if "." in fmt else 0
        suffix = '"'.join(fmt.split('"')[1:-1])
        grouping = "," if "#,##0" in fmt else ""
        return f"{float(value):{grouping}.{decimals}f}{suffix}"
    return str(value)


#: A header wider than this wraps (its row grows) instead of widening its column.
HEADER_MAX_WIDTH = 18
#: Points per line of text: rows that wrap get the height of their longest cell, since
#: LibreOffice does not grow a row for wrapped text on its own when it opens the file.
LINE_HEIGHT = 15.0


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping column ``width`` characters wide.

    >>> wrapped_lines("法律援助案件", 20), wrapped_lines("法律援助案件" * 4, 20), wrapped_lines("甲\\n乙", 20)
    (1, 3, 2)
    """
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in str(text).split("\n"))


def _fit_widths(ws: Worksheet, columns: list[_Column]) -> None:
    heights = [1] * (max((len(c.values) for c in columns), default=0) + 1)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        content = max((display_width(_shown(v, column)) for v in column.values), default=0)
        header = min(display_width(column.label), HEADER_MAX_WIDTH) + 3  # room for the filter button
        wanted = max(content + 2, header, MIN_WIDTH)
        width = column.fmt.width or min(wanted, MAX_WIDTH)
        ws.column_dimensions[letter].width = width
        heights[0] = max(heights[0], wrapped_lines(column.label, width - 3))
        wrap = column.fmt.wrap if column.fmt.wrap is not None else wanted > width
        if wrap:
            alignment = Alignment(wrap_text=True, vertical="top")
            for row, value in enumerate(column.values, start=2):
                ws.cell(row=row, column=index).alignment = alignment
                if isinstance(value, str):
                    heights[row - 1] = max(heights[row - 1], wrapped_lines(value, width))
    for row, lines in enumerate(heights, start=1):
        if lines > 1:
            ws.row_dimensions[row].height = min(409.0, LINE_HEIGHT * lines + 2)


def _highlight(ws: Worksheet, columns: list[_Column], names: Sequence[str]) -> None:
    for index, column in enumerate(columns, start=1):
        if column.name not in names:
            continue
        for row, value in enumerate(column.values, start=2):
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value != 0:
                cell = ws.cell(row=row, column=index)
                cell.fill, cell.font = (UP_FILL, UP_FONT) if value > 0 else (DOWN_FILL, DOWN_FONT)


def _mark(ws: Worksheet, columns: list[_Column], marks: Mapping[str, str]) -> None:
    position = {column.name: index for index, column in enumerate(columns, start=1)}
    for value_col, note_col in marks.items():
        if value_col not in position or note_col not in position:
            continue
        notes = columns[position[note_col] - 1].values
        for row, note in enumerate(notes, start=2):
            if isinstance(note, str) and note:
                ws.cell(row=row, column=position[value_col]).fill = CORRECTED_FILL
                ws.cell(row=row, column=position[note_col]).fill = CORRECTED_FILL


def _add_chart(ws: Worksheet, columns: list[_Column], spec: ChartSpec, n_rows: int) -> None:
    if n_rows == 0:
        return
    first, stop = spec.rows or (0, n_rows)
    if stop <= first:
        return
    position = {column.name: index for index, column in enumerate(columns, start=1)}
    chart: BarChart | LineChart
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if spec.horizontal else "col"
        chart.grouping = "clustered"
    for name in spec.values:
        if spec.rows is None:
            chart.add_data(Reference(ws, min_col=position[name], min_row=1, max_row=n_rows + 1), titles_from_data=True)
        else:
            chart.add_data(Reference(ws, min_col=position[name], min_row=first + 2, max_row=stop + 1))
    chart.set_categories(Reference(ws, min_col=position[spec.category], min_row=first + 2, max_row=stop + 1))
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.x_axis.title = spec.x_title
    chart.x_axis.delete = False  # openpyxl ≥3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # category labels at the edge, clear of negative bars
    if len(spec.values) == 1:
        chart.legend = None
    bars = stop - first
    if spec.horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
        chart.width, chart.height = 16, max(7.5, 0.6 * bars + 3)
    else:
        chart.width, chart.height = max(16, 1.2 * bars * len(spec.values) + 4), 8.5
    if spec.size:
        chart.width, chart.height = spec.size
    ws.add_chart(chart, spec.anchor or chart_anchor(len(columns), n_rows))


#: Sheets wider than this get their chart under the table, where it is seen without scrolling.
CHART_BESIDE_MAX_COLUMNS = 8


def chart_anchor(n_columns: int, n_rows: int) -> str:
    """The cell a chart's top-left corner sits on: beside a narrow table, under a wide one.

    >>> chart_anchor(3, 10), chart_anchor(20, 7)
    ('E2', 'A10')
    """
    if n_columns <= CHART_BESIDE_MAX_COLUMNS:
        return f"{get_column_letter(n_columns + 2)}2"
    return f"A{n_rows + 3}"


def _highlighted(sheet: Sheet) -> list[str]:
    if isinstance(sheet.highlight_change, str):
        return [sheet.highlight_change]
    return list(sheet.highlight_change or [])


def _check_sheet(sheet: Sheet, seen: set[str]) -> None:
    name = sheet.name
    problem = None
    if not 1 <= len(name) <= 31:
        problem = "must be 1 to 31 characters long"
    elif _BAD_SHEET_CHARS.search(name) or name.startswith("'") or name.endswith("'"):
        problem = "must not contain [ ] : * ? / \\ or start/end with an apostrophe"
    elif name.casefold() in seen:
        problem = f"is used twice (or clashes with the {ABOUT_SHEET} sheet)"
    if problem:
        raise ReportlibError(f"Excel sheet name {name!r} {problem}; choose another name.")
    seen.add(name.casefold())
    columns = list(sheet.frame.columns)
    wanted = _highlighted(sheet)
    for chart in _charts(sheet):
        wanted += [chart.category, *chart.values]
    formats = sheet.columns or {}
    for name, fmt in formats.items():
        if isinstance(fmt, ColumnFormat) and name in columns:
            if fmt.row_formats is not None and len(fmt.row_formats) != len(sheet.frame):
                raise ReportlibError(f"Sheet {sheet.name!r}: column {name!r} has {len(fmt.row_formats)} row formats "
                                     f"for {len(sheet.frame)} rows.")
            if fmt.formula:
                wanted += re.findall(r"\{(\w+)\}", fmt.formula)
    missing = [column for column in wanted if column not in columns]
    if missing:
        raise ReportlibError(
            f"Sheet {sheet.name!r}: chart/highlight columns {missing} are not in the frame {columns}."
        )
    if len(sheet.frame) + 1 > EXCEL_MAX_ROWS:
        raise ReportlibError(f"Sheet {sheet.name!r}: {len(sheet.frame)} rows do not fit in one Excel sheet.")


def _charts(sheet: Sheet) -> list[ChartSpec]:
    return ([sheet.chart] if sheet.chart is not None else []) + list(sheet.charts)


def formula_text(template: str, letters: Mapping[str, str], row: int) -> str:
    """A column formula for one row: ``{name}`` becomes that column's cell.

    >>> formula_text("{cur}-{prev}", {"cur": "F", "prev": "D"}, 2)
    '=F2-D2'
    >>> formula_text('IF({prev}=0,"",({cur}-{prev})/{prev})', {"cur": "F", "prev": "D"}, 7)
    '=IF(D7=0,"",(F7-D7)/D7)'
    """
    body = re.sub(r"\{(\w+)\}", lambda m: f"{letters[m.group(1)]}{row}", template)
    return body if body.startswith("=") else "=" + body


def _set_print_layout(ws: Worksheet, title_rows: str | None) -> None:
    """Landscape, every column on the page width (as many pages down as needed), header rows repeated."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _write_data_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = _resolve_columns(sheet)
    letters = {column.name: get_column_letter(index) for index, column in enumerate(columns, start=1)}
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        _put(cell, column.label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, header_alignment
        row_formats = column.fmt.row_formats
        for row, value in enumerate(column.values, start=2):
            cell = ws.cell(row=row, column=index)
            cell.alignment = TOP  # a row that grows for wrapped text keeps its numbers level with it
            if column.fmt.formula and value is not None and not isinstance(value, str):
                cell.value = formula_text(column.fmt.formula, letters, row)  # our own formula, never report text
                cell.data_type = "f"
            else:
                _put(cell, value)
            if isinstance(value, str):
                cell.number_format = "@"
            else:
                cell.number_format = row_formats[row - 2] if row_formats else column.number_format
    n_rows = len(sheet.frame)
    last = get_column_letter(max(len(columns), 1))
    ws.freeze_panes = f"{get_column_letter(min(sheet.freeze_columns, len(columns)) + 1)}2"
    ws.auto_filter.ref = f"A1:{last}{n_rows + 1}"
    _set_print_layout(ws, "1:1")
    if sheet.freeze_columns:
        ws.print_title_cols = f"A:{get_column_letter(min(sheet.freeze_columns, len(columns)))}"
    _fit_widths(ws, columns)
    _highlight(ws, columns, _highlighted(sheet))
    _mark(ws, columns, sheet.marks or {})
    for chart in _charts(sheet):
        _add_chart(ws, columns, chart, n_rows)


def _write_about_sheet(ws: Worksheet, title: str, rows: list[tuple[str, str]]) -> None:
    _put(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    top = Alignment(vertical="top", wrap_text=True)
    for row, (key, value) in enumerate(rows, start=3):
        key_cell, value_cell = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
        _put(key_cell, key)
        _put(value_cell, value)
        key_cell.font, key_cell.alignment, value_cell.alignment = HEADER_FONT, top, top
    key_width = min(30, max([12, *(display_width(k) + 2 for k, _ in rows)]))
    ws.column_dimensions["A"].width = key_width
    ws.column_dimensions["B"].width = 90
    for row, (key, value) in enumerate(rows, start=3):
        lines = max(wrapped_lines(value, 90), wrapped_lines(key, key_width))
        if lines > 1:
            ws.row_dimensions[row].height = min(409.0, LINE_HEIGHT * lines + 2)
    # on one page: the value column wraps, the page is as wide and as tall as the text
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _about_rows(
    about: Mapping[str, Any] | Iterable[tuple[str, Any]], sheets: Sequence[Sheet]
) -> list[tuple[str, str]]:
    pairs = about.items() if isinstance(about, Mapping) else about
    rows = [(str(key), "" if is_missing(value) else str(value)) for key, value in pairs]
    rows += [(f"工作表「{s.name}」", s.description) for s in sheets if s.description]
    return rows


# ---------------------------------------------------------------------------- public entry points


def build_workbook(
    sheets: Sequence[Sheet],
    about: Mapping[str, Any] | Iterable[tuple[str, Any]],
    title: str,
    timestamp: dt.datetime | dt.date | None = None,
) -> Workbook:
    """An openpyxl Workbook: the 说明 sheet (``title``, then ``about`` rows in order, then sheet
    descriptions) followed by one formatted sheet per :class:`Sheet`.

    ``timestamp`` becomes the file's created/modified time (default: a fixed date, so the same
    input gives the same workbook). Raises :class:`ReportlibError` for an unusable sheet name or
    a chart/highlight column that is not in the frame.
    """
    seen = {ABOUT_SHEET.casefold()}
    for sheet in sheets:
        _check_sheet(sheet, seen)
    wb = Workbook()
    about_ws = wb.active
    about_ws.title = ABOUT_SHEET
    _write_about_sheet(about_ws, title, _about_rows(about, sheets))
    for sheet in sheets:
        _write_data_sheet(wb.create_sheet(sheet.name), sheet)
    wb.active = 0
    wb.properties.created = wb.properties.modified = file_timestamp(timestamp)
    wb.properties.creator = wb.properties.lastModifiedBy = "reportlib"
    wb.properties.title = clean_text(title)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx file for ``wb``, reproducible: the workbook's own timestamps are kept and every
    zip entry gets the same fixed date, so equal workbooks give equal bytes."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def write_workbook(
    path: str | Path,
    sheets: Sequence[Sheet],
    about: Mapping[str, Any] | Iterable[tuple[str, Any]],
    title: str,
    timestamp: dt.datetime | dt.date | None = None,
) -> Path:
    """Write the workbook of :func:`build_workbook` to ``path`` atomically; return the path."""
    return write_bytes_atomic(path, workbook_bytes(build_workbook(sheets, about, title, timestamp)))
