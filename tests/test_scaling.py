"""On a cluster: the README's Dask example runs as a saved script, and a LocalCluster parses and
builds the seeds with the same frames and outputs as a local run."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import reportlib
from reportlib.build import plan
from reportlib.build import runner as build
from tests.conftest import ROOT, SEEDS

pytest.importorskip("distributed")  # a dev extra ([dask]): the library does not need it

pytestmark = pytest.mark.slow
README = ROOT / "README.md"


def _example() -> str:
    section = README.read_text(encoding="utf-8").split("## Scaling out", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    return code


def test_readme_dask_example_runs_as_a_saved_script(tmp_path, seed_corpus):
    script = tmp_path / "parse_on_dask.py"
    script.write_text(_example(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(script), str(SEEDS)], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    local = pd.read_csv(io.StringIO(seed_corpus.metrics.to_csv(index=False)), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(metrics, local)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def test_local_cluster_parses_the_same_frames(client, seed_corpus):
    corpus = reportlib.read_reports(SEEDS, client=client)
    for name in corpus.TABLES:
        pd.testing.assert_frame_equal(corpus.table(name), seed_corpus.table(name), obj=name)


def _page_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8").split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_local_cluster_builds_the_same_outputs(client, tmp_path, seed_corpus):
    full = plan.derive_plan(seed_corpus)
    runs = [r for r in full if r.name == plan.OVERVIEW_NAME
            or (r.notebook == "year_over_year.ipynb" and r.parameters["region"] == "350502")]
    runs.append(next(r for r in full if r.notebook == "report_profile.ipynb"))
    kwargs = dict(plan=runs, jobs=2, progress=False, echo=False)
    on_cluster = build.run_build([SEEDS], out=tmp_path / "dask", processed_dir=tmp_path / "dask" / "p", client=client, **kwargs)
    local = build.run_build([SEEDS], out=tmp_path / "local", processed_dir=tmp_path / "local" / "p", **kwargs)
    assert on_cluster.ok and local.ok, (str(on_cluster), str(local))
    assert [r.status for r in on_cluster.results] == ["ok"] * len(runs)
    names = {p.name for p in (tmp_path / "dask").iterdir() if p.is_file()}
    assert names == {p.name for p in (tmp_path / "local").iterdir() if p.is_file()}
    for run in runs:
        assert _page_text(tmp_path / "dask" / f"{run.name}.html") == _page_text(tmp_path / "local" / f"{run.name}.html")


def test_unreachable_scheduler_is_one_clear_line(capsys):
    from reportlib.build import cli

    assert cli.main(["parse", "--dask", "tcp://127.0.0.1:9", str(SEEDS)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the Dask scheduler" in err[0]
