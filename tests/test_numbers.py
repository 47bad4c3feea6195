"""The number grammar: a table of written quantities, full-width text through the view, and property
tests (a Decimal written the way reports write it parses back to itself; offsets survive the view)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportlib.core.numbers import HEDGE_PREFIXES, HEDGE_SUFFIXES, UNITS, cn_to_int, parse_quantity
from reportlib.parsing.mentions import scan
from reportlib.reading.normalize import build_view

# --------------------------------------------------------------------------- the grammar table


def q(text, value, unit, approx=False, qualifier="", raw=None, id=None, marks=()):
    return pytest.param(text, Decimal(value), unit, approx, qualifier, raw or text, id=id or text, marks=marks)


GRAMMAR = [
    # plain, thousands separators, decimals, spaces
    q("3454件", "3454", "件", id="plain"),
    q("3454 件", "3454", "件", id="space-before-unit"),
    q("1,234件", "1234", "件", id="thousands"),
    q("1,234,567人次", "1234567", "人次", id="thousands-twice"),
    q("99.9%", "99.9", "%", id="percent"),
    q("20.12%", "20.12", "%", id="percent-two-decimals"),
    q("1.31个百分点", "1.31", "个百分点", id="points"),
    # multipliers
    q("502.4万元", "5024000", "元", id="wan-yuan"),
    q("5.6亿元", "560000000", "元", id="yi-yuan"),
    q("1,234.56万元", "12345600", "元", id="thousands-wan-yuan"),
    q("0.5万元", "5000", "元", id="half-wan"),
    q("1.2万件", "12000", "件", id="wan-count"),
    q("3.9 万余人次", "39000", "人次", True, "余", id="wan-yu-spaced"),
    q("10万", "100000", "", id="wan-no-unit"),
    # hedges before, inside and after
    q("约502.4万元", "5024000", "元", True, "约", "502.4万元", id="yue"),
    q("近700人次", "700", "人次", True, "近", "700人次", id="jin"),
    q("超过3,000件", "3000", "件", True, "超过", "3,000件", id="chaoguo"),
    q("超960人次", "960", "人次", True, "超", "960人次", id="chao"),
    q("逾3000件", "3000", "件", True, "逾", "3000件", id="yu-prefix"),
    q("不低于95%", "95", "%", True, "不低于", "95%", id="buditu"),
    q("467 余万元", "4670000", "元", True, "余", id="yu-before-wan"),
    q("115万余元", "1150000", "元", True, "余", id="yu-after-wan"),
    q("2100多万元", "21000000", "元", True, "多", id="duo-before-wan"),
    q("300余场次", "300", "场", True, "余", id="yu-count"),
    q("100人左右", "100", "人", True, "左右", "100人", id="zuoyou"),
    q("98%以上", "98", "%", True, "以上", "98%", id="yishang"),
    # measure words mapped to canonical units
    q("2,150宗", "2150", "件", id="zong"),
    q("7起", "7", "件", id="qi"),
    q("131卷", "131", "件", id="juan"),
    q("215名", "215", "人", id="ming"),
    q("11692件次", "11692", "件", id="jianci"),
    q("14场次", "14", "场", id="changci"),
    # Chinese numerals
    q("三百件", "300", "件", id="cn-hundreds"),
    q("三百五十六件", "356", "件", id="cn-full"),
    q("十件", "10", "件", id="cn-ten"),
    q("一千零五件", "1005", "件", id="cn-ling"),
    q("一万二千件", "12000", "件", id="cn-wan"),
    q("两千件", "2000", "件", id="cn-liang"),
    q("近两千件", "2000", "件", True, "近", "两千件", id="cn-hedged"),
    q("三千五百万元", "35000000", "元", id="cn-wan-yuan"),
    q("一亿二千万元", "120000000", "元", id="cn-yi-wan"),
    q("三亿零五百万元", "305000000", "元", id="cn-yi-ling-wan"),
    q("两千三百万元", "23000000", "元", id="cn-qian-wan-yuan"),
    q("一千零十件", "1010", "件", id="cn-ling-shi"),
    q("百余件", "100", "件", True, "余", id="cn-bare-hundred"),
    q("千余家", "1000", "家", True, "余", id="cn-bare-thousand"),
    q("近千名", "1000", "人", True, "近", "千名", id="cn-bare-thousand-hedged-before"),
    q("千余万元", "10000000", "元", True, "余", id="cn-bare-thousand-wan-yuan"),
]


@pytest.mark.parametrize(("text", "value", "unit", "approx", "qualifier", "raw"), GRAMMAR)
def test_grammar(text, value, unit, approx, qualifier, raw):
    got = parse_quantity(text)
    assert (got.value, got.unit, got.approx, got.qualifier, got.raw) == (value, unit, approx, qualifier, raw)


@pytest.mark.parametrize("text", ["是", "法治", "", "件", "%"])
def test_not_a_quantity(text):
    with pytest.raises(ValueError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("original", "raw", "value"),
    [
        pytest.param("共排查矛盾纠纷３４５４件。", "３４５４件", 3454, id="fullwidth-digits"),
        pytest.param("成功率达９９．９％。", "９９．９％", 99.9, id="fullwidth-percent"),
        pytest.param("办理法律援助案件１,２３４件。", "１,２３４件", 1234, id="fullwidth-with-ascii-comma"),
        pytest.param("挽回损失约５０２.４万元。", "５０２.４万元", 5024000, id="fullwidth-wan-yuan"),
        pytest.param("排查调处矛盾纠纷 3454 件，调处\n成功 3452 件。", "3454 件", 3454, id="pdf-spaces"),
        pytest.param("法律援助案件共辦理1,234件。", "1,234件", 1234, id="traditional"),
    ],
)
def test_view_numbers_round_trip(original, raw, value):
    found = {m.raw: m for m in scan(build_view(original)).mentions}
    m = found[raw]
    assert float(m.quantity.value) == value
    assert original[m.start : m.end] == raw


@pytest.mark.parametrize(
    ("written", "value"),
    [("一亿二千万", 120_000_000), ("一亿零五", 100_000_005), ("十亿零三十万", 1_000_300_000), ("一万亿", 10**12),
     ("两亿三千四百五十六万七千八百九十", 234_567_890), ("百", 100), ("千", 1000), ("二〇二四", 2024)],
)
def test_cn_to_int_yi_and_wan(written, value):
    assert cn_to_int(written) == value


def scanned(original: str) -> dict[str, tuple]:
    """raw → (value, unit, unit_raw, approx, kind, unit_from) of every mention, offsets checked."""
    out = {}
    for m in scan(build_view(original)).mentions:
        assert original[m.start : m.end] == m.raw
        q = m.quantity
        out[m.raw] = (float(q.value), q.unit, q.unit_raw, q.approx, m.kind, m.unit_from)
    return out


@pytest.mark.parametrize(
    ("original", "raw", "expected"),
    [
        # a list with one unit at its end: the earlier numbers take it (and its multiplier)
        pytest.param("分别为367、2889、1425件。", "367", (367, "件", "件", False, "level", "list"), id="list-first"),
        pytest.param("分别为367、2889、1425件。", "2889", (2889, "件", "件", False, "level", "list"), id="list-middle"),
        pytest.param("分别为367、2889、1425件。", "1425件", (1425, "件", "件", False, "level", ""), id="list-last-own"),
        pytest.param("收到和办结367及2889件。", "367", (367, "件", "件", False, "level", "list"), id="list-he-ji"),
        pytest.param("分别为约367、近2889件。", "367", (367, "件", "件", True, "level", "list"), id="list-hedged-items"),
        pytest.param("分别为300余、500余场次。", "300余", (300, "场", "场次", True, "level", "list"), id="list-yu-items"),
        pytest.param("挽回损失分别为1.2、3.4万元。", "1.2", (12000, "元", "万元", False, "level", "list"), id="list-wan-yuan"),
        pytest.param("分别为1.2万、3.4万元。", "1.2万", (12000, "元", "万元", False, "level", "list"), id="list-own-wan"),
        pytest.param("成功率分别为99.5、98.7%。", "99.5", (99.5, "%", "%", False, "level", "list"), id="list-percent"),
        pytest.param("同比分别提高1.2、0.8个百分点。", "1.2", (1.2, "个百分点", "个百分点", False, "change", "list"), id="list-points-change"),
        pytest.param("法律援助案件３６７、２８８９件。", "３６７", (367, "件", "件", False, "level", "list"), id="list-fullwidth"),
        pytest.param("辦理法律援助案件、公證分別為367、2889件。", "367", (367, "件", "件", False, "level", "list"), id="list-traditional"),
        # a flattened table: the unit of the row, of the label or of the column header
        pytest.param("法律援助案件 | 367 | 件", "367", (367, "件", "件", False, "level", "table"), id="table-unit-cell-after"),
        pytest.param("指标 | 单位 | 数值\n法律援助案件 | 件 | 367", "367", (367, "件", "件", False, "level", "table"), id="table-unit-column"),
        pytest.param("法律援助案件\t件\t367\t283", "283", (283, "件", "件", False, "level", "table"), id="table-tabs-two-values"),
        pytest.param("法律援助案件（件） 367", "367", (367, "件", "件", False, "level", "table"), id="table-label-unit"),
        pytest.param("法律援助案件（件）367", "367", (367, "件", "件", False, "level", "table"), id="table-label-unit-glued"),
        pytest.param("挽回损失（单位：万元）｜502.4", "502.4", (5_024_000, "元", "万元", False, "level", "table"), id="table-label-danwei"),
        pytest.param("项目\t数量（件）\t金额（万元）\n法律援助\t367\t502.4", "502.4", (5_024_000, "元", "万元", False, "level", "table"),
                     id="table-header-column"),
        pytest.param("（单位：件）\n项目 | 2023年\n法律援助案件 | 367", "367", (367, "件", "件", False, "level", "table"), id="table-caption"),
        pytest.param("調解成功率（%） 99.5", "99.5", (99.5, "%", "%", False, "level", "table"), id="table-traditional-label"),
        pytest.param("挽回經濟損失 | 萬元 | 2,460.42", "2,460.42", (24_604_200, "元", "万元", False, "level", "table"), id="table-traditional-wan"),
        # 目标： makes the rest of its sentence a target
        pytest.param("目标：出庭应诉率达到100%，败诉率控制在5%以内。", "5%", (5, "%", "%", False, "target", ""), id="target-colon-second-clause"),
        pytest.param("2025年工作目标：办理法律援助案件1,500件。", "1,500件", (1500, "件", "件", False, "target", ""), id="target-colon-label"),
        pytest.param("目标：办理案件1,500件。实际办理1,620件。", "1,620件", (1620, "件", "件", False, "level", ""), id="target-colon-ends-at-sentence"),
        pytest.param("主要成效：办理法律援助案件367件。", "367件", (367, "件", "件", False, "level", ""), id="colon-not-a-target"),
    ],
)
def test_unit_and_kind_from_context(original, raw, expected):
    got = scanned(original)
    assert got[raw] == expected, got


@pytest.mark.parametrize(
    ("original", "raw"),
    [
        pytest.param("对比2022、2023年数据", "2022", id="year-list"),
        pytest.param("办理367，2889件", "367", id="comma-is-no-list"),
        pytest.param("每件3至5件", "3", id="range-is-no-list"),
        pytest.param("6月2、3日", "2", id="day-list-of-a-date"),
        pytest.param("法律援助案件 | 367 | 283", "367", id="table-without-unit"),
        pytest.param("法律援助案件 | 件 | 367 | 人", "367", id="table-two-units"),
        pytest.param("项目 | 数值\n法律援助案件 | 367", "367", id="table-header-without-unit"),
        pytest.param("编号 367 共计", "367", id="spaces-no-unit"),
    ],
)
def test_no_unit_where_none_is_given(original, raw):
    got = scanned(original)
    assert raw in got and got[raw][1] == "" and got[raw][5] == "", got


@pytest.mark.parametrize(
    ("original", "raw", "unit"),
    [
        pytest.param("办理法律援助案件1,234件、服务3,000余人次", "1,234件", "件", id="own-units-differ"),
        pytest.param("办理法律援助案件1,234件、3,000余人次", "1,234件", "件", id="own-units-differ-list"),
    ],
)
def test_own_unit_is_kept(original, raw, unit):
    got = scanned(original)
    assert got[raw][1] == unit and got[raw][5] == ""


@pytest.mark.parametrize("original", ["开展百日攻坚行动", "走进千家万户", "庆祝建党百年", "覆盖数百家企业", "成百上千人参与", "百分之九十五"])
def test_bare_hundred_or_thousand_without_hedge_is_no_number(original):
    assert scanned(original) == {}


def test_table_row_joined_by_the_view_is_its_own_sentence():
    original = ("指标名称 | 单位 | 2023年\n行政机关负责人出庭应诉率 | % | 100\n全区受理行政复议申请 | 件 | 216\n"
                "规范性文件合法性审查 | 件 | 37\n")
    sc = scan(build_view(original))
    text = sc.view.text
    rows = {m.raw: text[slice(*sc.sentences[m.sentence_index])] for m in sc.mentions}
    assert rows == {"100": "行政机关负责人出庭应诉率|%|100", "216": "全区受理行政复议申请|件|216", "37": "规范性文件合法性审查|件|37"}


# --------------------------------------------------------------------------- property tests

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

decimals = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
count_units = st.sampled_from([u for u, (_, fam) in UNITS.items() if fam == "count" and u not in ("日", "年")])


def plain(d: Decimal) -> str:
    return format(d, "f")


def thousands(d: Decimal) -> str:
    return f"{d:,f}"


@given(d=decimals, fmt=st.sampled_from([plain, thousands]), unit=count_units, space=st.booleans())
@PROPERTY
def test_counts_parse_back(d, fmt, unit, space):
    text = fmt(d) + (" " if space else "") + unit
    got = parse_quantity(text)
    assert got.value == d and got.unit == UNITS[unit][0] and not got.approx
    assert got.raw == text


@given(
    m=st.decimals(min_value=Decimal("0.01"), max_value=99_999, places=2, allow_nan=False, allow_infinity=False),
    mult=st.sampled_from(["万", "亿"]),
    fmt=st.sampled_from([plain, thousands]),
)
@PROPERTY
def test_money_with_multiplier_parses_back(m, mult, fmt):
    text = f"{fmt(m)}{mult}元"  # 502.4万元 · 1,234.56万元 · 5.6亿元
    got = parse_quantity(text)
    factor = Decimal(10_000) if mult == "万" else Decimal(100_000_000)
    assert got.value == m * factor and got.unit == "元" and got.unit_raw == mult + "元"


@given(
    n=st.integers(min_value=1, max_value=10**6),
    pre=st.sampled_from(["", *HEDGE_PREFIXES]),
    mid=st.sampled_from(["", "余", "多"]),
    post=st.sampled_from(["", *HEDGE_SUFFIXES]),
    unit=st.sampled_from(["件", "人次", "场", "万元", "人"]),
)
@PROPERTY
def test_hedges_make_approx_and_keep_value(n, pre, mid, post, unit):
    if mid and unit == "万元":
        unit_text = mid + "万元"  # 467余万元
    else:
        unit_text = mid + unit
    text = f"{pre}{n}{unit_text}{post}"
    got = parse_quantity(text)
    expected = Decimal(n) * (10_000 if unit == "万元" else 1)
    assert got.value == expected
    assert got.approx == bool(pre or mid or post)
    assert got.qualifier == next((h for h in (pre, mid, post) if h), "")
    assert got.raw == f"{n}{unit_text}"  # hedges before the number and after the unit are not raw


_CN_DIGITS = "零一二三四五六七八九"


def to_cn(n: int) -> str:
    """A Chinese numeral below 亿 the way reports write it: 三百五十六, 一千零五, 二万零三百."""
    if n == 0:
        return "零"

    def section(x: int) -> str:
        out, pending_zero = "", False
        for mark, place in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            digit = x // place % 10
            if digit:
                if pending_zero:
                    out += "零"
                out += _CN_DIGITS[digit] + mark
                pending_zero = False
            elif out:
                pending_zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        text = section(low)
    else:
        text = section(high) + "万" + (("零" if low < 1000 else "") + section(low) if low else "")
    return text[1:] if text.startswith("一十") else text


@given(n=st.integers(min_value=1, max_value=10**8 - 1))
@PROPERTY
def test_chinese_numerals_round_trip(n):
    written = to_cn(n)
    assert cn_to_int(written) == n
    if len(written) <= 12:  # the grammar takes a numeral of at most 12 characters
        assert parse_quantity(written + "件").value == n


def to_cn_yi(n: int) -> str:
    """A Chinese numeral of 亿 and above: 一亿二千万, 三亿零五百万, 十亿零三十万."""
    high, low = divmod(n, 10**8)
    if not low:
        return to_cn(high) + "亿"
    return to_cn(high) + "亿" + ("零" if low < 10**7 else "") + to_cn(low)


@given(n=st.integers(min_value=10**8, max_value=10**12 - 1))
@PROPERTY
def test_chinese_numerals_with_yi_round_trip(n):
    written = to_cn_yi(n)
    assert cn_to_int(written) == n
    if len(written) <= 12:
        assert parse_quantity(written + "元").value == n


# Random report-like text: filler without digits, numerals, units or hedges, with spaces and line
# breaks where PDF extraction puts them; known quantities inserted at known places.
_FILLER = st.text(alphabet="法治政府建设推进工作全面深化改革群众质量提升", min_size=1, max_size=12)
_BREAK = st.sampled_from(["", "", "，", "。", " ", "\n", "；", "　"])
_TOKEN = st.tuples(
    st.sampled_from(["", "约", "近", "超过"]),
    st.integers(min_value=0, max_value=9_999_999),
    st.sampled_from(["plain", "thousands", "fullwidth", "decimal"]),
    st.sampled_from(["件", " 件", "人次", "万元", "%", "场"]),
)
_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _write(token) -> tuple[str, str, Decimal]:
    pre, n, style, unit = token
    if style == "thousands":
        num = f"{n:,}"
    elif style == "fullwidth":
        num = str(n).translate(_FULL)
    elif style == "decimal":
        num = f"{n / 100:.2f}"
    else:
        num = str(n)
    value = Decimal(num.replace(",", "").translate({ord(c): ord(a) for c, a in zip("０１２３４５６７８９．", "0123456789.", strict=True)}))
    if unit == "万元":
        value *= 10_000
    return pre, num + unit, value


@given(parts=st.lists(st.tuples(_FILLER, _BREAK, _TOKEN), min_size=1, max_size=8), tail=_FILLER)
@PROPERTY
def test_offsets_round_trip_through_view_and_scan(parts, tail):
    original, expected = "", []
    for filler, brk, token in parts:
        pre, core, value = _write(token)
        original += filler + brk + pre
        expected.append((len(original), core, value))
        original += core
    original += tail
    mentions = {m.start: m for m in scan(build_view(original)).mentions}
    for start, core, value in expected:
        m = mentions.get(start)
        assert m is not None, (original, core)
        assert m.raw == core == original[m.start : m.end]
        assert m.quantity.value == value
