"""The indicator matcher on sentences of our own making, in the style of reports from other provinces.

Three tables:

* ``LEVELS``: one number per row → (indicator, value, unit, approx, kind). A ``level`` row must
  become that indicator's metric; a ``change`` or ``target`` row must not become a metric at all.
* ``FRAMES``: a sentence with several numbers → the exact metric frame ``{indicator: value}``
  (breakdowns, shared values, 分别 lists, one-line bodies).
* ``TRAPS``: a number that must NOT become the indicator's metric. ``scoped`` traps (a sub-unit,
  a sub-group, another jurisdiction, part of the year) are kept in mentions with the indicator and a
  lower confidence; ``other`` traps (行政调解 is not 人民调解 …) do not carry the indicator at all.

Every indicator of the vocabulary has at least one ``LEVELS`` row (checked below).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from reportlib.core.errors import TaxonomyError
from reportlib.parsing.indicators import load_taxonomy
from reportlib.parsing.parse import MENTION_COLUMNS, METRIC_COLUMNS, parse_text

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "indicators.csv"

#: Issuers outside Fujian, so that nothing here can lean on a seed's wording.
PLACES = {
    "bj": "北京市海淀区司法局",
    "cq": "重庆市渝中区人民政府",
    "zj": "杭州市西湖区司法局",
    "gd": "广州市天河区司法局",
    "sc": "成都市武侯区人民政府",
    "hz": "杭州市司法局",  # a city report
    "zjp": "浙江省司法厅",  # a province report
    "tw": "成都市武侯區人民政府",  # a report served in traditional characters
}
_MI = {name: i for i, name in enumerate(MENTION_COLUMNS)}
_TI = {name: i for i, name in enumerate(METRIC_COLUMNS)}


def report(sentence: str, place: str = "zj", year: int = 2023) -> str:
    """A small report skeleton around one sentence (the parser wants a title and a year)."""
    issuer = PLACES[place]
    if place == "tw":
        return f"{issuer}關於{year}年度法治政府建設情況的報告\n區委、區政府：\n一、主要舉措和成效\n{sentence}\n"
    return f"{issuer}关于{year}年度法治政府建设情况的报告\n区委、区政府：\n一、主要举措和成效\n{sentence}\n"


def parse(sentence: str, place: str = "zj"):
    text = report(sentence, place)
    return text, parse_text(text)


def metrics_of(result) -> dict[str, float]:
    return {row[_TI["indicator"]]: row[_TI["value"]] for row in result.metrics}


def mentions_of(result, value: float, unit: str | None = None) -> list[dict]:
    rows = [dict(zip(MENTION_COLUMNS, row, strict=True)) for row in result.mentions]
    return [r for r in rows if r["value"] == value and (unit is None or r["unit"] == unit)]


# --------------------------------------------------------------------------- one number per row

L = "level"


def row(place, sentence, indicator, value, unit, approx=False, kind=L, id=None, marks=()):
    return pytest.param(place, sentence, indicator, value, unit, approx, kind, id=id or f"{indicator}-{place}", marks=marks)


LEVELS = [
    # legal aid: every verb and noun around the number
    row("bj", "全年共受理法律援助案件1,234件。", "legal_aid_cases", 1234, "件", id="legal_aid-shouli-thousands-sep"),
    row("cq", "一是法律援助提质增效，承办法律援助案件2,150件。", "legal_aid_cases", 2150, "件", id="legal_aid-chengban-yishi-list"),
    row("zj", "全区审结法律援助案件886件。", "legal_aid_cases", 886, "件", id="legal_aid-shenjie"),
    row("gd", "指派律师办理法律援助案件 3454 件。", "legal_aid_cases", 3454, "件", id="legal_aid-banli-spaced-number"),
    row("tw", "法律援助案件共辦理1,234件，群眾滿意度持續提升。", "legal_aid_cases", 1234, "件", id="legal_aid-traditional"),
    row("bj", "区法律援助中心全年共办理各类案件1,020件。", "legal_aid_cases", 1020, "件", id="legal_aid-centre-all-cases"),
    row("cq", "全年办结法援案件512件，受援人满意率100%。", "legal_aid_cases", 512, "件", id="legal_aid-abbrev-fayuan"),
    row("gd", "全区法律援助案件数达1,500余件。", "legal_aid_cases", 1500, "件", True, id="legal_aid-shuda-yu-hedge"),
    row("zj", "全年共办理法律援助案件约两千件。", "legal_aid_cases", 2000, "件", True, id="legal_aid-cn-numeral"),
    row("sc", "组织律师为困难群众提供法律援助，化解法律援助案件418件。", "legal_aid_cases", 418, "件", id="legal_aid-huajie"),
    row("gd", "全区共受理法律援助案件2,150宗。", "legal_aid_cases", 2150, "件", id="legal_aid-zong-guangdong"),
    row("bj", "全年办理法律援助案件超3,000件。", "legal_aid_cases", 3000, "件", True, id="legal_aid-chao-hedge"),
    row("zj", "全区受理法律援助案件1,234件，同比增长5.6%。", "legal_aid_cases", 5.6, "%", kind="change", id="legal_aid-tongbi-change"),
    row("cq", "法律援助案件较去年增加45件。", "legal_aid_cases", 45, "件", kind="change", id="legal_aid-vs-last-year-change"),
    row("zj", "力争全年办理法律援助案件达到1,500件。", "legal_aid_cases", 1500, "件", kind="target", id="legal_aid-lizheng-target"),
    row("bj", "其中刑事法律援助案件1,100件。", "legal_aid_criminal_cases", 1100, "件"),
    row("bj", "民事法律援助案件2,048件。", "legal_aid_civil_cases", 2048, "件"),
    row("zj", "为受援群众挽回经济损失约2,356.8万元。", "legal_aid_recovered_amount", 23_568_000, "元", True),
    row("sc", "法律援助为受援人挽回损失或取得利益1.2亿元。", "legal_aid_recovered_amount", 120_000_000, "元", id="legal_aid_recovered-yi-yuan"),
    row("gd", "通过法律援助为受援人取得经济利益3,200余万元。", "legal_aid_recovered_amount", 32_000_000, "元", True, id="legal_aid_recovered-benefits"),
    row("zj", "法律援助为受援人节约律师费用约269.65万元。", "legal_aid_fees_saved", 2_696_500, "元", True),
    row("sc", "法律援助免收法律服务费用907.01万元。", "legal_aid_fees_saved", 9_070_100, "元", id="legal_aid_fees-waived"),
    row("cq", "为受援人减免律师代理费120万元。", "legal_aid_fees_saved", 1_200_000, "元", id="legal_aid_fees-reduced"),
    # people's mediation
    row("zj", "全区各级人民调解组织排查调处矛盾纠纷4,512件。", "mediation_disputes", 4512, "件"),
    row("bj", "全区人民调解组织调解各类纠纷12,345件。", "mediation_disputes", 12345, "件", id="mediation_disputes-all-kinds"),
    row("gd", "全年受理人民调解案件5,678件。", "mediation_disputes", 5678, "件", id="mediation_disputes-renmin-tiaojie-cases"),
    row("tw", "全區各級人民調解組織調處矛盾糾紛3,454件。", "mediation_disputes", 3454, "件", id="mediation_disputes-traditional"),
    row("cq", "各级调解组织化解矛盾纠纷 8374 件。", "mediation_disputes", 8374, "件", id="mediation_disputes-huajie-spaced"),
    row("cq", "全区人民调解组织调解纠纷1.2万件。", "mediation_disputes", 12000, "件", id="mediation_disputes-wan"),
    row("sc", "排查化解矛盾纠纷1.5万余件。", "mediation_disputes", 15000, "件", True, id="mediation_disputes-wan-yu"),
    row("gd", "全区调处矛盾纠纷1,200起。", "mediation_disputes", 1200, "件", id="mediation_disputes-qi"),
    row("zj", "调解成功4,480件。", "mediation_success", 4480, "件"),
    row("bj", "人民调解组织成功调处纠纷4,480件。", "mediation_success", 4480, "件", id="mediation_success-verb-first"),
    row("zj", "人民调解组织调解矛盾纠纷4,512件，调解成功率98.7%。", "mediation_success_rate", 98.7, "%"),
    row("sc", "调处矛盾纠纷1,020件，成功率达99.9%。", "mediation_success_rate", 99.9, "%", id="mediation_success_rate-bare-chenggonglv"),
    row("gd", "全区调处矛盾纠纷1,200起，调解成功率达98%以上。", "mediation_success_rate", 98, "%", True, id="mediation_success_rate-yishang"),
    row("tw", "調解成功率達99.5%。", "mediation_success_rate", 99.5, "%", id="mediation_success_rate-traditional"),
    row("zj", "调解成功率较上年提高1.2个百分点。", "mediation_success_rate", 1.2, "个百分点", kind="change", id="mediation_rate-points-change"),
    row("gd", "力争调解成功率达到98%以上。", "mediation_success_rate", 98, "%", True, kind="target", id="mediation_rate-lizheng-target"),
    row("bj", "人民调解组织调解纠纷涉及金额6,795.47万元。", "mediation_amount", 67_954_700, "元"),
    row("cq", "全区调处矛盾纠纷涉案金额1.2亿元。", "mediation_amount", 120_000_000, "元", id="mediation_amount-shean-yi-yuan"),
    # administrative reconsideration
    row("bj", "全年收到行政复议申请80件。", "admin_reconsideration_applications", 80, "件"),
    row("sc", "新收行政复议案件申请216件。", "admin_reconsideration_applications", 216, "件", id="admin_recon_applications-xinshou"),
    row("gd", "区政府共接收行政复议申请1,024件。", "admin_reconsideration_applications", 1024, "件", id="admin_recon_applications-jieshou"),
    row("gd", "全年受理行政复议案件462件。", "admin_reconsideration_accepted", 462, "件"),
    row("zj", "收到行政复议申请500件，依法受理486件。", "admin_reconsideration_accepted", 486, "件", id="admin_recon_accepted-after-applications"),
    row("cq", "审结行政复议案件333件。", "admin_reconsideration_closed", 333, "件"),
    row("sc", "行政复议案件办结427件。", "admin_reconsideration_closed", 427, "件", id="admin_recon_closed-banjie"),
    row("bj", "对行政复议申请作出复议决定193件。", "admin_reconsideration_closed", 193, "件", id="admin_recon_closed-decisions"),
    row("sc", "行政复议纠错35件。", "admin_reconsideration_corrected", 35, "件"),
    row("zj", "行政复议案件中作出撤销、变更、确认违法决定20件。", "admin_reconsideration_corrected", 20, "件", id="admin_recon_corrected-revoked-changed"),
    row("zj", "行政复议纠错率12.6%。", "admin_reconsideration_correction_rate", 12.6, "%"),
    row("bj", "行政复议作出撤销、变更、确认违法决定等占15.18%。", "admin_reconsideration_correction_rate", 15.18, "%", id="admin_recon_correction_rate-share"),
    row("gd", "行政复议调解和解结案67件。", "admin_reconsideration_mediated", 67, "件"),
    row("bj", "经调解后自愿撤回行政复议申请共28件。", "admin_reconsideration_mediated", 28, "件", id="admin_recon_mediated-withdrawn"),
    row("cq", "行政复议调解和解率达35.6%。", "admin_reconsideration_mediation_rate", 35.6, "%"),
    row("sc", "审结行政复议案件66件，经调解后撤回申请28件，占审结的42.42%。", "admin_reconsideration_mediation_rate", 42.42, "%", id="admin_recon_mediation_rate-share-of-closed"),
    # administrative litigation
    row("sc", "审核及应诉行政诉讼案件68件。", "admin_litigation_cases", 68, "件"),
    row("bj", "全区办理行政应诉案件152件。", "admin_litigation_cases", 152, "件", id="admin_litigation_cases-yingsu"),
    row("cq", "全区发生行政诉讼案件120件。", "admin_litigation_cases", 120, "件", id="admin_litigation_cases-fasheng"),
    row("zj", "行政机关负责人出庭应诉率达100%。", "admin_litigation_appearance_rate", 100, "%"),
    row("cq", "行政机关负责人出庭率达到100%。", "admin_litigation_appearance_rate", 100, "%", id="admin_litigation_appearance-chutinglv"),
    row("hz", "行政机关负责人出庭应诉率达100%，同比提高1.31%。", "admin_litigation_appearance_rate", 1.31, "%", kind="change", id="appearance-tongbi-percent-change"),
    row("bj", "工作目标是行政机关负责人出庭应诉率达到100%。", "admin_litigation_appearance_rate", 100, "%", kind="target", id="appearance-mubiao-target"),
    row("bj", "目标：行政机关负责人出庭应诉率达到100%。", "admin_litigation_appearance_rate", 100, "%", kind="target",
        id="appearance-mubiao-colon-target"),
    row("tw", "目標：行政機關負責人出庭應訴率達到100%。", "admin_litigation_appearance_rate", 100, "%", kind="target",
        id="appearance-mubiao-colon-traditional"),
    row("sc", "2024年工作计划：全区行政机关负责人出庭应诉率保持100%，败诉率控制在5%以内。", "admin_litigation_loss_rate", 5, "%",
        kind="target", id="loss_rate-jihua-colon-second-clause"),
    row("gd", "全区行政诉讼败诉率1.37%。", "admin_litigation_loss_rate", 1.37, "%"),
    row("sc", "行政诉讼败诉率为3.2%，同比下降1.5个百分点。", "admin_litigation_loss_rate", 1.5, "个百分点", kind="change", id="loss_rate-points-change"),
    # documents and reviews
    row("zj", "共出具规范性文件合法性审查意见书9份。", "normative_doc_reviews", 9, "份"),
    row("cq", "健全规范性文件备案审查制度，全年对 6 件规范性文件进行事前合法性审核。", "normative_doc_reviews", 6, "件", id="normative_doc_reviews-dui-N-after-wording"),
    row("bj", "审查行政规范性文件23件。", "normative_doc_reviews", 23, "件", id="normative_doc_reviews-verb-first"),
    row("gd", "报送规范性文件备案7件。", "normative_doc_filings", 7, "件"),
    row("sc", "向市政府及区人大常委会报送备案规范性文件12件。", "normative_doc_filings", 12, "件", id="normative_doc_filings-verb-first"),
    row("bj", "审查涉法事务27件。", "legal_affairs_reviews", 27, "件"),
    row("zj", "对256件市、区级文件、行政协议等提出法律意见。", "legal_affairs_reviews", 256, "件", id="legal_affairs-dui-N-opinions"),
    row("cq", "出具涉法事务咨询建议书34份。", "legal_affairs_reviews", 34, "份", id="legal_affairs-advice-letters"),
    row("gd", "对重大行政决策事项进行合法性审查58件。", "legal_affairs_reviews", 58, "件", id="legal_affairs-major-decisions"),
    row("bj", "全年审查政府合同182份。", "government_contracts_reviewed", 182, "份"),
    row("sc", "政府合同审查110件。", "government_contracts_reviewed", 110, "件", id="contracts-noun-first"),
    row("gd", "评查行政执法案卷236件。", "enforcement_files_reviewed", 236, "件"),
    row("zj", "抽查案卷131卷。", "enforcement_files_reviewed", 131, "件", id="enforcement_files-juan"),
    row("cq", "共评查7家行政执法单位30件行政处罚卷宗。", "enforcement_files_reviewed", 30, "件", id="enforcement_files-after"),
    # enforcement
    row("bj", "全区作出行政处罚决定5,632件。", "admin_penalties", 5632, "件"),
    row("sc", "全区办理行政处罚案件2,100件。", "admin_penalties", 2100, "件", id="admin_penalties-cases"),
    row("bj", "全区开展涉企行政检查3,456次。", "admin_inspections", 3456, "次"),
    row("gd", "本年度共开展行政检查11,692件次。", "admin_inspections", 11692, "件", id="admin_inspections-jianci"),
    # public legal services
    row("cq", "12348热线接听群众来电8,765人次。", "hotline_12348_consultations", 8765, "人次"),
    row("zj", "“12348”公共法律服务热线年度接受法律咨询2657人次。", "hotline_12348_consultations", 2657, "人次", id="hotline-quoted"),
    row("hz", "12348法律服务热线全年受理群众法律咨询161160件。", "hotline_12348_consultations", 161160, "件", id="hotline-jian-city"),
    row("gd", "全区办理公证2,889件。", "notarizations", 2889, "件"),
    row("sc", "出具公证书4,100余件。", "notarizations", 4100, "件", True, id="notarizations-certificates"),
    row("zj", "全区共开展法治宣传教育活动558场。", "legal_publicity_events", 558, "场"),
    row("cq", "全区开展各类普法活动1,200余场次。", "legal_publicity_events", 1200, "场", True, id="publicity-changci"),
    # community correction
    row("sc", "全年接收社区矫正对象831人。", "community_correction_received", 831, "人"),
    row("bj", "新接收社区矫正对象215名。", "community_correction_received", 215, "人", id="correction_received-ming"),
    row("sc", "解除社区矫正757人。", "community_correction_released", 757, "人"),
    row("gd", "期满解除矫正203人。", "community_correction_released", 203, "人", id="correction_released-expiry"),
    row("zj", "目前在册社区矫正对象1,024人。", "community_correction_active", 1024, "人"),
    row("cq", "全区社区矫正工作平稳有序，在矫人员342人。", "community_correction_active", 342, "人", id="correction_active-zaijiao"),
    # petitions, disclosure, advisers
    row("gd", "全年受理信访事项1,425件。", "petitions", 1425, "件"),
    row("sc", "全年受理群众来信来访3,210件。", "petitions", 3210, "件", id="petitions-letters-visits"),
    row("bj", "信访事项1,425件，较去年同期下降41.5%。", "petitions", 41.5, "%", kind="change", id="petitions-decline-change"),
    row("bj", "主动公开政府信息2,648条。", "info_disclosure_proactive", 2648, "条"),
    row("gd", "及时规范发布主动公开文件652份。", "info_disclosure_proactive", 652, "份", id="disclosure_proactive-documents"),
    row("gd", "办理依申请公开件101件。", "info_disclosure_requests", 101, "件"),
    row("hz", "受理政府信息公开申请16件。", "info_disclosure_requests", 16, "件", id="disclosure_requests-applications"),
    row("zj", "推动全区各部门聘请政府法律顾问及公职律师 80 余人。", "legal_advisors", 80, "人", True),
    row("bj", "全区共有公职律师215人。", "legal_advisors", 215, "人", id="legal_advisors-noun-first"),
    row("sc", "全区党政机关共聘请法律顾问126名。", "legal_advisors", 126, "人", id="legal_advisors-ming"),
]


@pytest.mark.parametrize(("place", "sentence", "indicator", "value", "unit", "approx", "kind"), LEVELS)
def test_level_table(place, sentence, indicator, value, unit, approx, kind):
    text, result = parse(sentence, place)
    found = mentions_of(result, value, unit)
    assert found, f"no mention of {value} {unit}"
    assert any(m["approx"] == approx and m["kind"] == kind for m in found), found
    metrics = metrics_of(result)
    if kind == L:
        assert metrics.get(indicator) == value, metrics
        metric = next(dict(zip(METRIC_COLUMNS, r, strict=True)) for r in result.metrics if r[_TI["indicator"]] == indicator)
        assert metric["unit"] == unit and metric["approx"] == approx
        assert text[metric["start"] : metric["end"]] == metric["raw"]
        assert metric["raw"] in text and sentence.rstrip("。") in text
    else:
        assert value not in metrics.values(), metrics


def test_every_indicator_has_a_level_row():
    covered = {p.values[2] for p in LEVELS if p.values[6] == L}
    assert covered == set(load_taxonomy().ids)


def test_taxonomy_matches_the_vocabulary():
    assert SPEC.exists(), f"the shared spec is missing: {SPEC} (CI lays ../shared beside the clone)"
    with SPEC.open(encoding="utf-8") as handle:
        spec = {r["id"]: r for r in csv.DictReader(handle)}
    tax = load_taxonomy()
    assert tax.ids == list(spec)
    for ind in tax.indicators:
        assert (ind.name_zh, ind.unit) == (spec[ind.id]["name_zh"], spec[ind.id]["unit"])
        assert ind.unit in ind.units


# --------------------------------------------------------------------------- whole sentences → metric frame


def frame(place, sentence, expected, id, marks=()):
    return pytest.param(place, sentence, expected, id=id, marks=marks)


FRAMES = [
    frame("bj", "全年办理法律援助案件2675件（刑事2357件、民事318件）。",
          {"legal_aid_cases": 2675, "legal_aid_criminal_cases": 2357, "legal_aid_civil_cases": 318}, "breakdown-parens"),
    frame("cq", "全年受理法律援助案件1,500件，其中刑事案件600件，民事案件880件，行政案件20件。",
          {"legal_aid_cases": 1500, "legal_aid_criminal_cases": 600, "legal_aid_civil_cases": 880}, "breakdown-qizhong"),
    frame("zj", "全区各级人民调解组织排查调处矛盾纠纷3,454件，调处成功3,452件，成功率达99.9%，涉及金额1,234.5万元。",
          {"mediation_disputes": 3454, "mediation_success": 3452, "mediation_success_rate": 99.9, "mediation_amount": 12_345_000},
          "mediation-chain"),
    frame("gd", "全年新收行政复议申请1,024件，依法受理986件，审结952件，其中撤销、变更、确认违法等纠错102件，纠错率10.7%，"
          "调解和解结案215件，调解和解率22.6%。",
          {"admin_reconsideration_applications": 1024, "admin_reconsideration_accepted": 986, "admin_reconsideration_closed": 952,
           "admin_reconsideration_corrected": 102, "admin_reconsideration_correction_rate": 10.7,
           "admin_reconsideration_mediated": 215, "admin_reconsideration_mediation_rate": 22.6}, "reconsideration-chain"),
    frame("sc", "共受理行政复议案件462件，审结333件，调解案件67件，占结案的20.12%。",
          {"admin_reconsideration_accepted": 462, "admin_reconsideration_closed": 333, "admin_reconsideration_mediated": 67,
           "admin_reconsideration_mediation_rate": 20.12}, "reconsideration-share-of-closed"),
    frame("bj", "行政机关负责人出庭应诉率和行政诉讼败诉率均为0%。",
          {"admin_litigation_appearance_rate": 0, "admin_litigation_loss_rate": 0}, "shared-rates-junwei"),
    frame("cq", "全年新收和审结行政复议案件均为80件。",
          {"admin_reconsideration_applications": 80, "admin_reconsideration_closed": 80}, "shared-counts-junwei"),
    frame("zj", "接收和解除社区矫正对象均为120人。",
          {"community_correction_received": 120, "community_correction_released": 120}, "shared-correction"),
    frame("gd", "行政机关负责人出庭应诉率和出庭出声率均达100%。",
          {"admin_litigation_appearance_rate": 100}, "shared-with-non-vocabulary"),
    frame("sc", "行政机关负责人出庭应诉率、行政诉讼败诉率分别为100%和2.1%。",
          {"admin_litigation_appearance_rate": 100, "admin_litigation_loss_rate": 2.1}, "respectively-rates"),
    frame("bj", "全年受理、审结行政复议案件分别为462件、333件。",
          {"admin_reconsideration_accepted": 462, "admin_reconsideration_closed": 333}, "respectively-shared-noun"),
    frame("zj", "全年受理和审结的行政复议案件，分别为462件、333件。",
          {"admin_reconsideration_accepted": 462, "admin_reconsideration_closed": 333}, "respectively-names-in-previous-clause"),
    frame("gd", "全年行政复议纠错、调解和解结案分别为12件、30件。",
          {"admin_reconsideration_corrected": 12, "admin_reconsideration_mediated": 30}, "respectively-hejie-stays-whole"),
    frame("bj", "全年办理法律援助案件1,500件，其中刑事案件、民事案件分别占40%和58%。",
          {"legal_aid_cases": 1500}, "respectively-shares-of-parts"),
    frame("cq", "全年接收、解除社区矫正对象分别为215人、198人，在册社区矫正对象1,024人。",
          {"community_correction_received": 215, "community_correction_released": 198, "community_correction_active": 1024},
          "respectively-correction"),
    frame("zj", "全年办理法律援助案件、公证、信访事项分别为367、2889、1425件。",
          {"legal_aid_cases": 367, "notarizations": 2889, "petitions": 1425}, "list-one-unit-at-end"),
    frame("hz", "法律援助案件 | 1,234 | 件", {"legal_aid_cases": 1234}, "flattened-table"),
    frame("sc", "全年受理、审结行政复议案件462、333件。",
          {"admin_reconsideration_accepted": 462, "admin_reconsideration_closed": 333}, "list-without-fenbie"),
    frame("cq", "全年受理、审结行政复议案件462件、333件。",
          {"admin_reconsideration_accepted": 462, "admin_reconsideration_closed": 333}, "list-without-fenbie-own-units"),
    frame("bj", "全年接收、解除社区矫正对象215、198人，在册社区矫正对象1,024人。",
          {"community_correction_received": 215, "community_correction_released": 198, "community_correction_active": 1024},
          "list-without-fenbie-people"),
    frame("zj", "为受援人挽回经济损失、节约律师费用分别为1,215.6、386万元。",
          {"legal_aid_recovered_amount": 12_156_000, "legal_aid_fees_saved": 3_860_000}, "list-wan-yuan-inherited"),
    frame("gd", "全年办理法律援助案件367、2889件。", {}, "list-one-name-two-numbers-ambiguous"),
    frame("cq", "聘请政府法律顾问分别为120、130人。", {}, "respectively-fewer-names-than-numbers"),
    frame("bj", "全年办理法律援助案件1,234件、服务群众3,000余人次。", {"legal_aid_cases": 1234}, "not-a-list-different-units"),
    frame("zj", "法律援助案件（件） 367\n公证（件） 2,889", {"legal_aid_cases": 367, "notarizations": 2889}, "table-label-units"),
    frame("sc", "指标 | 单位 | 数值\n法律援助案件 | 件 | 367\n调解成功率 | % | 99.6\n法律援助挽回经济损失 | 万元 | 502.4",
          {"legal_aid_cases": 367, "mediation_success_rate": 99.6, "legal_aid_recovered_amount": 5_024_000}, "table-unit-column"),
    frame("gd", "项目\t数量（件）\n办理公证\t2,889\n受理信访事项\t1,425\n社区矫正\t人数（人）\n接收社区矫正对象\t215\n解除社区矫正\t198",
          {"notarizations": 2889, "petitions": 1425, "community_correction_received": 215, "community_correction_released": 198},
          "table-header-units-two-tables"),
    frame("hz", "（单位：件）\n项目 | 2024年\n收到行政复议申请 | 1,216\n审结行政复议案件 | 1,193",
          {"admin_reconsideration_applications": 1216, "admin_reconsideration_closed": 1193}, "table-caption-unit"),
    frame("bj", "指标名称 | 单位 | 2023年\n行政机关负责人出庭应诉率 | % | 100\n全区受理行政复议申请 | 件 | 216\n规范性文件合法性审查 | 件 | 37",
          {"admin_litigation_appearance_rate": 100, "admin_reconsideration_applications": 216, "normative_doc_reviews": 37},
          "table-long-rows-stay-apart"),
    frame("cq", "项目 | 单位 | 2022年 | 2023年\n法律援助案件 | 件 | 2,100 | 2,675", {"legal_aid_cases": 2675}, "table-year-columns"),
    frame("sc", "指标\t2023年度\t2022年度\n办理法律援助案件（件）\t1,530\t1,688\n行政复议纠错率（%）\t8.2\t9.5",
          {"legal_aid_cases": 1530, "admin_reconsideration_correction_rate": 8.2}, "table-year-columns-current-first"),
    frame("bj", "项目 | 2022年 | 同比\n法律援助案件（件） | 1,234 | 5.1", {}, "table-only-last-year"),
    frame("gd", "法律援助案件 | 1,234件\n公证 | 2,889件\n行政复议纠错率 | 12.6%",
          {"legal_aid_cases": 1234, "notarizations": 2889, "admin_reconsideration_correction_rate": 12.6}, "table-unit-in-cell"),
    frame("bj", "一是公共法律服务更加便捷，12348热线接听群众来电8,765人次，掌上12348平台受理网络咨询9,559次；"
          "二是法律援助更加精准，全年受理法律援助案件1,234件，为受援人挽回经济损失2,356.8万元，节约律师费用410万元。",
          {"hotline_12348_consultations": 8765, "legal_aid_cases": 1234, "legal_aid_recovered_amount": 23_568_000,
           "legal_aid_fees_saved": 4_100_000}, "one-line-body-yishi-ershi"),
    frame("tw", "全區共辦理法律援助案件2,675件，為受援人挽回經濟損失2,460.42萬元；人民調解組織調處矛盾糾紛8,631件，調解成功率99.78%。",
          {"legal_aid_cases": 2675, "legal_aid_recovered_amount": 24_604_200, "mediation_disputes": 8631,
           "mediation_success_rate": 99.78}, "traditional-sentence"),
    frame("cq", "全区作出行政处罚决定5,632件，其中区市场监管局作出行政处罚1,200件，各街道作出行政处罚312件。",
          {"admin_penalties": 5632}, "penalties-total-and-parts"),
    frame("zj", "目前在册社区矫正对象1,024人，全年入矫186人，期满解除矫正203人。",
          {"community_correction_active": 1024, "community_correction_received": 186, "community_correction_released": 203},
          "correction-chain"),
    frame("bj", "办理依申请公开政府信息45件，主动公开政府信息2,648条。",
          {"info_disclosure_requests": 45, "info_disclosure_proactive": 2648}, "disclosure-pair"),
    frame("gd", "审查政府合同182份，评查行政执法案卷236件，审查涉法事务27件。",
          {"government_contracts_reviewed": 182, "enforcement_files_reviewed": 236, "legal_affairs_reviews": 27}, "reviews-chain"),
    frame("sc", "2023年，共出具规范性文件合法性审查意见书37件，提出审查意见33条；向区人大常委会备案规范性文件31件。",
          {"normative_doc_reviews": 37, "normative_doc_filings": 31}, "normative-pair"),
]


@pytest.mark.parametrize(("place", "sentence", "expected"), FRAMES)
def test_sentence_frame(place, sentence, expected):
    text, result = parse(sentence, place)
    assert metrics_of(result) == expected
    for r in result.metrics:
        assert text[r[_TI["start"]] : r[_TI["end"]]] == r[_TI["raw"]]


# --------------------------------------------------------------------------- whole bodies in other provinces' styles

#: A body per style, each the exact metric frame it must give. Together they name every indicator
#: of the vocabulary (checked below), so each has a positive case beyond the one-sentence table.
STYLED = [
    frame("bj", "一是法律援助提质增效，全年受理法律援助案件3,120件，其中刑事、民事法律援助案件分别为1,330、1,790件，"
          "为受援人挽回经济损失4,215.6万元，节约律师费用386万元；二是人民调解扎实有效，全区人民调解组织排查调处矛盾纠纷"
          "2.1万件，调解成功20,580件，调解成功率98%，涉及金额3.2亿元。",
          {"legal_aid_cases": 3120, "legal_aid_criminal_cases": 1330, "legal_aid_civil_cases": 1790,
           "legal_aid_recovered_amount": 42_156_000, "legal_aid_fees_saved": 3_860_000, "mediation_disputes": 21000,
           "mediation_success": 20580, "mediation_success_rate": 98, "mediation_amount": 320_000_000},
          "beijing-one-line-body-yishi-ershi"),
    frame("cq", "2023年行政复议工作情况\n指标 | 单位 | 数值\n收到行政复议申请 | 件 | 1,024\n受理行政复议案件 | 件 | 986\n"
          "审结行政复议案件 | 件 | 952\n行政复议纠错 | 件 | 102\n行政复议纠错率 | % | 10.7\n行政复议调解和解结案 | 件 | 215\n"
          "行政复议调解和解率 | % | 22.6",
          {"admin_reconsideration_applications": 1024, "admin_reconsideration_accepted": 986, "admin_reconsideration_closed": 952,
           "admin_reconsideration_corrected": 102, "admin_reconsideration_correction_rate": 10.7,
           "admin_reconsideration_mediated": 215, "admin_reconsideration_mediation_rate": 22.6},
          "chongqing-flattened-table-unit-column"),
    frame("zj", "一是行政应诉规范有序。全区发生行政诉讼案件152件，行政机关负责人出庭应诉率100%，行政诉讼败诉率2.6%。\n"
          "二是合法性审查全覆盖。出具规范性文件合法性审查意见书45份，报送规范性文件备案18件，审查涉法事务136件，审查政府合同210份。\n"
          "三是执法监督有力。评查行政执法案卷320件，全区作出行政处罚决定6,812件，开展行政检查9,450次。",
          {"admin_litigation_cases": 152, "admin_litigation_appearance_rate": 100, "admin_litigation_loss_rate": 2.6,
           "normative_doc_reviews": 45, "normative_doc_filings": 18, "legal_affairs_reviews": 136,
           "government_contracts_reviewed": 210, "enforcement_files_reviewed": 320, "admin_penalties": 6812,
           "admin_inspections": 9450},
          "zhejiang-yishi-ershi-sanshi-lines"),
    frame("gd", "表1 公共法律服务情况\n项目\t数量（件）\n办理公证\t2,889\n受理信访事项\t1,425\n办理依申请公开\t101\n"
          "表2 社区矫正情况\n项目\t人数（人）\n接收社区矫正对象\t215\n解除社区矫正\t198\n在册社区矫正对象\t1,024",
          {"notarizations": 2889, "petitions": 1425, "info_disclosure_requests": 101, "community_correction_received": 215,
           "community_correction_released": 198, "community_correction_active": 1024},
          "guangdong-tab-tables-header-units"),
    frame("tw", "全區12348公共法律服務熱線接聽群眾來電8,765人次，辦理公證2,100件，開展法治宣傳活動320場，主動公開政府信息1,860條，"
          "受理政府信息公開申請26件，聘請政府法律顧問及公職律師96人。",
          {"hotline_12348_consultations": 8765, "notarizations": 2100, "legal_publicity_events": 320,
           "info_disclosure_proactive": 1860, "info_disclosure_requests": 26, "legal_advisors": 96},
          "sichuan-traditional-one-line-body"),
    frame("tw", "指標 | 單位 | 數值\n辦理法律援助案件 | 件 | 2,675\n法律援助挽回經濟損失 | 萬元 | 2,460.42\n"
          "人民調解成功率 | % | 99.78\n目標：法律援助案件 | 件 | 3,000",
          {"legal_aid_cases": 2675, "legal_aid_recovered_amount": 24_604_200, "mediation_success_rate": 99.78},
          "traditional-table-with-target-row"),
    frame("cq", "全年接收、解除社区矫正对象215、198人；受理信访事项、依申请公开申请分别为1,425、101件。",
          {"community_correction_received": 215, "community_correction_released": 198, "petitions": 1425,
           "info_disclosure_requests": 101},
          "chongqing-lists-one-unit-at-end"),
    frame("sc", "（一）公共法律服务\n1.12348热线全年受理法律咨询3.2万人次。\n2.全区共开展普法宣传活动1,200余场次。\n"
          "3.主动公开政府信息2,648条，办理依申请公开件45件。",
          {"hotline_12348_consultations": 32000, "legal_publicity_events": 1200, "info_disclosure_proactive": 2648,
           "info_disclosure_requests": 45},
          "sichuan-numbered-lines"),
]


@pytest.mark.parametrize(("place", "body", "expected"), STYLED)
def test_styled_body_frame(place, body, expected):
    text, result = parse(body, place)
    assert metrics_of(result) == pytest.approx(expected)
    for r in result.metrics:
        assert text[r[_TI["start"]] : r[_TI["end"]]] == r[_TI["raw"]]


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not next to this checkout")
def test_every_vocabulary_indicator_has_a_styled_body():
    with SPEC.open(encoding="utf-8") as handle:
        ids = {r["id"] for r in csv.DictReader(handle)}
    covered = set().union(*(p.values[2] for p in STYLED))
    assert ids <= covered, sorted(ids - covered)


# --------------------------------------------------------------------------- traps


def trap(place, sentence, indicator, value, expect, id):
    return pytest.param(place, sentence, indicator, value, expect, id=id)


TRAPS = [
    # pooled totals: several kinds listed before one number belong to none of them
    trap("zj", "全年办理法律援助、公证案件共计500件。", "notarizations", 500, "scoped", "pooled-legal-aid-and-notary"),
    trap("hz", "全市办理行政复议、公证事项合计1200件。", "notarizations", 1200, "scoped", "pooled-reconsideration-and-notary"),
    # sub-units: one mediation room, one street, one township, one station
    trap("zj", "其中古荡街道“老娘舅”调解室2023年化解矛盾纠纷59件。", "mediation_disputes", 59, "scoped", "mediation-one-room"),
    trap("bj", "其中学院路街道调委会成功调解纠纷201件，涉及金额456.73万余元。", "mediation_success", 201, "scoped", "mediation-one-street"),
    trap("bj", "其中学院路街道调委会成功调解纠纷201件，涉及金额456.73万余元。", "mediation_amount", 4_567_300, "scoped", "mediation-amount-one-street"),
    trap("cq", "其中解放碑街道作出行政处罚137件。", "admin_penalties", 137, "scoped", "penalties-one-street"),
    trap("gd", "截止目前各街道开展执法检查256次。", "admin_inspections", 256, "scoped", "inspections-streets"),
    trap("sc", "其中红牌楼司法所办理法律援助案件59件。", "legal_aid_cases", 59, "scoped", "legal_aid-one-office"),
    trap("zj", "转塘镇人民调解委员会调处矛盾纠纷300余件。", "mediation_disputes", 300, "scoped", "mediation-one-town"),
    trap("cq", "“一线调解室”进驻项目7个，化解纠纷300余起。", "mediation_disputes", 300, "scoped", "mediation-project"),
    trap("gd", "全区村（社区）法律顾问起草、审查有关合同157份。", "government_contracts_reviewed", 157, "scoped", "contracts-community-advisers"),
    # sub-groups: 民营企业 / 农民工 cases are not the total
    trap("bj", "年度共受理民营企业困难员工法律援助案件67件，挽回损失190万元。", "legal_aid_cases", 67, "scoped", "legal_aid-private-firms"),
    trap("bj", "年度共受理民营企业困难员工法律援助案件67件，挽回损失190万元。", "legal_aid_recovered_amount", 1_900_000, "scoped", "recovered-private-firms"),
    trap("zj", "一是受理农民工法律援助案件312件。", "legal_aid_cases", 312, "scoped", "legal_aid-migrant-workers"),
    trap("sc", "为民营企业办理公证90余件。", "notarizations", 90, "scoped", "notarizations-firms"),
    trap("cq", "普法志愿者开展公益普法活动500余场。", "legal_publicity_events", 500, "scoped", "publicity-volunteers"),
    trap("cq", "深入中小学校开展普法活动120场。", "legal_publicity_events", 120, "scoped", "publicity-schools"),
    trap("gd", "区市场监管局全年查处行政处罚案件300件。", "admin_penalties", 300, "scoped", "penalties-one-agency"),
    # another jurisdiction, part of the year
    trap("zj", "全市共办理法律援助案件12,000件。", "legal_aid_cases", 12000, "scoped", "legal_aid-city-figure-in-district"),
    trap("gd", "全市各级人民调解组织调处矛盾纠纷40,980件。", "mediation_disputes", 40980, "scoped", "mediation-city-figure-in-district"),
    trap("hz", "全省共办理法律援助案件15万件。", "legal_aid_cases", 150_000, "scoped", "legal_aid-province-figure-in-city"),
    trap("zj", "自2019年成立以来累计办理法律援助案件1.2万件。", "legal_aid_cases", 12000, "scoped", "legal_aid-cumulative-since-founding"),
    trap("zj", "2023年7月以来办理法律援助案件120件。", "legal_aid_cases", 120, "scoped", "legal_aid-part-year"),
    trap("hz", "2024年9月30日以来对167件政策性文件和法律事务提出合法性审查意见。", "legal_affairs_reviews", 167, "scoped", "legal_affairs-part-year"),
    # a different indicator: 行政调解 is not 人民调解, 公调/诉调对接 are not people's mediation totals
    trap("hz", "全市11个重点行政部门共计受理纠纷案件184992件，其中行政纠纷794件；调解成功103011件。", "mediation_disputes", 184992, "other", "admin-mediation-received"),
    trap("hz", "全市11个重点行政部门共计受理纠纷案件184992件，其中行政纠纷794件；调解成功103011件。", "mediation_success", 103011, "other", "admin-mediation-success"),
    trap("zj", "全区行政调解组织受理纠纷1,500件，调解成功1,200件。", "mediation_disputes", 1500, "other", "admin-mediation-bodies"),
    trap("hz", "全市办理“公调对接”案件14186件、“诉调对接”案件3068件。", "mediation_disputes", 14186, "other", "police-mediation-docking"),
    trap("bj", "劳动人事争议仲裁院调解劳动争议案件980件。", "mediation_disputes", 980, "other", "labour-disputes"),
    trap("gd", "海丝金融巡回法庭受理金融案件210件，调解51户。", "admin_reconsideration_accepted", 210, "other", "financial-court-cases"),
    trap("sc", "应诉上级行政复议案件10件。", "admin_reconsideration_applications", 10, "other", "answering-higher-reconsideration"),
    trap("cq", "打击知识产权侵权案件7起（刑事案件3起，行政案件4起）。", "legal_aid_criminal_cases", 3, "other", "criminal-not-legal-aid"),
    trap("bj", "掌上12348平台受理网络咨询9,559次。", "hotline_12348_consultations", 9559, "other", "hotline-app-not-hotline"),
    trap("zj", "将13项行政处罚事项下放街道实施。", "admin_penalties", 13, "other", "penalty-matters-not-penalties"),
    trap("gd", "对7件规范性文件进行备案审查。", "normative_doc_reviews", 7, "other", "filing-review-not-legality-review"),
    trap("zj", "公证收费169万元。", "notarizations", 1_690_000, "other", "notary-fees"),
    trap("bj", "全区解答群众法律咨询2,345人次。", "hotline_12348_consultations", 2345, "other", "consultations-not-hotline"),
    trap("cq", "组织法律顾问培训，参训人员120人。", "legal_advisors", 120, "other", "advisers-training-attendance"),
    trap("cq", "城市管理领域立案处罚68宗。", "admin_penalties", 68, "other", "lian-chufa-one-field"),
]


@pytest.mark.parametrize(("place", "sentence", "indicator", "value", "expect"), TRAPS)
def test_trap_is_not_promoted(place, sentence, indicator, value, expect):
    _, result = parse(sentence, place)
    assert metrics_of(result).get(indicator) != value
    carrying = [m for m in mentions_of(result, value) if m["indicator"] == indicator]
    if expect == "scoped":
        assert carrying, "the mention should be kept with its indicator"
        assert all(m["confidence"] < 0.75 and not m["promoted"] and m["note"] for m in carrying), carrying
    else:
        assert not carrying, carrying
        assert mentions_of(result, value), "the number itself is still a mention"


# --------------------------------------------------------------------------- the taxonomy file


def test_taxonomy_errors_name_the_indicator(tmp_path):
    bad = tmp_path / "tax.yaml"
    bad.write_text("indicators:\n  x:\n    name_zh: X\n    unit: 件\n    kind: count\n    description: d\n    units: [件]\n"
                   "    near: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="x: invalid regular expression"):
        load_taxonomy(bad)
    bad.write_text("indicators:\n  y:\n    name_zh: Y\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="y: missing"):
        load_taxonomy(bad)
    bad.write_text("pieces: {}\nindicators:\n  z:\n    name_zh: Z\n    unit: 件\n    kind: count\n    description: d\n"
                   "    units: [件]\n    near: ['{nope}']\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown piece"):
        load_taxonomy(bad)


_BLOCK = "indicators:\n  legal_aid_cases:\n    name_zh: X\n    unit: 件\n    kind: count\n    description: d\n    near: ['法律援助']\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param("    units: [件]\n    exlude: ['x']\n", "legal_aid_cases: unknown key 'exlude' (did you mean 'exclude'?)", id="typo-key"),
        pytest.param("    units: [万元]\n", "legal_aid_cases: units 万元 are not units the parser gives", id="non-canonical-unit"),
        pytest.param("    units: [人]\n", "legal_aid_cases: unit '件' is not among its units", id="unit-not-listed"),
        pytest.param("    units: 件\n", "legal_aid_cases: units must be a non-empty list", id="units-not-a-list"),
    ],
)
def test_taxonomy_loader_refuses_what_it_does_not_know(tmp_path, extra, message):
    bad = tmp_path / "tax.yaml"
    bad.write_text(_BLOCK + extra, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=re.escape(message)):
        load_taxonomy(bad)


def test_taxonomy_loader_refuses_unknown_top_level_keys(tmp_path):
    bad = tmp_path / "tax.yaml"
    bad.write_text("rules: {}\n" + _BLOCK + "    units: [件]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown top-level key rules"):
        load_taxonomy(bad)


def test_taxonomy_file_is_documented():
    header = (ROOT / "src" / "reportlib" / "parsing" / "indicators.yaml").read_text(encoding="utf-8").split("\nindicators:")[0]
    keys = set()
    for spec in load_taxonomy().indicators:
        keys |= set(spec.source)
    for key in keys:
        assert key in header, f"key {key!r} is used but not described in the header"


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("全年受理、办结行政复议案件103件。", id="verbs-listed"),
        pytest.param("全区排查、调处矛盾纠纷103件。", id="verbs-listed-mediation"),
        pytest.param("全年办理公证案件103件。", id="no-list"),
    ],
)
def test_a_list_of_verbs_or_no_list_is_no_pool(sentence):
    _, result = parse(sentence, "zj")
    assert 103 in metrics_of(result).values()


def test_listed_parts_together_are_the_totals_figure():
    """刑事、民事法律援助案件367件 is all legal-aid cases, not the civil ones; 分别 lists stay per part."""
    _, result = parse("全年办理刑事、民事法律援助案件367件。", "zj")
    assert metrics_of(result) == {"legal_aid_cases": 367}
    _, result = parse("全年办理法律援助案件367件，其中刑事、民事法律援助案件分别为40件、80件。", "zj")
    assert metrics_of(result) == {"legal_aid_cases": 367, "legal_aid_criminal_cases": 40, "legal_aid_civil_cases": 80}
