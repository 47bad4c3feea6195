"""Charts with Chinese labels: a CJK font shipped inside the ``mplfonts`` package, never an OS font.

Call :func:`setup_matplotlib` once before drawing (the chart helpers here call it for you);
afterwards 法律援助案件 renders as text instead of empty boxes and missing-glyph warnings.
"""

from __future__ import annotations

import importlib.resources
import io
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from reportlib.core.errors import ReportlibError

__all__ = [
    "CJK_FONT_FILE",
    "bar_chart",
    "change_chart",
    "cjk_font_name",
    "cjk_font_path",
    "format_number",
    "percent_label",
    "setup_matplotlib",
    "small_multiples",
]

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
"""The font file inside ``mplfonts/fonts/`` used for every chart."""

UP_COLOUR = "#2e7d32"  # green: the value went up
DOWN_COLOUR = "#c62828"  # red: the value went down
BAR_COLOUR = "#4c72b0"


def cjk_font_path() -> Path:
    """The Noto Sans CJK SC font file that ships with the ``mplfonts`` package.

    Raises :class:`ReportlibError` saying how to fix it when the package or the file is missing.
    """
    try:
        fonts = importlib.resources.files("mplfonts") / "fonts"
    except ModuleNotFoundError as exc:
        raise ReportlibError(
            "The Python package 'mplfonts' is not installed, so charts cannot show Chinese. "
            "Install the project's dependencies (make reports sets up .venv) or `pip install mplfonts`."
        ) from exc
    path = Path(str(fonts / CJK_FONT_FILE))
    if not path.is_file():
        raise ReportlibError(
            f"The CJK font {CJK_FONT_FILE} is missing from the mplfonts package ({path.parent}). "
            "Reinstall it with `pip install --force-reinstall mplfonts`."
        )
    return path


def cjk_font_name() -> str:
    """The family name matplotlib knows the CJK font by (``'Noto Sans CJK SC'``)."""
    return font_manager.FontProperties(fname=cjk_font_path()).get_name()


def setup_matplotlib() -> str:
    """Register the CJK font with matplotlib and make it the first sans-serif family.

    Idempotent: the font is added once per process; the rcParams are (re)applied on every call,
    so a notebook that reset its style can simply call it again. Inside Jupyter it also makes a
    returned Figure display as a PNG. Returns the family name.
    """
    path = cjk_font_path()
    if not any(Path(entry.fname) == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    name = cjk_font_name()
    others = [family for family in matplotlib.rcParams["font.sans-serif"] if family != name]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    # DejaVu Sans stays as a per-glyph fallback for symbols the CJK font lacks.
    matplotlib.rcParams["font.sans-serif"] = [name, *others]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["text.parse_math"] = False  # text from reports ($…$ in a heading) is never math text
    _show_figures_in_notebooks()
    return name


def _figure_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _show_figures_in_notebooks() -> None:
    """Inside IPython/Jupyter, let a returned Figure display as a PNG (once), pyplot or not.

    The inline backend only registers its formatter after pyplot has been used, so a notebook
    whose first chart comes from :func:`bar_chart` would otherwise show ``<Figure ...>``.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)
    except KeyError:
        png.for_type(Figure, _figure_png)


def format_number(value: float, signed: bool = False) -> str:
    """A bar label: thousands separators, at most two decimals, empty for a missing value.

    >>> format_number(5024000.0), format_number(99.95), format_number(-22.888, signed=True)
    ('5,024,000', '99.95', '-22.89')
    >>> format_number(84.0, signed=True), format_number(0.0, signed=True), format_number(float("nan"))
    ('+84', '0', '')
    """
    if not math.isfinite(value):
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if signed and value > 0:
        text = "+" + text
    return text


def percent_label(value: float) -> str:
    """A percent change as the table and the narrative round it (one decimal, ``−`` minus).

    >>> percent_label(-22.888), percent_label(29.7), percent_label(float("nan"))
    ('−22.9%', '+29.7%', '')
    """
    from reportlib.outputs.analysis import format_pct

    return format_pct(value)


def small_multiples(
    df: pd.DataFrame,
    panel: str,
    category: str,
    value: str,
    title: str,
    *,
    unit: str | None = None,
    label: str | None = None,
    columns: int = 2,
    highlight: str | None = None,
) -> Figure:
    """One small horizontal bar chart per value of ``panel`` (an indicator), each on its own scale,
    so that 3,454 disputes do not make 7 requests an invisible bar. ``unit`` names a column whose
    first value per panel goes into the panel title; ``label`` a column of ready bar labels;
    ``highlight`` a boolean column: bars where it is false are drawn grey (e.g. not ranked).
    """
    setup_matplotlib()
    panels = list(dict.fromkeys(df[panel]))
    n = max(len(panels), 1)
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    tallest = max((int((df[panel] == p).sum()) for p in panels), default=1)
    height = max(1.6, 0.38 * tallest + 1.0)
    fig = Figure(figsize=(5.2 * cols, height * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for i, name in enumerate(panels):
        ax = axes[i // cols][i % cols]
        part = df[df[panel] == name]
        values = pd.to_numeric(part[value], errors="coerce").astype(float).tolist()
        colours = [BAR_COLOUR if highlight is None or bool(h) else "#b0b7c3"
                   for h in (part[highlight] if highlight else [True] * len(part))]
        bars = ax.barh(range(len(part)), values, color=colours)
        texts = part[label].astype(str).tolist() if label else [format_number(v) for v in values]
        ax.bar_label(bars, labels=texts, padding=2, fontsize=8)
        ax.set_yticks(range(len(part)), part[category].astype(str).tolist())
        ax.invert_yaxis()
        ax.margins(x=0.3)
        shown_unit = str(part[unit].iloc[0]) if unit and len(part) and str(part[unit].iloc[0]) else ""
        ax.set_title(f"{name}" + (f"（{shown_unit}）" if shown_unit else ""), fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for j in range(len(panels), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    fig.suptitle(title)
    return fig


def _new_figure(n_categories: int, horizontal: bool) -> Figure:
    """A pyplot-free figure (so a notebook shows it once) sized for ``n_categories`` bars."""
    setup_matplotlib()
    if horizontal:
        size = (8.0, max(2.5, 0.45 * n_categories + 1.2))
    else:
        size = (max(6.0, 0.6 * n_categories + 2.0), 4.5)
    return Figure(figsize=size, layout="constrained")


def axis_label(column: str) -> str:
    """A column's name as readers see it on an axis: its Chinese label, or nothing for a code name.

    >>> axis_label("region"), axis_label("indicator_name"), axis_label("label"), axis_label("pct_change_x")
    ('地区', '指标', '报告', '')
    """
    from reportlib.outputs.analysis import LABELS

    label = LABELS.get(column, column)
    return "" if label.isascii() else label


def bar_chart(
    df: pd.DataFrame,
    x: str,
    y: str | Sequence[str],
    title: str,
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    horizontal: bool = False,
    labels: bool = True,
) -> Figure:
    """A bar chart of ``y`` (one column, or several side by side) per value of ``x``.

    ``labels`` writes each value on its bar. Missing values are drawn as gaps.
    """
    columns = [y] if isinstance(y, str) else list(y)
    categories = df[x].astype(str).tolist()
    fig = _new_figure(len(categories), horizontal)
    ax = fig.subplots()
    width = 0.8 / len(columns)
    positions = range(len(categories))
    for i, column in enumerate(columns):
        values = pd.to_numeric(df[column], errors="coerce").astype(float).tolist()
        offset = [p - 0.4 + width * (i + 0.5) for p in positions]
        draw = ax.barh if horizontal else ax.bar
        colour = BAR_COLOUR if len(columns) == 1 else None
        bars = draw(offset, values, width, label=str(column), color=colour)
        if labels:
            ax.bar_label(bars, labels=[format_number(v) for v in values], padding=2, fontsize=8)
    tick_setter = ax.set_yticks if horizontal else ax.set_xticks
    tick_setter(list(positions), categories)
    if horizontal:
        ax.invert_yaxis()  # first row on top, as in the table
        ax.margins(x=0.12)
    elif max((len(c) for c in categories), default=0) > 4:
        ax.tick_params(axis="x", labelrotation=30)
    if len(columns) > 1:
        ax.legend()
    ax.set_title(title)
    ax.set_xlabel(xlabel if xlabel is not None else ("" if horizontal else axis_label(x)))
    ax.set_ylabel(ylabel if ylabel is not None else (axis_label(x) if horizontal else ""))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def change_chart(
    df: pd.DataFrame,
    category: str,
    change: str,
    title: str,
    *,
    xlabel: str | None = None,
    percent: bool = True,
) -> Figure:
    """Horizontal bars of a signed change per category: green for up, red for down.

    ``percent`` formats the bar labels as percent numbers (``-22.9%``); values are already
    percent numbers, not fractions.
    """
    categories = df[category].astype(str).tolist()
    values = pd.to_numeric(df[change], errors="coerce").astype(float).tolist()
    fig = _new_figure(len(categories), horizontal=True)
    ax = fig.subplots()
    colours = [UP_COLOUR if v > 0 else DOWN_COLOUR if v < 0 else "#9e9e9e" for v in values]
    bars = ax.barh(range(len(categories)), values, color=colours)
    texts = [(percent_label(v) if percent else format_number(v, signed=True)) for v in values]
    ax.bar_label(bars, labels=texts, padding=2, fontsize=8)
    ax.set_yticks(range(len(categories)), categories)
    ax.invert_yaxis()
    ax.axvline(0, color="#424242", linewidth=0.8)
    ax.margins(x=0.15)  # room for the value labels at both ends
    ax.set_title(title)
    ax.set_xlabel(xlabel if xlabel is not None else axis_label(change))
    ax.spines[["top", "right"]].set_visible(False)
    return fig
