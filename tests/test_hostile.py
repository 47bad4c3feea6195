"""Real-world and hostile inputs together: every file accounted for, nothing lost (issue 6)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SEEDS

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # the generator of hostile inputs


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mixed inputs 混合")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, root / seed.name)
    fixtures.write_all(root / "cases")
    return root


def run_parse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportlib", "parse", *args], capture_output=True, text=True, timeout=300)


def test_parse_mixed_folder(mixed):
    proc = run_parse("--table", "reports", str(mixed))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    reports = pd.read_csv(pd.io.common.StringIO(proc.stdout))
    # every good report is printed once: the five seeds and the two synthetic reports
    assert len(reports) == 7
    assert set(reports["region_code"].astype(str)) >= {"350502", "350583", "350206", "350200", "330106", "510107"}
    lines = proc.stderr.strip().splitlines()
    files = [p for p in mixed.rglob("*") if p.is_file()]
    # one line per file that did not become a report row, each naming its file
    assert len(lines) == len(files) - 7
    for line in lines:
        assert line.split(": ")[0] in {str(f) for f in files}
    expected = {
        "empty.txt": "empty file (0 bytes)",
        "blank.txt": "file holds only whitespace",
        "report_png.txt": "binary file (looks like PNG image), not a text report",
        "scan.pdf": "PDF has no text layer (scanned image?); run OCR first",
        "report.doc": "legacy Word .doc is not supported; save as .docx",
        "table.xlsx": "Excel workbook (.xlsx), not a text report",
        "report.txt.gz": "not read: .gz is not a report format",
    }
    for name, reason in expected.items():
        assert any(line.startswith(str(mixed / "cases" / name)) and reason in line for line in lines), name
    assert sum("duplicate of" in line for line in lines) >= 10


def test_traditional_mirror_is_the_same_report(mixed):
    proc = run_parse("--table", "metrics", str(mixed / "cases" / "wuhou_traditional_big5.txt"))
    assert proc.returncode == 0, proc.stderr
    metrics = pd.read_csv(pd.io.common.StringIO(proc.stdout))
    text = (mixed / "cases" / "wuhou_traditional_big5.txt").read_bytes().decode("big5")
    assert len(metrics) > 0
    for row in metrics.itertuples():
        assert text[row.start : row.end] == row.raw  # offsets into the traditional original
