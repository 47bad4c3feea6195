"""The checks frame on texts of our own making: each check passes on a consistent text and fails
(or warns) on an inconsistent one."""

from __future__ import annotations

import math

import pytest

from reportlib.parsing.checks import CHECK_COLUMNS, implied_total, rate_agrees, tolerance
from reportlib.parsing.parse import parse_text
from tests.conftest import report_text

DISTRICT, CITY, PROVINCE = "广州市天河区司法局", "杭州市司法局", "浙江省司法厅"


def checks(body: str, issuer: str = DISTRICT) -> list[dict]:
    rows = parse_text(report_text(body, issuer=issuer)).checks
    assert all(len(r) == len(CHECK_COLUMNS) for r in rows)
    return [dict(zip(CHECK_COLUMNS, r, strict=True)) for r in rows]


def only(rows: list[dict], check: str) -> dict:
    found = [r for r in rows if r["check"] == check]
    assert len(found) == 1, rows
    return found[0]


@pytest.mark.parametrize(
    ("body", "check", "status", "expected", "observed"),
    [
        pytest.param("全区人民调解组织排查调处矛盾纠纷3,454件，调处成功3,452件，成功率达99.9%。",
                     "rate_vs_counts", "pass", 99.94, 99.9, id="rate-pass"),
        pytest.param("全区人民调解组织排查调处矛盾纠纷3,454件，调处成功3,400件，成功率达99.9%。",
                     "rate_vs_counts", "fail", 98.44, 99.9, id="rate-fail"),
        pytest.param("全区人民调解组织调处矛盾纠纷1,000件，调解成功995件，调解成功率达98%以上。",
                     "rate_vs_counts", "pass", 99.5, 98, id="rate-lower-bound-pass"),
        pytest.param("全区人民调解组织调处矛盾纠纷1,000件，调解成功950件，调解成功率达98%以上。",
                     "rate_vs_counts", "fail", 95, 98, id="rate-lower-bound-fail"),
        pytest.param("全年共受理行政复议案件462件，审结333件，调解案件67件，占结案的20.12%。",
                     "share_vs_counts", "pass", 20.12, 20.12, id="share-of-closed-pass"),
        pytest.param("全年共受理行政复议案件462件，审结333件，调解案件67件，占结案的25.12%。",
                     "share_vs_counts", "fail", 20.12, 25.12, id="share-of-closed-fail"),
        pytest.param("全年办理行政复议案件，经调解后自愿撤回行政复议申请共28件，占审结的42.42%。",
                     "share_implies_total", "pass", 66, 42.42, id="implied-total-pass"),
        pytest.param("全年办理行政复议案件，经调解后自愿撤回行政复议申请共28件，占审结的42.47%。",
                     "share_implies_total", "fail", math.nan, 42.47, id="implied-total-fail"),
        pytest.param("全年办理法律援助案件1,500件，其中刑事法律援助案件600件，占40%。",
                     "share_vs_counts", "pass", 40, 40, id="share-of-parent-pass"),
        pytest.param("全年办理法律援助案件1,500件，其中刑事法律援助案件600件，占45%。",
                     "share_vs_counts", "fail", 40, 45, id="share-of-parent-fail"),
        pytest.param("全年办理法律援助案件2,675件（刑事2,357件、民事318件）。",
                     "parts_vs_total", "pass", 2675, 2675, id="parts-pass"),
        pytest.param("全年办理法律援助案件2,675件（刑事2,357件、民事418件）。",
                     "parts_vs_total", "fail", 2675, 2775, id="parts-exceed-total"),
        pytest.param("全年办理法律援助案件1,500件，其中刑事案件600件，民事案件880件，行政案件20件。",
                     "parts_vs_total", "warn", 1500, 1480, id="parts-short-of-total"),
        pytest.param("全区调处矛盾纠纷1,000件，调解成功1,200件。",
                     "part_not_above_total", "fail", 1000, 1200, id="success-above-disputes"),
        pytest.param("全年收到行政复议申请80件，受理56件。",
                     "part_not_above_total", "pass", 80, 56, id="accepted-below-applications"),
    ],
)
def test_check_rows(body, check, status, expected, observed):
    row = only(checks(body), check)
    assert row["status"] == status
    assert row["observed"] == pytest.approx(observed)
    assert row["expected"] == pytest.approx(expected, abs=0.01, nan_ok=True)
    assert row["evidence"] and "：" not in row["evidence"].split(": ")[0]  # raw: sentence


def test_rate_evidence_quotes_all_three_figures():
    row = only(checks("全区人民调解组织排查调处矛盾纠纷3,454件，调处成功3,452件，成功率达99.9%。"), "rate_vs_counts")
    assert [part.split(": ")[0] for part in row["evidence"].split(" | ")] == ["99.9%", "3,452件", "3,454件"]
    assert row["indicators"] == "mediation_success_rate = mediation_success / mediation_disputes"


@pytest.mark.parametrize(
    ("body", "issuer", "indicator", "status"),
    [
        pytest.param("全区共办理法律援助案件1,000万件。", DISTRICT, "legal_aid_cases", "fail", id="district-1e7-cases"),
        pytest.param("全省共办理法律援助案件1,000万件。", PROVINCE, "legal_aid_cases", None, id="province-1e7-cases-ok"),
        pytest.param("全区共办理法律援助案件2,150件。", DISTRICT, "legal_aid_cases", None, id="district-normal"),
        pytest.param("全区人民调解组织调解成功率达150%。", DISTRICT, "mediation_success_rate", "fail", id="rate-above-100"),
        pytest.param("为受援人挽回经济损失2,000亿元。", DISTRICT, "legal_aid_recovered_amount", "fail", id="district-2e11-yuan"),
        pytest.param("全市各级人民调解组织调处矛盾纠纷12.5件。", CITY, "mediation_disputes", "fail", id="count-with-fraction"),
    ],
)
def test_magnitude(body, issuer, indicator, status):
    rows = [r for r in checks(body, issuer) if r["check"] == "magnitude"]
    if status is None:
        assert rows == []
    else:
        assert [(r["indicators"], r["status"]) for r in rows] == [(indicator, status)]


def test_duplicate_values_agree():
    body = "全区共办理法律援助案件2,150件。\n二是便民服务。全区受理法律援助案件2,150件，群众满意率100%。"
    row = only(checks(body), "duplicate_values")
    assert (row["indicators"], row["status"], row["expected"], row["observed"]) == ("legal_aid_cases", "pass", 2150, 2150)


def test_duplicate_values_contradict():
    body = "全区共办理法律援助案件2,150件。\n二是便民服务。全区受理法律援助案件2,510件，群众满意率100%。"
    row = only(checks(body), "duplicate_values")
    assert (row["indicators"], row["status"]) == ("legal_aid_cases", "fail")
    assert {row["expected"], row["observed"]} == {2150, 2510}
    assert "2,150件" in row["evidence"] and "2,510件" in row["evidence"]


def test_sub_unit_figure_is_no_duplicate():
    body = "全区共办理法律援助案件2,150件。其中红牌楼司法所办理法律援助案件59件。"
    assert [r for r in checks(body) if r["check"] == "duplicate_values"] == []


def test_no_figures_no_checks():
    assert checks("全面加强法治政府建设。") == []


@pytest.mark.parametrize(("raw", "tol"), [("99.9%", 0.051), ("20.12%", 0.006), ("100%", 0.501), ("98.70%", 0.006)])
def test_tolerance_follows_written_precision(raw, tol):
    assert tolerance(raw) == pytest.approx(tol)


def test_rate_agrees_and_implied_total_edges():
    assert rate_agrees(99.94, 99.9, "99.9%") and not rate_agrees(99.84, 99.9, "99.9%")
    assert implied_total(0, 10, "10%") is None and implied_total(5, 0, "0%") is None
    assert implied_total(3, 100, "100%") == 3
