"""Warm kernels: one kernel per worker reused across runs, its namespace cleared between runs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import nbformat
import pytest

from reportlib.build import runner as build
from reportlib.build import warmkernel
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('processed_dir: str = ""\noutput_dir: str = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(tmp_path: Path, name: str, notebook: Path, warm: bool = True) -> dict:
    return build.execute_run({"name": name, "notebook": str(notebook), "parameters": {}, "title": name,
                              "out": str(tmp_path), "processed_dir": str(tmp_path), "cwd": str(tmp_path),
                              "timeout": 120, "warm": warm})


def test_one_kernel_serves_many_runs_and_forgets_their_variables(tmp_path):
    warmkernel.pool().discard()
    started = warmkernel.pool().started
    first = _notebook(tmp_path / "first.ipynb", "import os\nleak = os.getpid()\nprint('pid', leak)")
    second = _notebook(tmp_path / "second.ipynb",
                       "import os\nassert 'leak' not in dir(), 'state of the previous run'\nprint('pid', os.getpid())")
    assert _run(tmp_path, "a", first)["status"] == "ok"
    result = _run(tmp_path, "b", second)
    assert result["status"] == "ok", result["error"]
    assert warmkernel.pool().started == started + 1  # the same kernel ran both
    pids = []
    for name in ("a", "b"):
        nb = json.loads((tmp_path / f"{name}.ipynb").read_text(encoding="utf-8"))
        codes = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert codes[0]["execution_count"] == 1  # numbered from 1 in every run
        pids.append("".join(codes[-1]["outputs"][0]["text"]).split()[-1])
    assert pids[0] == pids[1]


def test_a_failed_run_takes_its_kernel_with_it(tmp_path):
    warmkernel.pool().discard()
    ok = _notebook(tmp_path / "ok.ipynb", "x = 1")
    bad = _notebook(tmp_path / "bad.ipynb", "raise RuntimeError('broken on purpose')")
    assert _run(tmp_path, "ok1", ok)["status"] == "ok"
    started = warmkernel.pool().started
    failed = _run(tmp_path, "bad", bad)
    assert failed["status"] == "failed" and "broken on purpose" in failed["error"]
    assert (tmp_path / "failed" / "bad.ipynb").is_file()
    assert _run(tmp_path, "ok2", ok)["status"] == "ok"
    assert warmkernel.pool().started == started + 1  # a fresh kernel after the failure
    warmkernel.pool().discard()


def test_fresh_kernels_still_work(tmp_path):
    started = warmkernel.pool().started
    nb = _notebook(tmp_path / "plain.ipynb", "print('plain')")
    assert _run(tmp_path, "plain", nb, warm=False)["status"] == "ok"
    assert warmkernel.pool().started == started


def test_engine_is_registered_with_papermill():
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]["papermill.engine"]
    assert entry == {warmkernel.ENGINE_NAME: "reportlib.build.warmkernel:WarmEngine"}
    from papermill.engines import papermill_engines

    warmkernel.register()
    assert papermill_engines.get_engine(warmkernel.ENGINE_NAME) is warmkernel.WarmEngine


@pytest.mark.parametrize("first", ["reportlib.build.warmkernel", "papermill.engines"])
def test_no_import_cycle_with_papermill_entry_points(first):
    """papermill loads its entry points (ours among them when installed) while it is imported."""
    import subprocess
    import sys

    other = "papermill.engines" if first == "reportlib.build.warmkernel" else "reportlib.build.warmkernel"
    code = (f"import {first}, {other}\nimport reportlib.build.warmkernel as w\nfrom papermill.engines import papermill_engines\n"
            "w.register()\nassert papermill_engines.get_engine('reportlib_warm') is w.WarmEngine\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-1500:]
