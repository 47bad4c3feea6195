"""Find every number in a report's normalised view, decide whether it is a quantity, and classify it.

Years, dates, document numbers, hotline names, ordinals, numbers inside 《book titles》 and slogans
such as 一件事一次办 are not quantities: they are skipped here, before any indicator matching.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from reportlib.core.guard import guarded, max_width, search_tail
from reportlib.core.numbers import (
    _CN_NUM_CHARS,
    HEDGE_PREFIX_RE,
    HEDGE_PREFIXES,
    HEDGED_NUMBER_RE,
    LIST_JOINER_RE,
    UNITS,
    Quantity,
    cn_to_int,
    quantity_from_match,
    split_unit,
    with_unit,
)
from reportlib.reading.formats import to_simplified
from reportlib.reading.normalize import View, halfwidth, split_sentences

_units_alt = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_HEDGE_PRE = {h: len(h) for h in HEDGE_PREFIXES}

#: The scanner: numbers with optional infix hedges, multiplier and unit. It starts with a digit so
#: that the regex engine can skip ahead fast; a hedge before the number (约, 超过 …) is looked up
#: in Python. Chinese numerals are only taken when a unit follows (三百件), so that 一是 or 统一
#: never reach Python code. A numeral that starts with a bare 百/千 is a quantity only when hedged
#: (百余件, 千余家, 近千名); :func:`skip_reason` drops the others.
SCAN_RE = guarded(
    rf"""
    (?:
        (?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)       # 3454 · 1,234 · 502.4
      | (?P<cn>[零〇○一二两三四五六七八九十百千][{_CN_NUM_CHARS}]{{0,11}})  # 三百 · 百余 (see skip_reason)
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
_CHANGE_CONTEXT_RE = guarded(r"同比|环比|较去年|较上年|比上年|比去年|较\d{4}年|较同期|较上一年|比\d{4}年|年均")
#: What makes a figure a share when it stands right before it: 占审结的 · 占比为.
SHARE_RE = re.compile(r"占[^，,。；;]{0,12}?(?:的|比例|比重)?(?:为|达|约)?$")
_TARGET_RE = guarded(r"力争|目标|计划|预计|争取|拟|确保.{0,10}达到")
_CHANGE_VERB_WIDTH, SHARE_WIDTH = max_width(_CHANGE_VERB_RE), max_width(SHARE_RE)
#: A label that makes what follows its colon, to the end of the sentence, a target:
#: 目标：… · 2025年工作目标：… · 计划：…
_TARGET_LABEL_RE = re.compile(r"(?:力争|目标(?:任务)?|计划|预计|争取)(?:是|为)?[ ]?$")
_SENTENCE_STOP_RE = re.compile(r"[。；;！？!?\n]")
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
    #: where the unit comes from when it is not written with the number: ``list`` (the end of
    #: its list: 367、2889件) or ``table`` (its cell's row or column header); else ""
    unit_from: str = ""


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
    colons = target_colons(text)
    breaks = clause_breaks(text)
    found: list[Mention] = []
    unitless: list[int] = []  # indices into found
    row_ends: list[int] = []  # view offsets where a table row ends without a line break
    original = view.original
    n_original, n_text = len(original), len(text)
    # a table row joined with the next line by the view: only where cells are separated
    rows = "|" in original or "\t" in original or "｜" in original
    rescued: list[int] = []  # indices of numbers kept only because a table or list may give a unit
    for match in SCAN_RE.finditer(text):
        reason = skip_reason(text, match)
        if reason is not None and (reason not in _FOR_WANT_OF_A_UNIT or not _unit_may_follow(view, match)):
            continue
        vstart = match.start()
        try:
            quantity = quantity_from_match(match, _hedge_before(text, vstart))
        except ValueError:
            continue
        vend = vstart + len(quantity.raw)
        if _signed(text, vstart):  # -5% · -3000件 (not the 5 of 3-5件)
            vstart -= 1
            quantity = quantity._replace(value=-quantity.value, raw=text[vstart:vend])
        start, end = view.span_to_original(vstart, vend)
        if rows and original.find("\n", start, end) >= 0:  # 2,460.42|人民调解…: the unit is the next row's
            cut = _row_cut(view, vstart, start, end)
            if cut is not None:
                match = SCAN_RE.match(text, vstart, cut)
                if match is None:
                    continue
                quantity = quantity_from_match(match, _hedge_before(text, vstart))
                vend = vstart + len(quantity.raw)
                start, end = view.span_to_original(vstart, vend)
        tabled = None
        if not quantity.unit:
            if _table_edge(original, start, end):
                unit_text = table_unit(original, start, end)
                tabled = with_unit(quantity, unit_text) if unit_text else None
                if tabled is not None:
                    quantity = tabled
            if not quantity.unit:
                unitless.append(len(found))
        if rows and end < n_original and original[end] in _ROW_GAP and vend < n_text and text[vend] != "\n":
            row_end = _joined_row_end(view, vend, end)
            if row_end is not None:
                row_ends.append(row_end)
        clause_start = _clause_start(text, vstart, breaks=breaks)
        kind = classify_kind(text, clause_start, vstart, quantity, colons)
        if quantity.value < 0 and kind == "level":  # a signed figure is a difference: 同比-5% · -3000件
            kind = "change"
        sentence_index = bisect_right(sentence_starts, vstart) - 1
        found.append(  # positional: vstart, vend, start, end, quantity, raw, kind, sentence, clause start
            Mention(vstart, vend, start, end, quantity, original[start:end], kind, sentence_index if sentence_index > 0 else 0,
                    clause_start)
        )
        if tabled is not None:
            found[-1].unit_from = "table"
        if reason is not None:
            rescued.append(len(found) - 1)
    if row_ends:
        sentences = _split_rows(text, sentences, row_ends, found, colons)
    if unitless:
        _inherit_list_units(text, found, unitless, colons)
    if rescued:  # 拨打110、119: no unit came, so they are hotline numbers after all
        drop = {i for i in rescued if i < len(found) and not found[i].quantity.unit}
        found = [m for i, m in enumerate(found) if i not in drop]
    return Scan(view=view, mentions=found, sentences=sentences)


_MINUS = frozenset("-−")
#: What may stand before a minus that is a sign: not a digit, letter or closing bracket (3-5件 is a
#: range, A-3 a code, (2)-3 a list), and not another dash (--3, ——3 are rules or dashes).
_NOT_BEFORE_SIGN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ)）]】-−—–~～")


def _signed(text: str, vstart: int) -> bool:
    """True when a minus sign stands right before the number at ``vstart``.

    >>> _signed("同比-5%", 3), _signed("3-5件", 2), _signed("-3000件", 1), _signed("第A-3号", 3)
    (True, False, True, False)
    """
    return vstart > 0 and text[vstart - 1] in _MINUS and (vstart == 1 or text[vstart - 2] not in _NOT_BEFORE_SIGN)


#: Figures this large are no report's quantity (a budget of a province is below 10¹³ 元): such a
#: figure stays a mention, flagged, and is never promoted nor turned into an invented float.
IMPLAUSIBLE = Decimal(10) ** 15


def implausible(value: Decimal) -> bool:
    """True for a magnitude no report states.

    >>> implausible(Decimal("5.6E8")), implausible(Decimal(10) ** 400), implausible(Decimal(-3000))
    (False, True, False)
    """
    return abs(value) >= IMPLAUSIBLE


#: Skip reasons that hold only because no unit is written next to the number: 120 is a hotline,
#: 1234567 an identifier, unless its table cell or its list gives it a unit.
_FOR_WANT_OF_A_UNIT = frozenset({"hotline number", "identifier"})


def _unit_may_follow(view: View, match: re.Match[str]) -> bool:
    """Whether a number written without a unit may take one from its list or table cell."""
    text, original = view.text, view.original
    end = match.end("num")
    join = _LIST_JOIN_RE.match(text, end)
    if join is not None and text[join.end() : join.end() + 1].isdigit():
        return True
    start, end = view.span_to_original(match.start("num"), end)
    return _table_edge(original, start, end) and table_unit(original, start, end) is not None


# --------------------------------------------------------------------------- table rows

_ROW_GAP = frozenset(" \t|｜\u3000\xa0\r\n")
_ROW_END_RE = re.compile(r"[ \t|｜\u3000\xa0]*\r?\n")


def _joined_row_end(view: View, vend: int, end: int) -> int | None:
    """Where the next row starts in the view when the number ending at ``end`` (``vend`` in the
    view) closes a row of a flattened table and the view has joined that row with the next line."""
    original, text = view.original, view.text
    gap = _ROW_END_RE.match(original, end)
    if gap is None:
        return None
    cut = original.rfind("\n", max(end - 300, 0), end)
    line = original[cut + 1 : end]
    if "|" not in line and "｜" not in line and "\t" not in line:
        return None  # a line of prose broken after a number: one sentence
    pos = vend
    while pos < len(text) and view.to_original(pos) < gap.end():
        pos += 1
    return pos if pos < len(text) and text[pos - 1] != "\n" else None


def _row_cut(view: View, vstart: int, start: int, end: int) -> int | None:
    """The view offset where a table row ends inside the number written at ``[start, end)`` of the
    original (its unit on the next line, joined by the view), or None when the line is prose."""
    original = view.original
    nl = original.find("\n", start, end)
    line = original[original.rfind("\n", max(start - 300, 0), start) + 1 : start]
    if "|" not in line and "｜" not in line and "\t" not in line:
        return None
    pos = vstart
    while view.to_original(pos) < nl:
        pos += 1
    return pos


def _split_rows(text: str, sentences: list[tuple[int, int]], row_ends: list[int], found: list[Mention],
                colons: list[int]) -> list[tuple[int, int]]:
    """``sentences`` cut where a table row ends, so that a row's numbers never take words from the
    next row; the mentions' sentence indices, clauses and kinds follow."""
    out = list(sentences)
    for pos in sorted(set(row_ends)):
        i = bisect_right([s for s, _ in out], pos) - 1
        if i >= 0 and out[i][0] < pos < out[i][1]:
            out[i : i + 1] = [(out[i][0], pos), (pos, out[i][1])]
    starts = [s for s, _ in out]
    for m in found:
        m.sentence_index = max(bisect_right(starts, m.vstart) - 1, 0)
        first = out[m.sentence_index][0]
        if m.clause_start < first:
            m.clause_start = first
            m.kind = classify_kind(text, first, m.vstart, m.quantity, colons)
    return out


# --------------------------------------------------------------------------- units found elsewhere

#: Between two numbers of a list that share the unit written after the last one (367、2889件):
#: a separator and at most a hedge of the next number, nothing else.
_LIST_JOIN_RE = re.compile(rf"[ ]?(?:{LIST_JOINER_RE})[ ]?(?:{HEDGE_PREFIX_RE})?")


def _inherit_list_units(text: str, found: list[Mention], unitless: list[int], colons: list[int]) -> None:
    """Give the numbers of a list written without a unit the unit of the list's last number.

    ``分别为367、2889、1425件``: 367 and 2889 are 件 too. Only a plain list qualifies: the numbers
    are separated by 、/和/及/与 alone, and the last one carries the unit (its multiplier too:
    ``1.2、3.4万元`` is 12000 元 and 34000 元). ``unitless`` are the indices of the mentions without
    a unit; walking them back from the end passes the unit of the list's last number along the
    chain. A number with a unit of its own is never changed.
    """
    tails: dict[int, Quantity] = {}  # index → the quantity whose unit it took
    for i in reversed(unitless):
        if i + 1 == len(found):
            continue
        m, nxt = found[i], found[i + 1]
        tail = tails.get(i + 1) or nxt.quantity
        if not tail.unit or _LIST_JOIN_RE.fullmatch(text, m.vend, nxt.vstart) is None:
            continue
        inherited = with_unit(m.quantity, tail.unit_raw)
        if inherited is not None:
            m.quantity, m.unit_from = inherited, "list"
            m.kind = classify_kind(text, m.clause_start, m.vstart, inherited, colons)
            tails[i] = tail


#: Characters of the decoded text next to a number that may end a table cell: separators,
#: white space, the closing bracket of a label's unit (法律援助案件（件） 367), a line end.
_CELL_PREV = frozenset(" \t|｜\u3000\xa0)）:：")
_CELL_NEXT = frozenset(" \t|｜\u3000\xa0\r\n")


def _table_edge(original: str, start: int, end: int) -> bool:
    """Cheap test that a number written without a unit may sit in a table cell."""
    return (start > 0 and original[start - 1] in _CELL_PREV) or end >= len(original) or original[end] in _CELL_NEXT


_PIPE_CELLS_RE = re.compile(r"[^|｜\t\r]+")
_SPACE_CELLS_RE = re.compile(r"[^ \t\u3000\xa0\r]+")
#: A cell that holds a number only (or nothing: — / -).
_NUMBER_CELL_RE = re.compile(rf"{HEDGED_NUMBER_RE}|[-—–/]+")
#: A label or header that ends with its unit: 法律援助案件（件） · 金额（万元） · 数量（单位：件）.
_LABEL_UNIT_RE = re.compile(r"\((?:单位[:：] ?)?(?P<unit>[^()]{1,4})\)[:：]?$")
#: A unit given for a whole table: 单位：件 · （单位：万元） · …情况统计表（单位：件）.
_CAPTION_UNIT_RE = re.compile(r"单位[:：] ?(?P<unit>[^()\s]{1,4})\)?$")


def _cells(line: str) -> list[tuple[int, int, str]]:
    """Cells of one line of a flattened table: split at | or tabs when the line has them, else at
    white space. Each cell as (start, end, text) with offsets into ``line``."""
    pattern = _PIPE_CELLS_RE if ("|" in line or "｜" in line or "\t" in line) else _SPACE_CELLS_RE
    cells = []
    for found in pattern.finditer(line):
        text = found.group(0)
        stripped = text.strip(" \u3000\xa0")
        if stripped:
            lead = len(text) - len(text.lstrip(" \u3000\xa0"))
            cells.append((found.start() + lead, found.start() + lead + len(stripped), stripped))
    return cells


def _unit_word(text: str) -> str | None:
    """``text`` when it is a unit as written (件, 万元, %, 人次 …), in simplified script; else None."""
    text = halfwidth(text).strip()
    if 0 < len(text) <= 4 and split_unit(text) is None and not text.isascii():
        text = to_simplified(text)
    return text if split_unit(text) is not None else None


def _label_unit(text: str) -> str | None:
    """The unit a label or header names at its end: 法律援助案件（件） → 件."""
    found = _LABEL_UNIT_RE.search(halfwidth(text).strip())
    return _unit_word(found.group("unit")) if found else None


#: A column header that counts something: 件数 · 案件数 · 人数 · 场次 → 件 · 件 · 人 · 场次.
_COUNT_HEADER_RE = re.compile(r"(?:案|宗)?(?P<unit>件|人次|人|场次|场|次|个|家|份|条|起|户)(?:数|数量)?(?:\s*[(（][^()（）]*[)）])?$")


def _count_header_unit(text: str) -> str | None:
    """The unit a counting header implies: 件数 → 件, 人数 → 人 (a header only, never a label).

    >>> _count_header_unit("件数"), _count_header_unit("受援人数"), _count_header_unit("金额")
    ('件', '人', None)
    """
    found = _COUNT_HEADER_RE.search(halfwidth(text).strip())
    if not found or len(text) > 12 or not (text.strip().endswith(("数", "数量")) or len(text.strip()) <= 2):
        return None
    return _unit_word(found.group("unit"))


def table_unit(original: str, start: int, end: int, max_rows: int = 12) -> str | None:
    """The unit of a number written without one in a flattened table, when the table says it
    unambiguously; None otherwise. ``original[start:end]`` is the number.

    In order: a cell of the same row that is a unit, with only numbers between (``法律援助案件 |
    367 | 件`` or, under a 单位 column, ``法律援助案件 | 件 | 367``; two different units → None);
    the unit in brackets at the end of the row's label (``法律援助案件（件） 367``); the unit in
    the header of the number's column (``数量（件）``) or of the whole table (``单位：件``).

    >>> def unit(t, x="367"):
    ...     i = t.index(x)
    ...     return table_unit(t, i, i + len(x))
    >>> unit("法律援助案件 | 367 | 件"), unit("法律援助案件\\t件\\t367\\t283", "283"), unit("法律援助案件（件） 367")
    ('件', '件', '件')
    >>> unit("项目 | 数量（件） | 金额（万元）\\n法律援助 | 367 | 502.4", "502.4"), unit("（单位：件）\\n指标 | 数值\\n法律援助案件 | 367")
    ('万元', '件')
    >>> unit("法律援助案件 | 件 | 367 | 人"), unit("法律援助案件 | 367 | 283") is None
    (None, True)
    """
    lo = max(start - 200, 0)
    cut = original.rfind("\n", lo, start)
    line_start = cut + 1 if cut >= 0 else lo
    cut = original.find("\n", end, end + 200)
    line_end = cut if cut >= 0 else min(end + 200, len(original))
    cells = _cells(original[line_start:line_end])
    s, e = start - line_start, end - line_start
    k = next((i for i, (cs, ce, _) in enumerate(cells) if cs <= s and e <= ce), None)
    if k is None:
        return None
    cs, ce, cell = cells[k]
    if not _NUMBER_CELL_RE.fullmatch(halfwidth(cell)):
        # the label and the number in one cell: 法律援助案件（件）367
        if _NUMBER_CELL_RE.fullmatch(halfwidth(original[start : line_start + ce])):
            return _label_unit(original[line_start + cs : start])
        return None
    units, label = set(), None
    for step in (-1, 1):  # a unit cell in the row, numbers only in between
        j = k + step
        while 0 <= j < len(cells) and _NUMBER_CELL_RE.fullmatch(halfwidth(cells[j][2])):
            j += step
        if 0 <= j < len(cells):
            unit = _unit_word(cells[j][2])
            if unit:
                units.add(unit)
            elif step == -1:
                label = cells[j][2]
    if units:
        return units.pop() if len(units) == 1 else None
    if label is not None:
        unit = _label_unit(label)
        if unit:
            return unit
    if line_start and original[line_start - 1] != "\n":
        return None  # a very long line: no header to look up
    return _header_unit(original, line_start, k, len(cells), max_rows)


def _header_row(original: str, row_start: int, column: int, width: int, max_rows: int) -> tuple[list, int] | None:
    """The header row above the data row starting at ``row_start``: the nearest line above with
    ``width`` cells whose cell in ``column`` is not a number, as (cells, offset of the line break
    before it); None when a line of another width comes first."""
    end = row_start - 1
    for _ in range(max_rows):
        if end <= 0:
            return None
        cut = original.rfind("\n", max(end - 200, 0), end)
        cells = _cells(original[cut + 1 : end])
        if len(cells) != width:
            return None
        if not _NUMBER_CELL_RE.fullmatch(halfwidth(cells[column][2])):
            return cells, cut
        end = cut
    return None


#: A column header naming a year: 2023年 · 2023年度 · 2023 · 二〇二三年 is rare in tables and left out.
_YEAR_HEADER_RE = re.compile(r"((?:19|20)\d\d)\s*(?:年度?)?(?:数据|数值|数量|情况)?")


def column_year(original: str, start: int, end: int, max_rows: int = 12) -> int | None:
    """The year in the header of the table column holding the number at ``original[start:end]``
    (a row with one value per year), or None when the number is not in such a column.

    >>> t = "项目 | 单位 | 2022年 | 2023年\\n法律援助案件 | 件 | 2,100 | 2,675"
    >>> column_year(t, t.index("2,100"), t.index("2,100") + 5), column_year(t, t.index("2,675"), len(t))
    (2022, 2023)
    >>> t = "项目 | 数量（件）\\n法律援助案件 | 367"
    >>> column_year(t, t.index("367"), len(t)) is None
    True
    """
    if not _table_edge(original, start, end):
        return None
    cut = original.rfind("\n", max(start - 200, 0), start)
    if cut < 0 and start > 200:
        return None
    line_start = cut + 1
    cut = original.find("\n", end, end + 200)
    line_end = cut if cut >= 0 else min(end + 200, len(original))
    cells = _cells(original[line_start:line_end])
    if len(cells) < 2:
        return None
    s, e = start - line_start, end - line_start
    k = next((i for i, (cs, ce, _) in enumerate(cells) if cs <= s and e <= ce), None)
    if k is None or not _NUMBER_CELL_RE.fullmatch(halfwidth(cells[k][2])):
        return None
    found = _header_row(original, line_start, k, len(cells), max_rows)
    if found is None:
        return None
    year = _YEAR_HEADER_RE.fullmatch(halfwidth(found[0][k][2]))
    return int(year.group(1)) if year else None


def _header_unit(original: str, row_start: int, column: int, width: int, max_rows: int) -> str | None:
    """The unit in the header of ``column`` of the table whose row starts at ``row_start``, or in
    the table's caption (单位：件) right above the header. The header is the nearest line above
    with as many cells whose cell in ``column`` is not a number (rows in between are data rows)."""
    found = _header_row(original, row_start, column, width, max_rows)
    if found is None:
        return None
    cells, cut = found
    header = cells[column][2]
    unit = _unit_word(header) or _label_unit(header) or _count_header_unit(header)
    if unit:
        return unit
    for _, _, cell in cells:  # 项目（单位：件）
        caption = _CAPTION_UNIT_RE.search(halfwidth(cell))
        if caption:
            return _unit_word(caption.group("unit"))
    if cut > 0:  # a caption line right above the header: （单位：件）
        above = original[original.rfind("\n", max(cut - 200, 0), cut) + 1 : cut]
        caption = _CAPTION_UNIT_RE.search(halfwidth(above).strip())
        if caption:
            return _unit_word(caption.group("unit"))
    return None


def _hedge_before(text: str, pos: int) -> str:
    for size in (3, 2, 1):
        word = text[pos - size : pos] if pos >= size else ""
        if word in _HEDGE_PRE:
            return word
    return ""


_CLAUSE_BREAK_RE = re.compile("[" + re.escape(_CLAUSE_BREAK) + "]")


def clause_breaks(text: str) -> list[int]:
    """Offsets of every clause break (，；。: line break …) of ``text``, for :func:`_clause_start`."""
    return [m.start() for m in _CLAUSE_BREAK_RE.finditer(text)]


def _clause_start(text: str, pos: int, limit: int = 80, breaks: list[int] | None = None) -> int:
    """Where the clause holding ``pos`` starts: after the last clause break before it, at most
    ``limit`` characters back. ``breaks`` (:func:`clause_breaks` of ``text``) makes it a lookup.

    >>> t = "全年共办理，法律援助案件367件"
    >>> _clause_start(t, t.index("367")), _clause_start(t, t.index("367"), breaks=clause_breaks(t)), _clause_start(t, 3, limit=2)
    (6, 6, 1)
    """
    lo = max(pos - limit, 0)
    if breaks is not None:
        i = bisect_left(breaks, pos) - 1
        return breaks[i] + 1 if i >= 0 and breaks[i] >= lo else lo
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in _CLAUSE_BREAK:
            return i + 1
    return lo


def classify_kind(text: str, clause_start: int, pos: int, quantity: Quantity, target_colons: list[int] | None = None) -> str:
    """``level`` | ``change`` | ``share`` | ``target`` from the words around a number.

    ``target_colons``: the ends of every ``目标：`` label of ``text`` (:func:`target_colons`), when
    the caller has them; else they are looked for near ``pos``.

    >>> from reportlib.core.numbers import parse_quantity as q
    >>> t = "信访事项1425件，较去年同期下降41.5%，占审结的42.42%，力争达到95%"
    >>> [classify_kind(t, t.rfind("，", 0, t.index(x)) + 1, t.index(x), q(x)) for x in ["1425件", "41.5%", "42.42%", "95%"]]
    ['level', 'change', 'share', 'target']
    >>> classify_kind("同比提高1.31个百分点", 0, 4, q("1.31个百分点"))
    'change'
    >>> classify_kind("目标：出庭应诉率达到100%", 3, 11, q("100%"))
    'target'
    """
    if quantity.family == "points":
        return "change"
    left = text[clause_start:pos]
    if search_tail(_CHANGE_VERB_RE, _CHANGE_VERB_WIDTH, left) and (_CHANGE_CONTEXT_RE.search(left) or quantity.family == "rate"):
        if not left.endswith(("到", "至")):
            return "change"
    if search_tail(SHARE_RE, SHARE_WIDTH, left):
        return "share"
    if _TARGET_RE.search(left):
        return "target"
    if target_colons is None:
        target_colons = target_colons_near(text, clause_start, pos)
    if target_colons and _after_target_colon(text, target_colons, pos):
        return "target"
    return "level"


def target_colons(text: str) -> list[int]:
    """Ends of the target labels with a colon in ``text`` (目标：, 工作计划：), in order.

    >>> t = "成效：办理案件367件。2025年工作目标：出庭应诉率达到100%"
    >>> [t[:end] for end in target_colons(t)]
    ['成效：办理案件367件。2025年工作目标：']
    """
    return target_colons_near(text, 0, len(text), 0)


def target_colons_near(text: str, lo: int, hi: int, limit: int = 80) -> list[int]:
    """:func:`target_colons` of ``text[lo - limit : hi]`` only. Colons are found with ``str.find``
    and the label is looked at only before one."""
    lo = max(lo - limit, 0)
    ends = []
    for colon in (":", "："):
        at = text.find(colon, lo, hi)
        while at >= 0:
            if _TARGET_LABEL_RE.search(text, max(at - 8, 0), at):
                ends.append(at + 1)
            at = text.find(colon, at + 1, hi)
    return sorted(ends)


def _after_target_colon(text: str, colons: list[int], pos: int) -> bool:
    """Whether the last target label before ``pos`` is in the same sentence.

    >>> t = "目标：出庭应诉率达到100%，败诉率控制在5%以内。办理案件367件"
    >>> [_after_target_colon(t, target_colons(t), t.index(x)) for x in ["100%", "5%", "367"]]
    [True, True, False]
    """
    i = bisect_right(colons, pos) - 1
    return i >= 0 and _SENTENCE_STOP_RE.search(text, colons[i], pos) is None


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
    >>> why("开展百日攻坚行动", "百日"), why("覆盖数百家企业", "百家"), why("深入千余家企业", "千余家"), why("近千名律师", "千名")
    ('idiom or slogan', 'not a number', None, None)
    """
    num, cn, unit, mult = match.group("num", "cn", "unit", "mult")
    s, e = match.span("num" if num is not None else "cn")
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
        if cn[0] in "百千":  # a bare 百/千: 百余件 and 近千名 are quantities
            if before in "数几上成":
                return "not a number"  # 数百件, 上千人, 成百上千
            if not (match.group("mid1") or match.group("mid2") or _hedge_before(text, s)):
                return "idiom or slogan"  # 百日攻坚, 千家万户, 建党百年
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
    """The frame boundary: a Decimal becomes a float only here; an implausible magnitude
    (:data:`IMPLAUSIBLE`) becomes NaN, never ``inf`` or invented digits.

    >>> to_float(Decimal("502.4")), to_float(Decimal(10) ** 400)
    (502.4, nan)
    """
    if implausible(value):
        return float("nan")
    return float(value)
