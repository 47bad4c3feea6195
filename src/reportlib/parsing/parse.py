"""Parse one report: bytes → view → metadata, sections, mentions, metrics. Pure per document.

The result is plain Python records (tuples and dicts), cheap to pickle between processes;
frames are built once, for the whole corpus, in :mod:`reportlib.corpus.reader`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import signal
import stat
import sys
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlib.core.errors import InputError
from reportlib.core.records import (  # noqa: F401 - the column orders, public here as before
    MENTION_COLUMNS,
    METRIC_COLUMNS,
    PROBLEM_COLUMNS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
)
from reportlib.parsing.checks import run_checks
from reportlib.parsing.indicators import Taxonomy, load_taxonomy, match_indicators
from reportlib.parsing.mentions import Scan, column_year, implausible, scan, to_float
from reportlib.parsing.metadata import Metadata, extract_metadata
from reportlib.parsing.sections import Heading, find_headings
from reportlib.reading.document import Table, find_tables
from reportlib.reading.formats import to_simplified
from reportlib.reading.normalize import TERMINATORS, View, build_view, halfwidth

#: A report is tens of kilobytes; anything this large is not one report (and would not fit the frames).
MAX_BYTES = 20 * 1024 * 1024
#: The note of a mention whose magnitude no report states (see :data:`reportlib.parsing.mentions.IMPLAUSIBLE`).
IMPLAUSIBLE_NOTE = "implausible magnitude: kept as written, not used"



@dataclass
class ParsedReport:
    """Everything one report yields, as rows for the corpus frames."""

    report: dict
    sections: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    metrics: list[tuple] = field(default_factory=list)
    problems: list[tuple] = field(default_factory=list)
    checks: list[tuple] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """The bytes of one input, or an :class:`InputError` saying why not."""
    name = str(path)
    try:
        if not path.exists():
            raise InputError(name, "file does not exist")
        if path.is_dir():
            raise InputError(name, "is a directory, not a file")
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero never ends
            raise InputError(name, "not a regular file (a pipe, device or socket), not a report file")
        if st.st_size > MAX_BYTES:
            raise InputError(name, f"file is too large ({st.st_size / 1e6:.0f} MB > {MAX_BYTES / 1e6:.0f} MB)")
        with path.open("rb") as handle:  # never more than the cap, even if the file grows meanwhile
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(name, f"file is too large (over {MAX_BYTES / 1e6:.0f} MB)")
        return data
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None


def parse_path(path: Path | str, taxonomy: Taxonomy | None = None) -> ParsedReport:
    """Read and parse one file; raises :class:`InputError` when it cannot be read or is no report."""
    path = Path(path)
    data = read_bytes(path)
    return parse_bytes(data, str(path), taxonomy)


def parse_bytes(data: bytes, source: str, taxonomy: Taxonomy | None = None) -> ParsedReport:
    """Parse the bytes of one report named ``source``."""
    from reportlib.reading.formats import extract

    extracted = extract(data, source)
    return parse_text(
        extracted.text,
        source,
        sha256=hashlib.sha256(data).hexdigest(),
        page_meta=extracted.meta,
        fmt=extracted.format,
        encoding=extracted.encoding,
        taxonomy=taxonomy,
    )


def parse_text(
    text: str,
    source: str = "<text>",
    *,
    sha256: str | None = None,
    page_meta: dict[str, str] | None = None,
    fmt: str = "txt",
    encoding: str = "utf-8",
    taxonomy: Taxonomy | None = None,
) -> ParsedReport:
    """Parse decoded report text. Offsets in the result refer to ``text``."""
    taxonomy = taxonomy or load_taxonomy()
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    report_id = sha256[:12]
    script = (page_meta or {}).get("script")  # the extractor's script detection, when it ran one
    view = build_view(text, simplify=None if script is None else script == "traditional")
    if not view.text.strip():
        raise InputError(source, "no text left after removing page furniture")
    meta = extract_metadata(view, page_meta)
    if not meta.title and meta.report_year is None:
        raise InputError(source, "not a report: no title naming 法治政府建设 and no report year found")
    headings = find_headings(view.text)
    result = ParsedReport(report={})
    problems = result.problems
    if not meta.title:
        problems.append((source, report_id, "warning", "metadata", "no title line naming 法治政府建设…报告 found"))
    if meta.report_year is None:
        problems.append((source, report_id, "warning", "metadata", "report year not found in the title or first lines"))
    if not meta.issuer:
        problems.append((source, report_id, "warning", "metadata", "issuer not found in the title, page metadata, signature or first sentences"))
    elif meta.region is None:
        problems.append((source, report_id, "warning", "metadata", f"no administrative division found in issuer {meta.issuer!r}"))
    if _looks_truncated(view):
        problems.append((source, report_id, "warning", "parse", "text ends mid-sentence: the file looks truncated; parsed what is there"))

    region = meta.region
    common = {
        "report_id": report_id,
        "source": source,
        "issuer": meta.issuer,
        "region": region.name if region else "",
        "region_code": region.code if region else "",
        "report_year": meta.report_year,
    }
    section_ids = _section_rows(result, headings, view, report_id, source)
    sc = scan(view)
    tables = find_tables(text)
    _mention_rows(result, sc, headings, section_ids, meta, common, taxonomy, tables)
    _select_metrics(result, taxonomy)
    simplified = view.text
    result.report = {
        "report_id": report_id,
        "source": source,
        "sha256": sha256,
        "title": meta.title,
        "issuer": meta.issuer,
        "issuer_kind": meta.issuer_kind,
        "province": region.province if region else "",
        "city": region.city if region else "",
        "county": region.county if region else "",
        "region": region.name if region else "",
        "region_code": region.code if region else "",
        "level": region.level if region else "",
        "report_year": meta.report_year,
        "doc_number": meta.doc_number,
        "issued_date": meta.issued_date,
        "published_date": meta.published_date,
        "addressees": meta.addressees,
        "cc": meta.cc,
        "n_chars": len(text),
        "format": fmt,
        "encoding": encoding,
        "traditional": view.traditional,
        "text_hash": hashlib.sha256("".join(simplified.split()).encode("utf-8")).hexdigest()[:16],
        "n_sections": len(result.sections),
        "n_mentions": len(result.mentions),
        "n_metrics": len(result.metrics),
        "issuer_from": meta.issuer_from,
        "region_from": meta.region_from if region else "none",
        "year_from": meta.year_from,
        "issued_from": meta.issued_from,
        "published_from": meta.published_from,
    }
    result.checks = run_checks(result)
    return result


def _looks_truncated(view: View) -> bool:
    tail = view.text.rstrip()
    if not tail:
        return False
    last_line = tail[tail.rfind("\n") + 1 :].strip()
    return len(last_line) > 40 and last_line[-1] not in TERMINATORS and last_line[-1] not in "。)）”\"'》"


def _section_rows(result: ParsedReport, headings: list[Heading], view: View, report_id: str, source: str) -> list[str]:
    ids = [f"{report_id}-s{h.index + 1:02d}" for h in headings]
    for h, sid in zip(headings, ids, strict=True):
        start, end = view.span_to_original(h.vstart, h.vend)
        result.sections.append(
            (report_id, source, sid, ids[h.parent] if h.parent is not None else "", h.level, h.marker, h.heading, h.part, start, end)
        )
    return ids


def _mention_rows(
    result: ParsedReport,
    sc: Scan,
    headings: list[Heading],
    section_ids: list[str],
    meta: Metadata,
    common: dict,
    taxonomy: Taxonomy,
    tables: list[Table] | None = None,
) -> None:
    view = sc.view
    tables = tables or []
    table_starts = [t.start for t in tables]
    text = view.text
    any_near, any_after = _prefilters(taxonomy)
    region_name = meta.region.name if meta.region else ""
    level = meta.region.level if meta.region else ""
    report_year = meta.report_year
    original = view.original
    year_row: tuple[int, str, list] | None = None  # the last table row with year columns and its matches
    last_sent: tuple[int, int] | None = None
    sentence_text, s_start, s_end = "", 0, 0
    heading_starts = [h.vstart for h in headings]
    prev_end_in_sentence = -1
    prev_sentence = -1
    rows = result.mentions
    rid = common["report_id"]
    for n, m in enumerate(sc.mentions):
        sent = sc.sentences[m.sentence_index] if sc.sentences else (0, len(text))
        if m.sentence_index != prev_sentence:
            prev_end_in_sentence, prev_sentence = sent[0], m.sentence_index
        window_start = max(sent[0], prev_end_in_sentence, m.vstart - 48)
        if sent[1] - sent[0] > 2 * SENTENCE_WINDOW:  # a run-on paragraph: the clauses around the number
            sent = _around(text, sent, m.vstart, m.vend)
        prev_end_in_sentence = m.vend
        q = m.quantity
        heading = _deepest(headings, heading_starts, m.vstart)
        part = _part_of(headings, heading)
        matches = []
        year = None
        cell = _table_cell(tables, table_starts, m.start) if tables else None
        if m.kind in ("level", "share") and q.unit in taxonomy.by_unit and cell is not None \
                and not implausible(q.value):
            # a table cell: its row's label (or its column's header) names it, its column's header gives the year
            table, r, c = cell
            year = table.column_year(c)
            if _CHANGE_HEADER_RE.search(table.column_header(c)):
                m.kind = "change"  # a 增减 / 同比 column holds changes, not levels
            number = text[m.vstart : m.vend]
            for label in (table.row_label(r), table.column_header(c) if c else ""):
                if label and not matches:
                    mini = _reading_label(label, view) + number
                    matches = match_indicators(taxonomy, mini, (0, len(mini)), 0, len(mini) - len(number), len(mini),
                                               q.unit, region_name, level)
        elif m.kind in ("level", "share") and q.unit in taxonomy.by_unit and not implausible(q.value):
            if any_near.search(text, window_start, m.vstart) or any_after.match(text, m.vend):
                matches = match_indicators(taxonomy, text, sent, window_start, m.vstart, m.vend, q.unit, region_name, level)
            if report_year and (matches or year_row is not None):
                year = column_year(original, m.start, m.end)
            if year is not None:  # a row with one value per year: its label names every value of the row
                row = original.rfind("\n", 0, m.start)
                if matches:
                    year_row = (row, q.unit, matches)
                elif year_row is not None and year_row[:2] == (row, q.unit):
                    matches = year_row[2]
        if sent != last_sent:  # the mentions of one sentence share its text: one string, not one per mention
            last_sent, sentence_text = sent, text[sent[0] : sent[1]]
            s_start, s_end = view.span_to_original(*sent)
        base = (
            q.unit, sys.intern(q.unit_raw), q.approx, q.qualifier,
        )
        if not matches:
            rows.append(_mention(common, "", to_float(q.value), base, m, sentence_text, rid, n, heading, section_ids, part,
                                 "", "", 0.0, IMPLAUSIBLE_NOTE if implausible(q.value) else "", s_start, s_end, m.kind))
            continue
        for match in matches:
            ind = match.indicator
            kind = m.kind
            if kind == "share" and ind.share_is_level:
                kind = "level"
            scope, scope_word = match.scope, match.scope_word
            if year is not None and year < report_year:  # 法律援助案件 | 件 | 2,100 | 2,675 under 2022年 | 2023年
                scope, scope_word = "year", f"{year}年"
            confidence, note = _mention_confidence(scope, scope_word, kind, part)
            rows.append(_mention(common, ind.id, to_float(q.value), base, m, sentence_text, rid, n, heading, section_ids,
                                 part, scope, scope_word, confidence, note, s_start, s_end, kind))


#: Column headers of changes and shares: 增减 · 同比增长 · 增幅 · 变化 · 比上年.
_CHANGE_HEADER_RE = re.compile(r"增减|增长|增幅|降幅|减少|变化|变动|同比|环比|比上年|较上年|比去年")


def _table_cell(tables: list[Table], starts: list[int], pos: int) -> tuple[Table, int, int] | None:
    """The table, row and column of a data cell holding offset ``pos`` of the original, or None."""
    i = bisect_right(starts, pos) - 1
    if i < 0 or pos >= tables[i].end:
        return None
    found = tables[i].locate(pos)
    if found is None or found[0] < tables[i].header_rows or found[1] == 0:
        return None
    return tables[i], found[0], found[1]


def _reading_label(label: str, view: View) -> str:
    text = "".join(halfwidth(label).split())
    if view.simplified:
        converted = to_simplified(text)
        text = converted if len(converted) == len(text) else text
    return text


#: How far either side of a number its sentence is read (for wording, scope and evidence) when the
#: sentence is very long: every step then costs the same whatever the paragraph's length.
SENTENCE_WINDOW = 400


def _around(text: str, sent: tuple[int, int], vstart: int, vend: int) -> tuple[int, int]:
    """The part of a very long sentence around ``[vstart, vend)``: at most :data:`SENTENCE_WINDOW`
    characters either side, cut at clause breaks where there are some.

    >>> t = "，".join(f"办理案件{i}件" for i in range(300)) + "。"
    >>> i = t.index("150件"); s, e = _around(t, (0, len(t)), i, i + 4)
    >>> t[s:s + 4], t[e - 1], e - s <= 2 * SENTENCE_WINDOW + 4
    ('办理案件', '，', True)
    """
    lo, hi = max(sent[0], vstart - SENTENCE_WINDOW), min(sent[1], vend + SENTENCE_WINDOW)
    cut = text.find("，", lo, vstart)
    if lo > sent[0] and cut >= 0:
        lo = cut + 1
    cut = text.rfind("，", vend, hi)
    if hi < sent[1] and cut >= 0:
        hi = cut + 1
    return lo, hi


_PREFILTERS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _prefilters(taxonomy: Taxonomy) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Cheap tests that a number could belong to some indicator: any keyword before it, any
    ``after`` wording behind it. Most numbers fail both and skip the per-indicator matching."""
    key = id(taxonomy)
    if key not in _PREFILTERS:
        afters = [i.after.pattern.removeprefix("^") for i in taxonomy.indicators if i.after is not None]
        any_after = re.compile("|".join(f"(?:{a})" for a in afters) if afters else "(?!)")
        _PREFILTERS[key] = (taxonomy.any_near, any_after)
    return _PREFILTERS[key]


def _mention(common, indicator, value, base, m, sentence_text, rid, n, heading, section_ids, part, scope, scope_word,
             confidence, note, s_start, s_end, kind) -> tuple:
    unit, unit_raw, approx, qualifier = base
    return (
        rid, common["source"], common["issuer"], common["region"], common["region_code"], common["report_year"],
        indicator, value, unit, unit_raw, approx, qualifier, kind, m.raw, sentence_text, m.start, m.end,
        f"{rid}-m{n + 1:03d}", section_ids[heading.index] if heading else "", heading.heading if heading else "",
        part, scope, scope_word, confidence, False, note, s_start, s_end,
    )


def _part_of(headings: list[Heading], heading: Heading | None) -> str:
    """The required-content part a position under ``heading`` (its deepest heading) falls in: the
    nearest part named by the heading or one of its ancestors (what :func:`reportlib.parsing.sections.part_at` finds)."""
    while heading is not None:
        if heading.part:
            return heading.part
        heading = headings[heading.parent] if heading.parent is not None else None
    return ""


def _deepest(headings: list[Heading], starts: list[int], pos: int) -> Heading | None:
    i = bisect_right(starts, pos) - 1
    while i >= 0:
        h = headings[i]
        if h.vstart <= pos < h.vend:
            return h
        i -= 1
    return None


_SCOPE_NOTES = {
    "sub": "figure of a sub-unit ({word}), not the jurisdiction's total",
    "subgroup": "figure of a sub-group ({word}), not the total",
    "other": "figure of another jurisdiction ({word})",
    "partial": "figure for part of the year ({word})",
    "year": "figure for an earlier year (the {word} column of a table), not the report year's",
    "pooled": "a total pooled with {word} (several kinds listed together), not this indicator's figure",
}


def _mention_confidence(scope: str, word: str, kind: str, part: str) -> tuple[float, str]:
    if scope in _SCOPE_NOTES:
        return 0.3, _SCOPE_NOTES[scope].format(word=word)
    if kind != "level":
        return 0.5, f"a {kind}, not a level"
    if part == "plans":
        return 0.4, "in the plans for next year"
    if scope == "whole":
        return 0.95, f"whole-jurisdiction figure ({word})"
    return 0.8, ""


_M = {name: i for i, name in enumerate(MENTION_COLUMNS)}


def _score(row: tuple, rate: bool) -> tuple:
    """Best evidence first: confidence, then the main-results part, then the larger total
    (a whole is at least any of its parts) — or, for rates, the earlier statement."""
    size = -row[_M["start"]] if rate else row[_M["value"]]
    return (row[_M["confidence"]], row[_M["part"]] in ("measures", ""), size)


def _select_metrics(result: ParsedReport, taxonomy: Taxonomy) -> None:
    """One primary row per indicator: the whole-jurisdiction level figure, best evidence first."""
    by_indicator: dict[str, list[int]] = {}
    for i, row in enumerate(result.mentions):
        if row[_M["indicator"]]:
            by_indicator.setdefault(row[_M["indicator"]], []).append(i)
    order = {ind: k for k, ind in enumerate(taxonomy.ids)}
    mentions = result.mentions
    for ind_id in sorted(by_indicator, key=lambda x: order.get(x, 999)):
        ind = taxonomy[ind_id]
        rows = [mentions[i] for i in by_indicator[ind_id]]
        eligible = [r for r in rows if r[_M["confidence"]] >= 0.75 and r[_M["kind"]] == "level"]
        if not eligible:
            continue

        best = max(eligible, key=lambda r, rate=ind.kind == "rate": _score(r, rate))
        others = sorted({r[_M["raw"]] for r in eligible if r[_M["value"]] != best[_M["value"]]})
        confidence = best[_M["confidence"]]
        reasons = [best[_M["note"]] or "only level figure with this wording"]
        if best[_M["part"]] == "measures":
            reasons.append("in the main-results part")
        if others:
            confidence = round(confidence - 0.2, 2)
            reasons.append(f"other values for this indicator: {', '.join(others)}")
        if len(rows) > len(eligible):
            reasons.append(f"{len(rows) - len(eligible)} sub-scope or non-level mention(s) kept in mentions")
        idx = by_indicator[ind_id][rows.index(best)]
        mentions[idx] = (*mentions[idx][: _M["promoted"]], True, *mentions[idx][_M["promoted"] + 1 :])
        b = best
        result.metrics.append(
            (
                b[_M["report_id"]], b[_M["source"]], b[_M["issuer"]], b[_M["region"]], b[_M["region_code"]],
                b[_M["report_year"]], ind_id, ind.name_for(b[_M["sentence"]], b[_M["raw"]]), b[_M["value"]], b[_M["unit"]], b[_M["unit_raw"]],
                b[_M["approx"]], b[_M["qualifier"]], b[_M["kind"]], b[_M["raw"]], b[_M["sentence"]], b[_M["start"]],
                b[_M["end"]], b[_M["mention_id"]], b[_M["section"]], confidence, "; ".join(reasons), len(rows),
                " | ".join(sorted({r[_M["raw"]] for r in rows if r is not best})),
            )
        )


# --------------------------------------------------------------------------- one file, never raising

#: Seconds one file may take to parse (a report takes milliseconds; a hostile file is stopped).
PARSE_SECONDS = 120


class _ParseTimeout(Exception):
    pass


def _on_alarm(signum, frame) -> None:
    raise _ParseTimeout


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_ParseTimeout` in the block after ``seconds`` (main thread only, and only when
    no other timer is running; elsewhere the block runs unlimited)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_one(path: Path) -> ParsedReport | tuple:
    """Parse one file; a problem row instead of an exception when it cannot be read or parsed
    (or takes longer than :data:`PARSE_SECONDS`).

    A pure function of the file: safe to map with processes, Dask or Spark, then
    :func:`reportlib.corpus.reader.assemble`.
    """
    try:
        with _time_limit(PARSE_SECONDS):
            return parse_path(path)
    except _ParseTimeout:
        return (str(path), "", "error", "parse", f"took longer than {PARSE_SECONDS} s to parse: not read")
    except InputError as exc:
        return (exc.path, "", "error", "read", exc.reason)
    except RecursionError:  # pragma: no cover - defensive: pathological input
        return (str(path), "", "error", "parse", "text too deeply nested to parse")
    except MemoryError:
        return (str(path), "", "error", "parse", "too large to parse in the memory available: not read")
    except Exception as exc:
        return (str(path), "", "error", "parse", f"internal error while parsing ({type(exc).__name__}: {exc}); please report it")
