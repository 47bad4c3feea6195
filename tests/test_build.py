"""End to end: ``reportlib build`` runs real notebooks with papermill and leaves HTML, Excel and an index.

The build here runs a subset of the seeds' plan (quality, 鲤城区 year over year, one cross-district,
one profile) to keep the suite quick; ``make reports`` runs the whole plan the same way.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import openpyxl
import pytest

import reportlib
from reportlib.build import plan
from reportlib.build import runner as build
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

WANTED = ("解析质量", "同比_鲤城区_2023-2024", "横向比较_2024")


def _seed_plan() -> list[plan.Run]:
    runs = plan.derive_plan(reportlib.read_reports(SEEDS))
    profiles = [r for r in runs if r.notebook == "report_profile.ipynb"]
    return [r for r in runs if r.name in WANTED] + profiles[:1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    runs = _seed_plan()
    summary = build.run_build([SEEDS], out=out, processed_dir=out / "processed", plan=runs, jobs=2,
                              progress=False, echo=False)
    return out, runs, summary


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_every_run_succeeds_and_leaves_its_outputs(built):
    out, runs, summary = built
    assert summary.ok, str(summary)
    assert [r.status for r in summary.results] == ["ok"] * len(runs)
    for run in runs:
        for ext in (".html", ".ipynb", ".xlsx"):
            assert (out / f"{run.name}{ext}").is_file(), f"{run.name}{ext}"
    assert (out / "metrics.xlsx").is_file() and (out / "index.html").is_file()
    assert {p.name for p in (out / "processed").iterdir()} >= {"metrics.csv", "reports.csv", "parse_summary.json"}
    assert not (out / ".tmp").exists()


def test_yoy_html_shows_the_change(built):
    out, _, _ = built
    text = _text((out / "同比_鲤城区_2023-2024.html").read_text(encoding="utf-8"))
    assert "法律援助案件由367件降至283件，减少84件，下降22.9%" in text
    assert "−84件" in text and "−22.9%" in text
    assert "司法局" in text and "人民政府" in text  # the scope note names both issuers
    assert "data:image/png;base64," in (out / "同比_鲤城区_2023-2024.html").read_text(encoding="utf-8")


def test_yoy_workbook_holds_the_numbers(built):
    out, _, _ = built
    wb = openpyxl.load_workbook(out / "同比_鲤城区_2023-2024.xlsx")
    assert wb.sheetnames[0] == "说明"
    ws = wb["同比"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    row = next(r for r in rows if r["指标"] == "法律援助案件")
    assert (row["上期数值"], row["本期数值"]) == (367, 283)
    assert re.fullmatch(r"=G\d+-E\d+", row["增减"]) and row["变化率"].startswith("=IF(")  # formulas staff can audit
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref
    (chart,) = ws._charts  # a native chart, under the wide table where staff see it without scrolling
    assert chart.anchor._from.col == 0 and chart.anchor._from.row > len(rows)
    assert chart.type == "bar" and chart.x_axis.scaling.orientation == "maxMin"  # rows top-down, as in the table
    pct = ws.cell(row=2, column=header.index("变化率") + 1)
    assert pct.number_format == "0.0%"
    about = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "泉鲤司〔2024〕6号 泉州市鲤城区司法局《" in about  # cited by 文号, issuer and title


def test_html_is_offline_and_code_free(built):
    out, _, _ = built
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), page.name
        assert "<script" not in html.lower(), page.name
        assert "@import" not in html and "url(http" not in html, page.name
        assert "plotting.setup_matplotlib()" not in html, f"{page.name} shows code cells"
        # Chinese reads on a machine without Chinese fonts: the page carries the glyphs it uses
        assert '@font-face{font-family:"reportlib CJK";src:url(data:font/woff;base64,' in html, page.name


def test_executed_notebooks_have_no_missing_glyphs_or_errors(built):
    out, runs, _ = built
    for run in runs:
        nb = nbformat.read(out / f"{run.name}.ipynb", as_version=4)
        outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"], run.name
        streams = " ".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        assert "Glyph" not in streams and "missing from font" not in streams, run.name


def test_index_links_every_output(built):
    out, runs, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    for run in runs:
        assert f'href="{run.name}.html"' in html
        assert run.title.split("：")[0] in html
    assert 'href="metrics.xlsx"' in html


def test_metrics_workbook_has_provenance(built):
    out, _, _ = built
    wb = openpyxl.load_workbook(out / "metrics.xlsx")
    assert wb.sheetnames == ["说明", "指标", "报告"]
    sheet = wb["指标"]
    header = [c.value for c in sheet[1]]
    assert {"地区", "报告年度", "指标", "数值", "单位", "依据（原文句子）", "来源文件"} <= set(header)
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(reportlib.read_reports(SEEDS).metrics)
    liche = [r for r in rows if r["地区"] == "鲤城区" and r["指标"] == "法律援助案件"]
    assert sorted(r["数值"] for r in liche) == [283, 367]
    assert all("法律援助案件" in r["依据（原文句子）"] for r in liche)


def test_unchanged_rebuild_is_cached_and_quick(built):
    out, runs, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}
    started = time.monotonic()
    again = build.run_build([SEEDS], out=out, processed_dir=out / "processed", plan=runs, jobs=2,
                            progress=False, echo=False)
    assert [r.status for r in again.results] == ["cached"] * len(runs)
    assert time.monotonic() - started < 15
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.html") if p.name != "index.html"} == {
        k: v for k, v in before.items() if k != "index.html"}
    cache = json.loads((out / build.CACHE_FILE).read_text(encoding="utf-8"))
    assert set(cache) == {r.name for r in runs}


def _notebook(path: Path, source: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('processed_dir: str = ""\noutput_dir: str = ""\nvalue: int = 1')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_a_failing_run_is_named_and_keeps_the_last_good_output(tmp_path):
    notebooks, out = tmp_path / "nb", tmp_path / "out"
    notebooks.mkdir()
    _notebook(notebooks / "good.ipynb", "print('good', value)")
    _notebook(notebooks / "flaky.ipynb", "print('first version')")
    runs = [plan.Run("good", "good.ipynb", "好", "fine", "组"), plan.Run("flaky", "flaky.ipynb", "坏", "breaks", "组")]
    kwargs = dict(out=out, processed_dir=tmp_path / "processed", notebooks_dir=notebooks, plan=runs, jobs=2,
                  progress=False, echo=False)
    assert build.run_build([SEEDS], **kwargs).ok
    good_html = (out / "flaky.html").read_text(encoding="utf-8")
    assert "first version" in good_html

    _notebook(notebooks / "flaky.ipynb", "raise RuntimeError('the data went away')")
    summary = build.run_build([SEEDS], **kwargs)
    assert not summary.ok
    status = {r.name: r.status for r in summary.results}
    assert status == {"good": "cached", "flaky": "failed"}
    failure = summary.failures[0]
    assert "the data went away" in failure.error
    assert Path(failure.failed_notebook) == out / "failed" / "flaky.ipynb" and Path(failure.failed_notebook).is_file()
    assert "FAILED flaky" in str(summary) and str(out / "failed" / "flaky.ipynb") in str(summary)
    assert (out / "flaky.html").read_text(encoding="utf-8") == good_html  # the good page is not overwritten
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "本次运行失败" in index and "failed/flaky.ipynb" in index


def test_a_run_over_its_time_limit_fails_alone(tmp_path):
    notebooks, out = tmp_path / "nb", tmp_path / "out"
    notebooks.mkdir()
    _notebook(notebooks / "quick.ipynb", "print('quick')")
    _notebook(notebooks / "slow.ipynb", "import time\ntime.sleep(60)")
    runs = [plan.Run("quick", "quick.ipynb", "快", "", "组"), plan.Run("slow", "slow.ipynb", "慢", "", "组")]
    started = time.monotonic()
    summary = build.run_build([SEEDS], out=out, processed_dir=tmp_path / "processed", notebooks_dir=notebooks,
                              plan=runs, jobs=2, timeout=30, progress=False, echo=False)  # export included
    assert time.monotonic() - started < 80
    status = {r.name: (r.status, r.error) for r in summary.results}
    assert status["quick"] == ("ok", "")
    assert status["slow"][0] == "failed" and "timed out after 30 s" in status["slow"][1]
    assert not (out / "slow.html").exists()
