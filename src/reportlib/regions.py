"""Administrative divisions (GB/T 2260 codes) from the ``cpca`` package's maintained adcode table.

The table is read as data (``cpca/resources/adcodes.csv``); cpca's own matcher is not imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from reportlib.errors import ReportlibError

_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


@dataclass(frozen=True, slots=True)
class Region:
    """A resolved jurisdiction: its own name and code, its level and the names above it."""

    name: str
    code: str
    level: str  # province | city | county
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class _Table:
    names: dict[str, str]  # code -> name
    by_name: dict[str, tuple[str, ...]]  # name -> codes
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _table() -> _Table:
    try:
        dist = metadata.distribution("cpca")
        path = next(f for f in (dist.files or []) if str(f).replace("\\", "/").endswith("resources/adcodes.csv"))
        raw = path.read_text(encoding="utf-8")
    except (metadata.PackageNotFoundError, StopIteration, OSError) as exc:
        raise ReportlibError(
            "the division-code table of the 'cpca' package is missing; reinstall with `pip install -e .`"
        ) from exc
    names: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        code = row["adcode"][:6]
        name = row["name"].strip()
        if not name or code in names:
            continue
        names[code] = name
        by_name.setdefault(name, []).append(code)
    alternatives = sorted(by_name, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in alternatives if len(n) >= 2))
    return _Table(names=names, by_name={k: tuple(sorted(v)) for k, v in by_name.items()}, pattern=pattern)


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


def find_divisions(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Division names in ``text`` in order, each with its candidate codes.

    >>> find_divisions("泉州市鲤城区司法局")
    [('泉州市', ('350500',)), ('鲤城区', ('350502',))]
    """
    return list(_divisions(text))


@lru_cache(maxsize=4096)
def _divisions(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`find_divisions`, remembered: the same issuers come back year after year."""
    table = _table()
    return tuple((m.group(0), table.by_name[m.group(0)]) for m in table.pattern.finditer(text))


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
        if len(codes) == 1:
            chosen = codes[0]
        elif chosen is None:
            return None
    return region_from_code(chosen) if chosen else None


def _contains(parent: str, child: str) -> bool:
    level = level_of(parent)
    prefix = parent[:2] if level == "province" else parent[:4] if level == "city" else parent
    return child != parent and child.startswith(prefix)


def _by_context(codes: tuple[str, ...], context: str) -> tuple[str, ...]:
    table = _table()
    scores: dict[str, int] = {}
    for code in codes:
        parents = {code[:2] + "0000", code[:4] + "00"} - {code}
        scores[code] = sum(context.count(table.names[p]) for p in parents if p in table.names)
    best = max(scores.values())
    return tuple(c for c, s in scores.items() if s == best) if best > 0 else ()
