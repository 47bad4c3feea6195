"""The heading tree of a report: 一、 / (一) / 1. / 一是, with levels, parents and spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlib.core.guard import guarded

#: Heading markers by rank (lower rank = higher in the tree).
HEADING_RE = guarded(
    r"""
    ^(?:                                                          # line markers, at a line start
        (?P<part>第[一二三四五六七八九十]{1,3}部分)                # 第一部分
      | (?P<cn>[一二三四五六七八九十]{1,3})[、.]                 # 一、
      | \((?P<paren>[一二三四五六七八九十]{1,3})\)               # (一)   (full-width normalised)
      | (?P<num>\d{1,2})[.、](?![\d%])                         # 1.  1、
    )
  | (?:^|(?<=[。;；:：，,]))                                     # 一是 also after a clause
    (?P<shi>[一二三四五六七八九十]{1,2}是)(?=[^，,。;]{2})
    """,
    re.VERBOSE | re.MULTILINE,
)
RANKS = {"part": 0, "cn": 1, "paren": 2, "num": 3, "shi": 4}

#: Required parts of the genre (reporting-rules.md) recognised from heading wording.
PART_PATTERNS: dict[str, re.Pattern[str]] = {
    "shortcomings": re.compile(r"存在的?(?:主要)?(?:问题|不足)|不足|短板|差距|薄弱"),
    "leaders": re.compile(r"第一责任人|主要负责人履行|主要负责人.{0,6}职责"),
    "plans": re.compile(r"工作安排|工作思路|工作打算|下一步|下一年度|工作计划|工作重点|努力方向|(?:19|20)\d\d年(?:度)?(?:主要)?(?:工作)?(?:安排|思路|打算|计划|重点)"),
    "other": re.compile(r"其他需要报告|其他事项|其他情况"),
    "measures": re.compile(r"主要举措|举措和成效|工作成效|主要成效|主要工作|工作情况|取得的?成效|推进情况|工作开展情况|主要做法"),
}


@dataclass(slots=True)
class Heading:
    """One heading in view coordinates."""

    index: int
    rank: int
    marker: str
    heading: str
    vstart: int
    vend: int  # end of the section (next heading of the same or a higher rank)
    parent: int | None
    level: int
    part: str


def find_headings(text: str) -> list[Heading]:
    """Headings of a normalised text, as a tree (parents by rank).

    >>> t = "一、主要举措和成效\\n(一)坚持依法治区\\n1.学习宣传。内容。\\n二、存在问题\\n一是合力不足。二是人才缺乏。"
    >>> [(h.marker, h.heading, h.level, h.parent, h.part) for h in find_headings(t)]
    [('一、', '主要举措和成效', 1, None, 'measures'), ('(一)', '坚持依法治区', 2, 0, ''), ('1.', '学习宣传', 3, 1, ''), ('二、', '存在问题', 1, None, 'shortcomings'), ('一是', '合力不足', 2, 3, ''), ('二是', '人才缺乏', 2, 3, '')]
    """
    found: list[Heading] = []
    stack: list[Heading] = []
    for match in HEADING_RE.finditer(text):
        kind = match.lastgroup or "cn"
        rank = RANKS[kind]
        marker_end = match.end()
        marker = text[match.start() : marker_end]
        heading = _heading_text(text, marker_end, kind)
        if not heading:
            continue
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        part = _part_of(heading) if kind in ("part", "cn", "paren") else ""
        item = Heading(
            index=len(found),
            rank=rank,
            marker=marker,
            heading=heading,
            vstart=match.start(),
            vend=len(text),
            parent=parent.index if parent else None,
            level=(parent.level + 1) if parent else 1,
            part=part,
        )
        found.append(item)
        stack.append(item)
    open_items: list[Heading] = []  # a section ends where the next of the same or higher rank starts
    for item in found:
        while open_items and open_items[-1].rank >= item.rank:
            open_items.pop().vend = item.vstart
        open_items.append(item)
    return found


_STOPS_RE = {False: re.compile("[。;；]"), True: re.compile("[。;；，,:：]")}


def _heading_text(text: str, pos: int, kind: str, limit: int = 60) -> str:
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    end = min(line_end, pos + limit)
    stop = _STOPS_RE[kind == "shi"].search(text, pos, end)
    return text[pos : stop.start() if stop else end].strip()


def _part_of(heading: str) -> str:
    for part, pattern in PART_PATTERNS.items():
        if pattern.search(heading):
            return part
    return ""


def part_at(headings: list[Heading], pos: int) -> str:
    """The required-content part (measures, shortcomings, plans …) that ``pos`` falls in."""
    part = ""
    for item in headings:
        if item.vstart > pos:
            break
        if item.part and item.vstart <= pos < item.vend:
            part = item.part
    return part
