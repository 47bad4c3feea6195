"""Chinese chart labels render with the bundled CJK font, with no missing-glyph warning."""

from __future__ import annotations

import io
import types
import warnings

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from reportlib.core.errors import ReportlibError
from reportlib.outputs import plotting

CHINESE = "鲤城区 法律援助案件（件）−84"


def _render_png(fig: Figure) -> bytes:
    """Render to PNG with every warning turned into an error."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue()


@pytest.fixture
def restore_rc():
    with matplotlib.rc_context():
        yield


def test_font_ships_with_mplfonts():
    path = plotting.cjk_font_path()
    assert path.is_file()
    assert "mplfonts" in path.parts
    assert plotting.cjk_font_name() == "Noto Sans CJK SC"


def test_without_setup_a_glyph_is_missing(restore_rc):
    """The control: the check below would notice a missing glyph."""
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    fig = Figure()
    fig.subplots().set_title(CHINESE)
    with pytest.raises(UserWarning, match=r"Glyph .* missing"):
        _render_png(fig)


def test_setup_renders_chinese_without_warnings(restore_rc):
    name = plotting.setup_matplotlib()
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    fig = Figure()
    ax = fig.subplots()
    ax.bar(["鲤城区", "丰泽区"], [283, -5])
    ax.set_title(CHINESE)
    ax.set_ylabel("件数")
    png = _render_png(fig)
    assert png.startswith(b"\x89PNG")
    used = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert used == str(plotting.cjk_font_path())


def test_setup_is_idempotent(restore_rc):
    plotting.setup_matplotlib()
    before = len(font_manager.fontManager.ttflist)
    families = list(matplotlib.rcParams["font.sans-serif"])
    plotting.setup_matplotlib()
    assert len(font_manager.fontManager.ttflist) == before
    assert list(matplotlib.rcParams["font.sans-serif"]) == families


def test_missing_font_is_a_reportlib_error(monkeypatch):
    monkeypatch.setattr(plotting, "CJK_FONT_FILE", "NoSuchFont.otf")
    with pytest.raises(ReportlibError, match=r"NoSuchFont\.otf"):
        plotting.cjk_font_path()


def test_chart_helpers_render(restore_rc):
    frame = pd.DataFrame(
        {
            "区": ["鲤城区", "丰泽区", "洛江区"],
            "2023年": [367, 120, None],
            "2024年": [283, 130, 90],
            "变化率": [-22.9, 8.3, None],
        }
    )
    single = plotting.bar_chart(frame, "区", "2024年", "法律援助案件", ylabel="件")
    double = plotting.bar_chart(frame, "区", ["2023年", "2024年"], "法律援助案件", horizontal=True)
    change = plotting.change_chart(frame, "区", "变化率", "同比变化")
    for fig in (single, double, change):
        assert _render_png(fig).startswith(b"\x89PNG")
    texts = [t.get_text() for t in change.axes[0].texts]
    assert texts[:2] == ["−22.9%", "+8.3%"]  # the table's rounding and minus sign


def test_figures_display_as_png_in_ipython(monkeypatch, restore_rc):
    """A notebook shows a returned Figure as an image even before pyplot was touched."""
    ipython = pytest.importorskip("IPython")
    formatters = pytest.importorskip("IPython.core.formatters")
    shell = types.SimpleNamespace(display_formatter=formatters.DisplayFormatter())
    monkeypatch.setattr(ipython, "get_ipython", lambda: shell)
    plotting.setup_matplotlib()
    fig = plotting.bar_chart(pd.DataFrame({"区": ["鲤城区"], "件": [283]}), "区", "件", "法律援助案件")
    data, _ = shell.display_formatter.format(fig)
    assert data["image/png"].startswith(b"\x89PNG")


def test_axes_are_labelled_in_chinese_never_with_column_codes(restore_rc):
    plotting.setup_matplotlib()
    frame = pd.DataFrame({"region": ["厦门市", "鲤城区"], "value": [40980, 4155], "pct_change": [-22.9, 20.3],
                          "indicator_name": ["法律援助案件", "人民调解"]})
    (ax,) = plotting.bar_chart(frame, "region", "value", "2024年 人民调解", horizontal=True).axes
    assert ax.get_ylabel() == "地区"
    (ax,) = plotting.bar_chart(frame, "region", "value", "2024年 人民调解").axes
    assert ax.get_xlabel() == "地区"
    (ax,) = plotting.change_chart(frame, "indicator_name", "pct_change", "变化率").axes
    labels = {ax.get_xlabel(), ax.get_ylabel()}
    assert not any(label.isascii() and label for label in labels), labels
