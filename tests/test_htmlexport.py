"""Offline HTML: outputs only, nothing loaded from outside, report text escaped."""

from __future__ import annotations

import base64
import io
import re

import nbformat
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reportlib.core.errors import BuildError
from reportlib.outputs.htmlexport import index_page, notebook_to_html, offline_problems

CODE_MARKER = "secret_code_marker_42"


def _png() -> str:
    fig = Figure(figsize=(1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=10)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _notebook(extra_outputs=()) -> nbformat.NotebookNode:
    outputs = [
        new_output("stream", name="stdout", text="<script>alert(1)</script>\n"),
        new_output(
            "execute_result",
            data={
                "text/html": '<table class="dataframe"><tr><td>鲤城区</td><td>367</td></tr></table>',
                "text/plain": "plain fallback",
            },
            execution_count=1,
        ),
        new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure size 100x100>"}),
        new_output("display_data", data={"application/javascript": "alert(2)", "text/plain": "js fallback"}),
        *extra_outputs,
    ]
    return new_notebook(
        cells=[
            new_markdown_cell("# 鲤城区 法律援助案件\n\n2023 → 2024：367 → 283（−84，−22.9%）"),
            new_code_cell(
                f"{CODE_MARKER} = 1\nprint('<script>alert(1)</script>')", execution_count=1, outputs=outputs
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


@pytest.fixture(scope="module")
def page() -> str:
    return notebook_to_html(_notebook(), title="同比 <分析>")


def _tags(page: str, name: str) -> list[str]:
    return re.findall(rf"<{name}\b[^>]*>", page, flags=re.IGNORECASE)


def test_no_scripts_and_no_external_resources(page):
    assert _tags(page, "script") == []
    for tag in _tags(page, "script") + _tags(page, "link"):
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", tag)
    lowered = page.lower()
    assert "require.js" not in lowered and "mathjax" not in lowered
    assert not re.search(r"<script[^>]*\bsrc=", lowered)
    assert offline_problems(page) == []


def test_code_hidden_outputs_and_markdown_shown(page):
    assert CODE_MARKER not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "鲤城区 法律援助案件" in page and "367 → 283" in page
    assert '<table class="dataframe">' in page


def test_text_output_is_escaped(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_image_is_inline(page):
    (img,) = _tags(page, "img")
    assert 'src="data:image/png;base64,' in img
    assert 'alt="' in img


def test_javascript_output_falls_back_to_text(page):
    assert "alert(2)" not in page
    assert "js fallback" in page


def test_title_and_chinese_font_stack(page):
    assert "<title>同比 &lt;分析&gt;</title>" in page
    assert '<html lang="zh-CN">' in page
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC"' in page


def test_written_atomically_from_a_path(tmp_path):
    source = tmp_path / "yoy.ipynb"
    nbformat.write(_notebook(), source)
    dest = tmp_path / "out" / "yoy.html"
    page = notebook_to_html(source, dest)
    assert dest.read_text(encoding="utf-8") == page
    assert "<title>yoy</title>" in page
    assert sorted(p.name for p in dest.parent.iterdir()) == ["yoy.html"]


def test_output_that_needs_a_cdn_is_refused(tmp_path):
    cdn = new_output(
        "display_data", data={"text/html": '<script src="https://cdn.plot.ly/plotly.min.js"></script>'}
    )
    dest = tmp_path / "x.html"
    with pytest.raises(BuildError, match=r"cdn\.plot\.ly"):
        notebook_to_html(_notebook([cdn]), dest)
    assert not dest.exists()


def test_index_page_groups_links_and_escapes():
    entries = [
        {
            "title": "同比 <script>",
            "href": "yoy.html",
            "description": "A & B",
            "group": "分析",
            "links": [("Excel", "yoy.xlsx"), ("Notebook", "yoy.ipynb")],
        },
        {"title": "鲤城区 概况", "href": "profile 鲤城区.html", "group": "报告概况"},
        {"title": "跨区比较", "href": "cross.html?y=2024&x=1", "group": "分析"},
    ]
    page = index_page(entries, "报告 <目录>", {"生成时间": "2025-01-01", "版本": "0.1 <dev>"})
    assert "<title>报告 &lt;目录&gt;</title>" in page
    assert "同比 &lt;script&gt;" in page and "<script" not in page
    assert "A &amp; B" in page and "0.1 &lt;dev&gt;" in page
    assert 'href="cross.html?y=2024&amp;x=1"' in page
    assert 'href="yoy.xlsx"' in page
    assert page.index("<h2>分析</h2>") < page.index("跨区比较") < page.index("<h2>报告概况</h2>")
    assert offline_problems(page) == []


def test_index_page_refuses_script_links():
    with pytest.raises(BuildError):
        index_page([{"title": "x", "href": "javascript:alert(1)"}], "t")
