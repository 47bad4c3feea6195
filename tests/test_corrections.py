"""Corrections: reading and checking the file, applying fixes, stale rows, merging and the review import."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import reportlib
from reportlib.build.plan import derive_plan, run_reports
from reportlib.corpus.corrections import (
    Correction,
    apply_corrections,
    corrections_key,
    merge_corrections,
    read_corrections,
    write_corrections,
)
from reportlib.outputs import analysis, workbooks
from reportlib.outputs.review import NUMBERS_SHEET, import_review, review_workbook

HEADER = "report_sha256,source,field,action,value,unit,mention_id,raw,note,who,when\n"


@pytest.fixture(scope="module")
def corpus(seeds_dir):
    return reportlib.read_reports(seeds_dir)


def _sha(corpus, region, year):
    r = corpus.reports[(corpus.reports["region"] == region) & (corpus.reports["report_year"] == year)].iloc[0]
    return r["sha256"], r["source"], r["report_id"]


def _unpromoted(corpus, rid, indicator):
    m = corpus.mentions
    return m[(m["report_id"] == rid) & (m["indicator"] == indicator) & ~m["promoted"]].iloc[0]


def _write(tmp_path, rows):
    path = tmp_path / "corrections.csv"
    path.write_text(HEADER + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_set_use_mention_reject_and_metadata_keep_the_originals(corpus, tmp_path):
    sha24, src24, rid24 = _sha(corpus, "鲤城区", 2024)
    sha23, src23, rid23 = _sha(corpus, "鲤城区", 2023)
    other = _unpromoted(corpus, rid23, "mediation_disputes")
    path = _write(tmp_path, [
        (sha24, src24, "legal_aid_cases", "set", "290", "件", "", "283件", "原文笔误", "张三", "2026-12-04"),
        (sha23, src23, "mediation_disputes", "use_mention", "", "", other["mention_id"], other["raw"], "", "李四", "2026-12-04"),
        (sha23, src23, "legal_aid_fees_saved", "reject", "", "", "", "", "非本年度", "李四", "2026-12-04"),
        (sha24, src24, "legal_aid_recovered_amount", "set", "257.4", "万元", "", "", "", "", ""),
        (sha23, src23, "issuer", "set", "泉州市鲤城区人民政府", "", "", "", "", "李四", ""),
    ])
    fixed = apply_corrections(corpus, path)
    m = fixed.metrics.set_index(["report_id", "indicator"])
    row = m.loc[(rid24, "legal_aid_cases")]
    assert (row["value"], row["original_value"], row["raw"], bool(row["corrected"])) == (290.0, 283.0, "283件", True)
    assert "原文笔误" in row["correction_note"] and row["corrected_by"] == "张三"
    assert m.loc[(rid24, "legal_aid_recovered_amount"), "value"] == 2574000.0  # 万元 into the indicator's 元
    swapped = m.loc[(rid23, "mediation_disputes")]
    assert swapped["value"] == other["value"] and swapped["original_value"] == 3454.0 and swapped["raw"] == other["raw"]
    assert (rid23, "legal_aid_fees_saved") not in m.index and (rid23, "legal_aid_fees_saved") in corpus.metrics.set_index(
        ["report_id", "indicator"]).index
    assert set(fixed.metrics.loc[fixed.metrics["report_id"] == rid23, "issuer"]) == {"泉州市鲤城区人民政府"}
    assert fixed.reports.set_index("report_id").loc[rid23, "correction_note"].startswith("发布机关由「泉州市鲤城区司法局」")
    assert list(fixed.corrections["status"]) == ["applied"] * 5
    uncorrected = m[~m["corrected"].astype(bool)]
    assert uncorrected["original_value"].isna().all() and (uncorrected["correction_note"] == "").all()
    # the input corpus is untouched
    assert corpus.metrics.loc[corpus.metrics["report_id"] == rid24].set_index("indicator").loc["legal_aid_cases", "value"] == 283


def test_read_reports_and_parse_cli_take_a_corrections_file(seeds_dir, corpus, tmp_path, capsys):
    sha24, src24, _rid24 = _sha(corpus, "鲤城区", 2024)
    path = _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", "")])
    fixed = reportlib.read_reports(seeds_dir, corrections=path)
    assert 290.0 in set(fixed.metrics.loc[fixed.metrics["indicator"] == "legal_aid_cases", "value"])
    from reportlib.build.cli import main

    assert main(["parse", "--corrections", str(path), str(seeds_dir)]) == 0
    out = capsys.readouterr().out
    assert "original_value" in out.splitlines()[0] and ",290.0," in out


@pytest.mark.parametrize("row, reason", [
    (("nothex", "", "legal_aid_cases", "set", "1", "", "", "", "", "", ""), "SHA-256"),
    (("{sha}", "", "legal_aid_cases", "replace", "1", "", "", "", "", "", ""), "无法识别"),
    (("{sha}", "", "legal_aid_cases", "set", "二百", "", "", "", "", "", ""), "不是数字"),
    (("{sha}", "", "legal_aid_cases", "set", "5", "人", "", "", "", "", ""), "单位"),
    (("{sha}", "", "legal_aid_cases", "use_mention", "", "", "", "", "", "", ""), "mention_id"),
    (("{sha}", "", "report_year", "set", "23", "", "", "", "", "", ""), "四位年份"),
    (("{sha}", "", "issued_date", "set", "2024-02-30", "", "", "", "", "", ""), "YYYY-MM-DD"),
    (("{sha}", "", "issuer", "reject", "", "", "", "", "", "", ""), "只能更正"),
], ids=["sha", "action", "value", "unit", "mention", "year", "date", "metadata-reject"])
def test_bad_rows_are_problems_and_good_rows_still_apply(corpus, tmp_path, row, reason):
    sha24, src24, _rid24 = _sha(corpus, "鲤城区", 2024)
    good = (sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", "")
    path = _write(tmp_path, [tuple(x.format(sha=sha24) for x in row), good])
    fixed = apply_corrections(corpus, path)
    problems = fixed.problems[fixed.problems["stage"] == "correction"]
    assert len(problems) == 1 and reason in problems["reason"].iloc[0] and "第2行" in problems["reason"].iloc[0]
    assert problems["source"].iloc[0] == "corrections.csv"  # the file's name, not an absolute path
    assert 290.0 in set(fixed.metrics["value"])


def test_contradicting_rows_for_one_field_apply_neither(corpus, tmp_path):
    sha24, src24, _ = _sha(corpus, "鲤城区", 2024)
    path = _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", v, "", "", "", "", "", "") for v in ("290", "291")])
    fixed = apply_corrections(corpus, path)
    assert not fixed.metrics["corrected"].any()
    assert (fixed.problems["reason"].str.contains("互相矛盾")).sum() == 2


def test_stale_rows_are_flagged_not_applied(corpus, tmp_path):
    sha24, src24, rid24 = _sha(corpus, "鲤城区", 2024)
    changed = "0" * 64
    path = _write(tmp_path, [
        (changed, src24, "legal_aid_cases", "set", "1", "", "", "", "", "", ""),  # same file name, other text
        ("1" * 64, "seeds/not-in-this-corpus.txt", "legal_aid_cases", "set", "1", "", "", "", "", "", ""),
        (sha24, src24, "no_such_indicator", "reject", "", "", "", "", "", "", ""),
        (sha24, src24, "legal_aid_cases", "use_mention", "", "", f"{rid24}-m999", "", "", "", ""),
        (sha24, src24, "mediation_disputes", "use_mention", "", "", f"{rid24}-m026", "999件", "", "", ""),
        (sha24, src24, "government_contracts_reviewed", "reject", "", "", "", "", "", "", ""),
    ])
    assert "government_contracts_reviewed" not in set(corpus.metrics.loc[corpus.metrics["report_id"] == rid24, "indicator"])
    fixed = apply_corrections(corpus, path)
    stale = fixed.corrections[fixed.corrections["status"] == "stale"]
    assert len(stale) == 5 and len(fixed.corrections) == 5  # the report of another corpus is not this corpus's concern
    reasons = " ".join(fixed.problems.loc[fixed.problems["stage"] == "correction", "reason"])
    for words in ("内容已改变", "已不存在（指标体系已改）", "m999）已不存在", "原为「999件」", "已没有「"):
        assert words in reasons
    pd.testing.assert_series_equal(fixed.metrics["value"], corpus.metrics["value"], check_names=False)
    q = analysis.quality(fixed)
    assert set(q["corrections"]["status"]) == {"已过时，未应用"}


def test_merge_adds_new_keeps_repeats_and_reports_conflicts():
    a = Correction("a" * 64, "legal_aid_cases", "set", "290", who="张三")
    b = Correction("a" * 64, "petitions", "reject")
    merged = merge_corrections([a], [Correction("a" * 64, "legal_aid_cases", "set", "290.0", who="李四"), b])
    assert merged.added == [b] and len(merged.unchanged) == 1 and not merged.conflicts and merged.rows == [a, b]
    clash = merge_corrections(merged.rows, [Correction("a" * 64, "legal_aid_cases", "set", "291")])
    assert len(clash.conflicts) == 1 and clash.rows == [a, b] and not clash.added


def test_written_file_reads_back(tmp_path):
    rows = [Correction("a" * 64, "legal_aid_cases", "set", "290", "件", note="含逗号, 和“引号”", who="张三", when="2026-12-04")]
    path = write_corrections(rows, tmp_path / "c.csv")
    back = read_corrections(path)
    assert not back.problems and back.rows[0].note == rows[0].note and back.rows[0].same_fix(rows[0])


def test_corrections_key_covers_only_the_reports_a_run_reads(corpus, tmp_path):
    sha24, src24, rid24 = _sha(corpus, "鲤城区", 2024)
    path = _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", "")])
    fixed = apply_corrections(corpus, path)
    plan = derive_plan(fixed)
    touched = {run.name for run in plan if corrections_key(fixed.corrections, run_reports(run, fixed.reports))}
    assert touched == {_named(plan, "parse_quality"), _named(plan, "corpus_overview"), _named(plan, "year_over_year", region="350502"),
                       _named(plan, "cross_district", year=2024), _named(plan, "report_profile", report_id=rid24)}


def _named(plan, notebook: str, **parameters) -> str:
    """The name of the run of ``notebook`` with these parameters (names are for staff, not for tests)."""
    found = [run.name for run in plan if run.notebook.startswith(notebook)
             and all(str(run.parameters.get(k)) == str(v) for k, v in parameters.items())]
    assert len(found) == 1, (notebook, parameters, [r.name for r in plan])
    return found[0]


def test_workbooks_mark_corrected_cells_and_list_the_fixes(corpus, tmp_path):
    sha24, src24, _rid24 = _sha(corpus, "鲤城区", 2024)
    sha23, src23, _rid23 = _sha(corpus, "鲤城区", 2023)
    path = _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "原文笔误", "张三", "2026-12-04"),
                             (sha23, src23, "legal_aid_fees_saved", "reject", "", "", "", "", "", "", "")])
    fixed = apply_corrections(corpus, path)
    yoy = analysis.year_over_year(fixed.metrics, fixed.reports, region="鲤城区")
    row = yoy.set_index("indicator").loc["legal_aid_cases"]
    assert row["cur_value"] == 290 and row["cur_corrected"] and "原为283件" in row["cur_correction_note"]
    assert "legal_aid_fees_saved" not in set(yoy["indicator"])
    dest = workbooks.year_over_year_workbook(yoy, fixed.reports, tmp_path / "yoy.xlsx", {"region": "350502"},
                                             corrections=fixed.corrections)
    wb = openpyxl.load_workbook(dest)
    about = {ws_row[0].value: ws_row[1].value for ws_row in wb["说明"].iter_rows(min_row=3) if ws_row[0].value}
    assert "283件 → 290件" in about["人工更正"] and "否决" in about["人工更正"]
    ws = wb["同比"]
    header = [c.value for c in ws[1]]
    cells = {ws.cell(row=r, column=header.index("本期数值") + 1).value: ws.cell(row=r, column=header.index("本期数值") + 1)
             for r in range(2, ws.max_row + 1)}
    assert cells[290].fill.fgColor.rgb.endswith("FFF2CC")
    assert not any(c.fill.fgColor.rgb.endswith("FFF2CC") for v, c in cells.items() if v != 290)
    assert "本期更正说明" in header


def test_review_round_trip_in_memory(corpus, tmp_path):
    """review.xlsx → marks → import → apply; importing again changes nothing; a different mark conflicts."""
    review = review_workbook(corpus, tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(review)
    ws = wb[NUMBERS_SHEET]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    assert ws.data_validations.dataValidation and '"采用,更正,否决"' in ws.data_validations.dataValidation[0].formula1
    rows = {(ws.cell(r, col["报告"]).value, ws.cell(r, col["原文数值"]).value): r for r in range(2, ws.max_row + 1)}
    target = next(r for (label, raw), r in rows.items() if label.startswith("鲤城区 2024") and raw == "283件")
    assert ws.cell(target, col["可信度"]).value in ("高", "较高") and ws.cell(target, col["当前状态"]).value == "已采用"
    ws.cell(target, col["审核"]).value = "更正"
    ws.cell(target, col["更正数值"]).value = 290
    ws.cell(target, col["说明"]).value = "原文笔误"
    wb.save(review)
    corrections = tmp_path / "corrections.csv"
    first = import_review(review, corrections, who="张三", today="2026-12-04")
    assert len(first.merge.added) == 1 and first.ok
    text = corrections.read_text(encoding="utf-8-sig")
    again = import_review(review, corrections, who="张三", today="2026-12-05")
    assert not again.merge.added and len(again.merge.unchanged) == 1 and corrections.read_text(encoding="utf-8-sig") == text
    fixed = apply_corrections(corpus, corrections)
    assert 290.0 in set(fixed.metrics["value"])
    # the next build's review sheet shows the fix and importing it changes nothing
    review2 = review_workbook(fixed, tmp_path / "review2.xlsx")
    assert not import_review(review2, corrections).merge.added and corrections.read_text(encoding="utf-8-sig") == text
    ws.cell(target, col["更正数值"]).value = 291
    wb.save(review)
    clash = import_review(review, corrections)
    assert not clash.ok and len(clash.lines()) == 1 and "conflict" in clash.lines()[0]
    assert corrections.read_text(encoding="utf-8-sig") == text


def test_corrections_import_cli(corpus, tmp_path, capsys):
    from reportlib.build.cli import main

    review = review_workbook(corpus, tmp_path / "review.xlsx")
    assert main(["corrections", "import", str(review), "--corrections", str(tmp_path / "c.csv")]) == 0
    assert "0 added" in capsys.readouterr().out
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert main(["corrections", "import", str(tmp_path / "bad.xlsx"), "--corrections", str(tmp_path / "c.csv")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_processed_round_trip_keeps_the_corrections(corpus, tmp_path):
    from reportlib.corpus.processed import read_processed, write_processed

    sha24, src24, _ = _sha(corpus, "鲤城区", 2024)
    fixed = apply_corrections(corpus, _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", "")]))
    write_processed(fixed, tmp_path / "p")
    back = read_processed(tmp_path / "p")
    pd.testing.assert_frame_equal(back.metrics, fixed.metrics)
    pd.testing.assert_frame_equal(back.corrections, fixed.corrections)
    (tmp_path / "p" / "corrections.csv").unlink()  # a parse output from before corrections existed
    assert read_processed(tmp_path / "p").corrections.empty





def test_consistency_checks_are_rerun_on_corrected_figures(corpus, tmp_path):
    sha23, src23, rid23 = _sha(corpus, "鲤城区", 2023)
    before = corpus.checks[(corpus.checks["report_id"] == rid23) & corpus.checks["check"].str.contains("rate")]
    assert (before["status"] == "pass").any()
    path = _write(tmp_path, [(sha23, src23, "mediation_success", "set", "1000", "", "", "", "", "", "")])
    fixed = apply_corrections(corpus, path)
    after = fixed.checks[fixed.checks["report_id"] == rid23]
    rate = after[after["indicators"].str.contains("mediation_success_rate")]
    assert len(rate) and (rate["status"] == "fail").any()  # 1000 / 3454 is not 99.9 %
    others = fixed.checks[fixed.checks["report_id"] != rid23].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, corpus.checks[corpus.checks["report_id"] != rid23].reset_index(drop=True))


def test_a_conflict_is_reported_and_the_other_marks_still_import(corpus, tmp_path):
    sha24, src24, rid24 = _sha(corpus, "鲤城区", 2024)
    corrections = _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "张三", "2026-12-01")])
    before = corrections.read_text(encoding="utf-8")
    review = review_workbook(corpus, tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(review)
    ws = wb[NUMBERS_SHEET]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["报告SHA256"]).value == sha24 and ws.cell(r, col["已采用"]).value == "是":
            if ws.cell(r, col["指标代码"]).value == "legal_aid_cases":
                ws.cell(r, col["审核"]).value, ws.cell(r, col["更正数值"]).value = "更正", "300"
            elif ws.cell(r, col["指标代码"]).value == "petitions":
                ws.cell(r, col["审核"]).value = "否决"
    meta = wb["审核报告信息"]
    mh = [c.value for c in meta[1]]
    for r in range(2, meta.max_row + 1):
        if meta.cell(r, mh.index("报告SHA256") + 1).value == sha24 and meta.cell(r, mh.index("项目代码") + 1).value == "published_date":
            meta.cell(r, mh.index("更正为") + 1).value = "2025-03-28"
    wb.save(review)
    result = import_review(review, corrections, who="李四")
    assert not result.ok and len(result.merge.conflicts) == 1 and len(result.lines()) == 1
    assert "legal_aid_cases" in result.lines()[0] and "张三" in result.lines()[0]
    assert {r.field for r in result.merge.added} == {"petitions", "published_date"}
    rows = read_corrections(corrections).rows
    assert [r.value for r in rows if r.field == "legal_aid_cases"] == ["290"]  # the earlier fix stands
    assert corrections.read_text(encoding="utf-8-sig").startswith(before.splitlines()[0])
    fixed = apply_corrections(corpus, corrections)
    assert fixed.reports.set_index("report_id").loc[rid24, "published_date"] == "2025-03-28"
    assert "petitions" not in set(fixed.metrics.loc[fixed.metrics["report_id"] == rid24, "indicator"])
    profile = analysis.report_profile(rid24, fixed)
    assert any("经人工更正" in line for line in profile["summary"]) and len(profile["corrections"]) == 3


def test_a_corrected_year_changes_the_keys_of_both_years_runs(corpus, tmp_path):
    from reportlib.build.runner import _run_corrections

    sha23, src23, _ = _sha(corpus, "南安市", 2023)
    sha24, src24, rid24 = _sha(corpus, "鲤城区", 2024)
    base = apply_corrections(corpus, _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", "")]))
    moved = apply_corrections(corpus, _write(tmp_path, [(sha24, src24, "legal_aid_cases", "set", "290", "", "", "", "", "", ""),
                                                        (sha23, src23, "report_year", "set", "2024", "", "", "", "", "", "")]))
    keys = {run.name: _run_corrections(run, base) for run in derive_plan(base)}
    plan = derive_plan(moved)
    changed = {run.name for run in plan if _run_corrections(run, moved) != keys.get(run.name)}
    assert {_named(plan, "cross_district", year=2023), _named(plan, "cross_district", year=2024),
            _named(plan, "parse_quality")} <= changed
    assert _named(plan, "year_over_year", region="350502") not in changed
    assert _named(plan, "report_profile", report_id=rid24) not in changed
