"""Faster ``search`` for the parser's big alternations: a first-character guard.

Python's regex engine tries every branch of an alternation at every position of the string. The
indicator wording (``法律援助案件|调解…纠纷|受理…复议|…``) is a long alternation searched in a short
window before each number, so most of the time goes into branches that cannot start there. When
every match of a pattern must start with one of a known set of characters, prefixing the pattern
with a look-ahead for that set (``(?=[法调受…])``) lets the engine reject a position with one
character test. The look-ahead holds for every match, so matches, spans and groups are unchanged.

The first characters are read off the pattern's parse tree (:mod:`re._parser`). Anything the
reader does not know (``.``, a negated class, case folding, a pattern that can match the empty
string) means "no guard": the pattern is compiled as written.
"""

from __future__ import annotations

import re

try:  # the parser of the standard library's regex engine (CPython 3.11+)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - another Python implementation: no guard
    _p = _c = None

_CATEGORIES = {} if _c is None else {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
}


def first_class(pattern: str, flags: int = 0) -> str | None:
    r"""A character class (without brackets) that holds the first character of every match of
    ``pattern``; None when it is not known or the pattern can match the empty string.

    >>> first_class(r"(?<!刑事)法律援助(?:案件|案)|法援|[调化]解")
    '化法调'
    >>> first_class(r"(?:\d+|[一二三])件"), first_class(r"(?:办理)?[^，。]{0,4}?公证"), first_class(r"a?")
    ('\\d一三二', None, None)
    """
    if _p is None or flags & re.IGNORECASE:
        return None
    try:
        parsed = _p.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:  # (?i) written in the pattern
            return None
        atoms, nullable = _first(parsed)
    except Exception:  # an invalid pattern (compiling it says why) or a construct of a future parser
        return None
    if atoms is None or nullable or not atoms:
        return None
    return "".join(sorted(atoms))


def _first(items) -> tuple[set[str] | None, bool]:
    """(class atoms of the first character, whether the sequence can match empty) of a parsed
    sequence; (None, _) when unknown."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is _c.IN:
            atoms = _class(av)
            if atoms is None:
                return None, False
            return out | atoms, False
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # zero-width: the next item gives the first character
        if op is _c.SUBPATTERN:
            if av[1] & (re.IGNORECASE | re.VERBOSE) or av[2]:  # (?i:…): case folded, not spelled out
                return None, False
            atoms, nullable = _first(av[-1])
        elif op is _c.BRANCH:
            atoms, nullable = set(), False
            for branch in av[1]:
                sub, sub_nullable = _first(branch)
                if sub is None:
                    return None, False
                atoms |= sub
                nullable = nullable or sub_nullable
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, _, body = av
            atoms, nullable = _first(body)
            nullable = nullable or low == 0
        else:  # any character, a negated literal, a back-reference …
            return None, False
        if atoms is None:
            return None, False
        out |= atoms
        if not nullable:
            return out, False
    return out, True


def _class(items) -> set[str] | None:
    atoms: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            atoms.add(re.escape(chr(av)))
        elif op is _c.RANGE:
            atoms.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            atoms.add(_CATEGORIES[av])
        else:  # a negated class
            return None
    return atoms


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with a first-character look-ahead when one is known.

    >>> p = guarded(r"调解[^，]{0,8}?纠纷|法律援助案件")
    >>> p.pattern.startswith("(?=["), p.search("全年共调解各类纠纷").group(0)
    (True, '调解各类纠纷')
    """
    guard = first_class(pattern, flags)
    if guard is None:
        return re.compile(pattern, flags)
    end = "\n)" if flags & re.VERBOSE else ")"  # a trailing comment must not swallow the bracket
    try:
        return re.compile(f"(?=[{guard}])(?:{pattern}{end}", flags)
    except re.error:  # pragma: no cover - e.g. global inline flags: they must stay in front
        return re.compile(pattern, flags)


class AnyOf:
    """A yes/no test for "any of these patterns occurs", as fast as the guards allow.

    The patterns with a known first character are searched as one guarded alternation, the others
    as a plain one. Only the truth of :meth:`search` is meaningful (which of several matches it
    returns is not the leftmost of the alternation of all).

    >>> AnyOf([r"法律援助案件", r"[^，]{0,4}?公证"]).search("办理各类公证") is not None
    True
    """

    def __init__(self, patterns: list[str]) -> None:
        known = [first_class(p) is not None for p in patterns]
        fast = [p for p, k in zip(patterns, known, strict=True) if k]
        slow = [p for p, k in zip(patterns, known, strict=True) if not k]
        self.patterns = [guarded("|".join(f"(?:{p})" for p in fast))] if fast else []
        if slow:
            self.patterns.append(re.compile("|".join(f"(?:{p})" for p in slow)))

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(string) if endpos is None else endpos
        for pattern in self.patterns:
            found = pattern.search(string, pos, end)
            if found is not None:
                return found
        return None


def max_width(pattern: re.Pattern[str]) -> int | None:
    """The longest match ``pattern`` can make, or None when unbounded or unknown: an anchored
    pattern (``…$``) need only be searched in that many characters at the end of a string.

    >>> max_width(re.compile(r"(?:增长|下降|增)了?(?:约|超过)?$")), max_width(re.compile(r"共+$"))
    (5, None)
    """
    if _p is None:  # pragma: no cover
        return None
    try:
        width = _p.parse(pattern.pattern, pattern.flags).getwidth()[1]
    except Exception:  # pragma: no cover
        return None
    return None if width >= _c.MAXREPEAT else int(width)


def search_tail(pattern: re.Pattern[str], width: int | None, text: str, end: int | None = None) -> re.Match[str] | None:
    """``pattern.search(text, 0, end)`` for a pattern anchored at the end (``$``) whose matches are
    at most ``width`` long (:func:`max_width`): only the tail of ``text[:end]`` is tried. (``$``
    also matches before a final line break, hence one character more.)"""
    end = len(text) if end is None else end
    if width is None:
        return pattern.search(text, 0, end)
    return pattern.search(text, max(end - width - 1, 0), end)
