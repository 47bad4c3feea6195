"""Find every number in a report's normalised view, decide whether it is a quantity, and classify it.

Years, dates, document numbers, hotline names, ordinals, numbers inside 《book titles》 and slogans
such as 一件事一次办 are not quantities: they are skipped here, before any indicator matching.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from reportlib.normalize import View, split_sentences
from reportlib.numbers import _CN_NUM_CHARS, HEDGE_PREFIXES, UNITS, Quantity, cn_to_int, quantity_from_match

_units_alt = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_HEDGE_PRE = {h: len(h) for h in HEDGE_PREFIXES}

#: The scanner: numbers with optional infix hedges, multiplier and unit. It starts with a digit so
#: that the regex engine can skip ahead fast; a hedge before the number (约, 超过 …) is looked up
#: in Python. Chinese numerals are only taken when a unit follows (三百件), so that 一是 or 统一
#: never reach Python code.
SCAN_RE = re.compile(
    rf"""
    (?:
        (?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)       # 3454 · 1,234 · 502.4
      | (?P<cn>[零〇○一二两三四五六七八九十][{_CN_NUM_CHARS}]{{0,11}})
        (?=[ ]?(?:余|多|来)?(?:万|亿)?(?:余|多)?(?:{_units_alt}))  # 三百件 (unit required)
    )
    [ ]?                                                       # PDF text: "3454 件"
    (?P<mid1>余|多|来)?                                          # 467余万元
    (?P<mult>万|亿)?                                             # 502.4万元
    (?P<mid2>余|多)?                                             # 115万余元
    (?P<unit>{_units_alt})?                                     # 件 · 元 · % · 个百分点
    (?P<post>左右|以上|上下|有余)?                                # 100人左右
    """,
    re.VERBOSE,
)

_CLAUSE_BREAK = "，,；;。！？!?\n:："
_CHANGE_VERB_RE = re.compile(r"(?:增长|增加|上升|提高|提升|下降|减少|降低|回落|增|降|减|升)了?(?:约|近|超过|达)?$")
_CHANGE_CONTEXT_RE = re.compile(r"同比|环比|较去年|较上年|比上年|比去年|较\d{4}年|较同期|较上一年|比\d{4}年|年均")
_SHARE_RE = re.compile(r"占[^，,。；;]{0,12}?(?:的|比例|比重)?(?:为|达|约)?$")
_TARGET_RE = re.compile(r"力争|目标|计划|预计|争取|拟|确保.{0,10}达到")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_LABEL_AFTER_RE = re.compile(r"热线|平台|品牌|工作法|机制|模式|专线|服务热线|号|届|次会议|周年")
_HOTLINE_RE = re.compile(r"123\d\d|96\d{3}|110|119|120|122|148")
_QUOTES = {"“": "”", '"': '"', "‘": "’", "「": "」"}


@dataclass(slots=True)
class Mention:
    """One number found in a report, before indicator matching (positions in the view)."""

    vstart: int  # core span in the normalised view
    vend: int
    start: int  # core span in the decoded original: original[start:end] == raw
    end: int
    quantity: Quantity
    raw: str
    kind: str
    sentence_index: int
    clause_start: int  # view offset where the number's clause starts


@dataclass(slots=True)
class Scan:
    """All mentions of one report plus the sentence spans they refer to."""

    view: View
    mentions: list[Mention]
    sentences: list[tuple[int, int]]  # view spans


def scan(view: View) -> Scan:
    """Every quantity in ``view`` with its kind and sentence."""
    text = view.text
    sentences = split_sentences(text)
    sentence_starts = [s for s, _ in sentences]
    found: list[Mention] = []
    for match in SCAN_RE.finditer(text):
        if skip_reason(text, match) is not None:
            continue
        vstart = match.start()
        try:
            quantity = quantity_from_match(match, _hedge_before(text, vstart))
        except ValueError:
            continue
        vend = vstart + len(quantity.raw)
        start, end = view.span_to_original(vstart, vend)
        clause_start = _clause_start(text, vstart)
        kind = classify_kind(text, clause_start, vstart, quantity)
        found.append(
            Mention(
                vstart=vstart,
                vend=vend,
                start=start,
                end=end,
                quantity=quantity,
                raw=view.original[start:end],
                kind=kind,
                sentence_index=max(bisect_right(sentence_starts, vstart) - 1, 0),
                clause_start=clause_start,
            )
        )
    return Scan(view=view, mentions=found, sentences=sentences)


def _hedge_before(text: str, pos: int) -> str:
    for size in (3, 2, 1):
        word = text[pos - size : pos] if pos >= size else ""
        if word in _HEDGE_PRE:
            return word
    return ""


def _clause_start(text: str, pos: int, limit: int = 80) -> int:
    lo = max(pos - limit, 0)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in _CLAUSE_BREAK:
            return i + 1
    return lo


def classify_kind(text: str, clause_start: int, pos: int, quantity: Quantity) -> str:
    """``level`` | ``change`` | ``share`` | ``target`` from the words around a number.

    >>> from reportlib.numbers import parse_quantity as q
    >>> t = "信访事项1425件，较去年同期下降41.5%，占审结的42.42%，力争达到95%"
    >>> [classify_kind(t, t.rfind("，", 0, t.index(x)) + 1, t.index(x), q(x)) for x in ["1425件", "41.5%", "42.42%", "95%"]]
    ['level', 'change', 'share', 'target']
    >>> classify_kind("同比提高1.31个百分点", 0, 4, q("1.31个百分点"))
    'change'
    """
    if quantity.family == "points":
        return "change"
    left = text[clause_start:pos]
    if _CHANGE_VERB_RE.search(left) and (_CHANGE_CONTEXT_RE.search(left) or quantity.family == "rate"):
        if not left.endswith(("到", "至")):
            return "change"
    if _SHARE_RE.search(left):
        return "share"
    if _TARGET_RE.search(left):
        return "target"
    return "level"


def skip_reason(text: str, match: re.Match[str]) -> str | None:
    """Why a number is not a quantity (year, date, code, ordinal …), or None when it is one.

    >>> def why(t, x):
    ...     m = SCAN_RE.search(t, t.index(x))
    ...     return skip_reason(t, m)
    >>> why("2023年共办理案件367件", "2023"), why("2023年共办理案件367件", "367")
    ('year', None)
    >>> why("泉鲤司〔2024〕6号", "6"), why("打造“1124”工作机制", "1124"), why("第3批", "3")
    ('document or serial number', 'quoted label', 'ordinal')
    >>> why("印发《助企纾困36条措施》", "36"), why("发布于2025-01-21", "2025"), why("“1+2+N”模式", "1")
    ('inside a book title', 'date, time or code', 'formula label')
    >>> why("高效办成一件事", "一件"), why("1月31日", "31"), why("联系电话:13959291990", "13959291990")
    ('slogan', 'date', 'identifier')
    >>> why("12348法律服务热线", "12348"), why("受理咨询12348件", "12348")
    ('hotline number', None)
    """
    num = match.group("num")
    cn = match.group("cn")
    s = match.start("num") if num is not None else match.start("cn")
    e = match.end("num") if num is not None else match.end("cn")
    unit = match.group("unit")
    mult = match.group("mult")
    before = text[s - 1] if s > 0 else "\n"
    after = text[e] if e < len(text) else "\n"
    after2 = text[e : e + 2]
    if num is not None:
        digits = num.replace(",", "")
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            return "date, time or code"
        if (before in "-/:~" and s > 1 and text[s - 2].isdigit()) or (after in "-/:~" and text[e + 1 : e + 2].isdigit()):
            return "date, time or code"
        if before == "\n" and after in ".、":
            return "heading number"
        if len(digits) == 4 and _YEARLIKE.fullmatch(digits) and "." not in digits:
            rest = text[e : e + 6].lstrip(" ")
            if rest.startswith(("年", "—", "-", "–", "~", "至", "〕", "]", "】", ")")) or before in "〔[【(":
                return "year"
        if after == "月" or after2 == " 月":
            return "date"
        if (unit == "日" and before in "月 ") or (text[e : e + 1] == "日" and "月" in text[max(s - 3, 0) : s]):
            return "date"
        if after == "号" or after2 == " 号":
            return "document or serial number"
        if not unit and not mult and len(digits) >= 7 and "," not in num:
            return "identifier"
        if not unit and not mult and _HOTLINE_RE.fullmatch(digits):
            return "hotline number"
        if before == "+" or after == "+":
            return "formula label"
    else:
        if cn_to_int(cn) == 1:
            return "slogan"
        if before in _CN_NUM_CHARS:
            return "part of a word"
    if before == "第" or text[max(s - 2, 0) : s] == "第 ":
        return "ordinal"
    if before in _QUOTES:
        close = _QUOTES[before]
        if text[e : e + 1] == close or (unit is None and close in text[e : e + 6]):
            return "quoted label"
    if not unit and _LABEL_AFTER_RE.match(text, e):
        return "name, not a quantity"
    if _inside_book_title(text, s):
        return "inside a book title"
    return None


def _inside_book_title(text: str, pos: int, limit: int = 60) -> bool:
    open_at = text.rfind("《", max(pos - limit, 0), pos)
    if open_at < 0:
        return False
    close_at = text.find("》", open_at, pos)
    return close_at < 0


def to_float(value: Decimal) -> float:
    """The frame boundary: a Decimal becomes a float only here."""
    return float(value)
