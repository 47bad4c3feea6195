"""The round trip the issue asks for: build the seeds, mark review.xlsx as a person would, import, rebuild."""

from __future__ import annotations

import json

import openpyxl
import pytest

from reportlib.build.cli import main
from reportlib.build.runner import CACHE_FILE, run_build
from reportlib.corpus.processed import read_processed
from reportlib.outputs.review import NUMBERS_SHEET

pytestmark = pytest.mark.slow


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return wb, {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_review_import_rebuild_round_trip(seeds_dir, tmp_path, capsys):
    out, corrections = tmp_path / "out", tmp_path / "corrections.csv"
    first = run_build([seeds_dir], out=out, jobs=2, progress=False, echo=False, corrections=corrections
                      if corrections.exists() else None, processed_dir=tmp_path / "processed")
    assert first.ok
    review = out / "review.xlsx"
    wb = openpyxl.load_workbook(review)
    ws = wb[NUMBERS_SHEET]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}

    def find(label, indicator, raw=None, promoted="是"):
        for r in range(2, ws.max_row + 1):
            if (str(ws.cell(r, col["报告"]).value).startswith(label) and ws.cell(r, col["指标"]).value == indicator
                    and ws.cell(r, col["已采用"]).value == promoted and (raw is None or ws.cell(r, col["原文数值"]).value == raw)):
                return r
        raise AssertionError((label, indicator, raw))

    fixed = find("鲤城区 2024", "法律援助案件", "283件")
    ws.cell(fixed, col["审核"]).value = "更正"
    ws.cell(fixed, col["更正数值"]).value = 290
    ws.cell(fixed, col["说明"]).value = "与台账核对"
    ws.cell(fixed, col["审核人"]).value = "张三"
    swapped = find("鲤城区 2023", "人民调解排查化解矛盾纠纷", promoted="否")
    new_raw = ws.cell(swapped, col["原文数值"]).value
    ws.cell(swapped, col["审核"]).value = "采用"
    rejected = find("鲤城区 2023", "法律援助挽回损失/取得利益")
    ws.cell(rejected, col["审核"]).value = "否决"
    ws.cell(rejected, col["说明"]).value = "含上年结转"
    wb.save(review)

    assert main(["corrections", "import", str(review), "--corrections", str(corrections), "--who", "李四"]) == 0
    assert "3 added" in capsys.readouterr().out
    text = corrections.read_text(encoding="utf-8-sig")
    assert main(["corrections", "import", str(review), "--corrections", str(corrections)]) == 0
    assert "0 added, 3 unchanged" in capsys.readouterr().out and corrections.read_text(encoding="utf-8-sig") == text

    keys = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
    second = run_build([seeds_dir], out=out, jobs=2, progress=False, echo=False, corrections=corrections,
                       processed_dir=tmp_path / "processed")
    assert second.ok
    rebuilt = {r.name for r in second.results if r.status == "ok"}
    assert {"解析质量", "同比_鲤城区_2023-2024", "横向比较_2023", "横向比较_2024"} <= rebuilt
    assert all(r.name.startswith("报告概况") for r in second.cached) and len(second.cached) == 3  # 南安、湖里、厦门
    assert json.loads((out / CACHE_FILE).read_text(encoding="utf-8")).keys() == keys.keys()

    corpus = read_processed(tmp_path / "processed")
    m = corpus.metrics.set_index(["region", "report_year", "indicator"])
    assert m.loc[("鲤城区", 2024, "legal_aid_cases"), ["value", "original_value"]].tolist() == [290.0, 283.0]
    assert m.loc[("鲤城区", 2023, "mediation_disputes"), "raw"] == new_raw
    assert ("鲤城区", 2023, "legal_aid_recovered_amount") not in m.index

    _, yoy = _cells(out / "同比_鲤城区_2023-2024.xlsx")
    rows = yoy["同比"]
    head = rows[0]
    legal = next(r for r in rows if r[head.index("指标")] == "法律援助案件")
    assert legal[head.index("本期数值")] == 290 and "原为283件" in legal[head.index("本期更正说明")]
    assert "与台账核对" in legal[head.index("本期更正说明")]
    assert not any(r[head.index("指标")] == "法律援助挽回损失/取得利益" for r in rows)
    about = dict((r[0], r[1]) for r in yoy["说明"] if r[0])
    assert "283件 → 290件" in about["人工更正"] and "否决" in about["人工更正"] and "含上年结转" in about["人工更正"]
    html = (out / "同比_鲤城区_2023-2024.html").read_text(encoding="utf-8")
    assert "290件【已更正】" in html and "与台账核对" in html

    quality_html = (out / "解析质量.html").read_text(encoding="utf-8")
    assert "人工更正" in quality_html and "已应用" in quality_html
    _, metrics = _cells(out / "metrics.xlsx")
    assert any(r[metrics["指标"][0].index("数值")] == 290 for r in metrics["指标"][1:])

    # the new review sheet shows the fixes; importing it as it is changes nothing
    assert main(["corrections", "import", str(review), "--corrections", str(corrections)]) == 0
    assert corrections.read_text(encoding="utf-8-sig") == text
    capsys.readouterr()
