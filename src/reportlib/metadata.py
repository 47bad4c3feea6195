"""Report metadata from the title, header, signature block and addressee line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlib.guard import guarded
from reportlib.normalize import View
from reportlib.numbers import cn_to_int
from reportlib.regions import Region, resolve

_CN = "〇○零一二三四五六七八九十"

TITLE_RE = re.compile(r"法治(?:政府)?(?:建设)?.{0,24}?(?:报告|情况)")
_TITLE_YEAR_RE = re.compile(rf"((?:19|20)\d\d|[二][〇○零][{_CN}]{{2}})\s*年")
_ISSUER_SPLIT_RE = re.compile(rf"关于|(?:19|20)\d\d\s*年|二[〇○零][{_CN}]{{2}}年|[(（]?\s*(?:19|20)\d\d")
DOC_NUMBER_RE = re.compile(
    r"""
    [\u4e00-\u9fff]{1,10}              # issuer abbreviation: 泉鲤司, 泉鲤政文
    [ \t]*[〔\[【(（][ \t]*(?:19|20)\d\d[ \t]*[〕\]】)）]   # 〔2024〕 [2024] 【2024】 (2024)
    [ \t]*第?[ \t]*\d{1,4}[ \t]*号       # 6号
    """,
    re.VERBOSE,
)
#: The year-and-number part of a document number, searched first: it is rare, so the look back
#: for the issuer abbreviation runs a few times per text instead of at every Chinese character.
_DOC_CORE_RE = re.compile(r"[〔\[【(（][ \t]*(?:19|20)\d\d[ \t]*[〕\]】)）][ \t]*第?[ \t]*\d{1,4}[ \t]*号")
_DOC_PREFIX_RE = re.compile(r"[\u4e00-\u9fff]{1,10}[ \t]*$")


def find_doc_number(text: str) -> str:
    """The first document number in ``text`` (what :data:`DOC_NUMBER_RE` finds), blanks removed.

    >>> find_doc_number("泉鲤司〔2024〕 6号"), find_doc_number("国办发 [2023] 第12号 附件"), find_doc_number("（2024）")
    ('泉鲤司〔2024〕6号', '国办发[2023]第12号', '')
    """
    for core in _DOC_CORE_RE.finditer(text):
        prefix = _DOC_PREFIX_RE.search(text, max(core.start() - 40, 0), core.start())
        if prefix is not None:
            return re.sub(r"[ \t]+", "", text[prefix.start() : core.end()])
    return ""
DATE_RE = re.compile(
    rf"""
    (?P<y>(?:19|20)\d\d|二[〇○零][{_CN}]{{2}})[ \t]*年[ \t]*
    (?P<m>\d{{1,2}}|[{_CN}]{{1,2}})[ \t]*月[ \t]*
    (?P<d>\d{{1,2}}|[{_CN}]{{1,3}})[ \t]*日
    """,
    re.VERBOSE,
)
_ISO_DATE_RE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_PUBLISHED_RE = guarded(r"(?<!生成)(?<!成文)(?<!发文)(?:发布时间|发表时间|发布日期|时间|日期)[ \t]*[:：][ \t]*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})")
_ISSUED_META_RE = re.compile(r"(?:公文生成日期|成文日期|发文日期|生成日期)[ \t]*[:：][ \t]*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})")
_PUBLISHER_RE = re.compile(r"(?:发布机构|发文机关|来源)[ \t]*[:：][ \t]*([\u4e00-\u9fff]{2,30})")
_HEADER_ISSUER_RE = re.compile(r"^[ \t]*([\u4e00-\u9fff]{3,40}?)[ \t]*文件[ \t]*$", re.MULTILINE)
_ORG_SUFFIX = r"(?:人民政府|政府|司法局|司法厅|局|厅|委员会|委|办公室|办|中心|院)"
_ORG_LINE_RE = re.compile(rf"^[ \t]*((?:中共)?[\u4e00-\u9fff]{{2,30}}{_ORG_SUFFIX}(?:办公室)?)[ \t]*$", re.MULTILINE)
_CC_RE = re.compile(r"抄送[ \t]*[:：][ \t]*([^\n]{2,120})")


@dataclass(slots=True)
class Metadata:
    title: str = ""
    issuer: str = ""
    issuer_kind: str = ""
    region: Region | None = None
    report_year: int | None = None
    doc_number: str = ""
    issued_date: str = ""
    published_date: str = ""
    addressees: str = ""
    cc: str = ""
    title_vstart: int = -1


def cn_date(y: str, m: str, d: str) -> str:
    """ISO date from Arabic or Chinese numerals; '' when invalid.

    >>> cn_date("二〇二四", "一", "三十一"), cn_date("2024", "2", "29"), cn_date("2024", "13", "1")
    ('2024-01-31', '2024-02-29', '')
    """
    import datetime as _dt

    def num(s: str) -> int | None:
        return int(s) if s.isdigit() else cn_to_int(s)

    year, month, day = num(y), num(m), num(d)
    if year is None or month is None or day is None:
        return ""
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _iso(text: str) -> str:
    m = _ISO_DATE_RE.search(text.replace("年", "-").replace("月", "-"))
    return cn_date(*m.groups()) if m else ""


def extract_metadata(view: View, page_meta: dict[str, str] | None = None) -> Metadata:
    """Title, issuer, jurisdiction, year, document number, dates and addressees of one report."""
    page_meta = page_meta or {}
    original = view.original
    text = view.text
    head = original[:3000]
    meta = Metadata()

    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines[:40]):
        stripped = line.strip()
        if 6 <= len(stripped) <= 90 and TITLE_RE.search(stripped) and not stripped.endswith(("。", ":", "：")):
            meta.title = stripped
            meta.title_vstart = pos + line.find(stripped)
            for nxt in lines[i + 1 : i + 4]:
                nxt = nxt.strip()
                if nxt.endswith((":", "：")) and 2 <= len(nxt) <= 60 and "," not in nxt and "，" not in nxt:
                    meta.addressees = nxt.rstrip(":：").strip()
                    break
            break
        pos += len(line) + 1
    if not meta.title and page_meta.get("title"):
        meta.title = page_meta["title"].strip()

    title_year = _TITLE_YEAR_RE.search(meta.title)
    if title_year:
        y = title_year.group(1)
        meta.report_year = int(y) if y.isdigit() else cn_to_int(y)
    meta.issuer = _issuer(meta.title, head, original, page_meta)
    meta.issuer_kind = issuer_kind(meta.issuer)
    if meta.issuer:
        meta.region = resolve(meta.issuer, context=text[:4000])

    meta.doc_number = find_doc_number(head) or find_doc_number(original[-1500:])

    published = _PUBLISHED_RE.search(head)
    meta.published_date = _iso(published.group(1)) if published else page_meta.get("published_date", "")
    meta.issued_date = _signature_date(original, meta.issuer)
    if not meta.issued_date:
        issued = _ISSUED_META_RE.search(head)
        meta.issued_date = _iso(issued.group(1)) if issued else page_meta.get("issued_date", "")
    if meta.report_year is None:
        first = _TITLE_YEAR_RE.search(text[:400])
        if first and first.group(1).isdigit():
            meta.report_year = int(first.group(1))
        elif meta.issued_date:
            meta.report_year = int(meta.issued_date[:4]) - 1
    cc = _CC_RE.search(original[-2000:])
    if cc:
        meta.cc = cc.group(1).strip().rstrip("。.;；").strip()
    return meta


def _issuer(title: str, head: str, original: str, page_meta: dict[str, str]) -> str:
    prefix = _ISSUER_SPLIT_RE.split(title, maxsplit=1)[0].strip() if title else ""
    prefix = re.sub(r"\s+", "", prefix)
    candidates: list[str] = []
    header = _HEADER_ISSUER_RE.search(head)
    if header:
        candidates.append(header.group(1))
    publisher = _PUBLISHER_RE.search(head)
    if publisher:
        candidates.append(publisher.group(1))
    if page_meta.get("source"):
        candidates.append(page_meta["source"])
    candidates.extend(m.group(1) for m in _ORG_LINE_RE.finditer(original[-800:]))
    if prefix and len(prefix) >= 2:
        for candidate in candidates:  # the fullest spelling of the same issuer: 厦门市湖里区司法局
            candidate = re.sub(r"\s+", "", candidate)
            if candidate.endswith(prefix) and len(candidate) > len(prefix) and "办公室" not in candidate[len(candidate) - len(prefix) :]:
                return candidate
        return prefix
    for candidate in candidates:
        candidate = re.sub(r"\s+", "", candidate)
        if re.search(_ORG_SUFFIX + "$", candidate) and not candidate.endswith("办公室"):
            return candidate
    return ""


def issuer_kind(issuer: str) -> str:
    """``government`` | ``department`` | ``party_government`` from the issuer's name.

    >>> issuer_kind("泉州市鲤城区人民政府"), issuer_kind("南安市司法局"), issuer_kind("中共某某县委某某县人民政府")
    ('government', 'department', 'party_government')
    """
    if not issuer:
        return ""
    if ("中共" in issuer or "党委" in issuer or re.search(r"[县区市]委", issuer)) and "政府" in issuer:
        return "party_government"
    if re.search(r"(?:人民政府|政府)$", issuer):
        return "government"
    return "department"


def _signature_date(original: str, issuer: str) -> str:
    tail = original[-1200:]
    dates = list(DATE_RE.finditer(tail))
    if not dates:
        return ""
    signed = [m for m in dates if "印发" not in tail[m.end() : m.end() + 6]]
    chosen = (signed or dates)[-1]
    return cn_date(chosen.group("y"), chosen.group("m"), chosen.group("d"))
