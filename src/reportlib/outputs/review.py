"""The review workbook (``review.xlsx``) staff mark up, and turning their marks into corrections.

One row per candidate number of each indicator in each report: the value, unit, sentence, how
sure the parser was and why it was or was not taken, plus a 审核 column (采用/更正/否决, an Excel
drop-down) and the corrected value. A second sheet lists each report's metadata with a 更正为
column. :func:`import_review` reads what staff marked and merges it into the corrections file.
"""

from __future__ import annotations

import datetime as dt
import getpass
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from reportlib.core.atomic import write_bytes_atomic
from reportlib.core.errors import ReportlibError
from reportlib.corpus.corrections import (
    CHOICE_NAMES,
    METADATA_FIELDS,
    Correction,
    MergeResult,
    check_row,
    describe,
    field_value,
    merge_corrections,
    read_corrections,
    write_corrections,
)
from reportlib.corpus.reader import Corpus
from reportlib.outputs.analysis import report_label
from reportlib.outputs.excel import ColumnFormat, Sheet, build_workbook, workbook_bytes
from reportlib.parsing.indicators import load_taxonomy

__all__ = ["MARKS", "REVIEW_FILE", "ImportResult", "import_review", "review_workbook"]

REVIEW_FILE = "review.xlsx"
NUMBERS_SHEET = "审核数字"
META_SHEET = "审核报告信息"
#: What staff may write in the 审核 column.
MARKS = ("采用", "更正", "否决")

_SCOPE_WHY = {
    "sub": "下级单位的数字（{w}），不是本地区总数", "subgroup": "部分群体的数字（{w}），不是总数",
    "other": "其他地区的数字（{w}）", "partial": "部分时段的数字（{w}）", "year": "其他年份的数字（表中“{w}”列）",
}
_KIND_WHY = {"change": "增减数，不是总量", "share": "占比，不是总量", "target": "目标数，不是实际完成数"}

_NUMBER_COLUMNS = {
    "report": ColumnFormat("报告", "text"), "indicator_name": ColumnFormat("指标", "text"),
    "value": ColumnFormat("数值", "number"), "unit": ColumnFormat("单位", "text"), "raw": ColumnFormat("原文数值", "text"),
    "sentence": ColumnFormat("所在句子", "text", width=60, wrap=True), "confidence": ColumnFormat("可信度", "text"),
    "status": ColumnFormat("当前状态", "text", width=28, wrap=True), "why": ColumnFormat("原因", "text", width=36, wrap=True),
    "mark": ColumnFormat("审核", "text", width=10), "new_value": ColumnFormat("更正数值", "text", width=12),
    "new_unit": ColumnFormat("更正单位", "text", width=10), "note": ColumnFormat("说明", "text", width=30),
    "who": ColumnFormat("审核人", "text", width=10), "promoted": ColumnFormat("已采用", "text"),
    "mention_id": ColumnFormat("数字编号", "text"), "report_sha256": ColumnFormat("报告SHA256", "text", width=20),
    "source": ColumnFormat("来源文件", "text"), "indicator": ColumnFormat("指标代码", "text"),
}
_META_COLUMNS = {
    "report": ColumnFormat("报告", "text"), "field_name": ColumnFormat("项目", "text"),
    "current": ColumnFormat("当前值", "text", width=30), "new_value": ColumnFormat("更正为", "text", width=30),
    "note": ColumnFormat("说明", "text", width=30), "who": ColumnFormat("审核人", "text", width=10),
    "field": ColumnFormat("项目代码", "text"), "report_sha256": ColumnFormat("报告SHA256", "text", width=20),
    "source": ColumnFormat("来源文件", "text"),
}


def confidence_zh(value: float) -> str:
    """The parser's confidence as staff read it.

    >>> confidence_zh(0.95), confidence_zh(0.8), confidence_zh(0.5), confidence_zh(1.0)
    ('高', '较高', '低', '人工确认')
    """
    if value >= 1.0:
        return "人工确认"
    return "高" if value >= 0.9 else "较高" if value >= 0.75 else "低"


def why_zh(mention: Mapping[str, Any], promoted: bool) -> str:
    """Why a candidate number was or was not taken as the report's figure, in Chinese."""
    word = str(mention.get("scope_word") or "")
    scope = str(mention.get("scope") or "")
    if promoted:
        return f"本地区总数（{word}）" if scope == "whole" and word else "该指标可信度最高的总量数字"
    if scope in _SCOPE_WHY:
        return _SCOPE_WHY[scope].format(w=word)
    if str(mention.get("kind")) in _KIND_WHY:
        return _KIND_WHY[str(mention["kind"])]
    if mention.get("part") == "plans":
        return "属于下一年度工作安排"
    return "另有更可信的数字被采用"


def _number_rows(corpus: Corpus) -> pd.DataFrame:
    taxonomy = load_taxonomy()
    names = {i.id: i.name_zh for i in taxonomy.indicators}
    order = {ind: k for k, ind in enumerate(taxonomy.ids)}
    reports = {r["report_id"]: r for r in corpus.reports.to_dict("records")}
    metrics = {(m["report_id"], m["indicator"]): m for m in corpus.metrics.to_dict("records")}
    log = corpus.corrections
    applied = {(r["report_id"], r["field"]): r for r in log[log["status"] == "applied"].to_dict("records")} if len(log) else {}
    rows = []
    mentions = corpus.mentions[corpus.mentions["indicator"] != ""]
    for m in mentions.to_dict("records"):
        report = reports.get(m["report_id"])
        if report is None:
            continue
        metric = metrics.get((m["report_id"], m["indicator"]))
        used = metric is not None and metric["mention_id"] == m["mention_id"]
        mark, new_value, new_unit, note, who = "", "", "", "", ""
        status = "已采用" if used else "未采用"
        fix = applied.get((m["report_id"], m["indicator"]))
        if used and metric.get("corrected"):
            status = "已采用（人工" + ("更正" if metric["correction"] == "set" else "选定") + "）"
            note, who = str(metric.get("correction_note", "")), str(metric.get("corrected_by", ""))
            if metric["correction"] == "set":
                mark = "更正"
                new_value, new_unit = (fix["set_value"], fix["set_unit"]) if fix else (_plain(metric["value"]), "")
            else:
                mark = "采用"
        elif metric is None and fix is not None and fix["action"] == "reject":
            status, note, who = "已否决（人工）", str(fix["note"]), str(fix["who"])
            mark = "否决" if str(fix["original"]) == str(m["raw"]) else ""
        rows.append({
            "report": report_label(report), "indicator_name": names.get(m["indicator"], m["indicator"]),
            "value": float(m["value"]), "unit": m["unit"], "raw": m["raw"], "sentence": m["sentence"],
            "confidence": confidence_zh(float(m["confidence"])), "status": status,
            "why": why_zh(m, bool(m["promoted"])) if not (used and metric.get("corrected")) else "人工审核",
            "mark": mark, "new_value": new_value, "new_unit": new_unit, "note": note, "who": who,
            "promoted": "是" if used else "否", "mention_id": m["mention_id"], "report_sha256": report["sha256"],
            "source": report["source"], "indicator": m["indicator"],
            "_o": (str(report.get("region_code", "")), _year(report.get("report_year")), m["report_id"],
                   order.get(m["indicator"], 999), not used, int(m["start"])),
        })
    rows.sort(key=lambda row: row["_o"])
    return pd.DataFrame(rows, columns=[*_NUMBER_COLUMNS, "_o"]).drop(columns="_o")


def _year(value: Any) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _plain(value: float) -> str:
    """A number as staff type it.

    >>> _plain(290.0), _plain(99.5)
    ('290', '99.5')
    """
    return f"{value:.10f}".rstrip("0").rstrip(".") if not math.isnan(value) else ""


def _meta_rows(corpus: Corpus) -> pd.DataFrame:
    rows = []
    for report in corpus.reports.to_dict("records"):
        for key, name in METADATA_FIELDS.items():
            value = report.get(key, "")
            value = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            value = {code: name for name, code in CHOICE_NAMES.get(key, {}).items()}.get(value, value)
            rows.append({"report": report_label(report), "field_name": name, "current": value, "new_value": "",
                         "note": "", "who": "", "field": key, "report_sha256": report["sha256"], "source": report["source"]})
    return pd.DataFrame(rows, columns=list(_META_COLUMNS))


def review_workbook(corpus: Corpus, dest: str | os.PathLike[str]) -> Path:
    """Write the review workbook for ``corpus`` (after its corrections) to ``dest``."""
    numbers, meta = _number_rows(corpus), _meta_rows(corpus)
    sheets = [
        Sheet(NUMBERS_SHEET, numbers, columns=_NUMBER_COLUMNS,
              description="每份报告中每个指标的全部候选数字。在“审核”列选择：采用（以此数字为准）、更正（在“更正数值”填写正确数值，"
                          "单位不同时填“更正单位”）、否决（该报告没有这个指标的数值）；不需要改动的行留空。"),
        Sheet(META_SHEET, meta, columns=_META_COLUMNS,
              description="每份报告的基本信息。需要更正时在“更正为”填写正确内容（日期写作 2024-03-31，年度写四位数字）。"),
    ]
    about = [
        ("用途", "审核解析出的数字：标记后运行 reportlib corrections import review.xlsx，更正写入更正文件，"
                 "下次生成时所有分析、网页和表格都采用更正后的数字，并保留原解析数值和说明。"),
        ("步骤", "1. 在“审核数字”表的“审核”列选择 采用 / 更正 / 否决，填写说明和审核人；\n"
                 "2. 保存后运行 reportlib corrections import review.xlsx；\n3. 重新生成（make reports 或 reportlib build）。"),
        ("注意", "同一报告同一指标已有不同的更正时，导入会提示冲突且不覆盖原有更正。最后几列（数字编号、报告SHA256 等）用于对应原文，请勿修改。"),
        ("报告数", str(len(corpus.reports))),
        ("生成日期", dt.date.today().isoformat()),
    ]
    wb = build_workbook(sheets, about, "法治政府建设年度报告 数字审核表", timestamp=dt.date.today())
    ws = wb[NUMBERS_SHEET]
    mark_col = list(_NUMBER_COLUMNS).index("mark") + 1
    letter = ws.cell(row=1, column=mark_col).column_letter
    rule = DataValidation(type="list", formula1='"' + ",".join(MARKS) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="审核", error="请选择 采用、更正 或 否决")
    rule.add(f"{letter}2:{letter}{max(len(numbers) + 1, 2) + 500}")
    ws.add_data_validation(rule)
    return write_bytes_atomic(dest, workbook_bytes(wb))


# ---------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What an import did; ``problems`` are rows that could not be turned into corrections."""

    merge: MergeResult
    problems: list[str] = field(default_factory=list)
    path: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.merge.conflicts and not self.problems

    def lines(self) -> list[str]:
        """One line per conflict and problem, for stderr."""
        out = []
        for old, new in self.merge.conflicts:
            out.append(f"conflict: {new.source or new.report_sha256[:12]} {new.field}: corrections file has "
                       f"「{describe(old)}」({old.who or 'unsigned'}), review sheet says 「{describe(new)}」; "
                       "kept the existing fix (delete its row in the corrections file to replace it)")
        return out + self.problems

    def __str__(self) -> str:
        m = self.merge
        return (f"reportlib corrections: {len(m.added)} added, {len(m.unchanged)} unchanged, "
                f"{len(m.conflicts)} conflicts, {len(self.problems)} rows not understood -> {self.path}")


def _sheet_records(ws, labels: Mapping[str, ColumnFormat]) -> list[tuple[int, dict[str, str]]]:
    header = [str(c.value).strip() if c.value is not None else "" for c in ws[1]]
    wanted = {fmt.label: key for key, fmt in labels.items()}
    where = {wanted[h]: i for i, h in enumerate(header) if h in wanted}
    records = []
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        record = {key: _cell_text(row[i] if i < len(row) else None) for key, i in where.items()}
        records.append((number, record))
    return records


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _plain(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def import_review(review: str | os.PathLike[str], corrections: str | os.PathLike[str], *, who: str = "",
                  today: str | None = None) -> ImportResult:
    """Turn the marks in ``review`` into rows of the corrections file ``corrections`` (created if
    missing) and merge them: a mark that repeats an existing fix changes nothing; one that differs
    from an existing fix is a conflict, reported and not written; every other mark is imported."""
    review, corrections = Path(review), Path(corrections)
    try:
        wb = load_workbook(review, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ReportlibError(f"{review}: cannot open the review workbook ({type(exc).__name__}: {exc})") from None
    if NUMBERS_SHEET not in wb.sheetnames:
        raise ReportlibError(f"{review}: not a review workbook (no sheet {NUMBERS_SHEET}); use the review.xlsx a build writes")
    who = who or _user()
    today = today or dt.date.today().isoformat()
    taxonomy = load_taxonomy()
    incoming: list[Correction] = []
    problems: list[str] = []
    for number, r in _sheet_records(wb[NUMBERS_SHEET], _NUMBER_COLUMNS):
        mark = r.get("mark", "")
        if not mark:
            continue
        where = f"{review.name} {NUMBERS_SHEET} row {number}"
        if mark not in MARKS:
            problems.append(f"{where}: 审核「{mark}」 is not one of {'/'.join(MARKS)}; row skipped")
            continue
        promoted = r.get("promoted") == "是"
        base = {"report_sha256": r.get("report_sha256", "").lower(), "field": r.get("indicator", ""),
                "source": r.get("source", ""), "note": _own_note(r.get("note", "")), "who": r.get("who") or who,
                "when": today}
        if mark == "采用":
            if promoted and "人工" not in r.get("status", ""):
                continue  # the parser's choice, confirmed: nothing to correct
            row = Correction(action="use_mention", mention_id=r.get("mention_id", ""), raw=r.get("raw", ""), **base)
        elif mark == "否决":
            if not promoted and "否决" not in r.get("status", ""):
                continue  # not used anyway
            row = Correction(action="reject", raw=r.get("raw", ""), **base)
        else:
            row = Correction(action="set", value=r.get("new_value", ""), unit=r.get("new_unit", ""),
                             mention_id=r.get("mention_id", ""), raw=r.get("raw", ""), **base)
        problem = check_row(row, taxonomy)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        incoming.append(row)
    if META_SHEET in wb.sheetnames:
        for number, r in _sheet_records(wb[META_SHEET], _META_COLUMNS):
            new = r.get("new_value", "")
            if not new or field_value(r.get("field", ""), new) == field_value(r.get("field", ""), r.get("current", "")):
                continue
            new = field_value(r.get("field", ""), new)
            row = Correction(report_sha256=r.get("report_sha256", "").lower(), field=r.get("field", ""), action="set",
                             value=new, source=r.get("source", ""), note=r.get("note", ""), who=r.get("who") or who,
                             when=today)
            problem = check_row(row, taxonomy)
            if problem:
                problems.append(f"{review.name} {META_SHEET} row {number}: {problem}")
                continue
            incoming.append(row)
    wb.close()
    incoming, clashes = _one_per_key(incoming)
    problems += clashes
    existing = read_corrections(corrections, taxonomy) if corrections.is_file() else None
    merged = merge_corrections(existing.rows if existing else [], incoming)
    if merged.added or not corrections.is_file():
        kept_invalid = _invalid_lines(corrections) if existing and existing.problems else []
        write_corrections(merged.rows, corrections)
        if kept_invalid:
            with corrections.open("a", encoding="utf-8") as handle:
                handle.writelines(kept_invalid)
    return ImportResult(merged, problems, corrections)


def _own_note(note: str) -> str:
    """The reviewer's note, without the text a previous correction wrote into the sheet."""
    return "" if note.startswith(("人工更正：", "人工改用另一处数字：")) else note


def _one_per_key(rows: list[Correction]) -> tuple[list[Correction], list[str]]:
    """Marks for the same report and indicator in one sheet must agree (采用 on two numbers cannot both hold)."""
    by_key: dict[tuple[str, str], list[Correction]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    kept, problems = [], []
    for key, group in by_key.items():
        if all(group[0].same_fix(g) for g in group[1:]):
            kept.append(group[0])
        else:
            problems.append(f"{group[0].source or key[0][:12]} {key[1]}: {len(group)} different marks in the review sheet "
                            "for one indicator; none imported")
    return kept, problems


def _invalid_lines(path: Path) -> list[str]:
    """Lines of the corrections file that are not valid rows: kept verbatim when it is rewritten."""
    text = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    bad = {line for line, _ in read_corrections(path).problems}
    return [t if t.endswith("\n") else t + "\n" for i, t in enumerate(text, start=1) if i in bad]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in this environment
        return ""
