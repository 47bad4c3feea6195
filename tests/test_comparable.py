"""Comparisons that do not mislead: like with like in cross-district tables, verdicts of the
report profile that claim no more than the text, indicator names that say what the text says.

A small corpus of our own making mixes levels (districts, cities) and issuer kinds (district
governments, a district bureau, a city bureau)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import reportlib
from reportlib.outputs import analysis
from tests.conftest import report_text

MIXED = {
    "xihu-2023.txt": ("杭州市西湖区司法局", 2023, "全年办理法律援助案件1500件，依申请公开政府信息50件。全区行政诉讼案件出庭应诉率达98%。"),
    "wuhou-2023.txt": ("成都市武侯区人民政府", 2023, "全年办理法律援助案件900件，依申请公开政府信息300件。行政机关负责人出庭应诉率达100%。"),
    "yuzhong-2023.txt": ("重庆市渝中区人民政府", 2023, "全年办理法律援助案件700件，依申请公开政府信息200件。行政机关负责人出庭应诉率达95%。"),
    "hangzhou-2023.txt": ("杭州市司法局", 2023, "全年办理法律援助案件30000件，依申请公开政府信息16件。"),
    "chengdu-2024.txt": ("成都市人民政府", 2024, "全年办理法律援助案件40000件。"),
    "wuhou-2024.txt": ("成都市武侯区人民政府", 2024, "全年办理法律援助案件950件。"),
}
POPULATION = pd.DataFrame({
    "region_code": ["510107", "500103", "330106", "330100"], "region": ["武侯区", "渝中区", "西湖区", "杭州市"],
    "parent_code": ["510100", "500100", "330100", "330000"], "year": [2023] * 4,
    "population": [1_200_000.0, 500_000.0, 1_100_000.0, 12_000_000.0], "kind": ["census"] * 4,
    "source": ["统计公报"] * 4, "note": [""] * 4,
})


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    for name, (issuer, year, body) in MIXED.items():
        (root / name).write_text(report_text(body, issuer, year), encoding="utf-8")
    return reportlib.read_reports(root)


@pytest.fixture(scope="module")
def cross_2023(mixed):
    return analysis.cross_district(mixed.metrics, mixed.reports, 2023, population=POPULATION)


def _rows(cross, indicator):
    return cross[cross["indicator"] == indicator].set_index("region")


def test_only_like_is_ranked_with_like(cross_2023):
    aid = _rows(cross_2023, "legal_aid_cases")
    # the two district governments are ranked, per 10,000 residents: 渝中 14.0 > 武侯 7.5
    assert aid.loc["渝中区", "rank"] == 1 and aid.loc["武侯区", "rank"] == 2
    assert (aid.loc[["渝中区", "武侯区"], "n_regions"] == 2).all()
    assert (aid.loc[["渝中区", "武侯区"], "rank_basis"] == "每万人").all()
    # a district bureau and a city bureau stand beside them, unranked, with the reason in Chinese
    for region in ("西湖区", "杭州市"):
        assert pd.isna(aid.loc[region, "rank"]) and not aid.loc[region, "comparable"]
        assert aid.loc[region, "compare_note"].startswith("未排名：")
    assert "政府部门" in aid.loc["西湖区", "compare_note"]
    assert "市级" in aid.loc["杭州市", "compare_note"] and "县级" in aid.loc["杭州市", "compare_note"]


def test_a_bureaus_own_work_is_not_divided_by_the_citys_population(cross_2023):
    requests = _rows(cross_2023, "info_disclosure_requests")
    assert math.isnan(requests.loc["杭州市", "per_10k"])
    assert "不是全市合计" in requests.loc["杭州市", "per_capita_note"]
    assert requests.loc["武侯区", "per_10k"] == pytest.approx(300 / 1_200_000 * 10000)


def test_general_appearance_rate_is_not_ranked_against_the_heads_rate(mixed, cross_2023):
    names = mixed.metrics.set_index("region").query("indicator == 'admin_litigation_appearance_rate'")["indicator_name"]
    assert names["西湖区"] == "出庭应诉率"  # the text does not say 负责人
    assert names["武侯区"] == names["渝中区"] == "行政机关负责人出庭应诉率"
    rates = _rows(cross_2023, "admin_litigation_appearance_rate")
    assert rates.loc["武侯区", "rank"] == 1 and rates.loc["渝中区", "rank"] == 2
    assert pd.isna(rates.loc["西湖区", "rank"]) and "口径不同" in rates.loc["西湖区", "compare_note"]


def test_units_that_differ_are_not_ranked(seed_corpus):
    cross = analysis.cross_district(seed_corpus.metrics, seed_corpus.reports, 2024)
    proactive = _rows(cross, "info_disclosure_proactive")  # 2648条 (city bureau) against 652份 (district government)
    assert proactive["rank"].isna().all()
    assert "单位" in proactive.loc["厦门市", "compare_note"] and "条" in proactive.loc["厦门市", "compare_note"]
    assert cross["rank"].isna().all()  # nothing in 2024 is comparable: a city bureau and a district government


def test_ranks_on_seeds_2023_are_within_one_group(seed_corpus):
    cross = analysis.cross_district(seed_corpus.metrics, seed_corpus.reports, 2023)
    ranked = cross[cross["comparable"]]
    assert not ranked.empty and ranked.groupby("indicator")["compare_group"].nunique().eq(1).all()
    reviews = _rows(cross, "normative_doc_reviews")  # 鲤城 writes 9份, the others 件
    if "鲤城区" in reviews.index and reviews.loc["鲤城区", "unit"] != "件":
        assert pd.isna(reviews.loc["鲤城区", "rank"])


def test_default_year_is_the_one_with_most_comparable_regions(mixed, seed_corpus):
    assert analysis.comparable_year(mixed.reports) == 2023  # 2024: a city government and a district one
    assert analysis.comparable_year(seed_corpus.reports) == 2023  # 2024: 厦门市司法局 and 鲤城区人民政府
    assert analysis.comparable_year(mixed.reports.iloc[0:0]) is None


# ---------------------------------------------------------------------------- report profile verdicts

PLAIN = "一、2023年度主要举措和成效\n全年办理法律援助案件100件。\n二、存在的不足\n一是合力不足。\n"


def _profile(tmp_path, text, name="r.txt"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = reportlib.read_reports(tmp_path / name)
    return analysis.report_profile(corpus.reports["report_id"].iloc[0], corpus)


def test_a_plan_written_as_a_sentence_counts(tmp_path):
    text = ("杭州市西湖区司法局关于2023年度法治政府建设情况的报告\n区委、区政府：\n" + PLAIN
            + "2024 年，我局将以更高标准推进法治政府建设，深化行政复议体制改革。\n杭州市西湖区司法局\n2024年2月1日\n")
    parts = _profile(tmp_path, text)["parts"].set_index("part")
    assert parts.loc["plans", "status"] == "in_text"
    assert "我局将" in parts.loc["plans", "evidence"]


def test_a_past_sentence_with_a_year_is_not_a_plan(tmp_path):
    text = ("杭州市西湖区司法局关于2023年度法治政府建设情况的报告\n区委、区政府：\n" + PLAIN
            + "2023年，我局法治政府建设工作取得了积极成效。\n杭州市西湖区司法局\n2024年2月1日\n")
    assert _profile(tmp_path, text)["parts"].set_index("part").loc["plans", "status"] == "missing"


def test_signing_date_alone_cannot_show_timeliness():
    when = analysis.timeliness({"report_year": 2023, "published_date": "", "issued_date": "2024-01-31"})
    assert when["status"] == "unknown" and when["text"].startswith("无法判断")
    assert "未见发布日期" in when["text"] and "2024-01-31" in when["text"]
    # signed after the deadline: late however it was published
    assert analysis.timeliness({"report_year": 2023, "published_date": "", "issued_date": "2024-04-03"})["status"] == "late"


def test_seed_profiles_signed_only_are_not_judged_on_time(seed_corpus):
    signed_only = seed_corpus.reports[(seed_corpus.reports["published_date"] == "") & (seed_corpus.reports["issued_date"] != "")]
    assert not signed_only.empty
    for rid in signed_only["report_id"]:
        profile = analysis.report_profile(rid, seed_corpus)
        assert profile["timeliness"]["status"] == "unknown"
        assert profile["summary"][0].startswith("无法判断")


def test_no_addressee_block_is_unknown_not_missing(tmp_path):
    text = ("杭州市西湖区司法局关于2023年度法治政府建设情况的报告\n" + PLAIN
            + "三、2024年工作安排\n一是深化改革。\n杭州市西湖区司法局\n2024年2月1日\n")
    profile = _profile(tmp_path, text)
    assert (profile["addressees"]["status"] == "无法判断").all()
    assert not any("未见：本级" in line or "主送或抄送中未见" in line for line in profile["summary"])
    assert any("无法判断" in line and "主送" in line for line in profile["summary"])


def test_an_addressee_block_that_lacks_one_is_missing():
    got = analysis.addressee_check({"issuer_kind": "government", "issuer": "成都市武侯区人民政府",
                                    "addressees": "区委", "cc": ""}).set_index("expected")["status"].to_dict()
    assert got == {"同级党委": "有", "同级人大常委会": "未见"}


def test_yoy_says_when_the_two_years_word_an_indicator_differently(tmp_path):
    for year, body in ((2022, "行政机关负责人出庭应诉率达96%。"), (2023, "全区行政诉讼案件出庭应诉率达100%。")):
        (tmp_path / f"{year}.txt").write_text(report_text(body, "成都市武侯区人民政府", year), encoding="utf-8")
    corpus = reportlib.read_reports(tmp_path)
    row = analysis.year_over_year(corpus.metrics, corpus.reports, region="武侯区").set_index("indicator").loc[
        "admin_litigation_appearance_rate"]
    assert row["indicator_name"] == "出庭应诉率" and "负责人" not in row["narrative"]
    assert "口径不同" in row["scope_note"] and "行政机关负责人出庭应诉率" in row["scope_note"]
