"""Nothing wrong is ever published: builds hold their folder, versions are kept faithfully,
outputs are never inputs, numbers keep their magnitude and sign, inputs are bounded."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reportlib
from reportlib.build import runner as build
from reportlib.core import outlock
from reportlib.corpus.reader import iter_inputs
from reportlib.parsing import parse
from tests.conftest import report_text

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def problems_by_name(corpus):
    return {os.path.basename(r.source): (r.severity, r.stage, r.reason) for r in corpus.problems.itertuples()}


# ---------------------------------------------------------------------------- the output folder lock


def _holder(out: Path) -> subprocess.Popen:
    """Another process holding ``out`` until killed."""
    code = ("import sys, time; from reportlib.core.outlock import hold_output\n"
            "with hold_output(sys.argv[1]):\n    print('held', flush=True); time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, env=_env(), text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_build_into_a_held_folder_refuses_with_one_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = _holder(out)
    try:
        with pytest.raises(outlock.OutputLocked, match=f"pid {holder.pid}.*--wait"):
            build.run_build([tmp_path / "none.txt"], out=out, progress=False, echo=False)
        proc = subprocess.run([sys.executable, "-m", "reportlib", "build", "--out", str(out), str(tmp_path)],
                              capture_output=True, text=True, env=_env(), timeout=120)
        assert proc.returncode == 1
        assert proc.stderr.count("\n") == 1 and "another build" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        holder.kill()
        holder.wait()


def test_wait_waits_for_the_holder(tmp_path):
    holder = _holder(tmp_path)
    started = time.monotonic()
    subprocess.Popen(["sh", "-c", f"sleep 1; kill {holder.pid}"])
    with outlock.hold_output(tmp_path, wait=True, poll=0.1):
        assert outlock.holder_pid(tmp_path) == os.getpid()
    assert time.monotonic() - started >= 0.9
    holder.wait()


def test_stale_lock_of_a_dead_build_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / outlock.LOCK_FILE).write_text(f"{dead.pid}\n")
    assert not outlock.pid_alive(dead.pid)
    with outlock.hold_output(tmp_path):
        assert outlock.holder_pid(tmp_path) == os.getpid()


@pytest.mark.parametrize("timeout", [0, -5])
def test_timeout_not_positive_is_a_usage_error(tmp_path, timeout):
    proc = subprocess.run([sys.executable, "-m", "reportlib", "build", "--timeout", str(timeout), "--out",
                           str(tmp_path / "o"), str(tmp_path)], capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 2 and "--timeout" in proc.stderr and "Traceback" not in proc.stderr


def test_out_is_a_file_is_one_line(tmp_path):
    (tmp_path / "f").write_text("x")
    proc = subprocess.run([sys.executable, "-m", "reportlib", "build", "--out", str(tmp_path / "f"), str(tmp_path)],
                          capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "names a file" in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_out_read_only_is_one_line(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        proc = subprocess.run([sys.executable, "-m", "reportlib", "build", "--out", str(ro / "x"), str(tmp_path)],
                              capture_output=True, text=True, env=_env(), timeout=60)
    finally:
        ro.chmod(0o700)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "cannot create" in proc.stderr


# ---------------------------------------------------------------------------- versions of one report

TITLE = "杭州市西湖区司法局关于2023年度法治政府建设情况的报告"


def _version(cases: int, mark: str = "", published: str = "") -> str:
    text = report_text(f"全年办理法律援助案件{cases}件。", issuer="杭州市西湖区司法局")
    if mark:
        text = text.replace(TITLE, TITLE + mark, 1)
    if published:
        text = f"发布日期：{published}\n" + text
    return text


def _legal_aid(corpus) -> list[float]:
    return corpus.metrics.loc[corpus.metrics["indicator"] == "legal_aid_cases", "value"].tolist()


@pytest.mark.parametrize("order", [("a初稿.txt", "b更正版.txt"), ("b更正版.txt", "a初稿.txt")], ids=["draft-first", "fix-first"])
def test_the_corrected_version_wins_in_either_order(tmp_path, order):
    files = {"a初稿.txt": _version(420, "（初稿）"), "b更正版.txt": _version(520, "（更正版）")}
    for name in order:
        (tmp_path / name).write_text(files[name], encoding="utf-8")
    corpus = reportlib.read_reports([tmp_path / n for n in order])
    assert _legal_aid(corpus) == [520.0] and len(corpus.reports) == 1
    severity, stage, reason = problems_by_name(corpus)["a初稿.txt"]
    assert (severity, stage) == ("warning", "superseded") and "b更正版.txt" in reason


def test_later_published_version_wins(tmp_path):
    (tmp_path / "1.txt").write_text(_version(520, published="2024-03-05"), encoding="utf-8")
    (tmp_path / "2.txt").write_text(_version(420, published="2024-02-01"), encoding="utf-8")
    corpus = reportlib.read_reports(tmp_path)
    assert _legal_aid(corpus) == [520.0]
    assert problems_by_name(corpus)["2.txt"][1] == "superseded"


def test_later_file_time_decides_last(tmp_path):
    (tmp_path / "1.txt").write_text(_version(420), encoding="utf-8")
    (tmp_path / "2.txt").write_text(_version(520), encoding="utf-8")
    os.utime(tmp_path / "1.txt", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "2.txt", (1_700_000_500, 1_700_000_500))
    corpus = reportlib.read_reports(tmp_path)
    assert _legal_aid(corpus) == [520.0]


def test_undecided_versions_are_both_kept_with_a_conflict(tmp_path):
    for name, cases in (("1.txt", 420), ("2.txt", 520)):
        (tmp_path / name).write_text(_version(cases), encoding="utf-8")
        os.utime(tmp_path / name, (1_700_000_000, 1_700_000_000))
    corpus = reportlib.read_reports(tmp_path)
    assert sorted(_legal_aid(corpus)) == [420.0, 520.0]
    assert problems_by_name(corpus)["2.txt"][1] == "conflict"


# ---------------------------------------------------------------------------- outputs are never inputs


def test_hidden_folders_venv_and_output_folders_are_not_walked(tmp_path):
    (tmp_path / "r.txt").write_text(_version(420), encoding="utf-8")
    for sub in (".venv/lib", ".git", "venv", "reports", "reports/processed"):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / sub / "x.txt").write_text(report_text("办理法律援助案件9件。", issuer="某县司法局"), encoding="utf-8")
    (tmp_path / "reports" / ".cache.json").write_text("{}")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    files = [p for p, reason, _ in iter_inputs([tmp_path]) if reason is None]
    assert files == [tmp_path / "r.txt"]


def test_a_page_reportlib_wrote_is_not_a_report(tmp_path):
    from reportlib.outputs.htmlexport import index_page

    index_page([{"title": "同比", "href": "a.html", "description": "共办理法律援助案件420件", "group": "g"}],
               TITLE, [("输入", "x")], dest=tmp_path / "index.html")
    (tmp_path / "r.txt").write_text(_version(420), encoding="utf-8")
    corpus = reportlib.read_reports(tmp_path)
    assert len(corpus.reports) == 1
    assert "written by reportlib" in problems_by_name(corpus)["index.html"][2]


def test_empty_path_is_an_error_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text(_version(420), encoding="utf-8")
    corpus = reportlib.read_reports([""])
    assert len(corpus.reports) == 0 and len(corpus.failed) == 1


# ---------------------------------------------------------------------------- inputs that are not regular files


def test_fifo_is_one_problem_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", str(fifo)], capture_output=True, text=True,
                          env=_env(), timeout=60)
    assert proc.returncode == 1 and "FIFO" in proc.stderr and proc.stderr.count("\n") == 1


def test_symlink_to_dev_zero_is_one_problem(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    corpus = reportlib.read_reports([link])
    assert len(corpus.failed) == 1 and "device" in corpus.failed.iloc[0]["reason"]
    corpus = reportlib.read_reports([tmp_path])  # found in a folder: skipped with a warning
    assert "device" in problems_by_name(corpus)["zero.txt"][2]


# ---------------------------------------------------------------------------- numbers


def _parse_text(tmp_path, body: str):
    path = tmp_path / "r.txt"
    path.write_text(report_text(body), encoding="utf-8")
    corpus = reportlib.read_reports([path])
    return corpus, path.read_text(encoding="utf-8")


def test_a_400_digit_figure_stays_a_mention_without_a_value(tmp_path):
    import json

    corpus, text = _parse_text(tmp_path, "全年办理法律援助案件" + "9" * 400 + "件。")
    (row,) = [r for r in corpus.mentions.itertuples() if len(r.raw) > 100]
    assert row.indicator == "" and row.value != row.value and "implausible" in row.note
    assert text[row.start : row.end] == row.raw
    assert "legal_aid_cases" not in set(corpus.metrics["indicator"])
    proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", "--table", "mentions", "--format", "json",
                           str(tmp_path / "r.txt")], capture_output=True, text=True, env=_env(), timeout=60)
    records = [json.loads(line, parse_constant=lambda c: pytest.fail(f"not JSON: {c}")) for line in proc.stdout.splitlines()]
    assert any(r["value"] is None for r in records)
    assert "Infinity" not in proc.stdout and "NaN" not in proc.stdout


@pytest.mark.parametrize(("body", "raw", "value"), [
    ("受理行政复议案件同比-5%。", "-5%", -5.0),
    ("全年调解矛盾纠纷-3000件。", "-3000件", -3000.0),
    ("全年调解矛盾纠纷−3000件。", "−3000件", -3000.0),
], ids=["percent", "count", "unicode-minus"])
def test_a_leading_minus_is_kept(tmp_path, body, raw, value):
    corpus, text = _parse_text(tmp_path, body)
    row = next(r for r in corpus.mentions.itertuples() if r.raw == raw)
    assert row.value == value and row.kind == "change" and text[row.start : row.end] == raw
    assert (corpus.metrics["value"] >= 0).all()  # a difference is never promoted as a level


def test_a_range_is_not_negative(tmp_path):
    corpus, _ = _parse_text(tmp_path, "每个调解室配备调解员3-5名，全年调解矛盾纠纷2,000件。")
    assert (corpus.mentions["value"].dropna() >= 0).all()


@pytest.mark.parametrize("gap", ["\u200b", "\ufeff", "\xa0", "\u2060", "\u202f"], ids=["zwsp", "bom", "nbsp", "wj", "nnbsp"])
def test_invisible_characters_inside_a_number_are_dropped(tmp_path, gap):
    corpus, text = _parse_text(tmp_path, f"全年办理法律援助案件3{gap}454件。")
    row = corpus.metrics.set_index("indicator").loc["legal_aid_cases"]
    assert row["value"] == 3454.0 and row["raw"] == f"3{gap}454件"
    assert text[row["start"] : row["end"]] == row["raw"]


# ---------------------------------------------------------------------------- CSV, JSON, stderr


def test_csv_cells_never_become_formulas_and_read_processed_restores_them(tmp_path):
    import pandas as pd

    from reportlib.corpus.processed import read_processed, write_processed

    title = '=HYPERLINK("http://evil.example","点此")'
    path = tmp_path / "r.txt"
    path.write_text(title + "\n" + report_text("全年办理法律援助案件367件，同比-5%。"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", "--table", "mentions", str(path)],
                          capture_output=True, text=True, env=_env(), timeout=60)
    import csv
    import io

    def number(cell: str) -> bool:  # a number a spreadsheet reads as a number (-5.0 in the value column)
        try:
            float(cell)
        except ValueError:
            return False
        return True

    cells = [c for row in csv.reader(io.StringIO(proc.stdout)) for c in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) and not number(c) for c in cells)
    assert "'-5%" in cells
    corpus = reportlib.read_reports([path])
    corpus.reports.loc[0, "title"] = title
    write_processed(corpus, tmp_path / "p")
    raw = pd.read_csv(tmp_path / "p" / "reports.csv", dtype=str, keep_default_na=False)
    assert raw.loc[0, "title"] == "'" + title
    back = read_processed(tmp_path / "p")
    assert back.reports.loc[0, "title"] == title
    assert back.mentions["raw"].tolist() == corpus.mentions["raw"].tolist()


def test_a_file_name_with_a_newline_cannot_forge_a_stderr_line(tmp_path):
    bad = tmp_path / "x.txt\nfake.txt: error: forged"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", str(bad)], capture_output=True, text=True,
                          env=_env(), timeout=60)
    assert proc.stderr.count("\n") == 1 and "\\n" in proc.stderr


def test_stdout_to_dev_full_is_one_line(tmp_path):
    (tmp_path / "r.txt").write_text(report_text("全年办理法律援助案件367件。"), encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", "--table", "mentions", str(tmp_path / "r.txt")],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=_env(), timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot write" in proc.stderr


# ---------------------------------------------------------------------------- bounded in time and memory


def test_a_docx_that_inflates_past_the_cap_is_refused_before_unpacking(tmp_path):
    import io
    import zipfile

    from reportlib.reading import formats
    from tests.fixtures import docx_bytes

    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("word/media/pad.xml", b" " * (formats.MAX_INFLATED_BYTES + 1))
    path = tmp_path / "bomb.docx"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 1_000_000
    corpus = reportlib.read_reports([path])
    assert len(corpus.failed) == 1 and "unpacks to" in corpus.failed.iloc[0]["reason"]


def test_text_longer_than_the_cap_is_refused(monkeypatch, tmp_path):
    from reportlib.reading import formats
    from tests.fixtures import docx_bytes, gov_page_html, pdf_bytes

    monkeypatch.setattr(formats, "MAX_TEXT_CHARS", 200)
    for name, data in (("a.docx", docx_bytes()), ("b.pdf", pdf_bytes()), ("c.html", gov_page_html().encode())):
        with pytest.raises(reportlib.core.errors.InputError, match="too long"):
            formats.extract(data, name)


def test_deep_html_is_read_in_linear_time():
    from reportlib.reading.formats import html_to_text

    depth = 30_000
    html = "<html><body>" + "<div>" * depth + "全年办理法律援助案件367件。" + "</div>" * depth + "</body></html>"
    calls = {"find": 0}
    from bs4 import Tag

    original = Tag.find

    def counting(self, *args, **kwargs):
        calls["find"] += 1
        return original(self, *args, **kwargs)

    Tag.find = counting
    try:
        text, _ = html_to_text(html)
    finally:
        Tag.find = original
    assert "367件" in text
    assert calls["find"] < 100  # not a subtree search per tag


def test_a_run_on_paragraph_reads_a_bounded_window_per_number(tmp_path, monkeypatch):
    from reportlib.parsing import indicators, parse

    body = "，".join(f"办理法律援助案件{i}件" for i in range(3000)) + "。"
    seen: list[int] = []
    original = indicators.match_indicators

    def spy(taxonomy, text, sentence, *args, **kwargs):
        seen.append(sentence[1] - sentence[0])
        return original(taxonomy, text, sentence, *args, **kwargs)

    monkeypatch.setattr(parse, "match_indicators", spy)
    corpus, text = _parse_text(tmp_path, body)
    assert len(seen) == 3000 and max(seen) <= 2 * parse.SENTENCE_WINDOW + 20
    assert corpus.mentions["sentence"].str.len().max() <= 2 * parse.SENTENCE_WINDOW + 20
    row = corpus.mentions.iloc[1500]
    assert text[row["start"] : row["end"]] == row["raw"] and row["raw"] in row["sentence"]


def test_parse_has_a_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "PARSE_SECONDS", 0.05)
    body = "，".join(f"办理法律援助案件{i}件" for i in range(20000)) + "。"
    (tmp_path / "slow.txt").write_text(report_text(body), encoding="utf-8")
    result = reportlib.read_reports(tmp_path)
    assert len(result.reports) == 0 and "took longer than" in result.failed.iloc[0]["reason"]


def test_jobs_are_capped(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    from reportlib.corpus import reader as corpus_module

    asked: list[int] = []

    class Recording(ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            asked.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(corpus_module, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(corpus_module, "MAX_JOBS", 2)
    for i in range(8):
        (tmp_path / f"{i}.txt").write_text(report_text(f"全年办理法律援助案件{300 + i}件。", issuer=f"某{i}县司法局"),
                                           encoding="utf-8")
    result = reportlib.read_reports(tmp_path, jobs=1000)
    assert asked == [2] and len(result.reports) == 8
    assert build.MAX_JOBS <= 2 * (os.cpu_count() or 1)


def test_read_bytes_refuses_a_fifo_without_blocking(tmp_path):
    from reportlib.parsing.parse import read_bytes

    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    with pytest.raises(reportlib.core.errors.InputError, match="not a regular file"):
        read_bytes(fifo)


# ---------------------------------------------------------------------------- encrypted PDFs


def _aes_pdf(user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.fixtures import pdf_bytes

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_aes_pdf_with_an_empty_user_password_is_read(tmp_path):
    (tmp_path / "aes.pdf").write_bytes(_aes_pdf(""))
    corpus = reportlib.read_reports(tmp_path)
    assert len(corpus.reports) == 1 and len(corpus.failed) == 0
    assert "legal_aid_cases" in set(corpus.metrics["indicator"])


def test_aes_pdf_with_a_real_password_says_encrypted(tmp_path):
    (tmp_path / "locked.pdf").write_bytes(_aes_pdf("secret"))
    corpus = reportlib.read_reports(tmp_path)
    reason = corpus.failed.iloc[0]["reason"]
    assert "encrypted" in reason and "corrupt" not in reason


# ---------------------------------------------------------------------------- text from reports on pages


def test_dollar_signs_in_a_heading_are_not_math_text():
    import io

    import pandas as pd

    from reportlib.outputs.plotting import bar_chart

    frame = pd.DataFrame({"region": ["$\\frac{1}{$区", "鲤城区$x^$"], "value": [3.0, 4.0]})
    fig = bar_chart(frame, "region", "value", "$\\undefined{标题$")
    fig.savefig(io.BytesIO(), format="png")  # raised ValueError (mathtext) before
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["$\\frac{1}{$区", "鲤城区$x^$"]


def test_bidi_controls_never_reach_html_or_excel(tmp_path):
    import nbformat
    import openpyxl
    import pandas as pd

    from reportlib.outputs.excel import Sheet, write_workbook
    from reportlib.outputs.htmlexport import index_page, notebook_to_html

    rlo = "\u202e"
    page = index_page([{"title": f"案件{rlo}763", "href": "a.html", "group": "g"}], f"标题{rlo}", [("输入", rlo)])
    assert rlo not in page and "案件763" in page
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"共办理{rlo}案件367件")]
    nb.cells = [cell]
    assert rlo not in notebook_to_html(nb, title="t")
    write_workbook(tmp_path / "w.xlsx", [Sheet("数据", pd.DataFrame({"句子": [f"共办理{rlo}案件367件"]}))], [("说明", "x")], "标题")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["数据"]
    assert ws["A2"].value == "共办理案件367件"


def test_kernel_stderr_on_a_page_names_no_absolute_folder():
    import nbformat

    from reportlib.outputs.htmlexport import notebook_to_html

    warning = f"{sys.prefix}/lib/python3.11/site-packages/pandas/core/frame.py:12: FutureWarning: 某警告\n"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=warning)]
    nb.cells = [cell]
    page = notebook_to_html(nb, title="t")
    assert "某警告" in page and sys.prefix not in page and "pandas/core/frame.py" in page


# ---------------------------------------------------------------------------- limits of a run


def test_the_html_export_counts_against_the_run_time_limit(tmp_path, monkeypatch):
    import nbformat

    from reportlib.outputs import htmlexport

    notebook = tmp_path / "nb.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(htmlexport, "notebook_to_html", lambda *a, **k: time.sleep(120))
    out = tmp_path / "out"
    out.mkdir()
    job = {"name": "slow", "notebook": str(notebook), "parameters": {}, "title": "t", "out": str(out),
           "processed_dir": str(tmp_path), "cwd": str(tmp_path), "timeout": 20}
    started = time.monotonic()
    result = build.execute_run(job)
    assert result["status"] == "failed" and "timed out after 20 s" in result["error"]
    assert time.monotonic() - started < 100
    assert not (out / "slow.html").exists()


def test_a_long_table_on_a_page_is_bounded():
    import pandas as pd

    from reportlib.outputs import nbview

    frame = pd.DataFrame({"sentence": ["共办理案件" + "字" * 5000] * (nbview.MAX_ROWS + 50)})
    page = nbview.table(frame).data
    assert page.count("<tr>") <= nbview.MAX_ROWS + 1
    assert f"共{nbview.MAX_ROWS + 50:,}行" in page
    assert len(page) < nbview.MAX_ROWS * (nbview.MAX_CELL_CHARS * 2 + 200)


def test_a_worker_stops_when_its_build_is_killed(tmp_path):
    marker = tmp_path / "child.pid"
    code = f"""
import multiprocessing, os, sys, time
from reportlib.build import runner as build

def child(parent):
    build._worker_init(parent)
    open({str(marker)!r}, "w").write(str(os.getpid()))
    time.sleep(120)

if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=child, args=(os.getpid(),))
    p.start()
    time.sleep(120)
"""
    script = tmp_path / "parent.py"
    script.write_text(code)
    parent = subprocess.Popen([sys.executable, str(script)], env=_env())
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        child = int(marker.read_text())
        assert outlock.pid_alive(child)
    finally:
        parent.kill()  # SIGKILL: no cleanup in the parent
        parent.wait()
    deadline = time.monotonic() + 15
    while outlock.pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, os.WNOHANG)
    assert not outlock.pid_alive(child) or _zombie(child)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_out_inside_the_input_folder_is_not_read_back(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for year, cases in ((2023, 367), (2024, 283)):
        (inputs / f"{year}.txt").write_text(report_text(f"全年办理法律援助案件{cases}件。", year=year), encoding="utf-8")
    out = inputs / "reports"
    for _ in range(2):
        summary = build.run_build([inputs], out=out, plan=[], progress=False, echo=False)
        assert summary.n_reports == 2 and not summary.failed_inputs
    assert (out / "index.html").is_file()


def test_disk_full_while_building_is_one_line_and_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    from reportlib.build import cli
    from reportlib.core import atomic

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(report_text("全年办理法律援助案件367件。"), encoding="utf-8")

    def full(path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "_fsync", full)
    out = tmp_path / "out"
    assert cli.main(["build", "--out", str(out), str(tmp_path / "in")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "Traceback" not in err
    # the parse cache holds whole entries only (each written to a part file and renamed): not half-written
    leftovers = [p for p in out.rglob("*") if p.is_file() and p.name != outlock.LOCK_FILE and ".parse_cache" not in p.parts]
    assert leftovers == []


def test_report_text_on_a_notebook_output_is_never_typeset_as_math():
    import pandas as pd

    from reportlib.outputs import nbview

    out = nbview.table(pd.DataFrame({"heading": ["一、$x^2$ 工作"]})).data
    assert out.startswith(f'<div class="{nbview.NO_MATH}">') and "$x^2$" in out
    assert nbview.message("$a$").data.startswith(f'<div class="{nbview.NO_MATH}">')


def test_out_that_cannot_be_created_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    proc = subprocess.run([sys.executable, "-m", "reportlib", "build", "--out", str(tmp_path / "file" / "out"),
                           str(tmp_path)], capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "cannot create the output folder" in proc.stderr


def test_page_numbers_are_shown_as_written_and_without_float_noise():
    import pandas as pd

    from reportlib.outputs import nbview

    page = nbview.table(pd.DataFrame({"value": [99.945, 0.1 + 0.2, 5024000.0]})).data
    assert "99.945" in page and "0.3<" in page and "5,024,000" in page and "0000000" not in page
