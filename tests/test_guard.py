"""The first-character guard changes how fast a pattern is searched, never what it finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportlib.core.guard import AnyOf, first_class, guarded, max_width, search_tail
from reportlib.parsing.indicators import PARTIAL_RE, SCOPE_RE, load_taxonomy
from reportlib.parsing.mentions import SCAN_RE
from reportlib.parsing.sections import HEADING_RE

#: Characters the parser's patterns care about, so that random strings hit them often.
ALPHABET = st.sampled_from(list("法律援助案件调解纠纷受理审结复议全区市各级司法所一二三十百千是、，。；：:\n 0123456789.%元万件人次第（）()年月日约近余"))
TEXT = st.text(alphabet=ALPHABET, max_size=80)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def _taxonomy_patterns() -> list[str]:
    tax = load_taxonomy()
    out = []
    for ind in tax.indicators:
        for pattern in (ind.wording, ind.exclude, ind.subgroup, *ind.context):
            if pattern is not None:
                out.append(pattern.pattern)
    return out


PATTERNS = [
    r"(?<!刑事)法律援助(?:案件|案)|法援|[调化]解",
    r"(?:\d+|[一二三])件",
    r"[a-c][x-z]+|第\d+",
    r"(?P<a>全(?P<b>[区市]))(?:各级)?|司法所",
    *_taxonomy_patterns(),
]


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_a_guarded_pattern_finds_exactly_what_the_plain_one_finds(pattern, text):
    assert _spans(guarded(pattern), text) == _spans(re.compile(pattern), text)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_the_parsers_guarded_patterns_match_their_unguarded_selves(text):
    for pattern in (SCAN_RE, HEADING_RE, SCOPE_RE, PARTIAL_RE):
        inner = pattern.pattern[pattern.pattern.index("(?:") + 3 : pattern.pattern.rindex(")")]
        assert pattern.pattern.startswith("(?=[")
        assert _spans(pattern, text) == _spans(re.compile(inner, pattern.flags), text)


def test_the_first_class_holds_the_first_character_of_every_match():
    text = "全区共办理法律援助案件367件，化解纠纷二十件，第3批"
    for pattern in PATTERNS:
        body = first_class(pattern)
        if body is None:
            continue
        first = re.compile(f"[{body}]")
        for match in re.finditer(pattern, text):
            if match.group(0):
                assert first.match(match.group(0)), (pattern, match.group(0))


@pytest.mark.parametrize(
    "pattern",
    [r"a?", r"(?:办理)?[^，。]{0,4}?公证", r".件", r"(?>a|b)c", r"(a)?\1b", r"$", r"(?i:abc)", r"(?i)abc"],
    ids=["can-be-empty", "negated-class-first", "any-char", "atomic-group", "backreference-first", "anchor-only",
         "case-folded-group", "case-folded-pattern"],
)
def test_no_guard_when_the_first_character_is_unknown(pattern):
    assert first_class(pattern) is None
    assert guarded(pattern).pattern == pattern


def test_an_invalid_pattern_still_fails_to_compile():
    with pytest.raises(re.error):
        guarded("法律(援助")


def test_verbose_patterns_keep_their_trailing_comment_outside_the_group():
    pattern = guarded("法律 援助  # a comment at the very end", re.VERBOSE)
    assert pattern.search("法律援助").group(0) == "法律援助"


def test_any_of_answers_whether_any_pattern_occurs():
    anyof = AnyOf(["法律援助案件", r"(?:办理)?[^，。]{0,4}?公证", "纠纷$"])
    assert len(anyof.patterns) == 2  # the guarded alternation and the unguarded rest
    assert anyof.search("全年办理各类公证") is not None
    assert anyof.search("调处矛盾纠纷") is not None
    assert anyof.search("调处矛盾纠纷", 0, 4) is None  # the window ends before 纠纷
    assert anyof.search("开展普法宣传活动") is None


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_a_tail_search_of_an_anchored_pattern_equals_a_full_search(text):
    for source in (r"(?:增长|下降|增|降)了?(?:约|近|超过)?$", r"占[^，,。；;]{0,12}?(?:的|比例)?(?:为|达)?$", r"(?:均|都)(?:达到|为)?$"):
        pattern = re.compile(source)
        width = max_width(pattern)
        assert width is not None
        full, tail = pattern.search(text), search_tail(pattern, width, text)
        assert (full and full.span()) == (tail and tail.span())
        end = len(text) // 2  # a tail that ends inside the text: as if the text ended there
        full, tail = pattern.search(text[:end]), search_tail(pattern, width, text, end)
        assert (full and full.span()) == (tail and tail.span())


def test_unbounded_patterns_have_no_width_and_are_searched_whole():
    pattern = re.compile(r"共+$")
    assert max_width(pattern) is None
    assert search_tail(pattern, None, "共" * 50).span() == (0, 50)
