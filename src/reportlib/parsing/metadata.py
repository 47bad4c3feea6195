"""Report metadata from the title, header, signature block and addressee line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlib.core.guard import guarded
from reportlib.core.numbers import cn_to_int
from reportlib.reading.document import ORG_SUFFIX, TITLE_RE, Document, iso_date, segment
from reportlib.reading.formats import to_simplified
from reportlib.reading.normalize import View, halfwidth
from reportlib.reading.regions import (
    Region,
    find_divisions,
    full_name,
    mentioned_divisions,
    region_from_code,
    resolve,
    township,
)

_CN = "〇○零一二三四五六七八九十"

_TITLE_YEAR_RE = re.compile(rf"((?:19|20)\d\d|[二][〇○零][{_CN}]{{2}})\s*年")
#: The genre's opening: "2023年，…" / "2023年度，" / "2023年以来，" — the report's year.
_OPENING_YEAR_RE = re.compile(r"(?:^|(?<=[\n。，,]))[ \t]*((?:19|20)\d\d)[ \t]*年(?:度|以来)?[ \t]*[,，]")
#: Years inside 《…》 or brackets name plans and periods (纲要(2021—2025年)), not the report year.
_BRACKETED_RE = re.compile(r"《[^》]{0,80}》|[(（][^()（）]{0,40}[)）]")
_TITLE_BARE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?=[\u4e00-\u9fff])")
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
_PUBLISHED_RE = guarded(r"(?<!生成)(?<!成文)(?<!发文)(?:发布时间|发表时间|发布日期|时间|日期)[ \t]*[:：][ \t]*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})")
_ISSUED_META_RE = re.compile(r"(?:公文生成日期|成文日期|发文日期|生成日期)[ \t]*[:：][ \t]*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})")
_CC_RE = re.compile(r"抄送[ \t]*[:：][ \t]*([^\n]{2,120})")


@dataclass(slots=True)
class Metadata:
    """What a report says about itself, each field with where it came from.

    ``*_from`` is ``title`` | ``page_meta`` | ``signature`` | ``body`` | ``none``: a user can keep
    only what the title or the page metadata state.
    """

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
    issuer_from: str = "none"
    region_from: str = "none"
    year_from: str = "none"
    issued_from: str = "none"
    published_from: str = "none"


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


def extract_metadata(view: View, page_meta: dict[str, str] | None = None, doc: Document | None = None) -> Metadata:
    """Title, issuer, jurisdiction, year, document number, dates and addressees of one report.

    Everything the page offers is read, in order of trust: the title (and an issuer line above or
    under it), the page-metadata block, the signature, then the body's first sentences; never a
    breadcrumb, a label or a heading.
    """
    original = view.original
    text = view.text
    head = original[:3000]
    if doc is None:
        doc = segment(original, reading_copy(original, view), edges=_EDGES, body_lines=_BODY_LINES)
    page = {**(page_meta or {}), **{k: v for k, v in doc.page_meta.items() if v}}
    page_given = page_meta or {}
    for key in ("published_date", "issued_date"):  # the extractor's <meta> tags are exact: they win
        if page_given.get(key):
            page[key] = page_given[key]
    meta = Metadata()

    title_block = doc.first("title")
    if title_block is not None:
        meta.title = _compact(_reading(title_block.text, view))
    elif page.get("title") and TITLE_RE.search(page["title"]):
        meta.title = page["title"].strip()
    elif page_given.get("title"):
        meta.title = page_given["title"].strip()
    addressee = next((b for b in doc.blocks if b.kind == "addressee"), None)
    if addressee is not None and (title_block is None or addressee.start > title_block.start):
        meta.addressees = _reading(addressee.text, view).rstrip(":：").strip()

    year = _year_of(meta.title)
    if year is not None:
        meta.report_year, meta.year_from = year, "title"

    issuer, meta.issuer_from, kind_hint, level_hint = _issuer(doc, meta.title, page, view)
    if meta.issuer_from == "title" and title_block is None:
        meta.issuer_from = "page_meta"  # the title itself came from the page metadata
    region, meta.region_from = _region(issuer, level_hint, text, meta.issuer_from)
    meta.region = region
    meta.issuer = _canonical(issuer, region, kind_hint)
    if not meta.issuer:
        meta.issuer_from = "none"
    meta.issuer_kind = issuer_kind(meta.issuer) if meta.issuer else kind_hint

    meta.doc_number = find_doc_number(head) or find_doc_number(original[-1500:]) or page.get("doc_number", "")
    if not _DOC_CORE_RE.search(meta.doc_number or "〔"):
        meta.doc_number = find_doc_number(meta.doc_number)

    published = _PUBLISHED_RE.search(head)
    if page.get("published_date"):
        meta.published_date, meta.published_from = page["published_date"], "page_meta"
    elif published:
        meta.published_date, meta.published_from = iso_date(published.group(1)), "page_meta"
    meta.issued_date = _signature_date(original, meta.issuer)
    if meta.issued_date:
        meta.issued_from = "signature"
    else:
        issued = _ISSUED_META_RE.search(head)
        meta.issued_date = iso_date(issued.group(1)) if issued else page.get("issued_date", "")
        meta.issued_from = "page_meta" if meta.issued_date else "none"
    if meta.report_year is None:
        first = _OPENING_YEAR_RE.search(text[:800]) or _TITLE_YEAR_RE.search(_BRACKETED_RE.sub("", text[:400]))
        if first and first.group(1).isdigit():
            meta.report_year, meta.year_from = int(first.group(1)), "body"
        elif meta.issued_date or meta.published_date:
            meta.report_year = int((meta.issued_date or meta.published_date)[:4]) - 1
            meta.year_from = meta.issued_from if meta.issued_date else meta.published_from
    cc = _CC_RE.search(original[-2000:])
    if cc:
        meta.cc = cc.group(1).strip().rstrip("。.;；").strip()
    return meta


#: How much of a report's start and end the metadata reads as blocks.
_EDGES = 1800
#: How many lines into the body the header segmentation goes (the first sentences name the issuer).
_BODY_LINES = 12


def reading_copy(original: str, view: View | None = None) -> str:
    """``original`` half-width and, when traditional, simplified: same length, for classification."""
    if len(original) > 2 * _EDGES + 200:  # only the edges are segmented: convert only those
        middle = len(original) - 2 * _EDGES
        return reading_copy(original[:_EDGES], view) + " " * middle + reading_copy(original[-_EDGES:], view)
    text = halfwidth(original)
    if view is not None and view.simplified:
        converted = to_simplified(text)
        if len(converted) == len(text):
            return converted
    return text


def _reading(raw: str, view: View) -> str:
    text = halfwidth(raw).strip()
    if view.simplified:
        converted = to_simplified(text)
        text = converted if len(converted) == len(text) else text
    return text


def _compact(text: str) -> str:
    """White space dropped except between two ASCII letters or digits (as the view spells it)."""
    return re.sub(r"\s+", lambda m: " " if m.start() and m.end() < len(text) and text[m.start() - 1].isascii()
                  and text[m.end()].isascii() and text[m.start() - 1].isalnum() and text[m.end()].isalnum() else "", text).strip()


def _year_of(text: str) -> int | None:
    found = _TITLE_YEAR_RE.search(text) or _TITLE_BARE_YEAR_RE.search(text)
    if not found:
        return None
    y = found.group(1)
    return int(y) if y.isdigit() else cn_to_int(y)


#: A name that is an organisation: a government, a party committee, a department, an office.
_ORG_END_RE = re.compile(rf"(?:{ORG_SUFFIX}|委员会办公室)$")
#: Organisations named in the body's first sentence: 深圳市司法局, 朝阳区政府, 永嘉县司法局在县委…
_BODY_ORG_RE = re.compile(
    r"""
    (?P<org>
      (?:中共)?[\u4e00-\u9fff]{1,20}?(?:省|市|区|县|旗|州|盟|镇|乡|街道)
      (?:人民政府|政府|办事处|[\u4e00-\u9fff]{0,10}?(?:局|厅|委员会|办公室|中心))
    )
    """,
    re.VERBOSE,
)
#: The issuer named only by its level (区司法局, 市市场监管局) or as 我局/本局.
#: What the subject of a report's opening sentence does next: 坚持 · 深入 · 紧扣 … (one list for both patterns below).
_ACTOR_VERBS = "坚持|始终|深入|认真|全面|紧扣|紧紧|聚焦|以|扎实|持续|立足|围绕|大力|积极|不断|切实"
_RELATIVE_ORG_RE = re.compile(
    r"(?:^|(?<=[,，。、年来度]))(?P<rel>区|市|县|州|省|我|本)(?P<org>[\u4e00-\u9fff]{0,10}?(?:局|厅|委员会|办公室|中心)|政府)"
    rf"(?=[\u4e00-\u9fff]{{0,4}}?(?:在|按照|把|党组|党委|{_ACTOR_VERBS}))"
)
#: The jurisdiction itself as the subject: 海淀区坚持…, 邻水县深入… — a government's report.
_PLACE_ACTOR_RE = re.compile(
    r"(?:^|(?<=[,，。、年来度]))(?P<place>[\u4e00-\u9fff]{2,10}?(?:省|市|区|县|旗|街道|镇|乡))"
    rf"(?={_ACTOR_VERBS})"
)
_FILE_HEADER_RE = re.compile(r"^((?:中共)?[\u4e00-\u9fff]{2,40}?)文件$")
#: Words that end in 局 or 中心 but name no organisation: 发展大局, 新格局, 工作中心.
_NOT_ORG_END_RE = re.compile(r"(?:大局|格局|布局|全局|开局|结局|新局|变局|僵局|时局|政局|棋局|工作中心)$")
_UNDER_RE = re.compile(r"在[^。；;]{0,80}?(?:领导|指导|支持|监督|关心|帮助)下[,，]?")
_LEVEL_OF_REL = {"区": "区", "县": "县", "市": "市", "州": "州", "省": "省"}


def _valid_org(name: str) -> bool:
    return 2 <= len(name) <= 60 and bool(_ORG_END_RE.search(name)) and not re.search(r"[>＞|:：/]", name)


def _issuer(doc: Document, title: str, page: dict[str, str], view: View) -> tuple[str, str, str, str]:
    """The issuer as named, where it came from, the kind when only that is known, and a level hint."""
    candidates: list[tuple[str, str]] = []
    compact_title = re.sub(r"\s+", "", title)
    prefix = _ISSUER_SPLIT_RE.split(compact_title, maxsplit=1)[0] if compact_title else ""
    title_index = next((i for i, b in enumerate(doc.blocks) if b.kind == "title"), None)
    if title_index is not None:
        before = doc.blocks[title_index - 1] if title_index > 0 else None
        after = doc.blocks[title_index + 1] if title_index + 1 < len(doc.blocks) else None
        if before is not None and before.kind == "issuer_line":
            candidates.append((_reading(before.text, view), "title"))
        for block in doc.blocks[:title_index]:  # the red header of a 文件: 永嘉县司法局文件
            header = _FILE_HEADER_RE.match(re.sub(r"\s+", "", _reading(block.text, view)))
            if header:
                candidates.append((header.group(1), "title"))
        if _valid_org(prefix):
            candidates.append((prefix, "title"))
        for block in (after, *(doc.blocks[title_index + 2 : title_index + 3])):
            if block is not None and block.kind == "issuer_line":
                candidates.append((_reading(block.text, view), "title"))
                break
    elif _valid_org(prefix):
        candidates.append((prefix, "title"))
    for key in ("publisher", "source"):
        if page.get(key):
            candidates.append((page[key], "page_meta"))
    meta_title = re.sub(r"\s+", "", page.get("title", ""))
    if meta_title:
        candidates.append((_ISSUER_SPLIT_RE.split(meta_title, maxsplit=1)[0], "page_meta"))
    for block in doc.of_kind("signature"):
        candidates.append((_reading(block.text, view), "signature"))
    candidates = [(re.sub(r"[ \t\u3000]+", "", c), src) for c, src in candidates]
    candidates = [(c, src) for c, src in candidates if _valid_org(c) and _has_place(c)]

    if candidates:
        name, source = candidates[0]
        for other, _ in candidates:  # the fullest spelling of the same issuer: 厦门市湖里区司法局
            if other.endswith(name) and len(other) > len(name) and "办公室" not in other[len(other) - len(name):]:
                name = other
        return name, source, "", ""
    return _body_issuer(doc, view, prefix)


def _has_place(name: str) -> bool:
    """True when ``name`` names a place (a division, or a 乡/镇/街道), not only an office."""
    return bool(find_divisions(name)) or bool(_TOWNSHIP_RE.search(name))


def _body_issuer(doc: Document, view: View, title_prefix: str) -> tuple[str, str, str, str]:
    """The issuer from the body's first sentences, or the kind and level it implies."""
    rel_kind, rel_level = "", ""
    m = re.match(r"^(区|市|县|州|省)(.+)$", title_prefix)
    if m and _valid_org(title_prefix):  # a title that names its issuer by level only: 区司法局关于…
        rel_kind, rel_level = issuer_kind(m.group(2)), m.group(1)
    sentences = [s for block in doc.body()[:3] for s in re.split(r"[。;；]", _reading(block.text, view))[:2]]
    for sentence in sentences[:4]:
        sentence = _UNDER_RE.sub("", sentence)
        found: list[tuple[int, tuple[str, str, str, str]]] = []  # the sentence's first actor wins
        for org_match in _BODY_ORG_RE.finditer(sentence):
            org = org_match.group("org")
            if _has_place(org) and not org.startswith(("在", "为")) and not _NOT_ORG_END_RE.search(org):
                found.append((org_match.start(), (org, "body", "", "")))
                break
        place = _PLACE_ACTOR_RE.search(sentence)
        if place:
            name = place.group("place")
            if name.endswith(("街道", "镇", "乡")) and _TOWNSHIP_RE.fullmatch(name):
                found.append((place.start(), (name + ("办事处" if name.endswith("街道") else "人民政府"),
                                              "body", "government", "")))
            elif find_divisions(name):
                found.append((place.start(), (name + "人民政府", "body", "government", "")))
        rel = _RELATIVE_ORG_RE.search(sentence)
        if rel:
            kind = "government" if rel.group("org") == "政府" else "department"
            level = _LEVEL_OF_REL.get(rel.group("rel"), "")
            org = rel.group("org")
            found.append((rel.start(), (org if level else "", "body", kind, level) if org else ("", "none", kind, level)))
        if found:
            return min(found, key=lambda pair: pair[0])[1]
    if rel_kind:
        return m.group(2), "title", rel_kind, rel_level
    return "", "none", "", ""


_TOWNSHIP_RE = re.compile(r"(?P<town>[\u4e00-\u9fff]{2,8}?(?:镇|乡|街道))(?=人民政府|政府|办事处|党委|党工委|司法所|$)")


def _region(issuer: str, level_hint: str, text: str, issuer_from: str) -> tuple[Region | None, str]:
    """The issuer's jurisdiction, and where it came from."""
    if issuer and not level_hint:
        region = resolve(issuer, context=text[:4000])
        if region is not None:
            town = _TOWNSHIP_RE.search(issuer[issuer.find(region.name) + len(region.name):]) if region.level == "county" else None
            if town:
                return township(town.group("town"), region), issuer_from
            return region, issuer_from
        town = _TOWNSHIP_RE.search(issuer)
        if town:
            county = _most_named(text, "county")
            if county is not None:
                return township(town.group("town"), county), "body"
            # a 街道 or 镇 whose county the text does not name: its level is still known
            return Region(name=town.group("town"), code="", level="township", province="", city="", county=""), issuer_from
        return None, "none"
    if level_hint:
        return _most_named(text, level_hint), "body"
    return None, "none"


def _most_named(text: str, hint: str) -> Region | None:
    """The division the text names most, of the kind a relative name implies (区 → a district)."""
    counts = mentioned_divisions(text[:20000])
    if not counts:
        return None
    scored: list[tuple[int, str]] = []
    for code, (n_full, n_short) in counts.items():
        region = region_from_code(code)
        if hint in ("区", "县", "county"):
            if region.level != "county" or (hint in ("区", "县") and not region.name.endswith(hint)):
                continue
        elif hint == "市":
            if region.level not in ("city", "county") or not region.name.endswith("市"):
                continue
        elif hint == "省" and region.level != "province":
            continue
        elif hint == "州" and not region.name.endswith("州"):
            continue
        parents = {code[:2] + "0000", code[:4] + "00"} - {code}
        support = sum(sum(counts.get(p, (0, 0))) for p in parents)
        if not n_full and not support and region.level != "city":
            continue  # a county's short name alone (三重, 盘龙) may be a word; a city's (深圳, 绍兴) is a name
        scored.append((n_full * 2 + n_short + support, code))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two divisions named as often: the text does not tell
    return region_from_code(scored[0][1])


#: Common abbreviations of department names, as issuers' full names spell them.
_ABBREVIATIONS = (
    ("市场监管局", "市场监督管理局"), ("人社局", "人力资源和社会保障局"), ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"), ("生态环境局", "生态环境局"), ("住建局", "住房和城乡建设局"),
    ("自然资源局", "自然资源局"), ("卫健委", "卫生健康委员会"), ("卫健局", "卫生健康局"),
    ("交通局", "交通运输局"), ("应急局", "应急管理局"), ("医保局", "医疗保障局"), ("退役军人局", "退役军人事务局"),
)


def _canonical(issuer: str, region: Region | None, kind_hint: str) -> str:
    """The issuer's full name: the jurisdiction spelled out (北京市朝阳区人民政府), abbreviations expanded.

    Names the text gives in full are kept as written; a name that only says 区司法局 or 我局
    gets its jurisdiction from the region, and stays empty when the region is unknown.
    """
    if not issuer:
        return ""
    if region is None:
        return issuer if _has_place(issuer) else ""
    if "中共" in issuer or re.search(r"[省市区县]委.*政府", issuer):
        return issuer  # joint party and government reports keep both names as written
    place = full_name(region)
    org = issuer
    names = [n for n, _ in find_divisions(issuer)]
    if names:
        last = names[-1]
        org = issuer[issuer.rfind(last) + len(last):]
        if region.level == "township":
            town = _TOWNSHIP_RE.search(org)
            org = org[town.end():] if town else org
    elif region.level == "township":
        town = _TOWNSHIP_RE.search(issuer)
        org = issuer[town.end():] if town else issuer
    if not org:
        return issuer
    if org == "政府":
        org = "人民政府"
    for short, full in _ABBREVIATIONS:
        if org == short:
            org = full
    if issuer.endswith(org) and issuer.startswith(place):
        return issuer
    return place + org


def issuer_kind(issuer: str) -> str:
    """``government`` | ``department`` | ``party_government`` from the issuer's name.

    A 街道办事处 is the government of its 街道 (the county's agency at township level).

    >>> issuer_kind("泉州市鲤城区人民政府"), issuer_kind("南安市司法局"), issuer_kind("中共某某县委某某县人民政府")
    ('government', 'department', 'party_government')
    >>> issuer_kind("杭州市上城区清波街道办事处"), issuer_kind("某某区政府办公室")
    ('government', 'department')
    """
    if not issuer:
        return ""
    if ("中共" in issuer or "党委" in issuer or "党工委" in issuer or re.search(r"[县区市镇乡]委", issuer)) \
            and ("政府" in issuer or "办事处" in issuer):
        return "party_government"
    if re.search(r"(?:人民政府|政府|街道办事处)$", issuer):
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
