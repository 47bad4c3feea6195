"""The analyses behind the notebooks, on the seeds and on reports of our own making."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import reportlib
from reportlib.build import plan
from reportlib.core.errors import ReportlibError
from reportlib.outputs import analysis, nbview
from tests.conftest import report_text


def _write(tmp_path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    """Three districts of other provinces, two years for one of them, no seed involved."""
    root = tmp_path_factory.mktemp("made_up")
    _write(root, "xihu-2022.txt", report_text("全年办理法律援助案件1200件，受理行政复议案件80件。", "杭州市西湖区司法局", 2022))
    _write(root, "xihu-2023.txt", report_text("全年办理法律援助案件1500件，受理行政复议案件60件。", "杭州市西湖区司法局", 2023))
    _write(root, "wuhou-2023.txt", report_text("全年办理法律援助案件900件，受理行政复议案件75件。", "成都市武侯区司法局", 2023))
    _write(root, "yuzhong-2023.txt", report_text("全年办理法律援助案件700件。", "重庆市渝中区司法局", 2023))
    return reportlib.read_reports(root)


# ---------------------------------------------------------------------------- year over year


def test_yoy_on_seeds_gives_the_analysts_example(seed_corpus):
    yoy = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区")
    row = yoy.set_index("indicator").loc["legal_aid_cases"]
    assert (row.prev_year, row.cur_year) == (2023, 2024)
    assert (row.prev_value, row.cur_value, row.abs_change) == (367.0, 283.0, -84.0)
    assert round(row["pct_change"], 1) == -22.9
    assert row.direction == "down"
    assert row.narrative == "法律援助案件由367件降至283件，减少84件，下降22.9%。"
    assert "367" in row.prev_sentence and "283" in row.cur_sentence
    # 2023 comes from the 司法局, 2024 from the 区人民政府: the reader is told
    assert "司法局" in row.scope_note and "人民政府" in row.scope_note


def test_yoy_by_code_equals_by_name(seed_corpus):
    by_name = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="鲤城区")
    by_code = analysis.year_over_year(seed_corpus.metrics, seed_corpus.reports, region="350502")
    pd.testing.assert_frame_equal(by_name, by_code)


def test_yoy_made_up_district(made_up):
    yoy = analysis.year_over_year(made_up.metrics, made_up.reports, region="西湖区")
    got = yoy.set_index("indicator")[["prev_value", "cur_value", "abs_change"]].to_dict("index")
    assert got["legal_aid_cases"] == {"prev_value": 1200.0, "cur_value": 1500.0, "abs_change": 300.0}
    assert got["admin_reconsideration_accepted"]["abs_change"] == -20.0
    assert yoy.set_index("indicator").loc["legal_aid_cases", "pct_change"] == pytest.approx(25.0)
    assert (yoy["scope_note"] == "").all()  # same issuer both years, exact values: nothing to warn about


def test_yoy_indicator_filter_and_single_year_region(made_up):
    only = analysis.year_over_year(made_up.metrics, made_up.reports, region="330106", indicators=["legal_aid_cases"])
    assert only["indicator"].tolist() == ["legal_aid_cases"]
    assert analysis.year_over_year(made_up.metrics, made_up.reports, region="武侯区").empty
    assert analysis.year_over_year(made_up.metrics, made_up.reports, region="nowhere").empty


def test_resolve_region(seed_corpus):
    assert analysis.resolve_region(seed_corpus.reports, "鲤城区") == ("350502", "鲤城区")
    assert analysis.resolve_region(seed_corpus.reports, "350583") == ("350583", "南安市")
    with pytest.raises(ReportlibError, match=r"没有“海淀区”的报告；现有地区：.*鲤城区"):  # in Chinese, listing the regions that exist
        analysis.resolve_region(seed_corpus.reports, "海淀区")


def test_rate_change_is_in_percentage_points():
    row = {"indicator_name": "行政机关负责人出庭应诉率", "unit": "%", "indicator_kind": "rate",
           "prev_value": 96.5, "cur_value": 99.0}
    assert analysis.narrative(row) == "行政机关负责人出庭应诉率由96.5%升至99%，提高2.5个百分点。"


# ---------------------------------------------------------------------------- cross-district


def test_cross_district_ranks_and_per_capita(made_up):
    population = pd.DataFrame({
        "region_code": ["330106", "330106", "510107"], "region": ["西湖区", "西湖区", "武侯区"],
        "parent_code": ["330100", "330100", "510100"], "year": [2020, 2022, 2020],
        "population": [1_000_000.0, 1_200_000.0, 900_000.0], "kind": ["census"] * 3, "source": ["普查", "年鉴", "普查"],
        "note": ["", "", ""],
    })
    cross = analysis.cross_district(made_up.metrics, made_up.reports, 2023, ["legal_aid_cases"], population=population)
    rows = cross.set_index("region").to_dict("index")
    assert {r: rows[r]["rank"] for r in rows} == {"西湖区": 1, "武侯区": 2, "渝中区": 3}
    # one stated population year for the comparison: 2020 has data for both regions (2022 only for 西湖区)
    assert rows["西湖区"]["population_year"] == rows["武侯区"]["population_year"] == 2020
    assert rows["西湖区"]["per_10k"] == pytest.approx(1500 / 1_000_000 * 10000)
    assert "2020" in rows["西湖区"]["per_capita_note"]
    assert rows["武侯区"]["per_capita_note"] == "人口取2020年数据（与数据年份相差3年）"
    assert math.isnan(rows["渝中区"]["per_10k"]) and "无人口数据" in rows["渝中区"]["per_capita_note"]


def test_cross_district_notes_mixed_levels(seed_corpus):
    cross = analysis.cross_district(seed_corpus.metrics, seed_corpus.reports, 2024)
    assert set(cross["region"]) == {"鲤城区", "厦门市"}
    city = cross[cross["region"] == "厦门市"]
    assert not city.empty and city["level_note"].str.contains("不可直接比较").all()
    assert (cross.loc[cross["region"] == "鲤城区", "level_note"] == "").all()


def test_cross_district_default_keeps_shared_indicators(made_up):
    cross = analysis.cross_district(made_up.metrics, made_up.reports, 2023, per_capita=False)
    assert set(cross["indicator"]) == {"legal_aid_cases", "admin_reconsideration_accepted"}
    assert cross.loc[cross["indicator"] == "admin_reconsideration_accepted", "region"].nunique() == 2


# ---------------------------------------------------------------------------- report profile


def test_timeliness_deadline_is_a_parameter():
    report = {"report_year": 2023, "published_date": "2024-03-20", "issued_date": ""}
    assert analysis.timeliness(report)["status"] == "on_time"
    late = analysis.timeliness(report, deadline="03-01")
    assert (late["status"], late["days_late"]) == ("late", 20)
    with pytest.raises(ReportlibError, match="MM-DD"):
        analysis.timeliness(report, deadline="April 1")


def test_profile_of_a_made_up_report(made_up):
    rid = made_up.reports.loc[made_up.reports["region"] == "武侯区", "report_id"].item()
    profile = analysis.report_profile(rid, made_up)
    parts = profile["parts"].set_index("part")["status"].to_dict()
    assert parts["measures"] == "present" and parts["shortcomings"] == "present" and parts["plans"] == "present"
    assert parts["leaders"] == "missing" and parts["other"] == "missing"
    assert profile["metrics"].set_index("indicator").loc["legal_aid_cases", "value"] == 900
    assert profile["timeliness"]["status"] == "unknown"  # signed 2024-02-01, no publication date given
    assert any("未见" in line for line in profile["summary"])
    with pytest.raises(ReportlibError, match="no report with id"):
        analysis.report_profile("nope", made_up)


def test_addressees_expected_by_issuer_kind():
    department = {"issuer_kind": "department", "issuer": "成都市武侯区司法局", "level": "county",
                  "addressees": "区委、区政府", "cc": "市司法局"}
    got = analysis.addressee_check(department).set_index("expected")
    assert got["found"].all() and got.loc["上一级主管部门", "where"] == "抄送"
    government = {"issuer_kind": "government", "issuer": "成都市武侯区人民政府", "addressees": "区委", "cc": ""}
    got = analysis.addressee_check(government).set_index("expected")["found"].to_dict()
    assert got == {"同级党委": True, "同级人大常委会": False}


def test_quality_coverage_matrix(seed_corpus):
    q = analysis.quality(seed_corpus)
    assert len(q["reports"]) == 5
    row = q["coverage"].set_index("indicator_name").loc["法律援助案件"]
    assert row["reports_with_value"] >= 2 and "367件" in row.tolist()
    assert set(q["unpromoted"]["indicator"]) <= set(seed_corpus.mentions["indicator"])


# ---------------------------------------------------------------------------- display and plan


def test_workbook_cells_carry_chinese_not_codes(made_up, tmp_path):
    """Staff read 市级/下级单位/主要举措和成效, not city/sub/measures: in workbooks and in page tables."""
    import openpyxl

    from reportlib.outputs.workbooks import profile_workbook

    rid = made_up.reports.loc[made_up.reports["region"] == "武侯区", "report_id"].item()
    book = openpyxl.load_workbook(profile_workbook(analysis.report_profile(rid, made_up), tmp_path / "p.xlsx"))
    cells = {c for ws in book for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert not cells & {"measures", "shortcomings", "plans", "city", "county", "level", "sub", "whole", "fail"}
    assert "主要举措和成效" in " ".join(cells) and "县级" in cells
    outline = nbview.table(analysis.report_profile(rid, made_up)["outline"]).data
    assert ">measures<" not in outline


def test_tables_escape_report_text():
    frame = pd.DataFrame({"sentence": ['<script>alert(1)</script><img src=x onerror="x()">'], "value": [1.0]})
    html = nbview.table(frame).data
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert nbview.with_mark("<b>367件</b>", "367件") == "&lt;b&gt;<mark>367件</mark>&lt;/b&gt;"


def test_tables_show_a_region_level_in_chinese_and_a_heading_level_as_a_number():
    regions = pd.DataFrame({"region": ["厦门市", "鲤城区"], "level": ["city", "county"]})
    assert "<td>市级</td>" in nbview.table(regions).data and "<td>县级</td>" in nbview.table(regions).data
    headings = pd.DataFrame({"heading": ["主要举措和成效"], "level": [1]})
    assert "<td>1</td>" in nbview.table(headings).data


def test_plan_follows_the_corpus(made_up):
    runs = plan.derive_plan(made_up)
    names = [r.name for r in runs]
    assert names[0] == "解析质量"
    assert [n for n in names if n.startswith("同比")] == ["同比_西湖区_2022-2023"]
    assert [n for n in names if n.startswith("横向比较")] == ["横向比较_2023"]
    assert sum(n.startswith("报告概况") for n in names) == 4
    assert len(set(names)) == len(names)
    assert all(r.title and r.description for r in runs)


def test_plan_on_seeds(seed_corpus):
    names = [r.name for r in plan.derive_plan(seed_corpus)]
    assert "同比_鲤城区_2023-2024" in names  # 鲤城区 has 2023 and 2024
    assert {"横向比较_2023", "横向比较_2024"} <= set(names)
    assert "报告概况_鲤城区_2023_泉州市鲤城区司法局" in names
    assert sum(n.startswith("报告概况") for n in names) == 5
