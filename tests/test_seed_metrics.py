"""Seed-level expectations, read off the five seeds by a person: the metric frame an analyst signs off.

``SEED_METRICS`` is the whole metric frame of each seed (nothing missing, nothing extra): a trap that
gets promoted, or a real figure that gets lost, fails here. ``NOT_METRICS`` names the figures that
look like indicators but are not the jurisdiction's level (a sub-unit, a sub-group, another kind of
mediation, part of the year …); each must stay out of the metrics.
"""

from __future__ import annotations

import re

import pytest

from reportlib.reading.formats import extract

S0, S1, S2, S3, S4 = (
    "000_c65c1456b27ca68d.txt",  # 泉州市鲤城区司法局, 2023
    "001_759bc3a8bcb1605c.txt",  # 泉州市鲤城区人民政府, 2024
    "002_531e4b9acb86f1c6.txt",  # 南安市司法局, 2023
    "003_233507c4a0dcbcd0.txt",  # 厦门市湖里区司法局, 2023
    "004_3d6be01b1ca05d82.txt",  # 厦门市司法局, 2024 (a city report)
)

SEED_METRICS: dict[str, dict[str, float]] = {
    S0: {
        "legal_aid_cases": 367,  # 2023年共办理各类法律援助案件367件
        "legal_aid_recovered_amount": 5_024_000,  # 挽回损失约502.4万元
        "legal_aid_fees_saved": 2_696_500,  # 节约律师费用约269.65万元
        "mediation_disputes": 3454,  # 全区排查调处矛盾纠纷 3454 件
        "mediation_success": 3452,
        "mediation_success_rate": 99.9,
        "admin_reconsideration_applications": 80,  # 年度共收到行政复议申请 80 件
        "admin_reconsideration_accepted": 56,
        "admin_reconsideration_correction_rate": 15.18,  # 作出撤销、变更、确认违法…决定等占 15.18%
        "admin_litigation_appearance_rate": 100,
        "normative_doc_reviews": 9,  # 出具规范性文件合法性审查意见书9份
        "normative_doc_filings": 7,
        "government_contracts_reviewed": 21,
        "enforcement_files_reviewed": 30,  # 评查7家行政执法单位30件行政处罚卷宗
        "hotline_12348_consultations": 2657,  # not 掌上12348平台 9559次
        "legal_publicity_events": 558,  # not 社区法律顾问 30场
    },
    S1: {
        "legal_aid_cases": 283,  # 2024年我区共办理法律援助案件283件
        "legal_aid_recovered_amount": 2_573_000,
        "legal_aid_fees_saved": 2_127_000,
        "mediation_disputes": 4155,
        "admin_reconsideration_mediated": 28,  # 经调解后自愿撤回行政复议申请共28件
        "admin_reconsideration_mediation_rate": 42.42,  # 占审结的42.42%
        "admin_litigation_appearance_rate": 100,
        "admin_litigation_loss_rate": 1.37,
        "normative_doc_reviews": 8,
        "normative_doc_filings": 10,
        "legal_affairs_reviews": 34,  # 出具涉法事务咨询建议书34份
        "admin_penalties": 900,  # 闽执法 platform, the district's agencies: 行政处罚900件
        "admin_inspections": 11692,
        "petitions": 1425,  # not the −41.5 % change
        "info_disclosure_proactive": 652,
        "info_disclosure_requests": 101,
    },
    S2: {
        "legal_aid_cases": 2675,  # 全市共受理法律援助案件2675件(刑事2357件,民事318件)
        "legal_aid_criminal_cases": 2357,
        "legal_aid_civil_cases": 318,
        "legal_aid_recovered_amount": 24_604_200,
        "legal_aid_fees_saved": 9_070_100,  # 免收法律服务费用907.01万元
        "mediation_disputes": 8631,
        "mediation_success": 8612,
        "mediation_success_rate": 99.78,
        "admin_reconsideration_applications": 216,
        "admin_reconsideration_closed": 193,  # 作出决定193件(含上期结转)
        "admin_reconsideration_corrected": 35,
        "admin_reconsideration_mediated": 45,  # 因调解成功当事人申请撤回行政复议而终止的案件45件
        "admin_litigation_cases": 68,
        "admin_litigation_appearance_rate": 100,  # 行政机关负责人出庭率达到100%
        "normative_doc_reviews": 37,
        "normative_doc_filings": 31,
        "legal_affairs_reviews": 27,  # 审查市政府涉法事务27件
        "enforcement_files_reviewed": 236,
        "notarizations": 2889,
        "legal_publicity_events": 400,  # 全市共举办各类主题宣传活动400多场次
        "community_correction_received": 831,
        "community_correction_released": 757,
        "community_correction_active": 756,
    },
    S3: {
        "legal_aid_cases": 2559,
        "mediation_disputes": 8374,
        "mediation_amount": 67_954_700,
        "admin_reconsideration_accepted": 462,
        "admin_reconsideration_closed": 333,
        "admin_reconsideration_mediated": 67,
        "admin_reconsideration_mediation_rate": 20.12,  # 占结案的20.12%
        "admin_litigation_appearance_rate": 100,  # not the 同比提高1.31%
        "normative_doc_reviews": 6,  # 全年对 6 件规范性文件进行事前合法性审核
        "legal_affairs_reviews": 256,  # 对 256 件市、区级文件、行政协议等提出法律意见
        "enforcement_files_reviewed": 131,  # 抽查案卷131卷
        "notarizations": 3522,
        "legal_advisors": 80,  # 聘请政府法律顾问及公职律师 80 余人
    },
    S4: {
        "mediation_disputes": 40980,  # 全市各类人民调解组织共排查化解矛盾纠纷40980件
        "mediation_amount": 560_000_000,
        "hotline_12348_consultations": 161160,
        "info_disclosure_proactive": 2648,
        "info_disclosure_requests": 16,
    },
}

#: (seed, indicator, value, why): figures that must not become that indicator's metric.
NOT_METRICS = [
    (S0, "legal_aid_cases", 67, "民营企业困难员工: a sub-group"),
    (S0, "legal_aid_recovered_amount", 1_900_000, "民营企业困难员工: a sub-group"),
    (S0, "mediation_success", 201, "老兵调解室 of 鲤中司法所: one mediation room"),
    (S0, "mediation_amount", 4_567_300, "老兵调解室: one mediation room"),
    (S0, "mediation_disputes", 59, "金龙司法所 顺顺调解室: one mediation room"),
    (S0, "mediation_amount", 4_670_000, "金龙司法所: one mediation room"),
    (S0, "hotline_12348_consultations", 9559, "掌上12348平台: an app, not the hotline"),
    (S0, "legal_publicity_events", 30, "社区法律顾问: one service"),
    (S1, "admin_reconsideration_accepted", 210, "海丝金融巡回法庭 金融案件"),
    (S1, "legal_publicity_events", 120, "中小学校 campaign: a sub-group"),
    (S1, "admin_penalties", 13, "13项行政处罚事项: matters, not penalties"),
    (S1, "admin_penalties", 38, "安全生产 立案处罚: one field"),
    (S2, "mediation_disputes", 300, "项目枫桥 一线调解室: one project"),
    (S2, "notarizations", 90, "为民营企业办理公证: a sub-group"),
    (S2, "government_contracts_reviewed", 157, "村(社区)法律顾问: community advisers"),
    (S2, "admin_reconsideration_applications", 10, "应诉上级行政复议案件: answering a higher body"),
    (S3, "admin_penalties", 137, "各街道: street-level penalties"),
    (S3, "admin_inspections", 256, "各街道执法检查: street level"),
    (S4, "mediation_disputes", 184992, "行政调解 (11个重点行政部门), not 人民调解"),
    (S4, "mediation_success", 103011, "行政调解, not 人民调解"),
    (S4, "mediation_disputes", 14186, "公调对接 cases"),
    (S4, "legal_publicity_events", 500, "蒲公英普法志愿者: volunteers"),
    (S4, "legal_affairs_reviews", 167, "2024年9月30日以来: part of the year"),
]


def _seed_rows(frame, name):
    return frame[frame["source"].str.endswith(name)]


@pytest.fixture(scope="module")
def decoded(seeds_dir):
    return {p.name: extract(p.read_bytes(), p.name).text for p in seeds_dir.glob("*.txt")}


@pytest.mark.parametrize("name", sorted(SEED_METRICS))
def test_seed_metric_frame(seed_corpus, name):
    rows = _seed_rows(seed_corpus.metrics, name)
    got = dict(zip(rows["indicator"], rows["value"], strict=True))
    assert got == pytest.approx(SEED_METRICS[name])
    assert set(rows["kind"]) <= {"level"}


@pytest.mark.parametrize("name", sorted(SEED_METRICS))
def test_seed_evidence_round_trips(seed_corpus, decoded, name):
    text = decoded[name]
    rows = _seed_rows(seed_corpus.metrics, name)
    assert len(rows)
    for r in rows.itertuples():
        assert text[r.start : r.end] == r.raw
        assert re.sub(r"\s", "", r.raw) in r.sentence  # the sentence is the evidence a person reads


@pytest.mark.parametrize(("name", "year", "value", "evidence"), [
    (S0, 2023, 367, "2023年共办理各类法律援助案件367件"),
    (S1, 2024, 283, "2024年我区共办理法律援助案件283件"),
])
def test_licheng_legal_aid(seed_corpus, decoded, name, year, value, evidence):
    row = _seed_rows(seed_corpus.metrics, name).query("indicator == 'legal_aid_cases'").iloc[0]
    assert (row["region"], row["region_code"], row["report_year"], row["value"]) == ("鲤城区", "350502", year, value)
    assert evidence in row["sentence"]
    assert decoded[name][row["start"] : row["end"]] == row["raw"] == f"{value}件"


@pytest.mark.parametrize(("name", "indicator", "value", "why"), NOT_METRICS, ids=[f"{n[:3]}-{i}-{v}" for n, i, v, _ in NOT_METRICS])
def test_trap_not_promoted(seed_corpus, name, indicator, value, why):
    metrics = _seed_rows(seed_corpus.metrics, name)
    assert not ((metrics["indicator"] == indicator) & (metrics["value"] == value)).any(), why
    mentions = _seed_rows(seed_corpus.mentions, name)
    assert (mentions["value"] == value).any(), f"{value} should still be a mention"
    carrying = mentions[(mentions["indicator"] == indicator) & (mentions["value"] == value)]
    assert (carrying["confidence"] < 0.75).all() and not carrying["promoted"].any()


def test_admin_mediation_carries_no_mediation_indicator(seed_corpus):
    mentions = _seed_rows(seed_corpus.mentions, S4)
    admin = mentions[mentions["value"].isin([184992, 794, 184198, 103011, 88, 102923])]
    assert len(admin) == 6
    assert not admin["indicator"].str.startswith("mediation").any()


def test_no_change_or_target_is_a_metric(seed_corpus):
    changes = seed_corpus.mentions[seed_corpus.mentions["kind"].isin(["change", "target"])]
    assert {"41.5%", "1.31%"} <= set(changes["raw"])
    assert not changes["promoted"].any()


def test_seed_checks_pass(seed_corpus):
    checks = seed_corpus.checks
    assert len(checks) >= 8
    assert set(checks["status"]) == {"pass"}, checks[checks["status"] != "pass"].to_dict("records")
    hl = checks[checks["source"].str.endswith(S3) & (checks["check"] == "share_vs_counts")]
    assert hl["observed"].tolist() == [20.12]
