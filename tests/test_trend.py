"""A region over many years: series with evidence per point, change per step and over the span,
scope notes where the issuer changes; planned for regions with three or more years."""

from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pytest

import reportlib
from reportlib.build import plan
from reportlib.build import runner as build
from reportlib.outputs import analysis, trend
from tests.conftest import report_text

YEARS = {
    2021: ("杭州市西湖区司法局", "全年办理法律援助案件1200件，受理行政复议案件80件，行政机关负责人出庭应诉率为95%。"),
    2022: ("杭州市西湖区司法局", "全年办理法律援助案件1500件，受理行政复议案件60件，行政机关负责人出庭应诉率为98%。"),
    # 2023 missing: a gap
    2024: ("杭州市西湖区人民政府", "全年办理法律援助案件约1400件，行政机关负责人出庭应诉率为100%。"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("trend")
    for year, (issuer, body) in YEARS.items():
        (root / f"xihu-{year}.txt").write_text(report_text(body, issuer, year), encoding="utf-8")
    (root / "wuhou-2023.txt").write_text(report_text("全年办理法律援助案件900件。", "成都市武侯区司法局", 2023), encoding="utf-8")
    (root / "wuhou-2024.txt").write_text(report_text("全年办理法律援助案件950件。", "成都市武侯区司法局", 2024), encoding="utf-8")
    return reportlib.read_reports(root)


@pytest.fixture(scope="module")
def xihu(corpus):
    return trend.region_trend(corpus.metrics, corpus.reports, "西湖区")


def test_points_carry_value_and_evidence_for_every_year(xihu):
    aid = xihu["points"][xihu["points"]["indicator"] == "legal_aid_cases"]
    assert aid["year"].tolist() == [2021, 2022, 2024]
    assert aid["value"].tolist() == [1200.0, 1500.0, 1400.0]
    for row in aid.itertuples(index=False):
        assert re.sub(r"\s", "", row.raw) in re.sub(r"\s", "", row.sentence) and row.source.endswith(f"xihu-{row.year}.txt")
    assert math.isnan(aid["change"].iloc[0]) and aid["change"].tolist()[1:] == [300.0, -100.0]
    assert round(aid["pct_change"].iloc[1], 1) == 25.0 and aid["prev_year"].tolist()[1:] == [2021, 2022]


def test_scope_notes_where_the_issuer_changes_or_years_are_missing(xihu):
    aid = xihu["points"][xihu["points"]["indicator"] == "legal_aid_cases"].set_index("year")
    assert aid.loc[2021, "scope_note"] == ""
    note = aid.loc[2024, "scope_note"]
    assert "人民政府" in note and "司法局" in note and "相隔2年" in note and "约数" in note
    span = xihu["spans"].set_index("indicator").loc["legal_aid_cases"]
    assert span["scope_note"] == "发布机关有变化：2021–2022年来自杭州市西湖区司法局，2024年来自杭州市西湖区人民政府；口径可能不同。"


def test_change_over_the_whole_span(xihu):
    spans = xihu["spans"].set_index("indicator")
    aid = spans.loc["legal_aid_cases"]
    assert (aid.first_year, aid.last_year, aid.n_points) == (2021, 2024, 3)
    assert aid.span_change == 200.0 and round(aid.span_pct_change, 1) == 16.7
    assert round(aid.change_per_year, 2) == round(200 / 3, 2)
    assert aid.series == "2021年1200件 → 2022年1500件 → 2024年约1400件"
    assert aid.narrative == "法律援助案件2021年至2024年（3个年度）由1200件增至约1400件，共增加约200件（上升约16.7%），年均增加约66.67件。"
    rate = spans.loc["admin_litigation_appearance_rate"]
    assert rate.change_unit == "个百分点" and math.isnan(rate.span_pct_change) and rate.span_change == 5.0


def test_indicators_with_a_single_year_are_left_out_of_spans(corpus):
    one = trend.region_trend(corpus.metrics, corpus.reports, "西湖区", min_points=3)
    assert set(one["spans"]["indicator"]) == {"legal_aid_cases", "admin_litigation_appearance_rate"}
    assert trend.region_trend(corpus.metrics, corpus.reports, "无此地区")["spans"].empty


def test_trend_agrees_with_year_over_year(corpus, xihu):
    yoy = analysis.year_over_year(corpus.metrics, corpus.reports, region="西湖区")
    points = xihu["points"].dropna(subset=["change"])
    for row in yoy.itertuples(index=False):
        match = points[(points["indicator"] == row.indicator) & (points["year"] == row.cur_year)]
        assert match["change"].tolist() == [row.abs_change]


def test_planned_for_regions_with_three_years_only(corpus):
    runs = plan.derive_plan(corpus)
    trends = [r for r in runs if r.notebook == "region_trend.ipynb"]
    assert len(trends) == 1 and trends[0].parameters == {"region": "330106", "output_name": trends[0].name}
    assert trends[0].name == plan.trend_name("330106", "西湖区", (2021, 2024))
    assert "2021" in trends[0].title and "2024" in trends[0].title and "西湖区" in trends[0].title
    assert any(r.notebook == "year_over_year.ipynb" for r in runs)  # year-over-year pairs stay


@pytest.mark.slow
def test_trend_page_and_workbook(tmp_path, corpus):
    sources = Path(corpus.reports["source"].iloc[0]).parent
    runs = [r for r in plan.derive_plan(corpus) if r.notebook == "region_trend.ipynb"]
    summary = build.run_build([sources], out=tmp_path, plan=runs, jobs=1, progress=False, echo=False)
    assert summary.ok, str(summary)
    page = (tmp_path / f"{runs[0].name}.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1])
    assert "2021年1200件 → 2022年1500件 → 2024年约1400件" in text and "口径可能不同" in text
    assert "全年办理法律援助案件1500件" in text  # the evidence of a point
    assert not re.search(r"\bnan\b|\bNone\b|\bTrue\b|\bFalse\b|<NA>", text)
    book = openpyxl.load_workbook(tmp_path / f"{runs[0].name}.xlsx")
    assert book.sheetnames == ["说明", "全期变化", "逐年数值"]
    assert book["逐年数值"].max_row == 1 + len(trend.region_trend(corpus.metrics, corpus.reports, runs[0].parameters["region"])["points"])
