"""The indicator taxonomy (``indicators.yaml``) and the matching of mentions to indicators."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from reportlib.core.errors import TaxonomyError
from reportlib.core.guard import AnyOf, guarded
from reportlib.core.numbers import (
    DIGITS_RE,
    HEDGE_INFIX_RE,
    HEDGE_PREFIX_RE,
    HEDGE_PREFIXES,
    HEDGED_NUMBER_RE,
    LIST_JOINER_RE,
    LIST_JOINERS,
    MULTIPLIER_RE,
    UNITS,
)
from reportlib.core.paths import TAXONOMY_FILE
from reportlib.parsing.checks import PART_RULES

FILL = rf"(?:共计|总计|累计|合计|共|计|分别为|分别|达到|达|为|{HEDGE_PREFIX_RE}|各类|全年|年度|有|多达|总数|数量|数|量|了|等)*"
#: Whole-jurisdiction and sub-unit wording, nearest to the number wins.
SCOPE_RE = guarded(
    r"""
    (?P<whole>(?:全(?P<wsuf>[省市区县旗州镇乡])|我(?P<wsuf2>[省市区县旗镇乡])|本(?P<wsuf3>[省市区县镇乡])(?!级)
                |[全本我]街(?P<wsuf4>道))(?:各级|各类)?  # 全市各级: one phrase; 全街道 of a 街道's report
      |各级)
  | (?P<sub>司法所|调解室|工作室|街道|乡镇|(?<![乡全])镇(?!街|级)|社区(?!矫正|法律顾问全覆盖)|(?<![乡])村(?!民)|法庭
      |窗口|项目|工作站|服务站|驿站|试点|分中心|志愿者)
    """,
    re.VERBOSE,
)
PARTIAL_RE = guarded(r"(?:\d{1,2}月(?:份)?(?:\d{1,2}日)?|试运行|运行|成立|启动|挂牌)以来|上半年|前三季度|[一二三四]季度")


@dataclass(frozen=True)
class Indicator:
    """One row of the taxonomy, with its patterns compiled."""

    id: str
    name_zh: str
    unit: str
    kind: str
    description: str
    units: frozenset[str]
    near: re.Pattern[str] | None  # anchored: the wording, FILL words and a short gap, then the number
    after: re.Pattern[str] | None
    wording: re.Pattern[str] | None  # the ``near`` wording alone, unanchored (for 分别 lists)
    context: tuple[re.Pattern[str], ...]
    exclude: re.Pattern[str] | None
    exclude_near: re.Pattern[str] | None
    subgroup: re.Pattern[str] | None
    priority: int
    share_is_level: bool
    gap: int
    source: dict = field(repr=False, compare=False, hash=False, default_factory=dict)
    #: (pattern, wanted, name): the name shown when the clause before the number matches the
    #: pattern (``wanted`` true) or does not (``wanted`` false)
    named_as: tuple[tuple[re.Pattern[str], bool, str], ...] = ()

    def name_for(self, sentence: str, raw: str = "") -> str:
        """The name the text supports: a ``named_as`` name when the clause that carries ``raw``
        in ``sentence`` (the whole sentence without ``raw``) meets its condition, else ``name_zh``."""
        if not self.named_as:
            return self.name_zh
        clause = clause_before(sentence, raw)
        return next((name for pattern, wanted, name in self.named_as if bool(pattern.search(clause)) == wanted),
                    self.name_zh)

    @property
    def plain_name(self) -> str:
        """The name that claims least: the one shown when the qualifying wording is absent."""
        return next((name for _, wanted, name in self.named_as if not wanted), self.name_zh)


@dataclass(frozen=True)
class Taxonomy:
    """All indicators, in file order, plus a combined pre-filter."""

    indicators: tuple[Indicator, ...]
    by_unit: dict[str, tuple[Indicator, ...]]
    #: Pre-filter: a number whose left window does not match this cannot be claimed through
    #: ``near`` (any indicator's wording, or a list separator: 分别为462件、333件).
    any_near: AnyOf

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


def _named_as(entries: object, pieces: dict[str, str], where: str) -> tuple[tuple[re.Pattern[str], bool, str], ...]:
    if not entries:
        return ()
    ok = isinstance(entries, list) and all(
        isinstance(e, dict) and "name_zh" in e and (("when" in e) != ("unless" in e)) for e in entries)
    if not ok:
        raise TaxonomyError(f"{where}: named_as must be a list of {{when: pattern, name_zh: name}} or {{unless: …}}")
    return tuple((_compile(str(e.get("when", e.get("unless"))), pieces, where), "when" in e, str(e["name_zh"]))  # type: ignore[misc]
                 for e in entries)  # type: ignore[union-attr]


def _compile(patterns: list[str] | str | None, pieces: dict[str, str], where: str, template: str = "{}",
             guard: bool = False) -> re.Pattern[str] | None:
    if not patterns:
        return None
    if isinstance(patterns, str):
        patterns = [patterns]
    body = "|".join(f"(?:{_expand(p, pieces, where)})" for p in patterns)
    try:
        pattern = template.replace("{}", body, 1)
        return guarded(pattern) if guard else re.compile(pattern)
    except re.error as exc:
        raise TaxonomyError(f"{where}: invalid regular expression ({exc}): {body}") from exc


_CLAUSE_BREAK = re.compile(r"[，,;；。！？!?\n]")


def clause_before(sentence: str, raw: str = "") -> str:
    """The clause of ``sentence`` that ends at (the first occurrence of) ``raw``: from the last
    clause break before it up to it. Without ``raw`` (or when it is absent), the whole sentence.

    >>> clause_before("落实负责人出庭制度，全区出庭应诉率达100%。", "100%")
    '全区出庭应诉率达'
    >>> clause_before("行政机关负责人出庭应诉率达100%，同比提高1.31%。", "100%")
    '行政机关负责人出庭应诉率达'
    >>> clause_before("出庭应诉率达100%。", "98%")
    '出庭应诉率达100%。'
    """
    at = sentence.find(raw) if raw else -1
    if at < 0:
        return sentence
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)), default=0)
    return sentence[left:at]


REQUIRED = ("name_zh", "unit", "kind", "description", "units")
#: Every key an indicator block may have; anything else is a typo (exlude:) and refused.
OPTIONAL = ("near", "after", "context", "exclude", "exclude_near", "subgroup", "priority", "share_is_level", "gap",
            "issuer_own", "named_as")
#: Units as the parser gives them (canonical forms of reportlib.core.numbers.UNITS).
CANONICAL_UNITS = frozenset(unit for unit, _family in UNITS.values())


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


def _check_keys(spec: dict, where: str) -> None:
    """Refuse keys the loader does not know, naming the likely intended one.

    >>> _check_keys({"exlude": "x"}, "indicators.yaml: legal_aid_cases")
    Traceback (most recent call last):
    reportlib.core.errors.TaxonomyError: indicators.yaml: legal_aid_cases: unknown key 'exlude' (did you mean 'exclude'?)
    """
    for key in spec:
        if key not in REQUIRED and key not in OPTIONAL:
            close = difflib.get_close_matches(str(key), [*REQUIRED, *OPTIONAL], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join((*REQUIRED, *OPTIONAL))})"
            raise TaxonomyError(f"{where}: unknown key {key!r}{hint}")


def _check_units(spec: dict, where: str) -> None:
    """``units`` lists canonical units (件, 人, 元, % …) and includes the indicator's own ``unit``."""
    units = spec["units"]
    if not isinstance(units, list) or not units:
        raise TaxonomyError(f"{where}: units must be a non-empty list such as [件]")
    odd = [str(u) for u in units if str(u) not in CANONICAL_UNITS]
    if odd:
        raise TaxonomyError(f"{where}: units {', '.join(odd)} are not units the parser gives "
                            f"(canonical units: {' '.join(sorted(CANONICAL_UNITS))}); 万元 is written 元, 名 is 人")
    if str(spec["unit"]) not in {str(u) for u in units}:
        raise TaxonomyError(f"{where}: unit {spec['unit']!r} is not among its units {units}")


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
    unknown_top = sorted(set(data) - {"pieces", "indicators"})
    if unknown_top:
        raise TaxonomyError(f"{path.name}: unknown top-level key {', '.join(unknown_top)} (expected pieces, indicators)")
    for ind_id, spec in data["indicators"].items():
        where = f"{path.name}: {ind_id}"
        if not isinstance(spec, dict):
            raise TaxonomyError(f"{where}: expected a block of keys, not {type(spec).__name__}")
        _check_keys(spec, where)
        missing = [k for k in REQUIRED if k not in spec]
        if missing:
            raise TaxonomyError(f"{where}: missing {', '.join(missing)}")
        _check_units(spec, where)
        if spec["kind"] not in ("count", "amount", "rate"):
            raise TaxonomyError(f"{where}: kind must be count, amount or rate, not {spec['kind']!r}")
        if not spec.get("near") and not spec.get("after"):
            raise TaxonomyError(f"{where}: needs at least one 'near' or 'after' pattern")
        gap = int(spec.get("gap", 6))
        near = _compile(spec.get("near"), pieces, where, "(?:{})" + FILL + r"[^，,;；。\n\d]{0," + str(gap) + "}$", guard=True)
        wording = _compile(spec.get("near"), pieces, where)
        if wording is not None:
            near_bodies.append(wording.pattern)
        items.append(
            Indicator(
                id=ind_id,
                name_zh=str(spec["name_zh"]),
                unit=str(spec["unit"]),
                kind=spec["kind"],
                description=str(spec["description"]).strip(),
                units=frozenset(str(u) for u in spec["units"]),
                near=near,
                wording=wording,
                after=_compile(spec.get("after"), pieces, where, "^[ ]?(?:{})"),
                context=tuple(_compile(c, pieces, where) for c in spec.get("context") or []),  # type: ignore[misc]
                exclude=_compile(spec.get("exclude"), pieces, where),
                exclude_near=_compile(spec.get("exclude_near"), pieces, where),
                subgroup=_compile(spec.get("subgroup"), pieces, where),
                priority=int(spec.get("priority", 0)),
                share_is_level=bool(spec.get("share_is_level", False)),
                gap=gap,
                source=dict(spec),
                named_as=_named_as(spec.get("named_as"), pieces, where),
            )
        )
    by_unit: dict[str, list[Indicator]] = {}
    for item in items:
        for unit in item.units:
            by_unit.setdefault(unit, []).append(item)
    any_near = AnyOf([*near_bodies, _LIST_CONTINUES])
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
    >>> scope_of("全街道调处矛盾纠纷", "清波街道", "township"), scope_of("街道全年调处矛盾纠纷", "清波街道", "township")
    (('whole', '全街道'), ('whole', '街道'))
    >>> scope_of("全区调处矛盾纠纷", "清波街道", "township")
    ('other', '全区')

    A sub-unit that its clause sets up and counts (设立工作室12个，…) does not reach into the
    next clause: the next clause's figure is not that sub-unit's.

    >>> scope_of("在各镇街设立法律援助工作室12个，全年受理法律援助案件", "鲤城区", "county")
    ('', '')
    """
    last = _last(SCOPE_RE, left)
    if last is None:
        return "", ""
    brk = _CLAUSE_BREAK_RE.search(left, last.end()) if last.group("sub") else None
    if brk is not None and _set_up(left, last.start()) and _DIGIT_RE.search(left, last.end(), brk.start()):
        last = _last_whole(left, last.start())
        if last is None:
            return "", ""
    word = last.group(0)
    if last.group("sub"):
        if level == "township" and word in ("街道", "乡镇", "镇") and region_name.endswith(word[-1]):
            return "whole", word  # a 街道's own report: 街道 is the issuer itself
        return "sub", word
    suffix = last.group("wsuf") or last.group("wsuf2") or last.group("wsuf3") or last.group("wsuf4")
    if not suffix:  # 各级
        return "whole", word
    own = region_name[-1:] if region_name else ""
    if level == "province":
        own = "省"
    if not own or suffix == own:
        return "whole", word
    return "other", word


#: Where a clause ends inside a sentence: a sub-unit word does not reach past it.
_CLAUSE_BREAK_RE = re.compile(r"[，,；;：:]")
_DIGIT_RE = re.compile(r"\d")
_SET_UP_RE = re.compile(r"设立|建立|建成|设置|成立|组建|打造|培育|创建|新建|挂牌|覆盖|实现")


def _set_up(text: str, pos: int) -> bool:
    """True when the sub-unit at ``pos`` is what its clause sets up (设立工作室12个), not who acts.

    Counted set-ups do not reach into the next clause; a sub-unit that acts does (其中某街道…,
    “一线调解室”进驻项目7个，化解…, 成立“顺顺”调解室，化解…).
    """
    start = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(text, 0, pos)), default=0)
    clause = text[start:pos]
    return "其中" not in clause and bool(_SET_UP_RE.search(clause))


def _last_whole(text: str, end: int) -> re.Match[str] | None:
    """The last whole- or other-jurisdiction word (全区, 全市) in ``text[:end]``."""
    last = None
    for match in SCOPE_RE.finditer(text, 0, end):
        if not match.group("sub"):
            last = match
    return last


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``; a sub-unit that is an object (将街道…) is passed over."""
    last = None
    has_sub = "sub" in pattern.groupindex
    for match in pattern.finditer(text):
        if has_sub and match.group("sub"):
            if text[max(match.start() - 1, 0) : match.start()] in _OBJECT_MARKERS:
                continue
            if match.group(0) == "项目" and (match.start() == 0 or text[match.end() : match.end() + 1] in _CELL_SEPARATORS):
                continue  # 项目 | 单位 | 2023年: the header cell of a table, not a project
        last = match
    return last


#: 将街道执法案卷纳入…: a unit after these words is an object, not the subject of the figure.
_OBJECT_MARKERS = set("将把对向为与帮")
_CELL_SEPARATORS = set("|｜\t")


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
    """Indicators that claim the number at ``[vstart, vend)`` of ``text``; best first.

    ``window_start`` is where the number's left context starts (after the previous number of the
    same sentence). A number claimed by two indicators keeps the higher ``priority``, then the
    nearer wording; ``X和Y均N`` gives the number to both, ``X、Y分别为N、M`` pairs names and numbers.

    >>> tax = load_taxonomy()
    >>> t = "出庭应诉率、败诉率分别为100%和2.1%"
    >>> [m.indicator.id for m in match_indicators(tax, t, (0, len(t)), 0, t.index("2.1"), len(t), "%")]
    ['admin_litigation_loss_rate']
    """
    candidates = taxonomy.by_unit.get(unit)
    if not candidates:
        return []
    sentence_text = text[sentence[0] : sentence[1]]
    before = text[sentence[0] : vstart]
    listed = _respectively(candidates, text, sentence, vstart)
    if listed is not None:
        return [_scoped(ind, before, region_name, level, distance) for ind, distance in listed[:1]
                if _allowed(ind, sentence_text, before, "")]
    left = text[window_start:vstart]
    right = text[vend : min(vend + 40, sentence[1])]
    if not taxonomy.any_near.search(left) and not any(c.after for c in candidates):
        return []
    clause = text[max(window_start, _clause_start(text, sentence[0], vstart)) : vstart]
    found: list[Match] = []
    for ind in candidates:
        distance = 0
        hit = ind.near.search(left) if ind.near else None
        pooled = ""
        if hit:
            distance = len(left) - hit.start()
            near_text = ""
            wording = left[hit.start() :]  # a list separator inside the matched wording ends the list too
            cut = hit.start() + wording.rfind("、") + 1 if "、" in wording else hit.start()
            pooled = _pooled_with(taxonomy, ind, left[:cut])
        else:
            after = ind.after.search(right) if ind.after else None
            if after is None:
                continue
            distance, near_text = len(left) + 1, after.group(0)
        if not _allowed(ind, sentence_text, before, clause + near_text):
            continue
        whole = _whole_of_listed_parts(taxonomy, ind, left[:cut]) if hit else None
        if whole is not None:  # 刑事、民事法律援助案件367件: the parts listed together are the total's figure
            ind = whole
        match = _scoped(ind, before, region_name, level, distance)
        found.append(Match(ind, "pooled", pooled, distance) if pooled else match)
    if len(found) > 1:  # a total reached through its listed parts and through its own wording: once
        seen: set[str] = set()
        found = [m for m in found if not (m.indicator.id in seen or seen.add(m.indicator.id))]
    if _SHARED_RE.search(left):  # 参考率和优秀率均超过99%: one value, several indicators
        found.extend(_shared(candidates, left, found, before, sentence_text, region_name, level))
        return found
    if len(found) > 1:
        top = max(m.indicator.priority for m in found)
        found = [m for m in found if m.indicator.priority == top]
        found.sort(key=lambda m: m.distance)
        found = found[:1]
    return found


#: The items of a 、-list right before an indicator's wording: 行政复议、行政诉讼案件共计 → 行政复议.
_LIST_BEFORE_RE = re.compile(r"((?:[\u4e00-\u9fff]{2,8}、)+)[\u4e00-\u9fff]{0,3}$")


def _whole_of_listed_parts(taxonomy: Taxonomy, ind: Indicator, before_wording: str) -> Indicator | None:
    """The total whose parts are listed together before the number (刑事、民事法律援助案件 →
    legal_aid_cases, by :data:`reportlib.parsing.checks.PART_RULES`), when ``ind`` is one of those parts.

    >>> tax = load_taxonomy()
    >>> _whole_of_listed_parts(tax, tax["legal_aid_civil_cases"], "全年办理刑事、").id
    'legal_aid_cases'
    >>> _whole_of_listed_parts(tax, tax["legal_aid_civil_cases"], "全年办理") is None
    True
    """
    found = _LIST_BEFORE_RE.search(before_wording)
    if found is None:
        return None
    items = found.group(1).split("、")[:-1]
    for total, parts in PART_RULES.items():
        if ind.id not in parts or total not in taxonomy.ids:
            continue
        siblings = [taxonomy[p] for p in parts if p != ind.id and p in taxonomy.ids]
        if any(s.wording is not None and s.wording.search(item) for s in siblings for item in items):
            return taxonomy[total]
    return None


def _family(indicator_id: str) -> str:
    """The family of an indicator: legal_aid_civil_cases → legal_aid, admin_litigation_cases → admin_litigation."""
    return "_".join(indicator_id.split("_")[:2])


def _pooled_with(taxonomy: Taxonomy, ind: Indicator, before_wording: str) -> str:
    """The listed category a number shares with this indicator's wording, when the number is a
    pooled total of different kinds (行政复议、行政诉讼案件共计128件 is neither's figure); else ''.

    A list of the indicator's own kinds (刑事、民事法律援助案件) or of verbs (受理、办结) is no pool.

    >>> tax = load_taxonomy()
    >>> _pooled_with(tax, tax["admin_litigation_cases"], "全区办理行政复议、")
    '行政复议'
    >>> _pooled_with(tax, tax["legal_aid_cases"], "办理刑事、民事"), _pooled_with(tax, tax["mediation_disputes"], "排查、")
    ('', '')
    """
    found = _LIST_BEFORE_RE.search(before_wording)
    if found is None:
        return ""
    own = _family(ind.id)
    topics = _topics(taxonomy)
    for item in found.group(1).split("、")[:-1]:
        for topic, families in topics.items():
            if topic in item and own not in families:
                return topic
    return ""


_TOPICS: dict[int, dict[str, frozenset[str]]] = {}


def _topics(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """What each indicator's name is about (its first four characters: 行政复议, 法律援助, 人民调解 …),
    with the families of the indicators so named."""
    key = id(taxonomy)
    if key not in _TOPICS:
        found: dict[str, set[str]] = {}
        for other in taxonomy.indicators:
            found.setdefault(other.name_zh[:4], set()).add(_family(other.id))
        _TOPICS[key] = {topic: frozenset(fams) for topic, fams in found.items() if len(topic) == 4}
    return _TOPICS[key]


def _allowed(ind: Indicator, sentence_text: str, before: str, clause: str) -> bool:
    """The indicator's ``context`` is in the sentence and none of its exclusions is."""
    if ind.context and not all(c.search(sentence_text) for c in ind.context):
        return False
    if ind.exclude and ind.exclude.search(before):
        return False
    return not (ind.exclude_near and ind.exclude_near.search(clause))


def _scoped(ind: Indicator, before: str, region_name: str, level: str, distance: int) -> Match:
    """A :class:`Match` with the scope the wording before the number gives it."""
    scope, word = scope_of(before, region_name, level)
    if ind.subgroup:
        sub = _last(ind.subgroup, before)
        whole = _last(SCOPE_RE, before)
        if sub and not (whole and whole.group("whole") and whole.start() > sub.start()):
            scope, word = "subgroup", sub.group(0)
    if scope in ("", "whole"):
        partial = PARTIAL_RE.search(before)
        if partial:
            scope, word = "partial", partial.group(0)
    return Match(indicator=ind, scope=scope, scope_word=word, distance=distance)


_CLAUSE_BREAKS = "，,;；:：。\n"


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last ，；： before it, not before ``lo``)."""
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in _CLAUSE_BREAKS:
            return i + 1
    return lo


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
            if not _allowed(ind, sentence_text, before, ""):
                continue
            extra.append(_scoped(ind, before, region_name, level, len(left) - cut.start()))
            have.add(ind.id)
    return extra


# --------------------------------------------------------------------------- 分别 lists

#: One number of a list after 分别, with its hedges and unit: 462件 · 约1.2万元 · 100%.
_LIST_ITEM = rf"{HEDGED_NUMBER_RE}(?:[^\d、和及与，,;；。\s]{{0,3}}?)"
_LIST_SEP = rf"[ ]?(?:{LIST_JOINER_RE}|,)[ ]?"
_RESPECTIVELY_RE = re.compile(r"分别(?:为|是|达到|达|有|在|占)?[ ]?")
_LIST_RE = re.compile(rf"(?:{_LIST_ITEM}{_LIST_SEP})*{_LIST_ITEM}")
_NUMBER_RE = re.compile(DIGITS_RE)
_NAME_SEP_RE = re.compile(r"、|以及")
_NAME_CONJ_RE = re.compile(r"[和及与]")
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
#: Added to the pre-filter: a number right after a list separator may be the k-th of a 分别 list.
_LIST_CONTINUES = rf"(?:{LIST_JOINER_RE})[ ]?(?:{HEDGE_PREFIX_RE})?$"


def _respectively(candidates, text: str, sentence: tuple[int, int], vstart: int) -> list[tuple[Indicator, int]] | None:
    """For the k-th number of ``A、B、C分别为x、y、z``, the indicator named k-th; None when the
    number is not in such a list, [] when it is but its name belongs to no candidate, or when the
    list has fewer names than numbers (``法律顾问分别为120、130人``: two years? two sub-groups?).

    A plain list of same-unit numbers right after the names, without 分别 (``受理、审结行政复议案件
    462、333件``), pairs the same way.

    >>> tax = load_taxonomy()
    >>> t = "全年受理、审结行政复议案件分别为462件、333件"
    >>> [ind.id for ind, _ in _respectively(tax.by_unit["件"], t, (0, len(t)), t.index("333"))]
    ['admin_reconsideration_closed']
    >>> t = "全年受理、审结行政复议案件462、333件"
    >>> [ind.id for ind, _ in _respectively(tax.by_unit["件"], t, (0, len(t)), t.index("462"))]
    ['admin_reconsideration_accepted']
    >>> t = "全年办理法律援助案件367、2889件"
    >>> _respectively(tax.by_unit["件"], t, (0, len(t)), t.index("367"))
    []
    """
    lo = sentence[0]
    sentence_text = text[lo : sentence[1]]
    head = text[max(lo, vstart - 120) : vstart]
    hit = None
    for found in _RESPECTIVELY_RE.finditer(head):
        hit = found
    if hit is not None:
        list_start = vstart - len(head) + hit.end()
        numbers = _LIST_RE.match(text, list_start)
        if numbers is not None and numbers.end() > vstart:
            starts = [m.start() for m in _NUMBER_RE.finditer(text, list_start, numbers.end())]
            if vstart in starts:
                names_end = vstart - len(head) + hit.start()
                names_start = _clause_start(text, lo, names_end)
                if not text[names_start:names_end].strip() and names_start > lo:  # 受理和审结的案件，分别为…
                    names_end = names_start - 1
                    names_start = _clause_start(text, lo, names_end)
                names = _names(text[names_start:names_end], len(starts))
                if len(starts) < 2:
                    return None
                if len(names) < len(starts):
                    return []  # 法律顾问分别为120、130人: more numbers than names, no pairing
                return _pair(candidates, names, starts.index(vstart), len(starts), vstart - names_end, sentence_text)
    plain = _plain_list(text, lo, sentence[1], vstart)
    if plain is None:
        return None
    list_start, starts = plain
    names_text = text[_clause_start(text, lo, list_start) : list_start]
    if not names_text.strip():
        return None
    names = _names(names_text, len(starts))
    if len(names) < len(starts):
        return []
    return _pair(candidates, names, starts.index(vstart), len(starts), vstart - list_start, sentence_text)


def _pair(candidates, names: list[str], k: int, n: int, distance: int, sentence_text: str) -> list[tuple[Indicator, int]]:
    """The indicator named by the k-th of the last ``n`` names, or [] when none is. An indicator
    whose ``context`` is not in the sentence cannot be named (受理信访事项 is no 复议 受理)."""
    names = names[-n:]
    name = names[k]
    candidates = [ind for ind in candidates if all(c.search(sentence_text) for c in ind.context)]
    # the name alone (受理), or with the noun the list shares at its end (受理 + 行政复议案件)
    for probe in (name, name + names[-1]):
        best: tuple[int, int, int, Indicator] | None = None
        for ind in candidates:
            found = ind.wording.search(probe) if ind.wording else None
            if found is None or found.start() >= len(name):
                continue
            key = (found.start(), -ind.priority, -len(found.group(0)), ind)
            if best is None or key[:3] < best[:3]:
                best = key
        if best is not None:
            return [(best[3], distance)]
    return []


#: One number of a plain list (no 分别), with hedges, multiplier and an optional unit.
_PLAIN_ITEM_RE = re.compile(
    rf"(?:{HEDGE_PREFIX_RE})?(?P<num>{DIGITS_RE})[ ]?(?:{HEDGE_INFIX_RE})?(?:{MULTIPLIER_RE})?(?:{HEDGE_INFIX_RE})?"
    rf"(?P<unit>{_UNIT_ALT})?"
)
_PLAIN_SEP_RE = re.compile(rf"[ ]?(?:{LIST_JOINER_RE})[ ]?")
_PLAIN_HEAD_RE = re.compile(
    rf"(?:{HEDGED_NUMBER_RE}(?:{_UNIT_ALT})?[ ]?(?:{LIST_JOINER_RE})[ ]?)+(?:{HEDGE_PREFIX_RE})?$"
)
#: Characters a list's next number may follow: the end of a joiner or of a hedge (、 和 约 超过 …).
_PLAIN_BEFORE = frozenset(w[-1] for w in (*LIST_JOINERS, *HEDGE_PREFIXES))


def _plain_list(text: str, lo: int, hi: int, vstart: int) -> tuple[int, list[int]] | None:
    """(start, number starts) of the plain list of numbers holding ``vstart``: at least two numbers,
    nothing but 、/和/及/与 between them, one unit (after the last, or the same after each).

    >>> t = "审结462、约333件，纠错12件和30件，办理367件、1,500人次"
    >>> _plain_list(t, 0, len(t), t.index("333")), _plain_list(t, 0, len(t), t.index("12"))
    ((2, [2, 7]), (14, [14, 18]))
    >>> _plain_list(t, 0, len(t), t.index("367")) is None  # 件 and 人次: not one list
    True
    """
    start = vstart
    if vstart > lo and text[vstart - 1] in _PLAIN_BEFORE:
        head = _PLAIN_HEAD_RE.search(text, max(lo, vstart - 80), vstart)
        if head is not None:
            start = head.start()
    else:  # cheap test that the number opens a list
        item = _PLAIN_ITEM_RE.match(text, vstart, hi)
        if item is None or _PLAIN_SEP_RE.match(text, item.end(), hi) is None:
            return None
    starts: list[int] = []
    units: list[str] = []
    pos = start
    while True:
        item = _PLAIN_ITEM_RE.match(text, pos, hi)
        if item is None:
            break
        starts.append(item.start("num"))
        units.append(item.group("unit") or "")
        sep = _PLAIN_SEP_RE.match(text, item.end(), hi)
        if sep is None:
            break
        pos = sep.end()
    if len(starts) < 2 or vstart not in starts or not units[-1]:
        return None
    if any(u and u != units[-1] for u in units[:-1]):
        return None
    return start, starts


def _names(text: str, n: int) -> list[str]:
    """The names of a list: split at 、, then at 和/及/与 from the end until there are ``n``
    (so that 调解和解 stays whole when 、 already separates the names).

    >>> _names("全年行政复议纠错、调解和解结案", 2), _names("出庭应诉率和败诉率", 2)
    (['全年行政复议纠错', '调解和解结案'], ['出庭应诉率', '败诉率'])
    """
    names = [s for s in _NAME_SEP_RE.split(text) if s.strip()]
    while 0 < len(names) < n:
        for i in range(len(names) - 1, -1, -1):
            conj = [m.start() for m in _NAME_CONJ_RE.finditer(names[i]) if 0 < m.start() < len(names[i]) - 1]
            if conj:
                cut = conj[-1]
                names[i : i + 1] = [names[i][:cut], names[i][cut + 1 :]]
                break
        else:
            break
    return names
