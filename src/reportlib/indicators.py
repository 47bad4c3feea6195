"""The indicator taxonomy (``indicators.yaml``) and the matching of mentions to indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from reportlib.errors import TaxonomyError
from reportlib.paths import TAXONOMY_FILE

FILL = r"(?:共计|总计|累计|合计|共|计|分别为|分别|达到|达|为|约|近|超过|超|逾|各类|全年|年度|有|多达|总数|数量|数|量|了|等)*"
#: Whole-jurisdiction and sub-unit wording, nearest to the number wins.
SCOPE_RE = re.compile(
    r"""
    (?P<whole>全(?P<wsuf>[省市区县旗州])|我(?P<wsuf2>[省市区县旗])|本(?P<wsuf3>[省市区县])(?!级)|各级)
  | (?P<sub>司法所|调解室|工作室|街道|乡镇|(?<![乡全])镇(?!街|级)|社区(?!矫正|法律顾问全覆盖)|(?<![乡])村(?!民)|法庭
      |窗口|项目|工作站|服务站|驿站|试点|分中心|志愿者)
    """,
    re.VERBOSE,
)
PARTIAL_RE = re.compile(r"(?:\d{1,2}月(?:份)?(?:\d{1,2}日)?|试运行|运行|成立|启动|挂牌)以来|上半年|前三季度|[一二三四]季度")


@dataclass(frozen=True)
class Indicator:
    """One row of the taxonomy, with its patterns compiled."""

    id: str
    name_zh: str
    unit: str
    kind: str
    description: str
    units: frozenset[str]
    near: re.Pattern[str] | None
    after: re.Pattern[str] | None
    context: tuple[re.Pattern[str], ...]
    exclude: re.Pattern[str] | None
    exclude_near: re.Pattern[str] | None
    subgroup: re.Pattern[str] | None
    priority: int
    share_is_level: bool
    gap: int
    source: dict = field(repr=False, compare=False, hash=False, default_factory=dict)


@dataclass(frozen=True)
class Taxonomy:
    """All indicators, in file order, plus a combined pre-filter."""

    indicators: tuple[Indicator, ...]
    by_unit: dict[str, tuple[Indicator, ...]]
    any_near: re.Pattern[str]

    def __getitem__(self, indicator_id: str) -> Indicator:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]


def _expand(pattern: str, pieces: dict[str, str], where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in pieces:
            raise TaxonomyError(f"{where}: unknown piece {{{key}}} in pattern {pattern!r}")
        return pieces[key]

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def _compile(patterns: list[str] | str | None, pieces: dict[str, str], where: str, template: str = "{}") -> re.Pattern[str] | None:
    if not patterns:
        return None
    if isinstance(patterns, str):
        patterns = [patterns]
    body = "|".join(f"(?:{_expand(p, pieces, where)})" for p in patterns)
    try:
        return re.compile(template.replace("{}", body, 1))
    except re.error as exc:
        raise TaxonomyError(f"{where}: invalid regular expression ({exc}): {body}") from exc


REQUIRED = ("name_zh", "unit", "kind", "description", "units")


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Read and compile the taxonomy file (default: the one shipped in the package).

    >>> tax = load_taxonomy()
    >>> tax["legal_aid_cases"].name_zh, tax["mediation_success_rate"].unit
    ('法律援助案件', '%')
    """
    if path is None:
        return _default_taxonomy()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_taxonomy() -> Taxonomy:
    return _load(TAXONOMY_FILE)


def _load(path: Path) -> Taxonomy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot read the indicator taxonomy: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise TaxonomyError(f"{path}: expected a mapping with an 'indicators' block")
    pieces = {k: str(v) for k, v in (data.get("pieces") or {}).items()}
    items: list[Indicator] = []
    near_bodies: list[str] = []
    for ind_id, spec in data["indicators"].items():
        where = f"{path.name}: {ind_id}"
        missing = [k for k in REQUIRED if k not in spec]
        if missing:
            raise TaxonomyError(f"{where}: missing {', '.join(missing)}")
        if spec["kind"] not in ("count", "amount", "rate"):
            raise TaxonomyError(f"{where}: kind must be count, amount or rate, not {spec['kind']!r}")
        if not spec.get("near") and not spec.get("after"):
            raise TaxonomyError(f"{where}: needs at least one 'near' or 'after' pattern")
        gap = int(spec.get("gap", 6))
        near = _compile(spec.get("near"), pieces, where, "(?:{})" + FILL + r"[^，,;；。\n\d]{0," + str(gap) + "}$")
        if spec.get("near"):
            near_bodies.append("|".join(f"(?:{_expand(p, pieces, where)})" for p in spec["near"]))
        items.append(
            Indicator(
                id=ind_id,
                name_zh=str(spec["name_zh"]),
                unit=str(spec["unit"]),
                kind=spec["kind"],
                description=str(spec["description"]).strip(),
                units=frozenset(str(u) for u in spec["units"]),
                near=near,
                after=_compile(spec.get("after"), pieces, where, "^[ ]?(?:{})"),
                context=tuple(_compile(c, pieces, where) for c in spec.get("context") or []),  # type: ignore[misc]
                exclude=_compile(spec.get("exclude"), pieces, where),
                exclude_near=_compile(spec.get("exclude_near"), pieces, where),
                subgroup=_compile(spec.get("subgroup"), pieces, where),
                priority=int(spec.get("priority", 0)),
                share_is_level=bool(spec.get("share_is_level", False)),
                gap=gap,
                source=dict(spec),
            )
        )
    by_unit: dict[str, list[Indicator]] = {}
    for item in items:
        for unit in item.units:
            by_unit.setdefault(unit, []).append(item)
    any_near = re.compile("(?:" + "|".join(near_bodies) + ")")
    return Taxonomy(
        indicators=tuple(items),
        by_unit={u: tuple(sorted(v, key=lambda i: -i.priority)) for u, v in by_unit.items()},
        any_near=any_near,
    )


@dataclass(slots=True)
class Match:
    """An indicator claimed for one mention, with the scope of the figure."""

    indicator: Indicator
    scope: str  # whole | sub | other | partial | subgroup | ''
    scope_word: str
    distance: int


def scope_of(left: str, region_name: str, level: str) -> tuple[str, str]:
    """Whether the wording nearest before a number makes it the whole jurisdiction's figure.

    >>> scope_of("2023年全区排查调处矛盾纠纷", "鲤城区", "county")
    ('whole', '全区')
    >>> scope_of("其中鲤中司法所特色品牌，2023年已成功调解", "鲤城区", "county")
    ('sub', '司法所')
    >>> scope_of("全市共办理法律援助案件", "鲤城区", "county")
    ('other', '全市')
    >>> scope_of("全市共办理法律援助案件", "南安市", "county")
    ('whole', '全市')
    """
    last = _last(SCOPE_RE, left)
    if last is None:
        return "", ""
    word = last.group(0)
    if last.group("sub"):
        return "sub", word
    suffix = last.group("wsuf") or last.group("wsuf2") or last.group("wsuf3")
    if not suffix:  # 各级
        return "whole", word
    own = region_name[-1:] if region_name else ""
    if level == "province":
        own = "省"
    if not own or suffix == own:
        return "whole", word
    return "other", word


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``; a sub-unit that is an object (将街道…) is passed over."""
    last = None
    has_sub = "sub" in pattern.groupindex
    for match in pattern.finditer(text):
        if has_sub and match.group("sub") and text[max(match.start() - 1, 0) : match.start()] in _OBJECT_MARKERS:
            continue
        last = match
    return last


#: 将街道执法案卷纳入…: a unit after these words is an object, not the subject of the figure.
_OBJECT_MARKERS = set("将把对向为与帮")


def match_indicators(
    taxonomy: Taxonomy,
    text: str,
    sentence: tuple[int, int],
    window_start: int,
    vstart: int,
    vend: int,
    unit: str,
    region_name: str = "",
    level: str = "",
) -> list[Match]:
    """Indicators that claim the number at ``[vstart, vend)`` of ``text``; best first."""
    candidates = taxonomy.by_unit.get(unit)
    if not candidates:
        return []
    left = text[window_start:vstart]
    right = text[vend : min(vend + 40, sentence[1])]
    if not taxonomy.any_near.search(left) and not any(c.after for c in candidates):
        return []
    sentence_text = text[sentence[0] : sentence[1]]
    before = text[sentence[0] : vstart]
    found: list[Match] = []
    for ind in candidates:
        distance = 0
        hit = ind.near.search(left) if ind.near else None
        if hit:
            distance = len(left) - hit.start()
        elif not (ind.after and ind.after.search(right)):
            continue
        if ind.context and not all(c.search(sentence_text) for c in ind.context):
            continue
        if ind.exclude and ind.exclude.search(before) or ind.exclude_near and ind.exclude_near.search(left):
            continue
        scope, word = scope_of(before, region_name, level)
        if ind.subgroup:
            sub = _last(ind.subgroup, before)
            whole = _last(SCOPE_RE, before)
            if sub and not (whole and whole.group("whole") and whole.start() > sub.start()):
                scope, word = "subgroup", sub.group(0)
        if scope in ("", "whole") and PARTIAL_RE.search(before):
            scope, word = "partial", PARTIAL_RE.search(before).group(0)  # type: ignore[union-attr]
        found.append(Match(indicator=ind, scope=scope, scope_word=word, distance=distance))
    if _SHARED_RE.search(left):  # 参考率和优秀率均超过99%: one value, several indicators
        found.extend(_shared(candidates, left, found, before, sentence_text, region_name, level))
        return found
    if len(found) > 1:
        top = max(m.indicator.priority for m in found)
        found = [m for m in found if m.indicator.priority == top] or found
        found.sort(key=lambda m: m.distance)
        found = found[:1]
    return found


_SHARED_RE = re.compile(r"(?:均|都|皆)(?:达到|达|为|超过|超|在|是)?$")
_CONJ_RE = re.compile(r"[和及与、]")


def _shared(candidates, left: str, found: list[Match], before: str, sentence_text: str, region_name: str, level: str) -> list[Match]:
    """Indicators named before a conjunction in ``X和Y均N``, in addition to those already ``found``."""
    have = {m.indicator.id for m in found}
    extra: list[Match] = []
    for cut in _CONJ_RE.finditer(left):
        head = left[: cut.start()]
        for ind in candidates:
            if ind.id in have or not ind.near or not ind.near.search(head):
                continue
            if ind.context and not all(c.search(sentence_text) for c in ind.context):
                continue
            scope, word = scope_of(before, region_name, level)
            extra.append(Match(indicator=ind, scope=scope, scope_word=word, distance=len(left) - cut.start()))
            have.add(ind.id)
    return extra
