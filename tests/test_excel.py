"""Staff workbooks: layout, formats, charts, highlighting, and text that never becomes a formula."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, LineChart

from reportlib.core.errors import ReportlibError
from reportlib.outputs.excel import ABOUT_SHEET, ChartSpec, ColumnFormat, Sheet, write_workbook

FORMULA_LIKE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "  =1+1",
    "\t=1",
    "\r=1",
    "\n-3",
    "#N/A",
]

EVIDENCE_2024 = "2024年，全区共办理法律援助案件283件，为受援人挽回经济损失502.4万元，群众满意率达99.9%以上。"

YOY = pd.DataFrame(
    {
        "region": ["鲤城区", "丰泽区", "洛江区"],
        "report_year": [2024, 2024, 2024],
        "previous": [367, 120, None],
        "current": [283, 130, 90],
        "change": [-84, 10, None],
        "pct_change": [-22.9, 8.3, None],
        "money": [Decimal("5024000"), None, Decimal("12000")],
        "issued_date": ["2025-03-31", "", "2025-02-28"],
        "sentence": [EVIDENCE_2024, "丰泽区 2024 年办理 130 件。", "=1+1 开头的句子"],
        "code": ["350502", "350503", "350504"],
    }
)

LABELS = {
    "region": "地区",
    "report_year": "年度",
    "previous": ColumnFormat("上年", kind="int"),
    "current": ColumnFormat("本年", kind="int"),
    "change": ColumnFormat("增减", kind="int"),
    "pct_change": ColumnFormat("变化率", kind="percent"),
    "money": ColumnFormat("挽回损失", kind="yuan"),
    "issued_date": "印发日期",
    "sentence": "依据（原文）",
    "not_in_this_frame": "忽略",
}

ABOUT = [
    ("内容", "法律援助案件同比"),
    ("数据来源", "seeds/鲤城区2024.txt"),
    ("参数", "indicator=legal_aid_cases"),
    ("生成时间", "2025-01-01 08:00"),
    ("阅读说明", "绿色为增加，红色为减少。"),
]

STAMP = dt.datetime(2025, 1, 1, 8, 0)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "out" / "yoy.xlsx"
    sheets = [
        Sheet(
            "同比",
            YOY,
            columns=LABELS,
            chart=ChartSpec("clustered", "region", ("previous", "current"), "法律援助案件", y_title="件"),
            highlight_change=("change", "pct_change"),
            description="每区一行：上年、本年与增减。",
        ),
        Sheet("注入", pd.DataFrame({"text": FORMULA_LIKE}), chart=None),
        Sheet("折线", YOY[["region", "current"]], chart=ChartSpec("line", "region", ["current"], "本年")),
    ]
    write_workbook(path, sheets, ABOUT, title="法治政府建设年度报告：同比", timestamp=STAMP)
    return path, openpyxl.load_workbook(path)


def _column(ws, header):
    headers = [c.value for c in ws[1]]
    return headers.index(header) + 1


def test_about_sheet_first_with_rows_in_order(book):
    _, wb = book
    assert wb.sheetnames == [ABOUT_SHEET, "同比", "注入", "折线"]
    about = wb[ABOUT_SHEET]
    assert about["A1"].value == "法治政府建设年度报告：同比"
    assert about["A1"].font.bold
    rows = [(r[0].value, r[1].value) for r in about.iter_rows(min_row=3) if r[0].value]
    assert rows[: len(ABOUT)] == ABOUT
    assert rows[-1] == ("工作表「同比」", "每区一行：上年、本年与增减。")


def test_header_frozen_filtered_and_labelled(book):
    _, wb = book
    ws = wb["同比"]
    assert [c.value for c in ws[1]][:3] == ["地区", "年度", "上年"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:J4"


def test_number_formats(book):
    _, wb = book
    ws = wb["同比"]
    formats = {ws.cell(1, c).value: ws.cell(2, c).number_format for c in range(1, ws.max_column + 1)}
    assert formats["上年"] == "#,##0"
    assert formats["变化率"] == '0.0"%"'
    assert formats["挽回损失"] == '#,##0" 元"'
    assert formats["年度"] == "General"
    assert ws.cell(2, _column(ws, "变化率")).value == -22.9  # a percent number, not scaled
    assert ws.cell(2, _column(ws, "年度")).value == 2024
    assert ws.cell(2, _column(ws, "挽回损失")).value == 5024000


def test_missing_values_are_empty_cells(book):
    _, wb = book
    ws = wb["同比"]
    assert ws.cell(4, _column(ws, "上年")).value is None
    assert ws.cell(3, _column(ws, "挽回损失")).value is None
    assert ws.cell(3, _column(ws, "印发日期")).value is None


def test_iso_date_strings_become_dates(book):
    _, wb = book
    ws = wb["同比"]
    cell = ws.cell(2, _column(ws, "印发日期"))
    assert cell.value == dt.datetime(2025, 3, 31)
    assert cell.number_format == "yyyy-mm-dd"


def test_codes_stay_text(book):
    _, wb = book
    ws = wb["同比"]
    cell = ws.cell(2, ws.max_column)
    assert (cell.value, cell.data_type) == ("350502", "s")


def test_widths_count_chinese_as_two_and_long_text_wraps(book):
    _, wb = book
    ws = wb["同比"]
    width = {
        ws.cell(1, c).value: ws.column_dimensions[ws.cell(1, c).column_letter].width for c in range(1, 11)
    }
    assert width["依据（原文）"] == 60
    evidence = ws.cell(2, _column(ws, "依据（原文）"))
    assert evidence.value == EVIDENCE_2024
    assert evidence.alignment.wrap_text
    assert not ws.cell(2, 1).alignment.wrap_text


def test_chinese_text_gets_twice_the_width(tmp_path):
    path = tmp_path / "w.xlsx"
    frame = pd.DataFrame({"a": ["abcdefghij"], "b": ["法律援助案件办理数量"]})
    write_workbook(path, [Sheet("宽度", frame)], {}, "t")
    ws = openpyxl.load_workbook(path)["宽度"]
    assert ws.column_dimensions["B"].width - 2 == 2 * (ws.column_dimensions["A"].width - 2)


def test_up_and_down_rows_are_coloured(book):
    _, wb = book
    ws = wb["同比"]
    change = _column(ws, "增减")
    down, up, missing = (ws.cell(row, change) for row in (2, 3, 4))
    assert down.fill.fgColor.rgb.endswith("FFC7CE")
    assert up.fill.fgColor.rgb.endswith("C6EFCE")
    assert missing.fill.fill_type is None
    assert ws.cell(2, _column(ws, "变化率")).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(2, _column(ws, "本年")).fill.fill_type is None


def test_native_charts(book):
    _, wb = book
    (bar,) = wb["同比"]._charts
    assert isinstance(bar, BarChart)
    assert bar.grouping == "clustered" and len(bar.series) == 2
    (line,) = wb["折线"]._charts
    assert isinstance(line, LineChart)
    assert wb["注入"]._charts == []


@pytest.mark.parametrize("text", FORMULA_LIKE, ids=repr)
def test_formula_like_text_stays_text(book, text):
    _, wb = book
    ws = wb["注入"]
    cell = ws.cell(FORMULA_LIKE.index(text) + 2, 1)
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_no_formula_anywhere_in_the_file(book):
    path, wb = book
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert not re.search(r"<f[ >]", xml)
    evidence = wb["同比"].cell(4, _column(wb["同比"], "依据（原文）"))
    assert (evidence.value, evidence.data_type) == ("=1+1 开头的句子", "s")


def test_same_input_same_bytes(book, tmp_path):
    _, wb = book
    assert wb.properties.created == STAMP and wb.properties.modified == STAMP
    again = tmp_path / "again.xlsx"
    sheets = [Sheet("注入", pd.DataFrame({"text": FORMULA_LIKE}))]
    write_workbook(again, sheets, ABOUT, title="t", timestamp=STAMP)
    first = again.read_bytes()
    write_workbook(again, sheets, ABOUT, title="t", timestamp=STAMP)
    assert again.read_bytes() == first


def test_control_characters_are_replaced(tmp_path):
    path = tmp_path / "ctl.xlsx"
    write_workbook(path, [Sheet("数据", pd.DataFrame({"t": ["第一页\x0c第二页"]}))], {}, title="t")
    assert openpyxl.load_workbook(path)["数据"]["A2"].value == "第一页 第二页"


def test_empty_frame_gets_header_and_filter(tmp_path):
    path = tmp_path / "empty.xlsx"
    frame = pd.DataFrame({"region": pd.Series([], dtype=str), "value": pd.Series([], dtype=float)})
    write_workbook(path, [Sheet("空", frame, chart=ChartSpec("bar", "region", ["value"], "无"))], {}, "t")
    ws = openpyxl.load_workbook(path)["空"]
    assert ws.auto_filter.ref == "A1:B1" and ws._charts == []


@pytest.mark.parametrize(
    "sheet",
    [
        Sheet("说明", YOY),
        Sheet("a/b", YOY),
        Sheet("x" * 32, YOY),
        Sheet("同比", YOY, chart=ChartSpec("bar", "region", ["no_such_column"], "t")),
        Sheet("同比", YOY, highlight_change="no_such_column"),
    ],
    ids=["clashes-with-about", "slash", "too-long", "chart-column", "highlight-column"],
)
def test_bad_sheets_are_refused_before_writing(tmp_path, sheet):
    path = tmp_path / "bad.xlsx"
    with pytest.raises(ReportlibError):
        write_workbook(path, [sheet], {}, "t")
    assert not path.exists()
