"""A report as a document: typed blocks with spans into the decoded text.

Saved web pages, mirrors and copied texts carry more than the report: portal chrome (breadcrumbs,
share and font-size bars), a page-metadata block (索引号, 发布机构, 名称, 文号, 成文日期, 发布日期 …),
then the title, the addressee line, headings, paragraphs, list items, tables, the signature and
attachment or 抄送 lines. :func:`segment` reads any decoded text (what every extractor gives) into
that sequence of :class:`Block` s, so that later stages ask "which block" instead of re-finding
headers with patterns over the whole text: metadata takes the issuer from the title or the page
metadata, never from a breadcrumb.

Spans are ``[start, end)`` offsets into the text given to :func:`segment`; the reading copy used
for classification (half-width, simplified) has the same length, so the spans hold for the
decoded original too.

>>> doc = segment("您当前的位置: 首页>政务公开>法治政府建设年度报告\\n"
...               "发布机构: 沙坪坝区司法局 发布日期: 2024-02-20\\n"
...               "重庆市沙坪坝区司法局2023年法治政府建设情况报告\\n"
...               "区委、区政府：\\n一、主要举措\\n一是强化学习。全年开展普法活动500场。\\n")
>>> [b.kind for b in doc.blocks]
['chrome', 'page_meta', 'title', 'addressee', 'heading', 'list_item']
>>> doc.page_meta["publisher"], doc.page_meta["published_date"], doc.title
('沙坪坝区司法局', '2024-02-20', '重庆市沙坪坝区司法局2023年法治政府建设情况报告')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from reportlib.core.numbers import HEDGED_NUMBER_RE
from reportlib.reading.normalize import halfwidth

#: Block kinds, in the vocabulary of the genre.
KINDS = (
    "chrome", "page_meta", "title", "issuer_line", "addressee", "heading", "list_item", "paragraph",
    "table", "signature", "date_line", "attachment", "cc",
)

#: Page-metadata labels of Chinese government portals, by the field they fill.
META_LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号",),
    "publisher": ("发布机构", "发文机关", "发布单位", "所属机构", "公开责任部门"),
    "source": ("信息来源", "文章来源", "来源"),
    "title": ("信息名称", "名称", "标题", "文件名称"),
    "doc_number": ("备注/文号", "发文字号", "文号"),
    "issued_date": ("成文日期", "发文日期", "公文生成日期", "生成日期", "印发日期"),
    "published_date": ("发布日期", "发布时间", "发表时间", "公开日期", "公开时间", "发稿时间", "信息提供日期",
                       "发布时期", "日期", "时间"),
    "topic": ("主题分类", "信息分类名称", "信息分类", "组配分类", "体裁分类", "主题词", "公开方式", "公开范围",
              "有效性", "作者", "浏览次数", "访问量", "字体"),
}
_LABEL_FIELD = {label: key for key, labels in META_LABELS.items() for label in labels}
_LABELS = sorted(_LABEL_FIELD, key=len, reverse=True)
_LABEL_RE = re.compile(
    r"(?<![\u4e00-\u9fff])(?P<label>" + "|".join(r"\s?".join(map(re.escape, lab)) for lab in _LABELS) + r")"
    r"[ \t\u3000]*(?:[:：][ \t\u3000]*|(?=[ \t\u3000]+\S)|(?=\d))"
)

_CHROME_RE = re.compile(
    r"""
      ^(?:您(?:当前|现在)的?位置|当前位置|所在位置|首页\s*[>＞»])          # breadcrumbs
    | [>＞»›].*[>＞»›]                                                      # two arrows: a breadcrumb
    | ^首页.{0,40}[>＞»›]
    | ^(?:分享(?:到)?|字号|字体|打印|关闭|收藏|扫一扫|视力保护色|【\s*(?:大|打印|关闭)|\[\s*(?:打印|关闭))
    | (?:【\s*字体|视力保护色|打印本页|关闭窗口|分享到)
    | ^信息公开(?:元数据|目录)?$
    | ^[|｜\-—_=*\s]+$                                                     # rules and junk
    """,
    re.VERBOSE,
)
#: A title line: …法治政府建设…报告, or 关于…报告; a version mark may follow (（初稿）, （更正版）).
TITLE_RE = re.compile(r"(?:法治(?:政府)?(?:建设)?.{0,30}?|^关于.{2,60})(?:报告|情况)(?:[(（][^()（）]{1,10}[)）])?$")
#: How an organisation's name ends: 人民政府 · 司法局 · 委员会 · 办事处 … (one source: metadata reads it too).
ORG_SUFFIX = (r"(?:人民政府|政府|办事处|司法局|司法厅|委员会|管理局|监督管理局|局|厅|委|办公室|办|中心|院|"
               r"管委会|工委)")
_ORG_LINE_RE = re.compile(rf"^(?:中共)?[\u4e00-\u9fff]{{1,30}}{ORG_SUFFIX}(?:[ \t\u3000]+(?:中共)?[\u4e00-\u9fff]{{1,30}}{ORG_SUFFIX})*$")
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]{1,3}[部章节条])")
_LIST_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,2}是|其[一二三四五六七八九十]是|[-—–•·]{1,2}\s*\S)")
_DATE_LINE_RE = re.compile(
    r"^(?:(?:19|20)\d\d|二[〇○零][〇○零一二三四五六七八九十]{2})\s*年\s*[\d〇○零一二三四五六七八九十]{1,2}\s*月"
    r"\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日$"
)
_ATTACH_RE = re.compile(r"^附\s*件\s*[:：\d]")
_CC_RE = re.compile(r"^(?:抄送|抄报)\s*[:：]")
_ADDRESSEE_RE = re.compile(rf"^(?:[\u4e00-\u9fff]{{1,30}}(?:{ORG_SUFFIX}|常委会|人大|政协|区委|县委|市委|省委)[、,，]?)+[:：]$")
_STAMP_RE = re.compile(r"^(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:\d{1,2}:\d\d(?::\d\d)?)?$")
_ISO_RE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Block:
    """One typed piece of a document: its kind, its text and its span in the decoded text."""

    kind: str
    text: str
    start: int
    end: int
    level: int = 0  # heading level (1 一、 2 (一) 3 1. 4 (1)); 0 for other kinds


@dataclass(slots=True)
class Document:
    """A report as blocks, with the page metadata its chrome states."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)

    def first(self, kind: str) -> Block | None:
        return next((b for b in self.blocks if b.kind == kind), None)

    def of_kind(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]

    @property
    def title(self) -> str:
        block = self.first("title")
        return block.text if block else ""

    def body(self) -> list[Block]:
        """Blocks after the title and page metadata: what the report itself says."""
        return [b for b in self.blocks if b.kind in ("heading", "list_item", "paragraph", "table")]


def iso_date(value: str) -> str:
    """The first ``YYYY-MM-DD``-like date in ``value`` as ISO, '' when none or invalid.

    >>> iso_date("2024-02-05 10:26"), iso_date("2024年2月8日"), iso_date("2024.13.01")
    ('2024-02-05', '2024-02-08', '')
    """
    m = _ISO_RE.search(value)
    if not m:
        return ""
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return ""


def read_page_meta(line: str) -> dict[str, str]:
    """Label–value pairs of one page-metadata line (labels may share a line, with or without colons).

    >>> read_page_meta("组配分类 计划总结 发布机构 区委依法治区办")
    {'topic': '计划总结', 'publisher': '区委依法治区办'}
    >>> read_page_meta("发布机构: 沙坪坝区司法局 生成日期: 2024-02-05 发布日期: 2024-02-20")
    {'publisher': '沙坪坝区司法局', 'issued_date': '2024-02-05', 'published_date': '2024-02-20'}
    >>> read_page_meta("名称: 重庆市沙坪坝区司法局2023年法治政府建设情况报告")
    {'title': '重庆市沙坪坝区司法局2023年法治政府建设情况报告'}
    """
    found: dict[str, str] = {}
    matches = list(_LABEL_RE.finditer(line))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        key = _LABEL_FIELD[re.sub(r"\s", "", m["label"])]
        value = line[m.end() : end].strip(" \t\u3000|｜:：")
        if key.endswith("_date"):
            value = iso_date(value)
        elif key != "title":
            value = value.split()[0] if value.split() else ""
        if value and key not in found:
            found[key] = value
    return found


def _is_meta_line(line: str) -> bool:
    m = _LABEL_RE.match(line)
    if m is None:
        return False
    label = re.sub(r"\s", "", m["label"])
    # 日期/时间 alone open many sentences; as labels they are followed by a date
    if label in ("日期", "时间", "来源"):
        return bool(re.match(r"[ \t\u3000]*[:：]?[ \t\u3000]*(?:(?:19|20)\d\d|[\u4e00-\u9fff]{2,30}(?:\s|$))", line[m.end() :]))
    return True


_LEVEL1_RE = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]|^第")
_LEVEL2_RE = re.compile(r"^[(（][一二三四五六七八九十]")


def _heading_level(line: str) -> int:
    if _LEVEL1_RE.match(line):
        return 1
    if _LEVEL2_RE.match(line):
        return 2
    return 3


def segment(text: str, reading: str | None = None, *, edges: int | None = None,
            body_lines: int | None = None) -> Document:
    """The blocks of ``text``; ``reading`` is a same-length copy to classify (simplified, half-width).

    With ``body_lines``, the segmentation of the header stops that many lines into the body (the
    header and the opening sentences are what the metadata reads; with ``edges`` it applies to the
    first part only). With ``edges``, only the first and the last ``edges`` characters are
    segmented (what the
    metadata needs: the header, the opening sentences, the signature), at a fraction of the cost.

    Lines are the unit: a line is chrome, page metadata, the title (possibly with an issuer line
    above it), an addressee line, a heading, a list item, a table row, a date line, an
    attachment or 抄送 line, or a paragraph. The signature is the organisation line(s) just
    before the last date line.
    """
    reading = reading if reading is not None and len(reading) == len(text) else halfwidth(text)
    doc = Document(text=text)
    lines: list[tuple[int, int, str]] = []
    pos = 0
    if edges is not None and len(reading) > 2 * edges + 200:
        head_end = reading.find("\n", edges)
        tail_start = reading.rfind("\n", 0, len(reading) - edges * 2 // 3)
        if 0 < head_end < tail_start:
            head = segment(text[:head_end], reading[:head_end], body_lines=body_lines)
            head.text = text
            head.blocks = _signature(head.blocks + _closing_blocks(text, reading, tail_start))
            return head
    wanted = None if body_lines is None else 40 + 4 * body_lines  # enough lines for a header and the opening
    for raw in reading.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((pos + lead, pos + lead + len(stripped), stripped))
            if wanted is not None and len(lines) >= wanted:
                break
        pos += len(raw)

    blocks: list[Block] = []
    lines = _join_broken_title(lines)
    seen_title = False
    seen_body = False
    into_body = 0
    stopped_at = -1
    for index, (start, end, line) in enumerate(lines):
        if seen_body:
            into_body += 1
            if body_lines is not None and into_body > body_lines:
                stopped_at = start
                break
        kind = "paragraph"
        compact = line.replace(" ", "").replace("\t", "").replace("\u3000", "") if " " in line or "\t" in line or "\u3000" in line else line
        if seen_body and len(compact) > 80:  # a long body line: a paragraph, a heading, a list item or a table row
            if _HEADING_RE.match(line):
                kind = "heading"
            elif _LIST_RE.match(line):
                kind = "list_item"
            elif line.count("|") >= 2 or line.count("\t") >= 2:
                kind = "table"
            blocks.append(Block(kind, text[start:end], start, end, _heading_level(line) if kind == "heading" else 0))
            continue
        if not seen_body and _is_meta_line(line):
            kind = "page_meta"
            for key, value in read_page_meta(line).items():
                doc.page_meta.setdefault(key, value)
        elif not seen_body and _STAMP_RE.match(compact):
            kind = "page_meta"  # a bare date stamp under the title: the publication time
            doc.page_meta.setdefault("published_date", iso_date(compact))
        elif not seen_body and (_CHROME_RE.search(line) or (len(compact) <= 8 and index + 1 < len(lines)
                                                          and not seen_title and _place_only(compact))):
            kind = "chrome"
        elif not seen_body and len(compact) <= 90 and TITLE_RE.search(compact) and not compact.endswith(("。", "，", ",")):
            if seen_title and blocks and blocks[-1].kind == "title" and compact == re.sub(r"\s+", "", blocks[-1].text):
                kind = "chrome"  # the title repeated by the page template
            elif seen_title:
                kind = "paragraph"
            else:
                kind = "title"
                seen_title = True
                if blocks and blocks[-1].kind == "paragraph" and _ORG_LINE_RE.match(blocks[-1].text):
                    prev = blocks[-1]
                    blocks[-1] = Block("issuer_line", prev.text, prev.start, prev.end)
        elif _ORG_LINE_RE.match(compact) and len(compact) <= 40:
            kind = "issuer_line" if not seen_body else "signature"
        elif _ADDRESSEE_RE.match(compact) and len(compact) <= 80:
            kind = "addressee"
        elif _DATE_LINE_RE.match(compact):
            kind = "date_line"
        elif _ATTACH_RE.match(compact):
            kind = "attachment"
        elif _CC_RE.match(compact):
            kind = "cc"
        elif _HEADING_RE.match(line):
            kind = "heading"
        elif _LIST_RE.match(line):
            kind = "list_item"
        elif line.count("|") >= 2 or line.count("\t") >= 2:
            kind = "table"
        if kind in ("heading", "list_item", "paragraph", "table") and len(compact) > 30:
            seen_body = True
        if kind in ("heading", "addressee"):
            seen_body = seen_body or kind == "heading"
        blocks.append(Block(kind, text[start:end], start, end, _heading_level(line) if kind == "heading" else 0))
    if stopped_at < 0 and wanted is not None and len(lines) >= wanted:
        stopped_at = lines[-1][1]  # the lines were cut before the body began
    if stopped_at >= 0 and edges is not None:  # the header is read; the signature is in the last lines
        tail_start = max(stopped_at, text.rfind("\n", 0, max(len(text) - edges * 2 // 3, 0)) + 1)
        blocks += _closing_blocks(text, reading, tail_start)
    doc.blocks = _signature(blocks)
    return doc


def _closing_blocks(text: str, reading: str, start: int) -> list[Block]:
    """The blocks of a report's closing lines that the metadata reads — organisation lines, date
    lines, 附件 and 抄送 — each other line a paragraph (a cheaper pass than :func:`segment`)."""
    out: list[Block] = []
    pos = start
    for raw in reading[start:].splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            s = pos + len(raw) - len(raw.lstrip())
            e = s + len(stripped)
            compact = stripped.replace(" ", "").replace("\t", "").replace("\u3000", "")
            kind = "paragraph"
            if len(compact) <= 40:
                if _ORG_LINE_RE.match(compact):
                    kind = "signature"
                elif _DATE_LINE_RE.match(compact):
                    kind = "date_line"
                elif _ATTACH_RE.match(compact):
                    kind = "attachment"
                elif _CC_RE.match(compact):
                    kind = "cc"
            elif _CC_RE.match(compact):
                kind = "cc"
            out.append(Block(kind, text[s:e], s, e))
        pos += len(raw)
    return out


def _join_broken_title(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A title broken over two lines (PDF, Word): 某某区人民政府关于2023年法治政府 / 建设情况的报告."""
    for i in range(min(len(lines) - 1, 12)):
        first, second = lines[i][2], lines[i + 1][2]
        joined = (first + second).replace(" ", "")
        if (len(joined) <= 90 and TITLE_RE.search(joined) and not TITLE_RE.search(first.replace(" ", ""))
                and not TITLE_RE.search(second.replace(" ", "")) and "法治" in joined[: len(first) + 2]
                and not first.endswith(("。", "，", ",", "：", ":")) and not _CHROME_RE.search(first)
                and not _is_meta_line(first)):
            return [*lines[:i], (lines[i][0], lines[i + 1][1], first + second), *lines[i + 2 :]]
    return lines


def _place_only(compact: str) -> bool:
    """A short line that is only a place name (a portal's site name above the page)."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{1,6}(?:省|市|区|县|旗|镇|乡|街道)", compact))


def _signature(blocks: list[Block]) -> list[Block]:
    """Mark organisation lines just before the last date line as the signature block."""
    dates = [i for i, b in enumerate(blocks) if b.kind == "date_line"]
    if not dates:
        return blocks
    last = dates[-1]
    out = list(blocks)
    i = last - 1
    while i >= 0 and last - i <= 3 and out[i].kind in ("issuer_line", "signature", "paragraph") \
            and _ORG_LINE_RE.match(re.sub(r"[ \t\u3000]+", "", out[i].text)):
        out[i] = Block("signature", out[i].text, out[i].start, out[i].end)
        i -= 1
    out[last] = Block("signature", out[last].text, out[last].start, out[last].end)
    return out


# --------------------------------------------------------------------------------------------
# Tables: rows × cells, header rows known
# --------------------------------------------------------------------------------------------

#: A cell that holds one quantity (with or without its unit), or nothing (— / -).
_VALUE_CELL_RE = re.compile(rf"[-−]?{HEDGED_NUMBER_RE}\s*[\u4e00-\u9fff%‰]{{0,3}}|[-—–/]+")
#: A header cell naming a year: 2023年 · 2023年度 · 2023 · 2023年数据.
YEAR_CELL_RE = re.compile(r"((?:19|20)\d\d)\s*(?:年度?)?(?:数据|数值|数量|情况|同期)?")


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Table:
    """A table as rows × cells (merged cells already repeated by the extractor), with its header rows.

    >>> t = find_tables("项目\\t2023年\\t2023年\\t2024年\\n项目\\t件数\\t金额（万元）\\t件数\\n法律援助\\t367\\t502.4\\t283\\n")[0]
    >>> t.header_rows, t.column_header(3), t.column_year(3), t.row_label(2)
    (2, '2024年 件数', 2024, '法律援助')
    """

    rows: list[list[Cell]]
    header_rows: int

    @property
    def start(self) -> int:
        return self.rows[0][0].start

    @property
    def end(self) -> int:
        return self.rows[-1][-1].end

    def locate(self, pos: int) -> tuple[int, int] | None:
        """(row, column) of the cell holding offset ``pos``, or None."""
        for r, row in enumerate(self.rows):
            if row[0].start <= pos < row[-1].end + 1:
                for c, cell in enumerate(row):
                    if cell.start <= pos < cell.end:
                        return r, c
                return None
        return None

    def column_header(self, column: int) -> str:
        """The header of ``column``: the texts of its header rows, top down, repeats dropped."""
        parts: list[str] = []
        for row in self.rows[: self.header_rows]:
            if column < len(row) and row[column].text and row[column].text not in parts:
                parts.append(row[column].text)
        return " ".join(parts)

    def column_year(self, column: int) -> int | None:
        """The year a column's header names (2023年 above 件数), or None."""
        for row in self.rows[: self.header_rows]:
            if column < len(row):
                found = YEAR_CELL_RE.fullmatch(halfwidth(row[column].text))
                if found:
                    return int(found.group(1))
        return None

    def row_label(self, row: int) -> str:
        """The label of a data row: its first cell, when that is not a value."""
        cells = self.rows[row]
        first = cells[0].text if cells else ""
        return "" if not first or _VALUE_CELL_RE.fullmatch(halfwidth(first)) else first


def _split_cells(line: str, offset: int) -> list[Cell]:
    sep = "\t" if "\t" in line else None
    pieces = re.finditer(r"[^\t]+" if sep else r"[^|｜]+", line)
    cells = []
    for m in pieces:
        raw = m.group(0)
        stripped = raw.strip(" \u3000\xa0")
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip(" \u3000\xa0"))
        cells.append(Cell(offset + m.start() + lead, offset + m.start() + lead + len(stripped), stripped))
    return cells


def _is_row(line: str) -> bool:
    return line.count("\t") >= 1 or (line.count("|") + line.count("｜")) >= 2


def find_tables(text: str) -> list[Table]:
    """The tables of a text: runs of two or more lines split by tabs (HTML and Word tables) or
    pipes. Leading rows without a value beyond their first cell are the header rows.
    """
    tables: list[Table] = []
    run: list[list[Cell]] = []
    pos = 0
    if "\t" not in text and "|" not in text and "｜" not in text:
        return _one_cell_per_line(text) if "\n" in text else []
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if _is_row(line) and len(line) <= 2000:
            cells = _split_cells(line, pos)
            if len(cells) >= 2:
                run.append(cells)
            elif run:
                tables.extend(_table(run))
                run = []
        elif run:
            tables.extend(_table(run))
            run = []
        pos += len(raw)
    if run:
        tables.extend(_table(run))
    if "\n" in text:
        covered = [(t.start, t.end) for t in tables]
        tables.extend(t for t in _one_cell_per_line(text) if not any(s <= t.start < e for s, e in covered))
        tables.sort(key=lambda t: t.start)
    return tables


_SHORT_CELL = 16
_SENTENCE_END_RE = re.compile(r"[。；;！？]")


def _one_cell_per_line(text: str) -> list[Table]:
    r"""Tables flattened one cell per line (copied from a browser): a run of short lines that splits
    into rows of one width — a header row of texts, then rows of a label and values.

    >>> t = _one_cell_per_line("说明如下。\n事项\n行政处罚\n信息公开\n数量\n3319\n605\n占比\n30.03%\n5.48%\n完。\n")[0]
    >>> [[c.text for c in row] for row in t.rows], t.column_header(1), t.row_label(1)
    ([['事项', '行政处罚', '信息公开'], ['数量', '3319', '605'], ['占比', '30.03%', '5.48%']], '行政处罚', '数量')
    """
    tables: list[Table] = []
    pos = run_start = 0
    run = 0
    for line in [*text.split("\n"), ""]:  # runs of six or more short lines: only their lengths are looked at
        if 0 < len(line) <= 3 * _SHORT_CELL:
            if not run:
                run_start = pos
            run += 1
        else:
            if run >= 6:
                tables.extend(_cells_per_line(text[run_start:pos], run_start))
            run = 0
        pos += len(line) + 1
    return tables


def _cells_per_line(text: str, pos: int) -> list[Table]:
    tables: list[Table] = []
    run: list[Cell] = []
    for raw in [*text.splitlines(keepends=True), ""]:
        if 0 < len(raw) <= 3 * _SHORT_CELL:  # long lines are never cells: no stripping, no search
            stripped = raw.strip().rstrip("|｜").strip()
            if stripped and len(stripped) <= _SHORT_CELL and not _SENTENCE_END_RE.search(stripped):
                lead = raw.find(stripped[0])
                run.append(Cell(pos + lead, pos + lead + len(stripped), stripped))
                pos += len(raw)
                continue
        if len(run) >= 6:
            tables.extend(_grid_of(run))
        run = []
        pos += len(raw)
    return tables


def _grid_of(cells: list[Cell]) -> list[Table]:
    def value(cell: Cell) -> bool:
        text = halfwidth(cell.text)
        return bool(_VALUE_CELL_RE.fullmatch(text)) and not YEAR_CELL_RE.fullmatch(text)

    for width in range(2, min(len(cells) // 2, 24) + 1):
        if len(cells) % width:
            continue
        rows = [cells[i : i + width] for i in range(0, len(cells), width)]
        if any(value(c) for c in rows[0]):
            continue
        body = rows[1:]
        if all(not value(row[0]) and sum(value(c) for c in row[1:]) >= max(1, (width - 1) * 2 // 3) for row in body):
            return [Table(rows=rows, header_rows=1)]
    return []


def _table(rows: list[list[Cell]]) -> list[Table]:
    if len(rows) < 2:
        return []
    header = 0
    for row in rows:
        values = [c for c in row[1:] if _VALUE_CELL_RE.fullmatch(halfwidth(c.text))
                  and not YEAR_CELL_RE.fullmatch(halfwidth(c.text))]
        if values:
            break
        header += 1
    if header == len(rows):
        return []  # no data rows: a layout grid, not a table of figures
    return [Table(rows=rows, header_rows=header)]
