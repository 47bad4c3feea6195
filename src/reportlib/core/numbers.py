"""The number grammar of the genre: numerals, multipliers, units and hedges.

Lexicons are data (module-level tables); helpers are small and pure. Values are
:class:`~decimal.Decimal` until the frame boundary, so ``502.4万元`` is exactly 5024000 元.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

# --------------------------------------------------------------------------- lexicons

#: Chinese digits (as quantities, 〇 and 零 included).
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
#: Chinese place values below 万.
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
#: Multipliers that scale a number: 3.5万 = 35000.
MULTIPLIERS: dict[str, Decimal] = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}

#: Hedge words that make a number approximate. Prefixes stand before the number,
#: infixes between number and unit (467余万元), suffixes after the unit (100人左右).
HEDGE_PREFIXES: tuple[str, ...] = ("将近", "接近", "超过", "不少于", "不低于", "不下", "大约", "约", "近", "超", "逾")
HEDGE_INFIXES: tuple[str, ...] = ("余", "多", "来")
HEDGE_SUFFIXES: tuple[str, ...] = ("左右", "以上", "上下", "有余")

#: Words that join the numbers of a list (367、2889件 · 12件和30件).
LIST_JOINERS: tuple[str, ...] = ("以及", "、", "和", "及", "与")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Pattern pieces built from the lexicons above: every pattern of the parser that spells a hedge,
# a multiplier, a list joiner or a plain number uses these, so that a word added here counts everywhere.
#: A hedge before a number: 约 · 将近 · 不少于 (longest first).
HEDGE_PREFIX_RE = _alt(HEDGE_PREFIXES)
#: A hedge between number and multiplier or unit: 467余万元 · 十来件.
HEDGE_INFIX_RE = _alt(HEDGE_INFIXES)
#: A hedge after the unit: 100人左右.
HEDGE_SUFFIX_RE = _alt(HEDGE_SUFFIXES)
#: 万 · 亿.
MULTIPLIER_RE = _alt(tuple(MULTIPLIERS))
#: A list joiner: 、 · 和 · 以及.
LIST_JOINER_RE = _alt(LIST_JOINERS)
#: Arabic digits as written in running text or a table cell: 3454 · 1,234 · 502.4.
DIGITS_RE = r"\d[\d,]*(?:\.\d+)?"
#: A number with its hedges and multiplier, without its unit: 约1.2万 · 467余万 · 15万余.
HEDGED_NUMBER_RE = (rf"(?:{HEDGE_PREFIX_RE})?{DIGITS_RE}[ ]?(?:{HEDGE_INFIX_RE})?(?:{MULTIPLIER_RE})?"
                    rf"(?:{HEDGE_INFIX_RE})?")

#: Measure words → (canonical unit, family). Longer forms first in the regex.
UNITS: dict[str, tuple[str, str]] = {
    # money (canonical 元; the multiplier is folded into the value)
    "亿元": ("元", "money"), "万元": ("元", "money"), "元": ("元", "money"),
    # rates
    "%": ("%", "rate"), "‰": ("‰", "rate"), "个百分点": ("个百分点", "points"), "百分点": ("个百分点", "points"),
    # counts of cases and documents
    "件次": ("件", "count"), "件": ("件", "count"), "起": ("件", "count"), "宗": ("件", "count"),
    "卷": ("件", "count"), "份": ("份", "count"), "条": ("条", "count"), "项": ("项", "count"),
    "篇": ("篇", "count"), "册": ("册", "count"), "张": ("张", "count"), "本": ("本", "count"),
    # people
    "人次": ("人次", "count"), "人": ("人", "count"), "名": ("人", "count"), "位": ("人", "count"),
    "户次": ("户次", "count"), "户": ("户", "count"),
    # events and times
    "场次": ("场", "count"), "场": ("场", "count"), "次": ("次", "count"), "期": ("期", "count"),
    "批次": ("批", "count"), "批": ("批", "count"), "轮": ("轮", "count"),
    # organisations and things
    "个": ("个", "count"), "家": ("家", "count"), "所": ("所", "count"), "支": ("支", "count"),
    "部": ("部", "count"), "台": ("台", "count"), "辆": ("辆", "count"), "处": ("处", "count"),
    "座": ("座", "count"), "套": ("套", "count"), "类": ("类", "count"), "组": ("组", "count"),
    # time and size
    "天": ("天", "duration"), "日": ("天", "duration"), "小时": ("小时", "duration"),
    "个月": ("月", "duration"), "年": ("年", "duration"),
    "平方米": ("平方米", "size"), "公里": ("公里", "size"), "米": ("米", "size"), "倍": ("倍", "ratio"),
}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CN_NUM_CHARS = "零〇○一二两三四五六七八九十百千万亿"


class Quantity(NamedTuple):
    """One parsed number: the value in its canonical unit, with what the text said (immutable;
    a named tuple because the parser makes one per number and a tuple is the cheapest to make).

    >>> q = parse_quantity("约502.4万元")
    >>> q.value, q.unit, q.approx, q.qualifier, q.raw
    (Decimal('5024000.0'), '元', True, '约', '502.4万元')
    """

    value: Decimal
    unit: str
    unit_raw: str
    family: str
    approx: bool
    qualifier: str
    raw: str


# --------------------------------------------------------------------------- helpers


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral written as a quantity; None when it is not one.

    Place values below 万 add up within a section; 万 scales the section before it and 亿 scales
    everything before it, so the 万 part after a 亿 is not scaled twice.

    >>> [cn_to_int(s) for s in ["三百", "十二", "二〇二四", "一千零五", "两万三千", "十", "三百五十六"]]
    [300, 12, 2024, 1005, 23000, 10, 356]
    >>> [cn_to_int(s) for s in ["一亿二千万", "三亿零五百万", "一万亿", "百", "千", "二十万零八", "一千零十"]]
    [120000000, 305000000, 1000000000000, 100, 1000, 200008, 1010]
    >>> cn_to_int("是") is None
    True
    """
    if not text or any(c not in _CN_NUM_CHARS for c in text):
        return None
    if all(c in CN_DIGITS for c in text):  # digit by digit: 二〇二四
        return int("".join(str(CN_DIGITS[c]) for c in text))
    yi, wan, section, digit = 0, 0, 0, None
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char] or None  # 零 only holds a place: 一千零十 = 1010
        elif char in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[char]
            digit = None
        elif char == "万":  # 二千万: the section before it, in 万
            wan += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:  # 亿: everything before it, in 亿 (一万亿 = 10¹²)
            yi = (yi + wan + section + (digit or 0)) * 100_000_000
            wan, section, digit = 0, 0, None
    return yi + wan + section + (digit or 0)


def arabic_to_decimal(text: str) -> Decimal:
    """Parse ``1,234.50`` or ``3454`` exactly.

    >>> arabic_to_decimal("1,234.50"), arabic_to_decimal("3454")
    (Decimal('1234.50'), Decimal('3454'))
    """
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
        raise ValueError(f"not a number: {text!r}") from exc


def format_decimal(value: Decimal) -> str:
    """Plain text of a Decimal without exponent or trailing zeros.

    >>> format_decimal(Decimal("5024000.0")), format_decimal(Decimal("99.90")), format_decimal(Decimal("1E+4"))
    ('5024000', '99.9', '10000')
    """
    text = format(value.normalize(), "f")
    return text


# --------------------------------------------------------------------------- grammar

_units_alt = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_hedge_pre_alt = "|".join(HEDGE_PREFIXES)
_hedge_suf_alt = "|".join(HEDGE_SUFFIXES)

QUANTITY_RE = re.compile(
    rf"""
    (?P<pre>{_hedge_pre_alt})?             # 约 / 近 / 超过 … before the number
    (?:
        (?P<num>{_NUM})                    # 3454 · 1,234 · 502.4
      | (?P<cn>[零〇○一二两三四五六七八九十百千][{_CN_NUM_CHARS}]{{0,11}})  # 三百 · 二〇二四 · 百余 (with a unit)
    )
    [ ]?                                   # PDF text: "3454 件"
    (?P<mid1>余|多|来)?                     # 467余万元
    (?P<mult>万|亿)?                        # 502.4万元
    (?P<mid2>余|多)?                        # 115万余元
    (?P<unit>{_units_alt})?                # 件 · 万元 · % · 个百分点
    (?P<post>{_hedge_suf_alt})?            # 100人左右
    """,
    re.VERBOSE,
)


def parse_quantity(text: str) -> Quantity:
    """Parse one written quantity such as ``3454 件``, ``约502.4万元``, ``99.9%``, ``2100多万元``.

    >>> parse_quantity("3454 件").value
    Decimal('3454')
    >>> q = parse_quantity("467 余万元"); (q.value, q.approx, q.qualifier)
    (Decimal('4670000'), True, '余')
    >>> q = parse_quantity("5.6亿元"); (q.value, q.unit, q.unit_raw)
    (Decimal('560000000.0'), '元', '亿元')
    >>> q = parse_quantity("1.31个百分点"); (q.value, q.unit, q.family)
    (Decimal('1.31'), '个百分点', 'points')
    >>> parse_quantity("三百件").value, parse_quantity("一亿二千万元").value
    (Decimal('300'), Decimal('120000000'))
    >>> q = parse_quantity("千余家"); (q.value, q.unit, q.qualifier)
    (Decimal('1000'), '家', '余')
    >>> q = parse_quantity("100人左右"); (q.approx, q.qualifier)
    (True, '左右')
    """
    match = QUANTITY_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a quantity: {text!r}")
    return quantity_from_match(match)


def quantity_from_match(match: re.Match[str], pre: str = "") -> Quantity:
    """Build a :class:`Quantity` from a :data:`QUANTITY_RE` match (``pre``: a hedge found before it)."""
    num, cn, mid1, mult, mid2, unit_raw, post = match.group(*_QUANTITY_GROUPS)
    if num is not None:
        value = arabic_to_decimal(num)
        start = match.start("num")
    else:
        parsed = cn_to_int(cn)
        if parsed is None:
            raise ValueError(f"not a Chinese numeral: {cn!r}")
        value = Decimal(parsed)
        start = match.start("cn")
    if unit_raw is None:
        unit_raw = ""
        canonical, family = "", "none"
    else:
        canonical, family = UNITS[unit_raw]
        if unit_raw in _MONEY_MULTIPLIED:
            value *= MULTIPLIERS[unit_raw[0]]
    if mult:
        value *= MULTIPLIERS[mult]
        shown_unit = mult + unit_raw
    else:
        shown_unit = unit_raw
    if "pre" in match.re.groupindex:
        pre = match.group("pre") or ""
    qualifier = pre or mid1 or mid2 or post or ""
    # the core span: from the number to the last of unit, infix hedge, multiplier (hedges before
    # the number and after the unit are left out: 约502.4万元 → 502.4万元)
    if unit_raw:
        end = match.end("unit")
    elif mid2:
        end = match.end("mid2")
    elif mult:
        end = match.end("mult")
    elif mid1:
        end = match.end("mid1")
    else:
        end = match.end("num") if num is not None else match.end("cn")
    return Quantity(value, canonical, shown_unit, family, bool(qualifier), qualifier, match.string[start:end])


_QUANTITY_GROUPS = ("num", "cn", "mid1", "mult", "mid2", "unit", "post")
_MONEY_MULTIPLIED = frozenset({"万元", "亿元"})


def split_unit(text: str) -> tuple[Decimal, str] | None:
    """A unit as written, possibly with a multiplier, as (factor, unit); None when it is not one.

    >>> split_unit("件"), split_unit("万元"), split_unit("万件"), split_unit("亿元"), split_unit("万"), split_unit("法治")
    ((Decimal('1'), '件'), (Decimal('10000'), '元'), (Decimal('10000'), '件'), (Decimal('100000000'), '元'), None, None)
    """
    if text in ("万元", "亿元"):
        return MULTIPLIERS[text[0]], "元"
    if text in UNITS:
        return Decimal(1), text
    if len(text) > 1 and text[0] in MULTIPLIERS and text[1:] in UNITS:
        return MULTIPLIERS[text[0]], text[1:]
    return None


def with_unit(quantity: Quantity, unit_text: str) -> Quantity | None:
    """``quantity``, written without a unit, with the unit ``unit_text`` found elsewhere (the end of
    its list, its table cell or header); a multiplier of that unit (万元) scales the number unless
    the number carries its own (1.2万、3.4万元). ``raw`` stays the number as written. None when
    ``unit_text`` is not a unit.

    >>> q = with_unit(parse_quantity("367"), "件"); (q.value, q.unit, q.unit_raw, q.raw)
    (Decimal('367'), '件', '件', '367')
    >>> with_unit(parse_quantity("502.4"), "万元").value, with_unit(parse_quantity("1.2万"), "万元").value
    (Decimal('5024000.0'), Decimal('12000.0'))
    >>> q = with_unit(parse_quantity("约300余"), "场次"); (q.value, q.unit, q.approx, q.qualifier)
    (Decimal('300'), '场', True, '约')
    """
    split = split_unit(unit_text)
    if split is None:
        return None
    factor, unit = split
    own = quantity.unit_raw if quantity.unit_raw in MULTIPLIERS else ""
    value = quantity.value if own else quantity.value * factor
    shown = own + unit if own else unit_text
    canonical, family = UNITS[unit]
    return Quantity(
        value=value,
        unit=canonical,
        unit_raw=shown,
        family=family,
        approx=quantity.approx,
        qualifier=quantity.qualifier,
        raw=quantity.raw,
    )
