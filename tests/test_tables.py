"""Tables as rows × cells: a value takes its row label, year and unit from its own row and column
headers, whatever the input (pipes in copied text, HTML with rowspan/colspan, Word merged cells)."""

from __future__ import annotations

import io

import pytest

from reportlib.parsing.parse import MENTION_COLUMNS, METRIC_COLUMNS, parse_bytes, parse_text
from reportlib.reading.document import find_tables

_M = {name: i for i, name in enumerate(MENTION_COLUMNS)}
_R = {name: i for i, name in enumerate(METRIC_COLUMNS)}
TITLE = "长沙市岳麓区人民政府2024年法治政府建设情况报告\n一、主要举措\n全区法治工作稳步推进。\n"


def _metrics(result) -> dict[str, float]:
    return {row[_R["indicator"]]: row[_R["value"]] for row in result.metrics}


def _mention(result, raw: str) -> tuple:
    return next(row for row in result.mentions if row[_M["raw"]] == raw)


@pytest.mark.parametrize(
    "table",
    [
        pytest.param("项目 | 2023年 | 2024年\n法律援助案件 | 367件 | 283件\n人民调解案件 | 3454件 | 3012件\n", id="pipes-units-in-cells"),
        pytest.param("指标\t2023年\t2024年\n法律援助案件\t367件\t283件\n人民调解案件\t3454件\t3012件\n", id="tabs-units-in-cells"),
        pytest.param("项目 | 2023年 | 2024年\n法律援助案件（件） | 367 | 283\n人民调解案件（件） | 3454 | 3012\n", id="unit-in-label"),
    ],
)
def test_year_columns_promote_the_report_year(table):
    result = parse_text(TITLE + table)
    assert _metrics(result) == {"legal_aid_cases": 283, "mediation_disputes": 3012}
    earlier = _mention(result, next(r[_M["raw"]] for r in result.mentions if r[_M["value"]] == 367))
    assert earlier[_M["indicator"]] == "legal_aid_cases" and earlier[_M["scope"]] == "year" and not earlier[_M["promoted"]]


def test_change_column_is_a_change_not_a_level():
    result = parse_text(TITLE + "指标\t2023年\t2024年\t增减\n法律援助案件\t367件\t283件\t84件\n")
    assert _metrics(result) == {"legal_aid_cases": 283}
    assert _mention(result, "84件")[_M["kind"]] == "change"


TWO_ROW_HTML = (
    "<html><body><h1>长沙市岳麓区人民政府2024年法治政府建设情况报告</h1><p>一、主要举措</p><table>"
    "<tr><td rowspan=2>项目</td><td colspan=2>2023年</td><td colspan=2>2024年</td></tr>"
    "<tr><td>件数</td><td>金额（万元）</td><td>件数</td><td>金额（万元）</td></tr>"
    "<tr><td>法律援助案件</td><td>367</td><td>502.4</td><td>283</td><td>410</td></tr>"
    "</table><p>以上为全区数据。</p></body></html>"
)


def test_html_two_row_header_gives_year_and_unit():
    result = parse_bytes(TWO_ROW_HTML.encode(), "page.html")
    assert _metrics(result) == {"legal_aid_cases": 283}
    assert _mention(result, "283")[_M["unit"]] == "件"
    assert _mention(result, "367")[_M["scope"]] == "year"
    assert _mention(result, "410")[_M["value"]] == 4_100_000  # 万元 from its column header, in 元


def _docx_two_row_header() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("长沙市岳麓区人民政府2024年法治政府建设情况报告")
    document.add_paragraph("一、主要举措")
    table = document.add_table(rows=3, cols=5)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "2023年"
    table.cell(0, 3).merge(table.cell(0, 4)).text = "2024年"
    for column, value in enumerate(["件数", "金额（万元）", "件数", "金额（万元）"], start=1):
        table.cell(1, column).text = value
    for column, value in enumerate(["法律援助案件", "367", "502.4", "283", "410"]):
        table.cell(2, column).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_merged_header_cells_give_year_and_unit():
    result = parse_bytes(_docx_two_row_header(), "report.docx")
    assert _metrics(result) == {"legal_aid_cases": 283}
    assert _mention(result, "367")[_M["scope"]] == "year"


def test_offsets_of_table_values_point_into_the_extracted_text():
    from reportlib.reading.formats import extract

    extracted = extract(TWO_ROW_HTML.encode(), "page.html")
    result = parse_bytes(TWO_ROW_HTML.encode(), "page.html")
    for row in result.mentions:
        assert extracted.text[row[_M["start"]] : row[_M["end"]]] == row[_M["raw"]]


def test_find_tables_header_rows_and_layout_grids():
    tables = find_tables("项目\t2023年\t2024年\n法律援助案件\t367件\t283件\n\n正文一段。\n甲\t乙\n丙\t丁\n")
    assert len(tables) == 1  # the text-only grid has no data rows: not a table of figures
    table = tables[0]
    assert table.header_rows == 1 and table.column_year(2) == 2024 and table.row_label(1) == "法律援助案件"
    assert table.locate(table.rows[1][2].start) == (1, 2)


def test_layout_tables_are_not_flattened_into_cells():
    from reportlib.reading.formats import extract

    long_cell = "2024年，全区共办理法律援助案件283件，" + "持续推进法治政府建设。" * 30
    html = f"<html><body><table><tr><td>长沙市岳麓区人民政府2024年法治政府建设情况报告</td></tr><tr><td><p>{long_cell}</p></td></tr></table></body></html>"
    text = extract(html.encode(), "layout.html").text
    assert "\t" not in text and "283件" in text


def test_table_flattened_one_cell_per_line():
    """Copied from a browser, a table arrives one cell per line: its width is found from its shape."""
    body = ("主要数据如下。\n项目\n2023年\n2024年\n法律援助案件\n367件\n283件\n人民调解案件\n3454件\n3012件\n"
            "以上为全区数据。\n")
    result = parse_text(TITLE + body)
    assert _metrics(result) == {"legal_aid_cases": 283, "mediation_disputes": 3012}
    assert _mention(result, "367件")[_M["scope"]] == "year"


def test_short_lines_that_are_no_table_stay_text():
    body = "一、主要举措\n（一）强化学习\n1.开展培训\n2.组织考试\n3.建立台账\n4.完善制度\n全年办理法律援助案件412件。\n"
    assert find_tables(TITLE + body) == []
    assert _metrics(parse_text(TITLE + body)) == {"legal_aid_cases": 412}
