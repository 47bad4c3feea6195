"""A normalised view of a decoded report, with a map back to the original offsets.

The view is what the parser reads: full-width digits and punctuation made half-width, traditional
characters made simplified, web boilerplate and PDF page numbers blanked, lines broken mid-sentence
joined, and spaces that PDF extraction put inside numbers and words removed. Every position in the
view maps back to the decoded original, so that evidence offsets satisfy ``text[start:end] == raw``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from reportlib.reading.formats import is_traditional, to_simplified

# Full-width ASCII (U+FF01..U+FF5E) → ASCII, except the full-width comma "，", which stays a
# Chinese clause separator (an ASCII "," between digits is a thousands separator).
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20})
_FULLWIDTH.update({0xFEFF: 0x20, 0x2022: 0x20})  # BOM left inside, bullets of web lists
#: Characters that take no room: zero-width space, joiners, word joiner, BOM, and the bidi controls
#: (which reorder what a reader sees). In the view they vanish wherever they stand: 3\u200b454件 is 3454件.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
#: Spaces that group digits (no-break, narrow no-break, thin): 3\xa0454 is 3454 when digits stand on both sides.
GROUP_SPACES = frozenset("\xa0\u202f\u2009")
_FULLWIDTH.update({ord(c): 0x20 for c in ZERO_WIDTH | GROUP_SPACES})
FULLWIDTH_TABLE = _FULLWIDTH
_FULLWIDTH_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]+")


def halfwidth(text: str) -> str:
    """Full-width ASCII and odd spaces made half-width, character for character (same length).

    >>> halfwidth("（一）共３４５４件，成功率９９．９％")
    '(一)共3454件，成功率99.9%'
    """
    if not _FULLWIDTH_RE.search(text):
        return text
    return _FULLWIDTH_RE.sub(lambda m: m.group(0).translate(FULLWIDTH_TABLE), text)


def squeezed(text: str) -> str:
    """``text`` half-width and without white space: how the view spells a number that the
    original writes ``3454 件`` or ``３６７件``.

    >>> squeezed("3454 件"), squeezed("３６７件")
    ('3454件', '367件')
    """
    return "".join(halfwidth(text).split())


#: Characters after which a line break is a real paragraph break.
TERMINATORS = frozenset("。！？；：!?;:")
#: Heading markers at the start of a line (一、 (一) 1. 1、 一是 第一).
HEADING_START_RE = re.compile(r"[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十]{1,3}[部章节条]")

#: Lines that web pages and PDF conversion add around the report text.
BOILERPLATE_LINE_RE = re.compile(
    r"""
    ^(?:                                           # whole lines
      [ \t]*(?:
        索\s*引\s*号 | 备注/文号 | 发布机构 | 公文生成日期 | 生成日期 | 发文机关 | 主题分类 | 体裁分类
      | 浏览次数 | 访问量 | 来源[:：]
      | 附件下载 | 扫一扫 | 相关解读 | 文字解读 | 图片解读 | 视频解读 | 访谈解读 | 媒体报道 | 相关链接
      | 【打印】 | 【关闭】 | \[打印\] | \[关闭\] | 打印本页 | 关闭窗口 | 分享到 | 字号[:：]
      | 签发人[:：] | [(（]此件主动公开[)）] | [(（]联系人 | 抄送[:：] | 抄报[:：]
      ).*$
    | [ \t]*[-—–]\s*\d{1,3}\s*[-—–][ \t]*$          # PDF page numbers: — 3 —
    | [ \t]*第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?[ \t]*$
    | [ \t]*\d{1,3}[ \t]*$(?!\n[ \t\n]*[件人万亿元%个次场份条项名家余多])   # a page number alone on its line
    | .{0,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发[ \t]*$
    )
    """,
    re.VERBOSE | re.MULTILINE,
)
#: A web page's date stamp (the stamp only, not what follows it on the line). Blanked after the
#: lines above (a separate pattern: each alone lets the engine skip ahead, one alternation does not).
DATE_STAMP_RE = re.compile(
    r"""
    (?:成文日期|发文日期|发布日期|发布时间|发表时间|更新时间|时间)[ \t]*[:：][ \t]*
    \d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?
    """,
    re.VERBOSE,
)

_WS_RUN_RE = re.compile(r"[ \t\r\n\f\v]+")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: A line shorter than this that does not end a sentence is a title, heading or address line.
SHORT_LINE = 16
_HEADER_ENDINGS = ("报告", "情况", "文件", "号", "〕", "]", "】", ")")



@dataclass
class View:
    """The normalised text of one report and the map back to the decoded original.

    >>> v = build_view("全区各级调解组织共排查矛盾纠纷 3454 件，调处\\n成功 3452 件，成功率达 ９９.９％。")
    >>> v.text
    '全区各级调解组织共排查矛盾纠纷3454件，调处成功3452件，成功率达99.9%。'
    >>> s, e = v.span_to_original(*re.search("3454件", v.text).span())
    >>> v.original[s:e]
    '3454 件'
    """

    original: str
    text: str
    simplified: bool = False  # traditional script read through a simplified copy
    traditional: bool = False  # the text is written in traditional script (detected once, here or by the extractor)
    _bp_norm: list[int] = field(default_factory=list, repr=False)
    _bp_delta: list[int] = field(default_factory=list, repr=False)

    def to_original(self, pos: int) -> int:
        """Offset in the original of the character at ``pos`` of the view."""
        i = bisect_right(self._bp_norm, pos) - 1
        return pos + (self._bp_delta[i] if i >= 0 else 0)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the view's ``[start, end)`` (``end`` exclusive)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        bp, delta = self._bp_norm, self._bp_delta  # to_original twice, inlined (one call per number)
        i, j = bisect_right(bp, start) - 1, bisect_right(bp, end - 1) - 1
        return start + (delta[i] if i >= 0 else 0), end + (delta[j] if j >= 0 else 0)


def build_view(original: str, simplify: bool | None = None) -> View:
    """Normalise ``original`` into a :class:`View` (see the module docstring)."""
    text = halfwidth(original)
    if simplify is None:
        simplify = is_traditional(text)
    simplified = False
    if simplify:
        converted = to_simplified(text)
        if len(converted) == len(text):
            text, simplified = converted, True
    text = BOILERPLATE_LINE_RE.sub(_blank, text)
    text = DATE_STAMP_RE.sub(_blank, text)
    view = _collapse_whitespace(original, text)
    view.simplified = simplified
    view.traditional = bool(simplify)
    return view


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _collapse_whitespace(original: str, text: str) -> View:
    """Join broken lines and drop stray spaces, recording each edit for the offset map."""
    pieces: list[str] = []
    bp_norm: list[int] = []
    bp_delta: list[int] = []
    last = 0  # end of the previous run in ``text``
    norm_len = 0
    delta = 0  # original position minus view position after the last edit
    n = len(text)
    for match in _WS_RUN_RE.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        norm_len += start - last
        repl = _replacement(text, start, end, n, match.group(0), original)
        pieces.append(repl)
        norm_len += len(repl)
        new_delta = end - norm_len
        if new_delta != delta:
            bp_norm.append(norm_len)
            bp_delta.append(new_delta)
            delta = new_delta
        last = end
    pieces.append(text[last:])
    return View(original=original, text="".join(pieces), _bp_norm=bp_norm, _bp_delta=bp_delta)


def _replacement(text: str, start: int, end: int, n: int, run: str, original: str = "") -> str:
    if start == 0 or end == n:
        return ""
    before, after = text[start - 1], text[end]
    if "\n" not in run:
        if "\t" in run:
            return " "  # cells of a table row stay apart: 410\t-84 is two values, not a code
        if before in _ASCII_ALNUM and after in _ASCII_ALNUM:
            written = original[start:end] if len(original) == n else run  # the view is as long as the original here
            if all(c in ZERO_WIDTH for c in written) or (before.isdigit() and after.isdigit() and all(
                    c in ZERO_WIDTH or c in GROUP_SPACES for c in written)):
                return ""  # 3\u200b454 · 3\xa0454: one number
            return " "
        return ""
    if before in TERMINATORS:
        return "\n"
    line_start = text.rfind("\n", 0, start) + 1
    if "\t" in text[line_start:start] or "\t" in text[end : text.find("\n", end) if "\n" in text[end:] else n]:
        return "\n"  # table rows (cells split by tabs) keep their lines
    line = text[line_start:start].replace(" ", "")
    if len(line) < SHORT_LINE or line.endswith(_HEADER_ENDINGS) or HEADING_START_RE.match(text, end):
        return "\n"
    if len(line) <= 2 * SHORT_LINE + 8 and HEADING_START_RE.match(line) and "。" not in line:
        return "\n"  # a heading line of its own: (一)深入学习贯彻习近平法治思想
    next_end = text.find("\n", end)
    next_line = text[end : next_end if next_end >= 0 else n].strip()
    if next_line.endswith((":", "：")) and len(next_line) < 2 * SHORT_LINE:
        return "\n"  # an addressee line such as 区委、区政府：
    return ""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a normalised text: a sentence ends at 。！？!? or a line break.

    >>> t = "一、主要成效\\n共办理案件367件，挽回损失约502.4万元。成功率99.9%！"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['一、主要成效', '共办理案件367件，挽回损失约502.4万元。', '成功率99.9%！']
    """
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE_RE.finditer(text):
        s, e = match.span(1)
        if s < e and not text[s:e].isspace():
            spans.append((s, e))
    return spans


#: One sentence: blanks before it skipped, then up to and including its end mark (。！？ and a
#: closing quote) or up to the line break.
_SENTENCE_RE = re.compile(r'[ \n]*([^\n。！？!?]*(?:[。！？!?]+[”」』"]?)?)')
