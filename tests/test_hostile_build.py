"""``reportlib build`` over a folder that mixes the seeds, broken files and reports written to attack
the outputs: every good report is analysed, every bad file is named, nothing is injected (issue 6)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

import reportlib
from reportlib.build import plan
from reportlib.build import runner as build
from reportlib.outputs import workbooks
from tests.conftest import SEEDS, report_text

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # the generator of hostile inputs

pytestmark = pytest.mark.slow

NANSHAN = "440305"
INJECTIONS = {
    2023: ('=HYPERLINK("http://evil.example/x","点击")全年办理法律援助案件420件。\n'
           "<script>alert(1)</script>受理行政复议案件35件。\n"
           '<img src=x onerror=alert(1)>调解矛盾纠纷1200件，<a href="javascript:alert(2)">详见</a>。\n'
           "=cmd|'/C calc' 行政机关负责人出庭应诉率达到95%。"),
    2024: ('=HYPERLINK("http://evil.example/x","点击")全年办理法律援助案件510件。\n'
           "<script>alert(1)</script>受理行政复议案件30件。\n"
           "\t@SUM(1+1)调解矛盾纠纷1300件。\n"
           " +cmd 行政机关负责人出庭应诉率达到100%。"),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("下载的 报告")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, root / seed.name)
    fixtures.write_all(root / "cases")
    for year, body in INJECTIONS.items():
        (root / f"南山区 {year}.txt").write_text(report_text(body, "深圳市南山区司法局", year), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = build.run_build([folder], out=out, jobs=2, progress=False, echo=False)
    return out, summary


def test_every_good_report_is_analysed_and_every_bad_file_named(folder, built):
    out, summary = built
    corpus = reportlib.read_reports(folder)
    assert [r.name for r in summary.failures] == []
    assert not summary.ok  # bad inputs make the build's exit status non-zero …
    assert len(summary.failed_inputs) == len(corpus.failed) > 0  # … and each is named
    assert any("empty file" in item for item in summary.failed_inputs)
    profiles = {r.parameters["report_id"]: r.name for r in plan.derive_plan(corpus) if r.notebook == "report_profile.ipynb"}
    for rid in corpus.reports["report_id"]:  # … while every good report has its profile
        assert (out / f"{profiles[rid]}.html").is_file(), rid
        assert (out / f"{profiles[rid]}.xlsx").is_file(), rid
    for name in ("同比_南山区_2023-2024", "同比_鲤城区_2023-2024", "横向比较_2023", "解析质量"):
        assert (out / f"{name}.html").is_file(), name
    assert (out / "processed" / "reports.csv").is_file()  # not data/processed: that belongs to the seeds


def test_report_text_is_escaped_in_every_page(built):
    out, _ = built
    for page in out.glob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.find_all("script"), page.name
        handlers = [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")]
        assert not handlers, f"{page.name}: {handlers}"
        links = [a["href"] for a in soup.find_all(href=True) if a["href"].strip().lower().startswith("javascript:")]
        assert not links, f"{page.name}: {links}"
    yoy = (out / "同比_南山区_2023-2024.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in yoy  # shown as text, not dropped
    assert "420" in yoy and "510" in yoy


def test_no_workbook_cell_is_a_formula(built):
    out, _ = built
    seen = []
    for path in out.glob("*.xlsx"):
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # only the workbook's own 增减/变化率 formulas over its cells
                        header = ws.cell(row=1, column=cell.column).value
                        assert header in ("增减", "变化率"), f"{path.name}!{ws.title}!{cell.coordinate}: {cell.value!r}"
                        assert re.fullmatch(r'=[A-Z]+\d+-[A-Z]+\d+|=IF\([A-Z]+\d+=0,"",\([A-Z]+\d+-[A-Z]+\d+\)/[A-Z]+\d+\)',
                                            cell.value), cell.value
                        continue
                    if isinstance(cell.value, str) and cell.value.lstrip().startswith(("=HYPERLINK", "=cmd", "@SUM", "+cmd")):
                        seen.append(cell.value)
    assert any(v.startswith('=HYPERLINK("http://evil.example/x"') for v in seen)  # kept verbatim, as text
    assert any("@SUM(1+1)" in v for v in seen) and any("=cmd|" in v for v in seen)


def test_same_inputs_give_the_same_frames_and_cells(folder, tmp_path):
    first, second = reportlib.read_reports(folder), reportlib.read_reports(folder, jobs=2)
    for table in reportlib.Corpus.TABLES:
        pd.testing.assert_frame_equal(first.table(table), second.table(table), obj=table)

    def cells(path: Path) -> list[list[object]]:
        wb = openpyxl.load_workbook(path)
        return [[c.value for c in row] for ws in wb.worksheets[1:] for row in ws.iter_rows()]

    a = workbooks.metrics_workbook(first.metrics, first.reports, tmp_path / "a.xlsx")
    b = workbooks.metrics_workbook(second.metrics, second.reports, tmp_path / "b.xlsx")
    assert cells(a) == cells(b) and len(cells(a)) > 10
