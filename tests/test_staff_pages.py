"""What staff see on pages and in file names: Chinese names they recognise, evidence cited by
文号, one rounding rule, links back to the index and to the workbook, parameters that refuse
what they do not know."""

from __future__ import annotations

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import reportlib
from reportlib.build import plan
from reportlib.core.errors import ReportlibError
from reportlib.outputs import analysis, nbview, plotting
from reportlib.outputs.htmlexport import notebook_to_html
from tests.test_comparable import mixed  # noqa: F401  (fixture)

# ---------------------------------------------------------------------------- file names


def test_file_names_staff_recognise(mixed):  # noqa: F811
    names = [r.name for r in plan.derive_plan(mixed)]
    assert names[0] == "解析质量"
    assert "同比_武侯区_2023-2024" in names and "横向比较_2023" in names and "横向比较_2024" in names
    assert "报告概况_西湖区_2023_杭州市西湖区司法局" in names
    assert len(set(names)) == len(names)
    assert all(r.parameters["output_name"] == r.name for r in plan.derive_plan(mixed))


def test_file_names_are_stable_across_builds(mixed, tmp_path):  # noqa: F811
    again = reportlib.read_reports(sorted(mixed.reports["source"]))
    assert [r.name for r in plan.derive_plan(again)] == [r.name for r in plan.derive_plan(mixed)]


def test_two_reports_that_would_share_a_name_get_the_report_id(mixed):  # noqa: F811
    import types

    twin = mixed.reports[mixed.reports["region"] == "西湖区"].assign(report_id="ffff00001111")
    runs = plan.derive_plan(types.SimpleNamespace(reports=pd.concat([mixed.reports, twin])))
    names = [r.name for r in runs]
    assert len(set(names)) == len(names)
    xihu = [n for n in names if n.startswith("报告概况_西湖区_2023_杭州市西湖区司法局")]
    assert len(xihu) == 2 and any(n.endswith("_ffff00001111") for n in xihu)


# ---------------------------------------------------------------------------- parameters


def test_indicators_by_chinese_name_or_refused_with_the_list(seed_corpus):
    by_name = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区", indicators=["法律援助案件"])
    assert by_name["indicator"].tolist() == ["legal_aid_cases"]
    with pytest.raises(ReportlibError) as caught:
        analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区", indicators=["法律援助案"])
    message = str(caught.value)
    assert "法律援助案" in message and "legal_aid_cases（法律援助案件）" in message
    with pytest.raises(ReportlibError, match="未知指标"):
        analysis.cross_district(seed_corpus.metrics, seed_corpus.reports, 2023, indicators=["nope"])


def test_profile_by_region_year_and_issuer(seed_corpus):
    rid = analysis.find_report(seed_corpus.reports, "鲤城区", 2023, "司法局")
    assert seed_corpus.reports.set_index("report_id").loc[rid, "issuer"] == "泉州市鲤城区司法局"
    assert analysis.find_report(seed_corpus.reports, "350502", 2024) != rid
    with pytest.raises(ReportlibError, match="2份"):
        analysis.find_report(seed_corpus.reports, "鲤城区")
    with pytest.raises(ReportlibError, match="没有符合"):
        analysis.find_report(seed_corpus.reports, "鲤城区", 2019)


def test_notebook_parameters_are_commented_in_chinese():
    import json

    from reportlib.core import paths

    for nb_path in sorted(paths.notebooks_dir().glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
        for line in "".join(cell["source"]).splitlines():
            comment = line.split("#", 1)[1]
            assert any("\u4e00" <= ch <= "\u9fff" for ch in comment), (nb_path.name, line)
        assert "output_name" in "".join(cell["source"]), nb_path.name


# ---------------------------------------------------------------------------- page pieces


def test_one_rounding_rule_for_table_chart_and_narrative():
    pct = (283 - 367) / 367 * 100
    assert nbview.fmt_pct(pct) == plotting.percent_label(pct) == "−22.9%"
    row = {"indicator_name": "法律援助案件", "unit": "件", "indicator_kind": "count", "prev_value": 367.0, "cur_value": 283.0}
    assert "下降22.9%" in analysis.narrative(row)
    # a value at a rounding edge rounds the same way in all three
    edge = 12.25
    assert nbview.fmt_pct(edge).lstrip("+") == plotting.percent_label(edge).lstrip("+")
    assert nbview.fmt_pct(edge).lstrip("+") in analysis.narrative(
        {**row, "prev_value": 400.0, "cur_value": 400.0 * (1 + edge / 100)})


def test_scope_note_said_once_above_the_table(seed_corpus):
    yoy = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区", latest=True)
    html = nbview.yoy_table(yoy).data
    issuers = "2023年数据来自泉州市鲤城区司法局的报告"
    assert html.count(issuers) == 1 and html.index(issuers) < html.index("<table")


def test_evidence_cites_doc_number_and_issuer(seed_corpus):
    yoy = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区", latest=True)
    html = nbview.yoy_evidence(yoy, seed_corpus.reports).data
    assert "泉州市鲤城区司法局 泉鲤司〔2024〕6号" in html and "泉州市鲤城区人民政府 泉鲤政文〔2025〕9号" in html
    assert "seeds/" not in html


def test_cross_wide_table_on_the_page(mixed):  # noqa: F811
    cross = analysis.cross_district(mixed.metrics, mixed.reports, 2023, per_capita=False)
    html = nbview.cross_wide(cross, per_capita=False).data
    assert "<th>武侯区</th>" in html and "<th>杭州市</th>" in html
    assert "不排名" in html and "武侯区第1" in html


def test_small_multiples_one_panel_per_indicator():
    frame = pd.DataFrame({"indicator_name": ["甲", "甲", "乙", "乙"], "year": ["2023年", "2024年"] * 2,
                          "value": [3454.0, 4155.0, 7.0, 10.0], "unit": ["件"] * 4})
    fig = plotting.small_multiples(frame, "indicator_name", "year", "value", "两年", unit="unit")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    small = visible[1]  # the 7 and 10 get their own scale: their bars fill the panel
    assert small.get_xlim()[1] < 20


def test_pages_link_back_to_the_index_and_to_the_workbook():
    excel = nbview.excel_link("/tmp/out/同比_鲤城区_2023-2024.xlsx")
    cell = new_code_cell("x", outputs=[new_output("display_data", data={"text/html": excel.data})])
    page = notebook_to_html(new_notebook(cells=[cell], metadata={"title": "同比"}))
    assert '<a href="index.html">' in page
    assert 'href="%E5%90%8C%E6%AF%94_%E9%B2%A4%E5%9F%8E%E5%8C%BA_2023-2024.xlsx">同比_鲤城区_2023-2024.xlsx</a>' in page
    assert "/tmp/out" not in page


def test_notes_and_reasons_read_in_chinese(seed_corpus):
    q = analysis.quality(seed_corpus)
    notes = [n for n in q["unpromoted"]["note"] if n]
    assert notes and not [n for n in notes if any("a" <= ch.lower() <= "z" for ch in n.replace("A", ""))]
    rid = analysis.find_report(seed_corpus.reports, "鲤城区", 2023)
    reasons = analysis.report_profile(rid, seed_corpus)["metrics"]["reason"]
    assert not [r for r in reasons if "figure" in r or "part" in r or "mention" in r]
    assert {analysis.confidence_text(c) for c in seed_corpus.metrics["confidence"]} <= {"高", "中", "低"}


def test_check_names_and_indicator_ids_read_in_chinese(seed_corpus):
    shown = analysis.readable_codes(seed_corpus.checks[["check", "indicators", "status"]])
    assert "比率与件数是否相符" in set(shown["check"]) and not shown["check"].str.contains("_").any()
    assert not shown["indicators"].str.contains(r"[a-z]_[a-z]").any()


def test_problems_read_in_chinese_without_this_machines_folders(tmp_path):
    from tests import fixtures

    fixtures.write_all(tmp_path)
    corpus = reportlib.read_reports(tmp_path)
    problems = analysis.readable_codes(analysis.quality(corpus)["problems"])
    assert "空文件（0字节）" in set(problems["reason"]) and "PDF已加密，请先去除密码" in set(problems["reason"])
    assert {"错误", "警告"} >= set(problems["severity"])
    assert not problems["source"].str.startswith("/").any()
    assert not problems["reason"].str.contains(str(tmp_path), regex=False).any()


def test_index_names_folders_without_this_machines_paths(tmp_path):
    from pathlib import Path

    from reportlib.build.runner import _shown_folder
    from reportlib.core import paths

    out = tmp_path / "out"
    assert _shown_folder(out / "processed", out) == "processed"
    assert _shown_folder(paths.project_root() / "data" / "processed", out) == "data/processed"
    assert _shown_folder(Path("/somewhere/else/inputs"), out) == "inputs"
