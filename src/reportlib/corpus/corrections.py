"""Corrections that stick: staff's fixes to parsed figures, kept in a CSV and applied after parsing.

A corrections file (``data/corrections.csv`` by default) has one row per fix, for one report
(named by the SHA-256 of its file, so a renamed file keeps its fixes) and one field::

    report_sha256,source,field,action,value,unit,mention_id,raw,note,who,when
    9f…,seeds/001_….txt,legal_aid_cases,set,290,件,,283件,原文笔误,张三,2026-12-04
    9f…,seeds/001_….txt,mediation_disputes,use_mention,,,9f0…-m021,3454件,应取全区数字,张三,2026-12-04
    9f…,seeds/001_….txt,legal_aid_fees_saved,reject,,,,,非本年度数字,张三,2026-12-04
    9f…,seeds/001_….txt,issuer,set,泉州市鲤城区人民政府,,,,,张三,2026-12-04

``field`` is an indicator id or a report field (:data:`METADATA_FIELDS`); ``action`` is ``set``
(更正: this value, in this unit; with ``mention_id`` that number is the evidence), ``use_mention``
(采用: take that number instead) or ``reject`` (否决: the report has no such figure).
``source`` and ``raw`` are what the row was made against: they tell a report whose text changed
from one that is not part of this corpus, and a mention id that now names another number.

:func:`apply_corrections` returns a new :class:`~reportlib.corpus.reader.Corpus`: corrected metrics keep
the parser's value in ``original_value`` (``corrected``, ``correction_note``, ``corrected_by``,
``corrected_at`` say what, why and who), ``corpus.corrections`` logs every row with its status,
and rows that are invalid or stale become ``problems`` instead of being applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from reportlib.core.atomic import write_text_atomic
from reportlib.core.errors import ReportlibError
from reportlib.core.numbers import MULTIPLIERS, UNITS
from reportlib.corpus.reader import CORRECTION_LOG_COLUMNS, Corpus, _frame
from reportlib.corpus.schema import validate_frame
from reportlib.parsing.checks import CHECK_COLUMNS, run_checks
from reportlib.parsing.indicators import Taxonomy, load_taxonomy
from reportlib.parsing.parse import MENTION_COLUMNS, METRIC_COLUMNS
from reportlib.reading.normalize import squeezed

__all__ = [
    "ACTIONS",
    "CORRECTED_COLUMNS",
    "CORRECTION_COLUMNS",
    "LOG_COLUMNS",
    "METADATA_FIELDS",
    "Correction",
    "CorrectionSet",
    "MergeResult",
    "apply_corrections",
    "corrections_key",
    "corrections_text",
    "ensure_corrected_columns",
    "merge_corrections",
    "read_corrections",
    "write_corrections",
]

#: The columns of a corrections file, in order.
CORRECTION_COLUMNS = ("report_sha256", "source", "field", "action", "value", "unit", "mention_id", "raw", "note",
                      "who", "when")
#: Actions and the words staff use for them.
ACTIONS: dict[str, str] = {"set": "set", "更正": "set", "use_mention": "use_mention", "采用": "use_mention",
                           "reject": "reject", "否决": "reject"}
ACTION_ZH = {"set": "更正", "use_mention": "采用另一处数字", "reject": "否决"}
#: Report fields a correction may set, with their Chinese names.
METADATA_FIELDS: dict[str, str] = {
    "title": "标题", "issuer": "发布机关", "issuer_kind": "机关类型", "region": "地区", "region_code": "区划代码",
    "level": "层级", "report_year": "报告年度", "doc_number": "文号", "issued_date": "成文日期",
    "published_date": "发布日期",
}
#: Report fields that the row tables repeat (set there too when corrected).
_REPEATED = ("issuer", "region", "region_code", "report_year")
_CHOICES = {"issuer_kind": ("government", "department", "party_government"), "level": ("province", "city", "county")}
#: The Chinese names staff may write for those choices.
CHOICE_NAMES: dict[str, dict[str, str]] = {
    "issuer_kind": {"人民政府": "government", "政府部门": "department", "党委政府联合": "party_government"},
    "level": {"省级": "province", "市级": "city", "县级": "county"},
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def field_value(field: str, value: str) -> str:
    """A report field's value as stored: Chinese names of choices become their codes.

    >>> field_value("level", "市级"), field_value("level", "city"), field_value("issuer", "市级")
    ('city', 'city', '市级')
    """
    return CHOICE_NAMES.get(field, {}).get(value.strip(), value.strip())
_SHA = re.compile(r"^[0-9a-f]{64}$")

#: Columns :func:`apply_corrections` adds to ``metrics`` (with their empty values).
CORRECTED_COLUMNS: dict[str, Any] = {
    "corrected": False, "correction": "", "original_value": math.nan, "original_raw": "",
    "correction_note": "", "corrected_by": "", "corrected_at": "",
}
#: Columns of ``corpus.corrections``: one row per correction that concerns a report of the corpus
#: (or could not be read), with what it changed and whether it was applied.
LOG_COLUMNS = CORRECTION_LOG_COLUMNS
STATUS_ZH = {"applied": "已应用", "stale": "已过时，未应用", "invalid": "有误，未应用"}


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file (``line`` is its line number, 0 when not from a file)."""

    report_sha256: str
    field: str
    action: str
    value: str = ""
    unit: str = ""
    mention_id: str = ""
    raw: str = ""
    source: str = ""
    note: str = ""
    who: str = ""
    when: str = ""
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.report_sha256, self.field)

    def same_fix(self, other: Correction) -> bool:
        """The same change (who, when and the note aside). A value set without a mention id is
        set on the current figure's evidence, so it matches the same value set on a named number."""
        same_mention = self.mention_id == other.mention_id or (
            self.action == "set" and not (self.mention_id and other.mention_id))
        return (self.action, _canonical(self.value), self.unit) == (other.action, _canonical(other.value), other.unit) \
            and same_mention

    def row(self) -> dict[str, str]:
        values = asdict(self)
        return {col: str(values[col]) for col in CORRECTION_COLUMNS}


@dataclass
class CorrectionSet:
    """The usable rows of a corrections file and the problems of the others."""

    rows: list[Correction]
    problems: list[tuple[int, str]]  # (line, Chinese reason)
    path: str = ""


def _canonical(value: str) -> str:
    """A value as compared: numbers without separators or trailing zeros.

    >>> _canonical("1,290.50"), _canonical("290"), _canonical("泉州市")
    ('1290.5', '290', '泉州市')
    """
    number = _decimal(value)
    if number is None:
        return value.strip()
    text = format(number.normalize(), "f")
    return text


def _decimal(value: str) -> Decimal | None:
    """``'1,290.5'`` → Decimal; None when it is not a plain number.

    >>> _decimal("1,290.5"), _decimal(" 3 "), _decimal("约3"), _decimal("")
    (Decimal('1290.5'), Decimal('3'), None, None)
    """
    text = str(value).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def to_unit(value: Decimal, unit: str, wanted: str) -> Decimal | None:
    """``value`` given in ``unit`` expressed in the indicator's unit ``wanted``; None if they do not fit.

    >>> to_unit(Decimal("502.4"), "万元", "元"), to_unit(Decimal("3"), "", "件"), to_unit(Decimal("3"), "起", "件")
    (Decimal('5024000.0'), Decimal('3'), Decimal('3'))
    >>> to_unit(Decimal("3"), "人", "件") is None
    True
    """
    unit = unit.strip()
    if not unit or unit == wanted:
        return value
    factor = Decimal(1)
    if unit[0] in MULTIPLIERS and len(unit) > 1:
        factor, unit = MULTIPLIERS[unit[0]], unit[1:]
    canonical = UNITS.get(unit, (unit, ""))[0]
    return value * factor if canonical == wanted else None


# ---------------------------------------------------------------------------- reading and writing


def read_corrections(path: str | os.PathLike[str] | None, taxonomy: Taxonomy | None = None) -> CorrectionSet:
    """The rows of a corrections file, checked one by one: each bad row becomes a problem
    (line and reason) and every good row is kept. A missing ``path`` (None) gives no rows;
    a named file that does not exist or has no header raises :class:`ReportlibError`."""
    if path is None:
        return CorrectionSet([], [])
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReportlibError(f"{path}: corrections file not found (create it with `reportlib corrections import`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportlibError(f"{path}: cannot read the corrections file ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("report_sha256", "field", "action") if c not in header]
    if text.strip() and missing:
        raise ReportlibError(f"{path}: not a corrections file (missing columns {', '.join(missing)}; "
                             f"expected {','.join(CORRECTION_COLUMNS)})")
    taxonomy = taxonomy or load_taxonomy()
    rows: list[Correction] = []
    problems: list[tuple[int, str]] = []
    for number, record in enumerate(reader, start=2):
        record = {str(k).strip(): ("" if v is None else str(v).strip()) for k, v in record.items() if k is not None}
        if not any(record.values()):
            continue
        row = Correction(
            report_sha256=record.get("report_sha256", "").lower(), field=record.get("field", ""),
            action=ACTIONS.get(record.get("action", ""), record.get("action", "")),
            value=field_value(record.get("field", ""), record.get("value", "")),
            unit=record.get("unit", ""), mention_id=record.get("mention_id", ""), raw=record.get("raw", ""),
            source=record.get("source", ""), note=record.get("note", ""), who=record.get("who", ""),
            when=record.get("when", ""), line=number,
        )
        problem = check_row(row, taxonomy)
        if problem:
            problems.append((number, problem))
        else:
            rows.append(row)
    rows, clashes = _drop_clashes(rows)
    problems += clashes
    return CorrectionSet(rows, sorted(problems), str(path))


def check_row(row: Correction, taxonomy: Taxonomy) -> str:
    """Why ``row`` cannot be applied as written ('' when it can); Chinese, for the problems list."""
    if not _SHA.match(row.report_sha256):
        return "report_sha256 应为报告文件的 SHA-256（64位十六进制），此行无法对应到报告"
    if not row.field:
        return "缺少 field（指标代码或报告信息项）"
    if row.action not in ACTION_ZH:
        return f"action「{row.action}」无法识别，应为 set（更正）、use_mention（采用）或 reject（否决）"
    if row.field in METADATA_FIELDS:
        if row.action != "set":
            return f"报告信息「{METADATA_FIELDS[row.field]}」只能更正（set），不能{ACTION_ZH[row.action]}"
        return _check_metadata(row.field, row.value)
    if row.action == "set":
        if _decimal(row.value) is None:
            return f"更正数值「{row.value}」不是数字" if row.value else "更正（set）缺少数值"
        if row.field in taxonomy.ids and to_unit(Decimal(1), row.unit, taxonomy[row.field].unit) is None:
            return f"单位「{row.unit}」与指标单位「{taxonomy[row.field].unit}」不符"
    if row.action == "use_mention" and not row.mention_id:
        return "采用另一处数字（use_mention）需要 mention_id（数字编号）"
    return ""


def _check_metadata(field: str, value: str) -> str:
    name = METADATA_FIELDS[field]
    if field == "report_year":
        return "" if re.fullmatch(r"(19|20)\d\d", value) else f"{name}「{value}」应为四位年份"
    if field in ("issued_date", "published_date"):
        ok = value == "" or (_DATE.match(value) and _valid_date(value))
        return "" if ok else f"{name}「{value}」应为 YYYY-MM-DD 格式的日期"
    if field == "region_code":
        return "" if re.fullmatch(r"\d{6}", value) else f"{name}「{value}」应为6位数字"
    if field in _CHOICES:
        return "" if value in _CHOICES[field] else f"{name}「{value}」应为 {'、'.join(_CHOICES[field])} 之一"
    return "" if value else f"{name}不能更正为空"


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _drop_clashes(rows: list[Correction]) -> tuple[list[Correction], list[tuple[int, str]]]:
    """Rows for the same report and field: repeats of one fix are kept once; different fixes
    clash, and none of them is applied (which one is right is the reviewer's call)."""
    by_key: dict[tuple[str, str], list[Correction]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    kept: list[Correction] = []
    problems: list[tuple[int, str]] = []
    for group in by_key.values():
        if all(group[0].same_fix(other) for other in group[1:]):
            kept.append(group[0])
        else:
            lines = "、".join(str(r.line) for r in group)
            for r in group:
                problems.append((r.line, f"同一报告的「{r.field}」有互相矛盾的更正（第{lines}行），均未应用"))
    kept.sort(key=lambda r: r.line)
    return kept, problems


def write_corrections(rows: Iterable[Correction], path: str | os.PathLike[str]) -> Path:
    """Write ``rows`` as a corrections file (UTF-8 with BOM, so Excel opens it in Chinese), atomically."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CORRECTION_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.row())
    return write_text_atomic(Path(path), "\ufeff" + out.getvalue())


@dataclass
class MergeResult:
    """What :func:`merge_corrections` did: rows added, repeats left as they were, conflicts not merged."""

    rows: list[Correction]
    added: list[Correction]
    unchanged: list[Correction]
    conflicts: list[tuple[Correction, Correction]]  # (existing, incoming)


def merge_corrections(existing: Iterable[Correction], incoming: Iterable[Correction]) -> MergeResult:
    """``existing`` plus the ``incoming`` rows that are new. A row for a (report, field) that already
    has the same fix changes nothing; one with a different fix is a conflict and is not merged
    (the existing fix stays)."""
    rows = list(existing)
    index = {row.key: row for row in rows}
    result = MergeResult(rows, [], [], [])
    for row in incoming:
        row = replace(row, line=0)
        earlier = index.get(row.key)
        if earlier is None:
            rows.append(row)
            index[row.key] = row
            result.added.append(row)
        elif earlier.same_fix(row):
            result.unchanged.append(row)
        else:
            result.conflicts.append((earlier, row))
    return result


def describe(row: Correction, taxonomy: Taxonomy | None = None) -> str:
    """A correction in a few Chinese words: ``否决`` / ``更正为290件`` / ``采用数字 …-m021``."""
    if row.action == "reject":
        return "否决"
    if row.action == "use_mention":
        return f"采用另一处数字（{row.raw or row.mention_id}）"
    unit = row.unit
    if not unit and taxonomy is not None and row.field in taxonomy.ids:
        unit = taxonomy[row.field].unit
    return f"更正为{row.value}{unit}"


# ---------------------------------------------------------------------------- applying


def ensure_corrected_columns(metrics: pd.DataFrame) -> pd.DataFrame:
    """``metrics`` with the :data:`CORRECTED_COLUMNS` (empty where missing): analyses can rely on them."""
    missing = [col for col in CORRECTED_COLUMNS if col not in metrics.columns]
    if not missing:
        return metrics
    metrics = metrics.copy()
    for col in missing:
        default = CORRECTED_COLUMNS[col]
        metrics[col] = pd.Series([default] * len(metrics), index=metrics.index,
                                 dtype="bool" if isinstance(default, bool) else "float64" if isinstance(default, float) else "object")
    return metrics


def _basename(source: str) -> str:
    return PurePath(source.replace("\\", "/")).name if source else ""


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format(Decimal(repr(float(value))).normalize(), "f") + unit


def apply_corrections(
    corpus: Corpus,
    corrections: CorrectionSet | str | os.PathLike[str] | None,
    *,
    taxonomy: Taxonomy | None = None,
    validate: bool = True,
) -> Corpus:
    """``corpus`` with ``corrections`` applied (a path or a :class:`CorrectionSet`).

    Every metric gets the :data:`CORRECTED_COLUMNS`; a corrected one keeps the parser's value in
    ``original_value`` and ``original_raw``. A rejected metric leaves ``metrics`` (the log keeps
    its value). Rows for reports not in the corpus are skipped; rows that cannot be read, or whose
    report text, indicator or mention id changed, are listed in ``problems`` (stage ``correction``)
    and in ``corpus.corrections`` with status ``invalid`` / ``stale``, and are not applied.
    """
    taxonomy = taxonomy or load_taxonomy()
    if not isinstance(corrections, CorrectionSet):
        corrections = read_corrections(corrections, taxonomy)
    reports = corpus.reports.copy()
    known = set(reports["sha256"])
    # mentions are the largest frame: copied only when a correction concerns a report of this corpus
    mentions = corpus.mentions.copy() if any(row.report_sha256 in known for row in corrections.rows) else corpus.mentions
    metrics = ensure_corrected_columns(corpus.metrics).copy()
    for col, default in CORRECTED_COLUMNS.items():
        if metrics[col].dtype == object:
            metrics[col] = metrics[col].fillna(default)
    reports["corrected_fields"] = ""
    reports["correction_note"] = ""
    problems = list(corpus.problems.itertuples(index=False, name=None))
    log: list[dict[str, Any]] = []
    source_name = Path(corrections.path).name if corrections.path else "corrections.csv"
    for line, reason in corrections.problems:
        problems.append((source_name, "", "warning", "correction", f"更正文件第{line}行：{reason}"))
        log.append(_log_row(None, None, line=line, status="invalid", problem=reason, source=source_name))

    rechecked: set[str] = set()
    by_sha = {sha: i for i, sha in zip(reports.index, reports["sha256"], strict=True)}
    by_name: dict[str, list[int]] = {}
    for i, source in zip(reports.index, reports["source"], strict=True):
        by_name.setdefault(_basename(str(source)), []).append(i)
    names = {i.id: i.name_zh for i in taxonomy.indicators}

    for row in corrections.rows:
        at = by_sha.get(row.report_sha256)
        if at is None:
            moved = by_name.get(_basename(row.source)) if row.source else None
            if moved:
                report = reports.loc[moved[0]]
                reason = (f"报告「{_basename(row.source)}」的内容已改变（与更正时的文件不同），"
                          f"「{names.get(row.field) or METADATA_FIELDS.get(row.field, row.field)}」的更正未应用，请重新审核")
                problems.append((str(report["source"]), str(report["report_id"]), "warning", "correction", reason))
                log.append(_log_row(row, report, status="stale", problem=reason, names=names))
            continue  # a report of another corpus: nothing to say
        report = reports.loc[at]
        rid = str(report["report_id"])
        if row.field in METADATA_FIELDS:
            original = _text_of(report[row.field])
            value: Any = int(row.value) if row.field == "report_year" else row.value
            reports.at[at, row.field] = value
            if row.field in _REPEATED:
                for frame in (metrics, mentions):
                    frame.loc[frame["report_id"] == rid, row.field] = value
            name = METADATA_FIELDS[row.field]
            reports.at[at, "corrected_fields"] = "、".join(x for x in (reports.at[at, "corrected_fields"], name) if x)
            note = f"{name}由「{original or '（空）'}」更正为「{row.value}」" + _by(row)
            reports.at[at, "correction_note"] = "；".join(x for x in (reports.at[at, "correction_note"], note) if x)
            log.append(_log_row(row, report, status="applied", original=original or "（空）", corrected=row.value, names=names))
            continue
        problem = _stale_reason(row, rid, taxonomy, metrics, mentions)
        if problem:
            problems.append((str(report["source"]), rid, "warning", "correction", problem))
            log.append(_log_row(row, report, status="stale", problem=problem, names=names))
            continue
        metrics, mentions, original, corrected = _apply_metric(row, rid, metrics, mentions, taxonomy)
        rechecked.add(rid)
        log.append(_log_row(row, report, status="applied", original=original, corrected=corrected, names=names))

    metrics = metrics.reset_index(drop=True)
    if "n_metrics" in reports.columns:
        counts = metrics.groupby("report_id").size()
        reports["n_metrics"] = reports["report_id"].map(counts).fillna(0).astype("int64")
    result = Corpus(
        reports=reports, sections=corpus.sections, mentions=mentions, metrics=metrics,
        problems=_frame(problems, tuple(corpus.problems.columns)), checks=_recheck(corpus.checks, reports, mentions, metrics, rechecked),
        corrections=_frame([tuple(row[c] for c in LOG_COLUMNS) for row in log], LOG_COLUMNS),
    )
    if validate:
        for name in ("reports", "mentions", "metrics", "problems"):
            validate_frame(name, result.table(name))
    return result


def _recheck(checks: pd.DataFrame, reports: pd.DataFrame, mentions: pd.DataFrame, metrics: pd.DataFrame,
             report_ids: set[str]) -> pd.DataFrame:
    """The consistency checks again for the reports whose figures were corrected (on the corrected figures)."""
    if not report_ids:
        return checks
    rows: list[tuple] = []
    for rid in sorted(report_ids):
        report = reports[reports["report_id"] == rid].iloc[0].to_dict()
        parsed = _Parsed(
            report=report,
            mentions=[tuple(r) for r in mentions.loc[mentions["report_id"] == rid, list(MENTION_COLUMNS)].itertuples(index=False)],
            metrics=[tuple(r) for r in metrics.loc[metrics["report_id"] == rid, list(METRIC_COLUMNS)].itertuples(index=False)],
        )
        rows.extend(run_checks(parsed))
    kept = checks[~checks["report_id"].isin(report_ids)]
    fresh = _frame(rows, CHECK_COLUMNS)
    return pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept.reset_index(drop=True)


@dataclass
class _Parsed:
    """What :func:`reportlib.parsing.checks.run_checks` reads of a parsed report."""

    report: dict[str, Any]
    mentions: list[tuple]
    metrics: list[tuple]


def _text_of(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _by(row: Correction) -> str:
    who = "，".join(x for x in (row.who, row.when) if x)
    return (f"（{row.note}）" if row.note else "") + (f"〔{who}〕" if who else "")


def _log_row(row: Correction | None, report: Mapping[str, Any] | None, *, status: str, problem: str = "",
             original: str = "", corrected: str = "", names: Mapping[str, str] | None = None, line: int = 0,
             source: str = "") -> dict[str, Any]:
    field = row.field if row else ""
    return {
        "report_id": str(report["report_id"]) if report is not None else "",
        "source": str(report["source"]) if report is not None else source,
        "report_sha256": row.report_sha256 if row else "", "field": field,
        "field_name": (names or {}).get(field) or METADATA_FIELDS.get(field, field),
        "action": row.action if row else "", "status": status, "original": original,
        "corrected": corrected or (describe(row) if row and status != "applied" else corrected),
        "note": row.note if row else "", "who": row.who if row else "", "when": row.when if row else "",
        "problem": problem, "line": row.line if row else line, "mention_id": row.mention_id if row else "",
        "set_value": row.value if row else "", "set_unit": row.unit if row else "",
    }


def _stale_reason(row: Correction, rid: str, taxonomy: Taxonomy, metrics: pd.DataFrame, mentions: pd.DataFrame) -> str:
    if row.field not in taxonomy.ids:
        return f"指标「{row.field}」已不存在（指标体系已改），此更正未应用"
    name = taxonomy[row.field].name_zh
    if row.mention_id:
        hit = mentions[(mentions["report_id"] == rid) & (mentions["mention_id"] == row.mention_id)]
        if hit.empty:
            return f"「{name}」的更正所指的数字（编号 {row.mention_id}）已不存在，此更正未应用，请重新审核"
        if row.raw and squeezed(str(hit.iloc[0]["raw"])) != squeezed(row.raw):
            return (f"「{name}」的更正所指的数字已变（原为「{row.raw}」，现为「{hit.iloc[0]['raw']}」），"
                    "此更正未应用，请重新审核")
        return ""
    has_metric = ((metrics["report_id"] == rid) & (metrics["indicator"] == row.field)).any()
    if not has_metric:
        return f"该报告已没有「{name}」的数值，{ACTION_ZH[row.action]}未应用，请重新审核"
    return ""


def _apply_metric(row: Correction, rid: str, metrics: pd.DataFrame, mentions: pd.DataFrame,
                  taxonomy: Taxonomy) -> tuple[pd.DataFrame, pd.DataFrame, str, str]:
    """Apply one indicator correction; returns the frames and the log's original/corrected text."""
    ind = taxonomy[row.field]
    where = (metrics["report_id"] == rid) & (metrics["indicator"] == row.field)
    current = metrics[where]
    old = current.iloc[0] if len(current) else None
    original = "（无）" if old is None else str(old["raw"])
    original_value = math.nan if old is None else float(old["original_value"] if old["corrected"] else old["value"])
    original_raw = "" if old is None else str(old["original_raw"] if old["corrected"] else old["raw"])
    mine = mentions["report_id"] == rid
    if row.action == "reject":
        metrics = metrics[~where]
        mentions.loc[mine & (mentions["indicator"] == row.field), "promoted"] = False
        return metrics, mentions, original, "否决"
    if row.mention_id:
        hit = mentions[mine & (mentions["mention_id"] == row.mention_id)].iloc[0]
        new = _metric_from_mention(hit, ind.id, ind.name_zh, old, metrics.columns, mentions[mine & (mentions["indicator"] == ind.id)])
    else:
        new = old.copy()
    if row.action == "set":
        number = to_unit(_decimal(row.value) or Decimal(0), row.unit, ind.unit)
        new["value"] = float(number if number is not None else Decimal(0))
        new["unit"] = ind.unit
        corrected = f"{_fmt(new['value'], ind.unit)}"
        note = f"人工更正：原为{original_raw or '（无）'}，更正为{corrected}"
    else:
        corrected = str(new["raw"])
        note = f"人工改用另一处数字：原为{original_raw or '（无）'}，改为{corrected}"
        if row.mention_id:
            mentions.loc[mine & (mentions["indicator"] == ind.id), "promoted"] = False
    if row.mention_id:
        mentions.loc[mine & (mentions["mention_id"] == row.mention_id), "promoted"] = True
    new["kind"] = "level"
    new["confidence"] = 1.0
    new["reason"] = "人工" + ("更正" if row.action == "set" else "选定")
    new["corrected"] = True
    new["correction"] = row.action
    new["original_value"] = original_value
    new["original_raw"] = original_raw
    new["correction_note"] = note + _by(row)
    new["corrected_by"] = row.who
    new["corrected_at"] = row.when
    if old is not None:
        metrics = metrics.copy()
        metrics.loc[current.index[0], list(metrics.columns)] = [new[c] for c in metrics.columns]
    else:
        metrics = pd.concat([metrics, pd.DataFrame([new], columns=metrics.columns).astype(metrics.dtypes.to_dict())],
                            ignore_index=True)
    return metrics, mentions, original, corrected


def _metric_from_mention(hit: pd.Series, ind_id: str, name: str, old: pd.Series | None, columns: Iterable[str],
                         candidates: pd.DataFrame) -> pd.Series:
    new = pd.Series({c: (old[c] if old is not None else CORRECTED_COLUMNS.get(c, "")) for c in columns}, dtype=object)
    for c in columns:
        if c in hit.index and c not in CORRECTED_COLUMNS:
            new[c] = hit[c]
    new["indicator"] = ind_id
    new["indicator_name"] = name
    if old is None:
        new["n_candidates"] = max(1, len(candidates))
        new["alternatives"] = " | ".join(sorted(set(candidates["raw"]) - {hit["raw"]}))
    return new


# ---------------------------------------------------------------------------- what outputs show


def corrections_key(log: pd.DataFrame | None, report_ids: Iterable[str] | None = None) -> str:
    """A stable text of the corrections that concern ``report_ids`` (all, with the unreadable
    rows, when None): part of a build run's cache key, so changing one reruns what it touches."""
    if log is None or log.empty:
        return ""
    rows = log if report_ids is None else log[log["report_id"].isin(set(report_ids))]
    if rows.empty:
        return ""
    cols = ["report_sha256", "field", "action", "set_value", "set_unit", "mention_id", "note", "who", "when", "status", "problem"]
    records = sorted(json.dumps([str(v) for v in r], ensure_ascii=False) for r in rows[cols].itertuples(index=False))
    return "\n".join(records)


def corrections_text(log: pd.DataFrame | None, report_ids: Iterable[str] | None = None,
                     labels: Mapping[str, str] | None = None) -> str:
    """One Chinese line per correction of ``report_ids`` (all when None), for a 说明 sheet; 无 when none."""
    if log is None or log.empty:
        return "无"
    rows = log if report_ids is None else log[log["report_id"].isin(set(report_ids))]
    lines = []
    for r in rows.to_dict("records"):
        who = "，".join(x for x in (r["who"], r["when"]) if x)
        label = (labels or {}).get(r["report_id"], r["source"])
        if r["status"] == "applied":
            change = "否决（不再采用）" if r["action"] == "reject" else f"{r['original']} → {r['corrected']}"
            text = f"{label} {r['field_name']}：{change}"
        else:
            text = f"{label} {r['field_name'] or '（未识别）'}：{STATUS_ZH.get(r['status'], r['status'])}，{r['problem']}"
        lines.append(text + (f"；说明：{r['note']}" if r["note"] else "") + (f"（{who}）" if who else ""))
    return "\n".join(lines) or "无"
