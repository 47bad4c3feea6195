"""The corpus overview: one row per report judged as on its profile page, and the region × year grid."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from reportlib.build import plan
from reportlib.build import runner as build
from reportlib.outputs import analysis, nbview, overview
from tests.conftest import SEEDS


def _links(corpus) -> dict[str, str]:
    """Each report's profile page, as the build names it (the notebook does the same)."""
    return {r.parameters["report_id"]: f"{r.name}.html" for r in plan.derive_plan(corpus) if r.notebook == "report_profile.ipynb"}


@pytest.fixture(scope="module")
def table(seed_corpus):
    return overview.corpus_overview(seed_corpus, profile_href=_links(seed_corpus))


def test_one_row_per_report_with_the_profile_verdicts(seed_corpus, table):
    assert sorted(table["report_id"]) == sorted(seed_corpus.reports["report_id"])
    for row in table.to_dict("records"):
        profile = analysis.report_profile(row["report_id"], seed_corpus)
        status = dict(zip(profile["parts"]["part"], profile["parts"]["status"], strict=True))
        for part in overview.PART_SHORT:
            assert row[f"part_{part}"] == overview.PART_STATUS_ZH[status[part]], (row["label"], part)
        assert row["parts_missing"] == sum(s == "missing" for s in status.values())
        assert row["timeliness"] == overview.TIMELINESS_ZH[profile["timeliness"]["status"]]
        assert row["n_metrics"] == len(profile["metrics"]) and row["n_failed_checks"] == len(profile["checks"])
        statuses = set(profile["addressees"]["status"]) if len(profile["addressees"]) else set()
        if statuses == {"无法判断"}:  # a reprint without its 主送/抄送 block: neither page says "missing"
            assert row["addressees_verdict"] == "无法判断", row["label"]
        elif "未见" in statuses:
            assert row["addressees_verdict"] == "缺少", row["label"]
        assert row["profile"] == _links(seed_corpus)[row["report_id"]] and row["profile"].startswith("报告概况_")


def test_the_lichengqu_reports_as_the_rules_read_them(table):
    rows = table[table["region"] == "鲤城区"].set_index("report_year")
    assert list(rows.index) == [2023, 2024]  # sorted by year within a region
    assert rows.loc[2023, "doc_number"] == "泉鲤司〔2024〕6号"
    assert rows.loc[2023, "addressees_verdict"] == "符合" and "抄送泉州市司法局" in rows.loc[2023, "addressees_note"]
    assert rows.loc[2024, "level_zh"] == "县级" and rows.loc[2024, "issuer_kind_zh"] == "人民政府"
    assert rows.loc[2024, "published_date"] == "2025-02-17" and rows.loc[2024, "timeliness"] == "按时"


def test_late_and_undated_reports(seed_corpus):
    reports = seed_corpus.reports.copy()
    reports.loc[0, ["published_date", "issued_date"]] = ["", ""]
    reports.loc[1, ["published_date", "report_year"]] = [f"{int(reports.loc[1, 'report_year']) + 1}-05-03",
                                                        reports.loc[1, "report_year"]]
    corpus = type(seed_corpus)(**{**{t: seed_corpus.table(t) for t in seed_corpus.TABLES}, "reports": reports})
    frame = overview.corpus_overview(corpus, read_text=False).set_index("report_id")
    first, second = reports.loc[0, "report_id"], reports.loc[1, "report_id"]
    assert frame.loc[first, "timeliness"] == "无法判断" and pd.isna(frame.loc[first, "days_late"])
    assert frame.loc[second, "timeliness"] == "逾期" and frame.loc[second, "days_late"] == 33
    assert frame.loc[second, "profile"] == ""  # no page given for it


@pytest.mark.parametrize(("report", "verdict", "note"), [
    ({"issuer_kind": "government", "addressees": "区委、区人大常委会"}, "符合", "同级人大常委会：主送区人大常委会"),
    ({"issuer_kind": "government", "addressees": "区委", "cc": "区人大常委会"}, "符合", "抄送区人大常委会"),
    ({"issuer_kind": "department", "issuer": "某市某区司法局", "level": "county", "addressees": "区委、区政府"},
     "缺少", "未见上一级主管部门"),
    ({"issuer_kind": "party_government", "addressees": ""}, "不作判断", "党委政府联合报告"),
    ({"issuer_kind": "", "addressees": "区委"}, "不作判断", "未识别"),
], ids=["government-ok", "government-cc", "department-lacks-upper", "joint", "unknown-kind"])
def test_addressee_verdicts(report, verdict, note):
    got, why = overview.addressee_verdict(report)
    assert got == verdict and note in why


def test_coverage_grid_counts_reports_per_region_and_year(seed_corpus):
    grid = overview.coverage_grid(seed_corpus.reports).set_index("region")
    assert {"2023", "2024"} <= set(grid.columns)
    assert grid.loc["鲤城区", ["2023", "2024"]].tolist() == [1, 1] and grid.loc["鲤城区", "n_years"] == 2
    assert grid.loc["厦门市", "2023"] == 0 and grid.loc["厦门市", "level_zh"] == "市级"
    assert int(grid["n_reports"].sum()) == len(seed_corpus.reports)
    two = pd.concat([seed_corpus.reports, seed_corpus.reports.iloc[[2]].assign(report_id="x", issuer="另一机关")])
    assert overview.coverage_grid(two).set_index("region_code").loc[seed_corpus.reports.iloc[2]["region_code"], "n_reports"] == (
        (seed_corpus.reports["region_code"] == seed_corpus.reports.iloc[2]["region_code"]).sum() + 1)
    assert overview.coverage_grid(seed_corpus.reports.iloc[0:0]).empty


def test_summary_counts_what_the_table_says(table, seed_corpus):
    lines = overview.overview_summary(table, overview.coverage_grid(seed_corpus.reports))
    assert lines[0].startswith(f"共{len(table)}份报告")
    assert f"按时{(table['timeliness'] == '按时').sum()}份" in lines[1]
    assert not any(re.search(r"nan|None|True|False|\[\]", line) for line in lines)


def test_linked_table_links_profiles_and_escapes_text(table):
    shown = table.assign(label=["<b>x</b>", *table["label"].iloc[1:]])
    page = nbview.linked_table(shown, ["label", "profile"], {"profile": ("profile", "概况")}).data
    for href in table["profile"]:
        assert f'<a href="{href}">概况</a>' in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    evil = table.assign(profile=["javascript:alert(1)", *table["profile"].iloc[1:]])
    assert "javascript:" not in nbview.linked_table(evil, ["label", "profile"], {"profile": ("profile", "概况")}).data


@pytest.mark.slow
def test_overview_page_and_workbook(tmp_path, table):
    runs = [r for r in plan.derive_plan(analysis.load_corpus(None, SEEDS)) if r.name == plan.OVERVIEW_NAME]
    summary = build.run_build([SEEDS], out=tmp_path, processed_dir=tmp_path / "processed", plan=runs, jobs=1,
                              progress=False, echo=False)
    assert summary.ok, str(summary)
    page = (tmp_path / f"{plan.OVERVIEW_NAME}.html").read_text(encoding="utf-8")
    for href in table["profile"]:
        assert f'href="{href}"' in page
    assert "覆盖情况" in page and "泉鲤司〔2024〕6号" in page and "Traceback" not in page
    text = re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1])
    assert not re.search(r"\bnan\b|\bNone\b|\bTrue\b|\bFalse\b|<NA>", text)
    book = openpyxl.load_workbook(tmp_path / f"{plan.OVERVIEW_NAME}.xlsx")
    assert book.sheetnames == ["说明", "报告一览", "覆盖情况"]
    sheet = book["报告一览"]
    header = [c.value for c in sheet[1]]
    assert {"是否按时", "文号", "主送抄送", "报告概况页", "第一责任人职责"} <= set(header)
    assert sheet.max_row == len(table) + 1


def test_quality_page_stays_small_past_many_reports(seed_corpus):
    q = analysis.quality(seed_corpus)
    many = {**q, "reports": pd.concat([q["reports"]] * 20, ignore_index=True),
            "unpromoted": pd.concat([q["unpromoted"]] * 100, ignore_index=True)}
    page = overview.quality_on_page(many, most_reports=40, most_rows=200)
    assert page["chart"] is None and int(page["histogram"]["n_reports"].sum()) == 100
    assert list(page["coverage"].columns) == ["indicator_name", "reports_with_value"] and "100份报告" in page["notes"]["coverage"]
    assert len(page["unpromoted"]) == 200 and page["notes"]["unpromoted"].startswith(f"共{len(many['unpromoted']):,}行")
    small = overview.quality_on_page(q)
    assert small["chart"] is q["reports"] and small["coverage"] is q["coverage"] and not any(small["notes"].values())
