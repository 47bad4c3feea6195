"""No input crashes the parser: random Unicode, random bytes, report-like noise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportlib
from reportlib.core.errors import InputError
from reportlib.parsing.parse import parse_text

WORDS = ["法治政府建设", "情况的报告", "关于", "2023年", "二〇二四年一月三十一日", "区委、区政府：", "一、", "(一)", "1.",
         "一是", "办理法律援助案件", "367", "件", "约", "502.4", "万元", "%", "个百分点", "同比增长", "，", "。", "\n",
         "全区", "其中", "司法所", "《", "》", "“", "”", "〔2024〕6号", "１２３", "　", "鲤城区", "人民政府", "司法局"]
report_like = st.lists(st.sampled_from(WORDS), max_size=80).map("".join)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_refuse(text: str) -> None:
    try:
        result = parse_text(text)
    except InputError:
        return
    for row in result.mentions:  # offsets always point at the raw text
        start, end, raw = row[15], row[16], row[13]
        assert text[start:end] == raw


@SETTINGS
@given(report_like)
def test_report_like_noise(text):
    _parse_or_refuse(text)


@SETTINGS
@given(st.text(max_size=400))
def test_random_unicode(text):
    _parse_or_refuse(text)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_through_read_reports(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_bytes(data)
        corpus = reportlib.read_reports(path, validate=True)
        assert len(corpus.reports) + len(corpus.failed) == 1
