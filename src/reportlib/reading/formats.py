"""From the bytes of one input file to its readable text and what the file says about itself.

The format is recognised by content, never by the file name alone: a PDF saved as ``.txt`` is
read as a PDF, an HTML page saved as ``.txt`` is read as HTML. Plain text keeps exactly the
characters of the decoded file (byte-order mark removed, line endings untouched), so that
character offsets computed on :attr:`Extracted.text` point into the file as decoded. For HTML,
DOCX and PDF the offsets refer to the extracted text.

Anything that is not a readable report raises :class:`~reportlib.core.errors.InputError` with a
reason a person can act on; no other exception escapes :func:`extract` or :func:`decode_text`.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import datetime as dt
import functools
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlib.core.errors import InputError

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = [
    "Extracted",
    "decode_text",
    "extract",
    "header_meta",
    "html_to_text",
    "is_traditional",
    "to_simplified",
]


@dataclass(frozen=True)
class Extracted:
    """The readable text of one input file, with the encoding, the format and its metadata.

    ``encoding`` is the codec the bytes were decoded with (``utf-8``, ``utf-8-sig``, ``gb18030``,
    ``big5``, ``utf-16-le`` …); it is empty for DOCX and PDF. ``format`` is one of ``txt``,
    ``html``, ``docx``, ``pdf``. ``meta`` holds what the file states about itself, with ISO dates:
    ``title``, ``published_date``, ``issued_date``, ``source``, ``publisher``, ``doc_number``,
    ``index_no``, ``created``, ``pages``, ``script`` (``simplified``/``traditional``), and for
    HTML ``page_title``, ``site``, ``column``, ``keywords``, ``description``, ``author`` — only
    the keys the file gives. ``page_starts`` holds the offset in ``text`` where each PDF page begins.
    """

    text: str
    encoding: str
    format: str
    meta: dict[str, str] = field(default_factory=dict)
    page_starts: tuple[int, ...] = ()


# --------------------------------------------------------------------------------------------
# Binary signatures
# --------------------------------------------------------------------------------------------

#: (leading bytes, what they are) for files that are certainly not text.
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "GZIP archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"%PDF-", "PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (OLE) document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
)
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_WHITESPACE_BYTES = b" \t\r\n\x0b\x0c\x00"
_UTF8_BOM = codecs.BOM_UTF8


def _binary_kind(data: bytes) -> str | None:
    """What a file's leading bytes say it is, or None when they match no known signature."""
    for magic, kind in _MAGICS:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP image"
    return None


def _is_pdf(data: bytes) -> bool:
    """True when the file starts (after whitespace or a BOM) with the PDF signature."""
    head = data[:1024].removeprefix(_UTF8_BOM).lstrip(_WHITESPACE_BYTES)
    return head.startswith(b"%PDF-")


def _binary_error(name: str, data: bytes) -> InputError:
    """The error for bytes that are no text in any supported encoding."""
    kind = _binary_kind(data)
    if kind is not None:
        return InputError(name, f"binary file (looks like {kind}), not a text report")
    return InputError(name, "binary data, not text in any supported encoding")


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOMS_ALL = tuple(bom for bom, _codec in _BOMS)

#: Characters no text report holds: C0/C1 controls except tab, newlines, vertical tab and form
#: feed, and the replacement character.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
#: Characters outside the scripts and symbols Chinese reports are written in.
_UNTEXTY = re.compile(
    "[^"
    "\t\n\r\x0b\x0c\x20-\x7e\xa0-\xff"  # ASCII and Latin-1
    "\u2000-\u206f\u2100-\u21ff"  # punctuation, letterlike symbols, Roman numerals
    "\u2460-\u25ff"  # enclosed numbers, box drawing, shapes (○ ■)
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK
    "\ufe30-\ufe4f\uff00-\uffef"  # CJK compatibility forms, full-width forms
    "\U00020000-\U0003134f"  # CJK extensions B-G
    "]"
)
#: Largest share of control characters a text may hold and still count as text.
_MAX_CONTROL_SHARE = 0.01
#: Largest share of undecodable bytes tolerated when no encoding decodes the file cleanly.
_MAX_REPLACED_SHARE = 0.005

#: Legacy Chinese encodings tried, in order, when the file is not UTF-8. A family is tried
#: codec by codec (Windows' cp950 and Hong Kong's HKSCS extend Big5).
_LEGACY_FAMILIES: tuple[tuple[str, ...], ...] = (("gb18030",), ("big5", "cp950", "big5hkscs"))

#: Frequent characters of Chinese prose in general and of these reports in particular, in
#: simplified script; their traditional forms are added on first use.
_COMMON_SIMPLIFIED = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
    "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开"
    "但因只从想实日者意无力与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手"
    "应向头文体政相见被利什二等产或新己制身果加月话合回特代内信表化给位次度门任常先海通教原东声提立"
    "及比员解水名真论处各入几口认条平系气题活更别打变四总何电数安少报才结反受目量再感建务做接必场件"
    "计管期市直资命指许统区保至队形社便空决治展科司五基书非则听白界达光放强即难且权思完设式色路记品"
    "住告类求据程北边该交规万取望术领共确传观清今切院让识候带导争运改收根干造言联持组每济车亲极服快"
    "办议往元证近失转令准布始存未叫单具流备连调深商算质团集百需价党华城级整府离况请技际约示复病息究"
    "线官断满支视消越容照须增研写称企八功片委查易除农找装广显局专费号另周较注语仅考落选列响推势参希"
    "众构某案维划致律足态护兴验责营够章志底严例防供效续施留讲型料终答紧绝察段依批群项故按围织纪举"
    "诉止细值助育属限职速刻否普创假久错承印试预益若微继送急适待述置居劳财环排福纳获模充负停疑层范"
    "罪判担策审坚善执副乱免压养犯追帮宣降阶控税份评版互付介核临域编测败救贵缺县移智恩短固席遇康"
    "幸均销探录附予婚督旅材逐圣择授健禁避抓宁训私访典析替途刑促延震申筑折宽措培培诚依法行政复议诉"
    "讼援调解纠纷矛盾律师公证普宣传培训落实工作机制全面加强深化完善健全开展组织领导干部规范性文件"
    "备案审查合法性监督执法人员重大决策程序公共服务社会治理营商环境年度报告情况主要举措成效不足原因"
    "下一步安排第一责任人履行推进建设区委区政府人大常委会司法局人民政府街道乡镇村社区群众企业"
)

_BIG5 = "big5"
_GB = "gb18030"


@functools.cache
def _common_chars() -> frozenset[str]:
    """The frequent characters in simplified and traditional script."""
    return frozenset(_COMMON_SIMPLIFIED) | frozenset(_opencc("s2t").convert(_COMMON_SIMPLIFIED))


_CJK_RE = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")


def _common_share(text: str) -> tuple[float, int]:
    """Share of CJK characters that are frequent ones, and how many CJK characters there are
    (in the first 20,000 characters)."""
    cjk = _CJK_RE.findall(text, 0, 20_000)
    if not cjk:
        return 0.0, 0
    counts = collections.Counter(cjk)
    common = _common_chars()
    return sum(n for c, n in counts.items() if c in common) / len(cjk), len(cjk)


def _control_share(text: str) -> float:
    """Share of control and replacement characters in ``text`` (0.0 for empty text)."""
    if not text or _CONTROL.search(text) is None:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _texty(text: str) -> bool:
    """True when ``text`` holds few controls and few characters of scripts reports never use."""
    if _control_share(text) > _MAX_CONTROL_SHARE:
        return False
    return len(_UNTEXTY.findall(text)) <= 0.05 * len(text)


def _plausible(text: str) -> bool:
    """True when a guessed decoding reads as Chinese or ASCII text.

    A wrong guess, or random bytes, yields controls, characters from scripts a report never
    uses, and rare Chinese characters; a report in the right encoding has a third or more of its
    Chinese characters among the most frequent ones.
    """
    if not _texty(text):
        return False
    share, n_cjk = _common_share(text)
    return n_cjk < 20 or share >= 0.15


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes of BOM-less data sit on one parity.

    ASCII characters in UTF-16 carry a NUL high byte: at odd offsets in little-endian files, at
    even offsets in big-endian ones. Binary data spreads its NULs over both.
    """
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 2 and odd >= 0.85 * (even + odd):
        return "utf-16-le"
    if even >= 2 and even >= 0.85 * (even + odd):
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Decode BOM-less, NUL-free bytes that are not UTF-8: GB18030 or Big5, chosen by content."""
    if len(data) - len(data.translate(None, _CONTROL_BYTES)) > _MAX_CONTROL_SHARE * len(data):
        raise _binary_error(name, data)
    viable: dict[str, str] = {}
    for family in _LEGACY_FAMILIES:
        for codec in family:
            text = _strict(data, codec)
            if text is not None:
                viable[codec] = text
                break
    if len(viable) > 1:
        codec = _choose(data, viable)
        if _plausible(viable[codec]):
            return viable[codec], codec
    elif viable:
        ((codec, text),) = viable.items()
        if _plausible(text):
            return text, codec
    # No encoding decodes every byte: tolerate a few damaged bytes (a truncated file, a stray
    # byte), never more.
    decoded = [(data.decode(codec, errors="replace"), codec) for codec in ("utf-8", _GB, "cp950")]
    text, codec = min(decoded, key=lambda pair: pair[0].count("\ufffd"))
    if text.count("\ufffd") <= _MAX_REPLACED_SHARE * len(text) and _plausible(text.replace("\ufffd", "")):
        return text, codec
    raise _binary_error(name, data)


def _choose(data: bytes, viable: dict[str, str]) -> str:
    """The codec among several clean decodings whose text looks most like Chinese prose.

    charset-normalizer ranks the candidates; the share of frequent characters decides when it
    has no clear answer or disagrees strongly.
    """
    scores = {codec: _common_share(text)[0] for codec, text in viable.items()}
    by_score = max(scores, key=scores.__getitem__)
    if all(scores[by_score] - score > 0.1 for codec, score in scores.items() if codec != by_score):
        return by_score  # a clear lead: the detector's answer would be overruled anyway (below)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=list(viable)).best()
    except Exception:  # a detector failure must not make a readable file unreadable
        best = None
    if best is None:
        return by_score
    chosen = codecs.lookup(best.encoding).name
    codec = next((c for c in viable if codecs.lookup(c).name == chosen), None)
    if codec is None or scores[by_score] - scores[codec] > 0.1:
        return by_score
    return codec


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """The text in ``data`` and the codec it was decoded with.

    Byte-order marks win (UTF-8, UTF-16 LE/BE, UTF-32); then UTF-8; then BOM-less UTF-16 told by
    its NUL bytes; then GB18030 or Big5, whichever yields plausible Chinese. The text is the file
    exactly as decoded, without the BOM and with its line endings. Raises
    :class:`~reportlib.core.errors.InputError` (naming ``name``) for data that is no such text.

    >>> decode_text("法治\\r\\n".encode("gb18030"))
    ('法治\\r\\n', 'gb18030')
    >>> decode_text(b"\\xef\\xbb\\xbf2024")
    ('2024', 'utf-8-sig')
    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    Traceback (most recent call last):
    reportlib.core.errors.InputError: : binary file (looks like PNG image), not a text report
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # A damaged byte or two become U+FFFD; more, and the BOM was no BOM.
            # UTF-16/32 decode almost any bytes: their text must also read as text.
            text = data[len(bom) :].decode(codec, errors="replace")
            if bom == codecs.BOM_UTF8 and _control_share(text) <= _MAX_CONTROL_SHARE:
                return text, "utf-8-sig"
            if bom != codecs.BOM_UTF8 and _texty(text):
                return text, codec
            if codec.startswith("utf-32"):
                continue  # FF FE 00 00 may be a UTF-16 BOM followed by U+0000
            raise InputError(
                name, f"file starts with a {codec.upper()} byte-order mark but is not {codec.upper()} text"
            )
    if b"\x00" in data:
        codec = _utf16_by_nul_pattern(data)
        text = _strict(data, codec) if codec else None
        if codec and text is not None and _plausible(text):
            return text, codec
        # Otherwise a stray NUL counts with the other control characters below.
    text = _strict(data, "utf-8")
    if text is not None:
        # Counted on the bytes, which is faster: C0 controls, and U+FFFD as EF BF BD.
        bad = len(data) - len(data.translate(None, _CONTROL_BYTES)) + data.count(b"\xef\xbf\xbd")
        if bad > _MAX_CONTROL_SHARE * len(text):
            raise _binary_error(name, data)
        return text, "utf-8"
    return _decode_legacy(data, name)


# --------------------------------------------------------------------------------------------
# Traditional script
# --------------------------------------------------------------------------------------------

#: Frequent characters that exist only in traditional script, and their simplified forms at the
#: same positions (a test checks both against OpenCC).
_TRADITIONAL_MARKERS = "這個們來對時會說國為與發經後過開關應實現點變問長頭無體機動區務員導處報設進還學業產農軍組織條議決辦護權調專級縣鄉鎮書記領請認識論門間見觀總統計費資購歲廣東陽氣電視車萬億從當"
_SIMPLIFIED_MARKERS = "这个们来对时会说国为与发经后过开关应实现点变问长头无体机动区务员导处报设进还学业产农军组织条议决办护权调专级县乡镇书记领请认识论门间见观总统计费资购岁广东阳气电视车万亿从当"
_TRADITIONAL_RE = re.compile(f"[{_TRADITIONAL_MARKERS}]")
_SIMPLIFIED_RE = re.compile(f"[{_SIMPLIFIED_MARKERS}]")
_SCRIPT_SAMPLE = 4000


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional Chinese characters.

    Looks at the first few thousand characters; a simplified text quoting a traditional name
    stays simplified.

    >>> is_traditional("泉州市鯉城區司法局關於2023年度法治政府建設情況的報告")
    True
    >>> is_traditional("泉州市鲤城区司法局关于2023年度法治政府建设情况的报告")
    False
    >>> is_traditional("2024")
    False
    """
    sample = text[:_SCRIPT_SAMPLE]
    traditional = len(_TRADITIONAL_RE.findall(sample))
    if not traditional:
        return False
    return traditional > len(_SIMPLIFIED_RE.findall(sample))


@functools.cache
def _opencc(config: str):  # -> opencc.OpenCC (untyped package)
    import opencc

    return opencc.OpenCC(config)


def _t2s_exact(text: str) -> str | None:
    """OpenCC's simplified form of ``text`` when it has the same length, else None."""
    try:
        out = _opencc("t2s").convert(text)
    except UnicodeError:  # lone surrogates
        return None
    return out if len(out) == len(text) else None


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, character for character: same length, same offsets.

    Where OpenCC would turn a character into more or fewer characters, the character stays.

    >>> to_simplified("泉州市鯉城區司法局關於2023年度法治政府建設情況的報告")
    '泉州市鲤城区司法局关于2023年度法治政府建设情况的报告'
    >>> s = "辦理法律援助案件1,234件\\r\\n"
    >>> len(to_simplified(s)) == len(s)
    True
    """
    whole = _t2s_exact(text)
    if whole is not None:
        return whole
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        converted = _t2s_exact(line)
        if converted is None:
            converted = "".join(_t2s_exact(char) or char for char in line)
        out.append(converted)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Metadata from visible header lines
# --------------------------------------------------------------------------------------------

#: Header labels of Chinese government web pages and documents, by the meta key they fill.
_HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "published_date": ("发布时间", "发布日期", "发表时间", "公开日期", "公开时间", "发稿时间", "更新时间"),
    "issued_date": ("成文日期", "发文日期", "公文生成日期", "印发日期", "生成日期"),
    "source": ("信息来源", "文章来源", "来源"),
    "publisher": ("发布机构", "发文机关", "发布单位"),
    "doc_number": ("备注/文号", "发文字号", "文号"),
    "index_no": ("索引号",),
}
_LABEL_KEY = {label: key for key, labels in _HEADER_LABELS.items() for label in labels}
_DATE_KEYS = {"published_date", "issued_date"}


def _spaced(label: str) -> str:
    """A pattern for ``label`` that tolerates spaces between its characters (索 引 号)."""
    return r"\s*".join(re.escape(char) for char in label)


_LABELS_PATTERN = "|".join(_spaced(label) for label in sorted(_LABEL_KEY, key=len, reverse=True))
_LABEL_FIRST_CHARS = "".join(sorted({label[0] for label in _LABEL_KEY} | {"时", "日"}))
_HEADER_RE = re.compile(
    rf"""
    (?=[{_LABEL_FIRST_CHARS}])               # cheap skip of positions no label starts at
    (?<![\u4e00-\u9fff])                    # a label starts a phrase: not 数据来源, 印发日期
    (?P<label> {_LABELS_PATTERN} | 时\s*间 | 日\s*期 )   # known labels, longest first; bare 时间
    [ \t\u3000\xa0]*
    (?: [:：] [ \t\u3000\xa0]* | \t )         # a colon, or a tab between two table cells
    (?= (?P<value> [^\n]* ) )                # look ahead only: the next label may sit on this line
    """,
    re.VERBOSE,
)

_DATE_RE = re.compile(
    r"""
    (?P<y> (?:19|20)\d\d ) \s* [-/.年] \s*
    (?P<m> \d{1,2} )       \s* [-/.月] \s*
    (?P<d> \d{1,2} )       (?!\d)
    """,
    re.VERBOSE,
)
_VALUE_RE = re.compile(r"[^\s|｜【】]+")


def _iso_date(value: str) -> str | None:
    """The first date at the start of ``value`` as ``YYYY-MM-DD``, or None.

    >>> _iso_date("2024-02-28 11:45"), _iso_date("2024年2月8日"), _iso_date("2024.13.01")
    ('2024-02-28', '2024-02-08', None)
    """
    match = _DATE_RE.match(value.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return None


def header_meta(text: str) -> dict[str, str]:
    """Metadata stated by header lines such as ``发布时间：2024-02-28`` or ``来源：某区政府``.

    Keys: ``published_date``, ``issued_date`` (ISO dates), ``source``, ``publisher``,
    ``doc_number``, ``index_no``. The first occurrence of a key wins; ``source`` falls back to
    the publisher.

    >>> header_meta("来源:泉州市鲤城区人民政府 时间:2025-02-17 11:23")
    {'source': '泉州市鲤城区人民政府', 'published_date': '2025-02-17'}
    >>> header_meta("• 索 引 号:qz01100-3000-2025-00017\\n• 公文生成日期:2025-01-21")["issued_date"]
    '2025-01-21'
    """
    meta: dict[str, str] = {}
    for match in _HEADER_RE.finditer(text):
        label = re.sub(r"\s+", "", match["label"])
        key = _LABEL_KEY.get(label, "published_date")
        if key in meta:
            continue
        if key in _DATE_KEYS:
            value = _iso_date(match["value"])
        else:
            found = _VALUE_RE.match(match["value"].strip())
            value = found.group().rstrip("，。,;；") if found else None
        if value:
            meta[key] = value
    if "source" not in meta and "publisher" in meta:
        meta["source"] = meta["publisher"]
    return meta


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_HTML_START_RE = re.compile(
    r"""
    \A \ufeff?
    (?: \s | <!--.*?--> | <\?xml[^>]*> )*     # whitespace, comments, an XML declaration
    < (?: !doctype \s+ html | html | head | body | meta | title ) \b
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_RE = re.compile(r"<(?:body|div|p|table|br|span|td|li|h[1-6])\b[^<>]*>", re.IGNORECASE)
_HTML_NAMES = (".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")


def _looks_like_html(text: str, name: str = "") -> bool:
    """True when the decoded text is an HTML page rather than plain text."""
    if "<" not in text:
        return False
    if _HTML_START_RE.match(text) or re.search(r"<body\b", text[:100_000], re.IGNORECASE):
        return True
    tags = _HTML_TAG_RE.findall(text[:100_000])
    return len(tags) >= 3 or (bool(tags) and name.lower().endswith(_HTML_NAMES))


_DECLARED_CHARSET_RE = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CHARSET_CODECS = {
    "gb2312": _GB, "gbk": _GB, "gb18030": _GB, "x-gbk": _GB, "cp936": _GB,
    "big5": "cp950", "cp950": "cp950", "x-big5": "cp950", "big5-hkscs": "big5hkscs",
    "utf-8": "utf-8", "utf8": "utf-8",
}  # fmt: skip


def _declared_codec(data: bytes) -> str | None:
    """The codec an HTML page declares in ``<meta charset>``, when it is one we read."""
    match = _DECLARED_CHARSET_RE.search(data[:4096])
    return _CHARSET_CODECS.get(match.group(1).decode("ascii").lower()) if match else None


_DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "iframe", "button",
    "select", "input", "textarea", "svg", "object", "embed", "template", "link", "meta", "head",
)  # fmt: skip
#: Shortest text, in characters, of an element that is article-like although marked as page
#: furniture: ``<div id="printContent">``, or ASP.NET's ``<form>`` around the whole page.
_ARTICLE_LIKE = 500
_BLOCK_TAGS = frozenset(
    "p div section article main aside h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table tbody thead "
    "tfoot blockquote pre center address figure figcaption hr caption title".split()
)
_CELL_TAGS = frozenset({"td", "th"})

#: id/class words of page furniture: navigation, breadcrumbs, share and print buttons, QR codes.
_NOISE_RE = re.compile(
    r"""
    (?<![a-z])                 # at the start of a word inside the id/class value
    (?: nav | menu | breadcrumb | crumb | share | bdshare | fenxiang | print | dayin
      | qrcode | erweima | ewm | footer | foot | header | toolbar | tool | sidebar | topbar
      | location | position | dqwz | copyright | banner | search | login | font | zihao
      | close | guanbi | related | xgwz | pagination )
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: id/class words of the container that holds the article text.
_CONTENT_RE = re.compile(
    r"content | article | zoom | trs_editor | custom_unionstyle | detail | zhengwen | main-?text | text-?con",
    re.VERBOSE | re.IGNORECASE,
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

#: Whole lines of web boilerplate that carry no report text.
_BOILERPLATE_LINE_RE = re.compile(
    r"""
    ^ [\s【\[]* (?:
        扫一扫在手机(?:上)?打开当前页 | 扫一扫 | 手机扫一扫 | 打印(?:本页)? | 关闭(?:窗口|本页)? | 收藏
      | 分享到[:：]?.* | 字\s*[体号][:：].* | 当前位置[:：].* | 您(?:现在)?的?位置[:：].*
      | 浏览次数[:：].* | 访问量[:：].* | 阅读次数[:：].*
      | (?: 【 \s* (?:打印|关闭|字体|字号|返回|收藏|纠错|分享) [^】]{0,12} 】 \s* )+
    ) [\s】\]]* $
    """,
    re.VERBOSE,
)

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK_RE = re.compile(rf"(?<=[{_CJK}])[ \t\xa0]*[\r\n][ \t\r\n\xa0]*(?=[{_CJK}])")
_SPACE_RUN_RE = re.compile(r"[ \t\r\n\f\xa0]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_BLOCK_EDGE = "\x1e"  # where a block element starts or ends: adjacent edges make one line break
_BLOCK_EDGES_RE = re.compile(r"[ \t]*\x1e[\x1e \t]*")


def _collapse(text: str) -> str:
    """HTML white space as a browser shows it: a line break between Chinese characters vanishes,
    any other run of white space is one space."""
    return _SPACE_RUN_RE.sub(" ", _CJK_BREAK_RE.sub("", text))


def _render(root: Tag) -> str:
    """The visible text under ``root`` with block elements on lines of their own."""
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    parts: list[str] = []
    # An explicit stack instead of recursion: deeply nested markup must not overflow.
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(list(root.children))]
    while stack:
        node, in_pre = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, skipped):
                parts.append(str(node) if in_pre else _collapse(str(node)))
        elif isinstance(node, Tag):
            tag = node.name.lower()
            if tag == "br":
                parts.append("\n")
                continue
            if tag in _BLOCK_TAGS:
                parts.append(_BLOCK_EDGE)
                stack.append((_BLOCK_EDGE, False))
            elif tag in _CELL_TAGS:
                stack.append(("\t", False))
            if tag == "table" and not in_pre:
                grid = _grid(node)
                if grid is not None:  # a table of figures: one line per row, merged cells repeated
                    parts.extend((_BLOCK_EDGE, grid, _BLOCK_EDGE))
                    continue
            inner_pre = in_pre or tag == "pre"
            stack.extend((child, inner_pre) for child in reversed(list(node.children)))
        elif isinstance(node, str):  # a closing marker pushed above
            parts.append(node)
    lines = []
    text = _BLOCK_EDGES_RE.sub("\n", "".join(parts))
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if line and _BOILERPLATE_LINE_RE.match(line):
            continue
        lines.append(line)
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip("\n")


#: Cells longer than this mean a layout table (the page laid out in a grid), not a table of figures.
_MAX_CELL = 200


def _grid(table: Tag) -> str | None:
    """A table of figures as text: one line per row, cells split by tabs, a cell that spans rows
    or columns repeated in each (so that every value sits under its own headers); None for layout
    tables (nested tables, long cells) and for tables too large to expand."""
    if table.find("table") is not None:
        return None
    grid: dict[tuple[int, int], str] = {}
    n_rows = 0
    for r, tr in enumerate(table.find_all("tr")):
        n_rows = r + 1
        c = 0
        for cell in tr.find_all(("td", "th"), recursive=False):
            while (r, c) in grid:
                c += 1
            text = " ".join(_collapse(cell.get_text(" ")).split())
            if len(text) > _MAX_CELL:
                return None
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            if (r + rowspan) * (c + colspan) > 20_000:
                return None
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), text)
            c += colspan
    if not grid:
        return None
    width = max(c for _, c in grid) + 1
    rows = []
    for r in range(n_rows):
        cells = [grid.get((r, c), "") for c in range(width)]
        rows.append(cells[0] if len(set(cells)) == 1 else "\t".join(cells).rstrip("\t"))
    return "\n".join(row for row in rows if row.strip())


def _span(value: object) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1


def _is_noise(tag: Tag) -> bool:
    """True for page furniture: hidden, or marked as navigation/share/print and not article-like."""
    attrs = tag.attrs or {}
    if "hidden" in attrs or _HIDDEN_STYLE_RE.search(str(attrs.get("style", ""))):
        return True
    marks = " ".join([str(attrs.get("id", "")), *(attrs.get("class") or [])])
    if tag.name != "form" and not _NOISE_RE.search(marks):
        return False
    text = tag.get_text(" ", strip=True)
    links = sum(len(a.get_text(strip=True)) for a in tag.find_all("a"))
    return not (len(text) >= _ARTICLE_LIKE and links < 0.3 * len(text))


def _main_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article, when the page marks one: the innermost content-like
    element that still holds most of the largest one's text."""
    candidates = [
        tag
        for tag in soup.find_all(True)
        if tag.name == "article"
        or _CONTENT_RE.search(" ".join([str(tag.get("id", "")), *(tag.get("class") or [])]))
    ]
    sized = [(len(tag.get_text(strip=True)), tag) for tag in candidates]
    sized = [(size, tag) for size, tag in sized if size >= 50]
    if not sized:
        return None
    largest, best = max(sized, key=lambda pair: pair[0])
    inner = [tag for size, tag in sized if size >= 0.6 * largest and any(p is best for p in tag.parents)]
    return max(inner, key=lambda tag: len(list(tag.parents)), default=best)


#: <meta name=…> of Chinese government CMSs (TRS, Hanweb, …) and Open Graph, by meta key.
_META_NAMES = {
    "articletitle": "title", "og:title": "title",
    "pubdate": "published_date", "firstpublishedtime": "published_date",
    "publishdate": "published_date", "article:published_time": "published_date",
    "contentsource": "source", "columnname": "column", "sitename": "site",
    "description": "description", "keywords": "keywords", "author": "author",
}  # fmt: skip
#: The site name a <title> appends: "标题 - 某市人民政府", "标题_某市人民政府", "标题|网站".
_TITLE_SUFFIX_RE = re.compile(
    r"""
    (?: \s+ [-—–|｜]+ \s+ | \s* [_|｜] \s* )   # a spaced dash, or an underscore / bar
    [^_|｜]* $                                 # the site name up to the end
    """,
    re.VERBOSE,
)


def _tag_meta(soup: BeautifulSoup) -> dict[str, str]:
    """Metadata from <title>, <meta name=…> and the headings."""
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = _META_NAMES.get(str(tag.get("name") or tag.get("property") or "").strip().lower())
        content = " ".join(str(tag.get("content") or "").split())
        if key and content and key not in meta:
            value = _iso_date(content) if key == "published_date" else content
            if value:
                meta[key] = value
    page_title = " ".join(soup.title.get_text().split()) if soup.title else ""
    if page_title:
        meta["page_title"] = page_title
    headings = [" ".join(tag.get_text(" ").split()) for tag in soup.find_all(["h1", "h2"])]
    if "title" not in meta:
        # A heading repeated in <title> is the article's; else <title> without the site name.
        in_title = [h for h in headings if len(h) >= 6 and h in page_title]
        title = (
            (in_title[0] if in_title else "")
            or _TITLE_SUFFIX_RE.sub("", page_title)
            or page_title
            or next((h for h in headings if h), "")
        )
        if title:
            meta["title"] = title
    return meta


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """The article text of an HTML page, one block per line, and the page's metadata.

    Scripts, styles, navigation, share/print widgets and similar page furniture are dropped;
    the article container is preferred when the page marks one, and the title is put before it
    when the article does not begin with it. Metadata comes from <meta> tags first, then from
    visible header lines (发布时间, 来源 …): see :class:`Extracted` for the keys.

    >>> text, meta = html_to_text(
    ...     '<html><head><meta name="PubDate" content="2024-02-28 11:45"><script>var a;</script>'
    ...     '</head><body><div class="nav">首页</div><div id="zoom"><p>一、主要举措</p>'
    ...     '<p>办理法律援助案件<br>1,234件。</p></div></body></html>')
    >>> text
    '一、主要举措\\n办理法律援助案件\\n1,234件。'
    >>> meta["published_date"]
    '2024-02-28'
    """
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    meta = _tag_meta(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        # not ``tag.decomposed``: on a live tag bs4 looks the attribute up as a child tag named
        # "_decomposed", a search of the whole subtree on every tag (quadratic on deep markup)
        if not vars(tag).get("_decomposed", False) and _is_noise(tag):
            tag.decompose()
    root = soup.body or soup
    container = _main_container(soup)
    if container is None:
        text = _render(root)
        outside = text
    else:
        text = _render(container)
        container.replace_with(soup.new_string("\n"))
        outside = _render(soup)
    for key, value in {**header_meta(text[:300]), **header_meta(outside)}.items():
        meta.setdefault(key, value)
    title = meta.get("title", "")
    if title and re.sub(r"\s", "", title) not in re.sub(r"\s", "", text[: len(title) + 300]):
        text = f"{title}\n\n{text}" if text else title
    return text, meta


# --------------------------------------------------------------------------------------------
# DOCX and PDF
# --------------------------------------------------------------------------------------------


def _zip_kind(names: set[str], archive: zipfile.ZipFile) -> str:
    """Why a ZIP archive that is no .docx cannot be read."""
    if "xl/workbook.xml" in names:
        return "Excel workbook (.xlsx), not a text report"
    if "ppt/presentation.xml" in names:
        return "PowerPoint presentation (.pptx), not a text report"
    if "OFD.xml" in names:
        return "OFD document is not supported; export it as PDF or .docx"
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        return "OpenDocument file (.odt) is not supported; save as .docx"
    return "binary file (looks like ZIP archive), not a text report"


#: Most text taken from one input, in characters (as the file cap, 20 MB: no report is longer).
MAX_TEXT_CHARS = 20 * 1024 * 1024
#: Most a .docx may inflate to (all its parts unpacked): a zip bomb is refused before it is unpacked.
MAX_INFLATED_BYTES = 100 * 1024 * 1024


def _too_long(name: str, what: str) -> InputError:
    return InputError(name, f"{what} is too long (over {MAX_TEXT_CHARS // 2**20} MB of text); no report is that long")


def _extract_docx(data: bytes, name: str) -> Extracted:
    """Paragraphs and table rows of a .docx, in document order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise InputError(name, _zip_kind(names, archive))
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > MAX_INFLATED_BYTES:
                raise InputError(name, f".docx unpacks to {inflated / 2**20:.0f} MB (over "
                                 f"{MAX_INFLATED_BYTES // 2**20} MB): not read")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(name, f"corrupt or truncated ZIP/.docx file ({exc})") from exc
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    # a merged cell repeats in every grid column and row it spans: each value
                    # then sits under its own headers (项目 | 2023年 2023年 | 2024年 2024年)
                    cells = [" ".join(cell.text.split()) for cell in row.cells]
                    if len(set(cells)) == 1:
                        cells = cells[:1]  # one cell across the whole row: a caption or a note
                    lines.append("\t".join(cells))
            else:
                lines.append(block.text)
        props = document.core_properties
        title, created = props.title or "", props.created
    except Exception as exc:  # python-docx/lxml raise many kinds on malformed parts
        raise InputError(name, f"corrupt .docx file ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(lines)
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name, ".docx text")
    if not text.strip():
        raise InputError(name, ".docx file holds no text")
    meta = header_meta(text[:2000])
    if title.strip():
        meta["title"] = title.strip()
    if created is not None:
        meta["created"] = created.date().isoformat()
    return Extracted(text, "", "docx", meta)


_PDF_GARBAGE_RE = re.compile(r"[\ue000-\uf8ff\x00-\x08\x0e-\x1f\ufffd]")


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's warnings about damaged files while reading one: the reason of a refusal
    is reported once, as an InputError, not as log lines on stderr."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _extract_pdf(data: bytes, name: str) -> Extracted:
    """The text layer of a PDF, page texts joined by a newline."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError

        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")  # permissions-only PDFs open without a password
                except DependencyError as exc:
                    raise InputError(
                        name, "PDF is AES-encrypted; install the 'cryptography' package to read it"
                    ) from exc
                if not opened:
                    raise InputError(name, "PDF is encrypted (password required); remove the password first")
            pages, total = [], 0
            for page in reader.pages:  # stop as soon as the text is longer than any report
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if total > MAX_TEXT_CHARS:
                    raise _too_long(name, "PDF text")
            info = reader.metadata
            title = str(info.title or "") if info else ""
            try:
                created = info.creation_date if info else None
            except Exception:
                created = None
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise InputError(name, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise InputError(name, "PDF has no pages")
    text = "\n".join(pages)
    visible = re.sub(r"\s", "", text)
    if not visible:
        raise InputError(name, "PDF has no text layer (scanned image?); run OCR first")
    if len(_PDF_GARBAGE_RE.findall(visible)) > 0.3 * len(visible):
        raise InputError(name, "PDF text layer is unreadable (fonts without Unicode mapping); run OCR first")
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    meta = header_meta(text[:2000])
    meta["pages"] = str(len(pages))
    if title.strip():
        meta["title"] = title.strip()
    if created is not None:
        meta["created"] = created.date().isoformat()
    return Extracted(text, "", "pdf", meta, tuple(starts))


# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def extract(data: bytes, name: str = "") -> Extracted:
    """The text of one input file (plain text, HTML, DOCX or PDF, told apart by content).

    ``name`` is used in error messages and as a hint only. Raises
    :class:`~reportlib.core.errors.InputError` when the file is empty, binary, encrypted, scanned
    without text, or otherwise no readable report.

    >>> extract("泉州市鲤城区司法局\\r\\n办理法律援助案件367件".encode("gb18030"), "a.txt").text
    '泉州市鲤城区司法局\\r\\n办理法律援助案件367件'
    >>> extract(b"", "empty.txt")
    Traceback (most recent call last):
    reportlib.core.errors.InputError: empty.txt: empty file (0 bytes)
    """
    if not data:
        raise InputError(name, "empty file (0 bytes)")
    if _is_pdf(data):
        return _extract_pdf(data, name)
    if data.startswith(_ZIP_MAGICS):
        return _extract_docx(data, name)
    if data.startswith(_OLE_MAGIC):
        raise InputError(name, "legacy Word .doc is not supported; save as .docx")
    if _binary_kind(data) is not None:
        raise _binary_error(name, data)
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError(name, "file holds only whitespace")
    # A page's <meta charset> settles a legacy encoding; valid UTF-8 and BOMs still come first.
    declared = _declared_codec(data) if b"<" in data[:4096] else None
    text = None
    if declared and declared != "utf-8" and not data.startswith(_BOMS_ALL) and _strict(data, "utf-8") is None:
        text = _strict(data, declared)
    if declared and text is not None and _control_share(text) <= _MAX_CONTROL_SHARE:
        encoding = declared
    else:
        text, encoding = decode_text(data, name)
    if not text.strip():
        raise InputError(name, "file holds only whitespace")
    if text.lstrip().startswith("{\\rtf"):
        raise InputError(name, "RTF document is not supported; save as .docx")
    script = "traditional" if is_traditional(text) else "simplified"
    if _looks_like_html(text, name):
        try:
            body, meta = html_to_text(text)
            if len(body) > MAX_TEXT_CHARS:
                raise _too_long(name, "HTML text")
        except InputError:
            raise
        except Exception as exc:  # lxml/bs4 on hostile markup
            raise InputError(name, f"unreadable HTML ({type(exc).__name__}: {exc})") from exc
        if not body.strip():
            raise InputError(name, "HTML page holds no visible text")
        return Extracted(body, encoding, "html", {**meta, "script": script})
    meta = header_meta(text[:1500])
    meta["script"] = script
    return Extracted(text, encoding, "txt", meta)
