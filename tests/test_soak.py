"""Soak: two builds into one folder at once; every page shows the numbers of the inputs of the build
that wrote it, and a later build of the first inputs never serves the second's numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reportlib.corpus.processed import read_processed
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LEGAL_AID_2024 = "283件"
SCRIPT = """
import sys
import reportlib
from reportlib.build import runner as build, plan
inputs, out = sys.argv[1], sys.argv[2]
runs = [r for r in plan.derive_plan(reportlib.read_reports(inputs))
        if r.notebook.startswith("year_over_year") and str(r.parameters.get("region")) == "350502"]
summary = build.run_build([inputs], out=out, plan=runs, jobs=1, progress=False, echo=False, wait=True)
print(summary.ok, [r.status for r in summary.results])
"""


def _inputs(tmp_path: Path, name: str, cases: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(SEEDS, folder)
    seed = folder / "001_759bc3a8bcb1605c.txt"
    text = seed.read_text(encoding="utf-8")
    assert LEGAL_AID_2024 in text
    seed.write_text(text.replace(LEGAL_AID_2024, cases), encoding="utf-8")
    return folder


def _build(inputs: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(inputs), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _page_matches_its_build(out: Path, expected: dict[str, str]) -> str:
    """The inputs folder of the build that wrote the page, after checking the page shows its numbers."""
    name = "同比_鲤城区_2023-2024"
    nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
    processed = Path(nb.metadata["papermill"]["parameters"]["processed_dir"])
    sources = {str(Path(s).parent) for s in read_processed(processed).reports["source"]}  # the run's slice
    (source,) = sources
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    cases = expected[Path(source).name]
    assert f"至{cases}" in html, f"page of {source} does not show {cases}"
    for other in set(expected.values()) - {cases}:
        assert f"至{other}" not in html
    return Path(source).name


def test_two_builds_into_one_folder(tmp_path):
    x, y = _inputs(tmp_path, "x", "283件"), _inputs(tmp_path, "y", "999件")
    expected = {"x": "283件", "y": "999件"}
    out = tmp_path / "out"
    first, second = _build(x, out), _build(y, out)
    for proc in (first, second):
        stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode == 0 and stdout.startswith("True"), stderr
    last = _page_matches_its_build(out, expected)  # whichever build took the folder second wrote the page
    assert not (out / ".tmp").exists()
    other = "x" if last == "y" else "y"
    folders = {"x": x, "y": y}
    for name in (other, last):  # each a plain build after the other's: its own numbers, rebuilt, never served from the cache
        again = _build(folders[name], out)
        stdout, stderr = again.communicate(timeout=900)
        assert again.returncode == 0, stderr
        assert "'ok'" in stdout
        assert _page_matches_its_build(out, expected) == name
