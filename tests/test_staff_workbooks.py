"""Workbooks staff can forward: read back with openpyxl for number formats, formulas, frozen
panes, print settings and the 说明 sheet, on the seeds and on a corpus mixing levels and issuer kinds."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from reportlib.outputs import analysis, workbooks
from reportlib.outputs.excel import ColumnFormat, Sheet, write_workbook
from tests.test_comparable import POPULATION, mixed  # noqa: F401  (fixture)


def _rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def yoy_book(seed_corpus, tmp_path_factory):
    yoy = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区", latest=True)
    path = workbooks.year_over_year_workbook(yoy, seed_corpus.reports, tmp_path_factory.mktemp("yoy") / "y.xlsx",
                                             parameters={"region": "鲤城区", "indicators": [], "from_year": 0, "to_year": 0})
    return yoy, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def cross_book(seed_corpus, tmp_path_factory):
    cross = analysis.cross_district(seed_corpus.metrics, seed_corpus.reports, 2023)
    path = workbooks.cross_district_workbook(cross, seed_corpus.reports, tmp_path_factory.mktemp("cross") / "c.xlsx",
                                             parameters={"year": 2023, "year_given": False, "indicators": [], "per_capita": True})
    return cross, openpyxl.load_workbook(path)


def test_yoy_values_formats_and_formulas(yoy_book):
    _, wb = yoy_book
    _header, rows = _rows(wb["同比"])
    cells = {r["指标"].value: r for r in rows}
    aid = cells["法律援助案件"]
    assert (aid["上期数值"].value, aid["本期数值"].value) == (367, 283)
    assert aid["上期数值"].number_format == "#,##0" and aid["单位"].value == "件"
    # 增减 and 变化率 are formulas over the neighbouring value cells, 变化率 a real percentage
    prev, cur = aid["上期数值"].column_letter, aid["本期数值"].column_letter
    row = aid["增减"].row
    assert aid["增减"].data_type == "f" and aid["增减"].value == f"={cur}{row}-{prev}{row}"
    assert aid["变化率"].data_type == "f" and f"({cur}{row}-{prev}{row})/{prev}{row}" in aid["变化率"].value
    assert aid["变化率"].number_format == "0.0%"
    # money in 万元 as the reports write it, the 元 value kept
    money = cells["法律援助挽回损失/取得利益"]
    assert money["单位"].value == "万元" and money["上期数值"].value == pytest.approx(502.4)
    assert money["上期数值"].number_format == "#,##0.0" and money["上期数值（元）"].value == 5024000
    # a rate: percentage points, no 变化率 formula, decimals as the source gives them
    rates = [r for r in rows if r["单位"].value == "%"]
    assert rates and all(r["变化率"].value is None for r in rates)
    assert all(r["增减单位"].value == "个百分点" for r in rates)


def test_yoy_number_formats_are_one_per_indicator_kind(yoy_book):
    _yoy, wb = yoy_book
    _, rows = _rows(wb["同比"])
    for r in rows:
        fmt = r["本期数值"].number_format
        if r["单位"].value not in ("%", "万元"):
            assert fmt == "#,##0", (r["指标"].value, fmt)  # counts are integers: 2,675 not 2,675.00
        elif r["单位"].value == "%":
            raw = r["本期原文"].value
            decimals = len(re.search(r"\d+(?:\.(\d+))?", raw).group(1) or "")
            prev = len(re.search(r"\d+(?:\.(\d+))?", r["上期原文"].value).group(1) or "")
            assert fmt == "0" + ("." + "0" * max(decimals, prev) if max(decimals, prev) else "") + '"%"', fmt


def test_sheets_freeze_labels_and_print_to_page_width(yoy_book, cross_book):
    for wb in (yoy_book[1], cross_book[1]):
        for ws in wb.worksheets:
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
            if ws.title == "说明":
                assert ws.page_setup.fitToHeight == 1  # on one page
                assert all(c.alignment.wrap_text for c in ws["B"] if c.value)
                continue
            assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1", ws.title
    assert yoy_book[1]["同比"].freeze_panes == "C2"  # 地区 and 指标 stay in view
    assert cross_book[1]["对比表"].freeze_panes == "C2" and cross_book[1]["横向比较"].freeze_panes == "C2"


def test_about_sheet_reads_as_chinese(yoy_book, cross_book):
    for wb in (yoy_book[1], cross_book[1]):
        about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=3) if r[0].value}
        params = about["参数"]
        assert "=" not in params and "[]" not in params and "0" != params and "True" not in params
        assert "泉鲤司〔2024〕6号 泉州市鲤城区司法局《" in about["数据来源"]  # 文号, issuer and title
        assert "seeds/" not in about["数据来源"]
    yoy_params = {r[0].value: r[1].value for r in yoy_book[1]["说明"].iter_rows(min_row=3) if r[0].value}["参数"]
    n = yoy_book[0]["indicator"].nunique()
    assert yoy_params == f"鲤城区（350502），全部{n}项共有指标，2023→2024（自动选取最近两年）"
    cross_params = {r[0].value: r[1].value for r in cross_book[1]["说明"].iter_rows(min_row=3) if r[0].value}["参数"]
    assert cross_params.startswith("2023年（自动选取可比地区最多的年份），3个地区")


def test_cross_wide_table(cross_book):
    _cross, wb = cross_book
    header, rows = _rows(wb["对比表"])
    assert header[:2] == ["指标", "单位"] and {"湖里区", "鲤城区", "南安市"} <= set(header)
    stated = {re.search(r"（(\d{4})年人口）", h).group(1) for h in header if "每万人（" in h}
    assert len(stated) == 1 and any(h.startswith("鲤城区每万人（") for h in header)  # one stated population year
    aid = next(r for r in rows if r["指标"].value == "法律援助案件")
    assert aid["南安市"].value == 2675 and aid["南安市"].number_format == "#,##0"
    assert "第1" in aid["排名"].value and "每万人" in aid["排名"].value
    money = next(r for r in rows if r["指标"].value == "法律援助挽回损失/取得利益")
    assert money["单位"].value == "万元" and money["每万人单位"].value == "万元/万人"
    assert money["南安市"].value == pytest.approx(2460.42)


def test_cross_one_chart_per_indicator(cross_book):
    cross, wb = cross_book
    ws = wb["图表"]
    assert len(ws._charts) == cross["indicator"].nunique()
    anchors = {(c.anchor._from.col, c.anchor._from.row) for c in ws._charts}
    assert len(anchors) == len(ws._charts)  # a grid, not one on top of the other


def test_cross_long_table_ranks_only_the_comparable(mixed, tmp_path):  # noqa: F811
    cross = analysis.cross_district(mixed.metrics, mixed.reports, 2023, population=POPULATION)
    wb = openpyxl.load_workbook(workbooks.cross_district_workbook(cross, mixed.reports, tmp_path / "m.xlsx"))
    _, rows = _rows(wb["横向比较"])
    aid = {r["地区"].value: r for r in rows if r["指标"].value == "法律援助案件"}
    assert aid["渝中区"]["排名"].value == 1 and aid["武侯区"]["排名"].value == 2
    assert aid["杭州市"]["排名"].value is None and aid["杭州市"]["可比性说明"].value.startswith("未排名：")
    assert aid["渝中区"]["排名依据"].value == "每万人"
    _, wide = _rows(wb["对比表"])
    names = [r["指标"].value for r in wide]
    assert "出庭应诉率" in names and "行政机关负责人出庭应诉率" in names  # two rows, never one ranking


def test_formula_cells_are_ours_and_report_text_stays_text(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0], "d": [2.0, None], "t": ["=HYPERLINK(\"x\")", "+1"]})
    path = write_workbook(tmp_path / "f.xlsx", [Sheet("表", frame, columns={
        "d": ColumnFormat("差", "number", formula="{b}-{a}"), "t": ColumnFormat("文本", "text", formula="{a}")})], {}, "t")
    ws = openpyxl.load_workbook(path)["表"]
    assert ws["C2"].value == "=B2-A2" and ws["C2"].data_type == "f"
    assert ws["C3"].value is None  # a missing value stays empty, not a formula
    assert ws["D2"].data_type == "s" and ws["D2"].value == '=HYPERLINK("x")'  # text never becomes a formula


def test_wrapped_rows_are_tall_enough_to_read(cross_book):
    """LibreOffice does not grow a row for wrapped text by itself: rows that wrap carry their height."""
    _, wb = cross_book
    about = wb["说明"]
    sources = next(r for r in about.iter_rows(min_row=3) if r[0].value == "数据来源")
    assert about.row_dimensions[sources[0].row].height >= 3 * 15  # three reports, three lines
    ws = wb["横向比较"]
    _, rows = _rows(ws)
    wrapped = [r["依据（原文句子）"].row for r in rows if len(r["依据（原文句子）"].value or "") > 60]
    assert wrapped and all((ws.row_dimensions[n].height or 0) > 15 for n in wrapped)


def test_profile_workbook_parameters_name_the_report(seed_corpus, tmp_path):
    rid = analysis.find_report(seed_corpus.reports, "鲤城区", 2023)
    profile = analysis.report_profile(rid, seed_corpus)
    wb = openpyxl.load_workbook(workbooks.profile_workbook(profile, tmp_path / "p.xlsx",
                                                           parameters={"report_id": rid, "deadline": "04-01"}))
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=3) if r[0].value}
    assert about["参数"] == "鲤城区 2023 泉州市鲤城区司法局（泉鲤司〔2024〕6号），公开截止日期为次年4月1日"
    assert about["是否按时"].startswith("无法判断")
    _, rows = _rows(wb["指标"])
    assert {r["可信度"].value for r in rows} <= {"高", "中", "低"}
    _, rows = _rows(wb["主送抄送"])
    assert {r["情况"].value for r in rows} <= {"有", "未见", "无法判断"}
    assert "《法治政府建设与责任落实督察工作规定》" in " ".join(str(v) for v in about.values())


def test_metrics_workbook_counts_are_integers_and_rates_keep_their_decimals(seed_corpus, tmp_path):
    wb = openpyxl.load_workbook(workbooks.metrics_workbook(seed_corpus.metrics, seed_corpus.reports, tmp_path / "m.xlsx"))
    _, rows = _rows(wb["指标"])
    by_raw = {r["原文数值"].value: r["数值"] for r in rows}
    assert by_raw["2675件"].value == 2675 and by_raw["2675件"].number_format == "#,##0"
    assert by_raw["99.78%"].number_format == '0.00"%"' and by_raw["99.9%"].number_format == '0.0"%"'


def test_make_lab_runs_as_root_and_passes_flags():
    import os
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(["make", "-n", "-C", str(root), "lab", "ARGS=--port 8890 --no-browser"],
                          capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if "jupyter lab" in x)
    assert line.endswith("--port 8890 --no-browser")
    assert ("--allow-root" in line) == (os.geteuid() == 0)


def test_yoy_scope_note_once_on_the_about_sheet(yoy_book):
    _, wb = yoy_book
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=3) if r[0].value}
    assert "泉州市鲤城区司法局" in about["口径说明"] and "泉州市鲤城区人民政府" in about["口径说明"]
    _, rows = _rows(wb["同比"])
    assert not [r for r in rows if "泉州市鲤城区司法局的报告" in (r["口径说明"].value or "")]


def test_every_workbook_freezes_its_label_columns(seed_corpus, tmp_path):
    rid = analysis.find_report(seed_corpus.reports, "鲤城区", 2024)
    books = [
        workbooks.profile_workbook(analysis.report_profile(rid, seed_corpus), tmp_path / "p.xlsx"),
        workbooks.quality_workbook(analysis.quality(seed_corpus), seed_corpus.reports, tmp_path / "q.xlsx"),
        workbooks.metrics_workbook(seed_corpus.metrics, seed_corpus.reports, tmp_path / "m.xlsx"),
    ]
    for path in books:
        for ws in openpyxl.load_workbook(path).worksheets[1:]:
            if ws.max_row > 1 and ws.title not in ("提纲", "检查", "问题"):
                assert ws.freeze_panes not in (None, "A2"), (path.name, ws.title)
            assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$1:$1", (path.name, ws.title)
