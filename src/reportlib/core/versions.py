"""Versions of one report: a draft (初稿) and its correction (更正版) are not duplicates.

Two reports with the same issuer, year and title (version marks aside) that say different things
are versions of one report. The one kept is decided, in this order, by: a correction mark
(更正/修订) in the file name or title, the later published date, the later issued date, the later
file time. When nothing decides, both are kept and a conflict is listed.
"""

from __future__ import annotations

import os
import re
from typing import Any, NamedTuple

__all__ = ["Decision", "base_title", "decide", "is_correction"]

#: Words that mark a version of a report rather than a different report.
VERSION_WORDS = ("征求意见稿", "送审稿", "初稿", "草稿", "草案", "更正版", "更正稿", "修订版", "修订稿", "修正版",
                 "更正", "修订", "修正", "终稿", "定稿", "正式版", "最终版")
_VERSION_RE = re.compile(r"[(（【\[]?\s*(?:" + "|".join(VERSION_WORDS) + r")\s*[)）】\]]?")
_CORRECTION_RE = re.compile(r"更正|修订|修正")


def base_title(title: str) -> str:
    """``title`` without version marks: the title that versions of one report share.

    >>> base_title("泉州市鲤城区2024年法治政府建设年度报告（更正版）"), base_title("某县报告(初稿)")
    ('泉州市鲤城区2024年法治政府建设年度报告', '某县报告')
    """
    return _VERSION_RE.sub("", title).strip()


def is_correction(source: str, title: str) -> bool:
    """True when the file name or the title says this is a corrected or revised version.

    >>> is_correction("/x/报告-更正版.txt", "报告"), is_correction("a.txt", "报告（修订稿）"), is_correction("a.txt", "报告")
    (True, True, False)
    """
    return bool(_CORRECTION_RE.search(os.path.basename(source)) or _CORRECTION_RE.search(title))


class Decision(NamedTuple):
    """Which of two versions is kept (``keep`` 0 or 1) and why (words for the problems row)."""

    keep: int
    why: str


def _mtime(source: str) -> float | None:
    try:
        return os.stat(source).st_mtime
    except (OSError, ValueError):
        return None


def decide(a: dict[str, Any], b: dict[str, Any]) -> Decision | None:
    """The later of two versions (report rows with ``source``, ``title``, dates), None when nothing decides.

    >>> r = lambda s, t="报告", p="", i="": {"source": s, "title": t, "published_date": p, "issued_date": i}
    >>> decide(r("初稿.txt"), r("更正版.txt"))
    Decision(keep=1, why='marked as corrected or revised')
    >>> decide(r("a.txt", p="2025-03-01"), r("b.txt", p="2025-02-01"))
    Decision(keep=0, why='published later')
    >>> decide(r("/nonexistent/a"), r("/nonexistent/b")) is None
    True
    """
    ca, cb = (is_correction(r["source"], r["title"]) for r in (a, b))
    if ca != cb:
        return Decision(0 if ca else 1, "marked as corrected or revised")
    for column, why in (("published_date", "published later"), ("issued_date", "issued later")):
        da, db = a.get(column) or "", b.get(column) or ""
        if da and db and da != db:
            return Decision(0 if da > db else 1, why)
    ma, mb = _mtime(a["source"]), _mtime(b["source"])
    if ma is not None and mb is not None and ma != mb:
        return Decision(0 if ma > mb else 1, "file is newer")
    return None
