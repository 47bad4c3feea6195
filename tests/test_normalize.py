"""The normalised view: what it changes, and that every offset maps back to the original."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportlib.parsing.mentions import scan
from reportlib.reading.normalize import build_view, split_sentences

PDF_TEXT = (
    "某某区司法局 2023 年度法治政府 建设情况报告\n\n"
    "一、主要举措和成效\n"
    "全区各级调解组织共排查调处矛盾纠纷 3454 件，调处成功 3452 件，成功率达 ９９.９％，同比\n\n"
    "— 3 —\n\n"
    "提高 0.2 个百分点。办理法律援助案件１２３件。\n"
)
WEB_TEXT = (
    "• 索 引 号:qz01100-3000-2025-00017\n    • 发布机构:某某区人民政府\n"
    "    某某区人民政府关于2024年法治政府建设情况的报告\n    来源:某某区人民政府 时间:2025-02-17 11:23\n"
    "发表时间 : 2025-03-18 16:56:432024年以来,我区共办理法律援助案件283件。\n"
    "    附件下载\n    扫一扫在手机上查看当前页面\n    【打印】【关闭】\n"
)


@pytest.mark.parametrize(
    ("text", "expected_in_view", "not_in_view"),
    [
        pytest.param(PDF_TEXT, ["建设情况报告\n一、", "3454件，调处成功3452件", "99.9%，同比提高0.2个百分点", "123件"], ["— 3 —", "\n\n"], id="pdf"),
        pytest.param(WEB_TEXT, ["2024年以来,我区共办理法律援助案件283件。"], ["索", "发布机构", "附件下载", "扫一扫", "打印", "16:56"], id="web"),
    ],
)
def test_view_repairs(text, expected_in_view, not_in_view):
    view = build_view(text)
    for piece in expected_in_view:
        assert piece in view.text
    for piece in not_in_view:
        assert piece not in view.text


def test_mentions_from_pdf_text_round_trip():
    view = build_view(PDF_TEXT)
    found = {m.raw: (float(m.quantity.value), m.kind) for m in scan(view).mentions}
    assert found["3454 件"] == (3454.0, "level")
    assert found["９９.９％"] == (99.9, "level")
    assert found["0.2 个百分点"] == (0.2, "change")
    assert found["１２３件"] == (123.0, "level")
    assert "3" not in found  # the page number is not a quantity
    for m in scan(view).mentions:
        assert PDF_TEXT[m.start : m.end] == m.raw


def test_traditional_text_keeps_original_offsets():
    trad = "某某區司法局關於2023年度法治政府建設情況的報告\n全區共辦理法律援助案件1,234件，為受援人挽回損失約56.7萬元。\n"
    view = build_view(trad)
    assert "办理法律援助案件1,234件" in view.text and len(view.text) <= len(trad)
    raws = {m.raw for m in scan(view).mentions}
    assert {"1,234件", "56.7萬元"} <= raws
    for m in scan(view).mentions:
        assert trad[m.start : m.end] == m.raw


def test_sentences_split_on_terminators_and_lines():
    view = build_view("一、成效\n共办理案件367件，挽回损失约502.4万元。成功率99.9%！")
    assert [view.text[s:e] for s, e in split_sentences(view.text)] == [
        "一、成效", "共办理案件367件，挽回损失约502.4万元。", "成功率99.9%!",  # full-width ！ made half-width
    ]


spaces = st.sampled_from([" ", "\u3000", "\t", "", "  "])
breaks = st.sampled_from([" ", "\n", "\r\n", "\n\n", ""])


@settings(max_examples=200, deadline=None)
@given(st.tuples(breaks, spaces, spaces, breaks, spaces, spaces), st.integers(1, 99999), st.sampled_from(["件", "人次", "万元", "%"]))
def test_offsets_survive_any_whitespace(gaps, number, unit):
    """PDF text: spaces anywhere, line breaks where a long line wraps."""
    parts = ["全区各级各部门认真贯彻落实，全年共办理法律援助案件", str(number), unit, "，挽回损失", "约12.5", "万元。"]
    text = "某区司法局2023年度法治政府建设情况报告\n" + "".join(g + p for g, p in zip(gaps, parts, strict=True))
    view = build_view(text)
    for m in scan(view).mentions:
        assert text[m.start : m.end] == m.raw
        assert re.sub(r"\s", "", m.raw) == re.sub(r"\s", "", m.raw.strip())
    values = [float(m.quantity.value) for m in scan(view).mentions]
    expected = number * (10_000 if unit == "万元" else 1)
    assert expected in values or any(abs(v - expected) < 1e-6 for v in values)
