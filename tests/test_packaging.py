"""Installs anywhere: notebooks and population data are package data, found from any folder;
``--notebooks DIR`` runs edited copies; one version string."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

import reportlib
from reportlib.build import cli, plan
from reportlib.build import runner as build
from reportlib.core import paths
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_notebook_and_the_population_table_are_package_data():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["package-dir"]["reportlib.notebooks"] == "notebooks"
    assert setuptools["package-dir"]["reportlib.data"] == "data"
    shipped = setuptools["package-data"]
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert any(fnmatch.fnmatch(notebook.name, g) for g in shipped["reportlib.notebooks"]), notebook.name
    assert "population.csv" in shipped["reportlib.data"]
    planned = {run.notebook for run in plan.derive_plan(reportlib.read_reports(ROOT / "seeds"))}
    assert planned <= {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}


def test_runtime_dependencies_cover_what_the_library_imports():
    declared = {d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in PYPROJECT["project"]["dependencies"]}
    for module in ("fonttools", "nbclient", "jupyter-client", "traitlets", "ipython", "ipykernel", "papermill"):
        assert module in declared, module
    assert "jupyterlab" not in declared and any("jupyterlab" in d for d in PYPROJECT["project"]["optional-dependencies"]["lab"])
    pandera = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("pandera"))
    assert pandera == "pandera>=0.24"


def test_outside_a_checkout_the_installed_copies_are_used(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTLIB_ROOT", str(tmp_path))  # a folder with no notebooks/ and no data/
    monkeypatch.delenv("REPORTLIB_NOTEBOOKS", raising=False)
    assert paths.notebooks_dir() == paths.installed_notebooks_dir()
    assert (paths.notebooks_dir() / "report_profile.ipynb").is_file()
    assert paths.population_csv().is_file() and paths.population_csv().parent != tmp_path / "data"


def test_a_project_of_ones_own_overrides_the_installed_copies(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "report_profile.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "population.csv").write_text("region_code\n", encoding="utf-8")
    monkeypatch.setenv("REPORTLIB_ROOT", str(tmp_path))
    monkeypatch.delenv("REPORTLIB_NOTEBOOKS", raising=False)
    assert paths.notebooks_dir() == tmp_path / "notebooks"
    assert paths.population_csv() == tmp_path / "data" / "population.csv"
    monkeypatch.setenv("REPORTLIB_NOTEBOOKS", str(tmp_path / "elsewhere"))
    assert paths.notebooks_dir() == (tmp_path / "elsewhere").resolve()


def test_edited_copies_first_then_the_default_notebooks(tmp_path):
    edited = tmp_path / "mine"
    edited.mkdir()
    shutil.copy(ROOT / "notebooks" / "report_profile.ipynb", edited / "report_profile.ipynb")
    runs = [plan.Run("a", "report_profile.ipynb", "", "", ""), plan.Run("b", "parse_quality.ipynb", "", "", "")]
    found = build._notebook_finder(edited, runs)
    assert found["report_profile.ipynb"] == edited / "report_profile.ipynb"
    assert found["parse_quality.ipynb"] == paths.notebooks_dir() / "parse_quality.ipynb"
    with pytest.raises(reportlib.BuildError, match="no such notebooks directory"):
        build._notebook_finder(tmp_path / "missing", runs)
    with pytest.raises(reportlib.BuildError, match=r"notebook nope\.ipynb not found"):
        build._notebook_finder(edited, [plan.Run("c", "nope.ipynb", "", "", "")])


def test_build_without_inputs_outside_a_project_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REPORTLIB_ROOT", str(tmp_path))
    assert cli.main(["build", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no PATH given" in err[0] and "Traceback" not in err[0]


def test_one_version_string(capsys):
    assert reportlib.__version__ == PYPROJECT["project"]["version"]
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"reportlib {PYPROJECT['project']['version']}"


def test_license_file_matches_pyproject():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.slow
def test_the_wheel_ships_notebooks_data_and_templates(tmp_path):
    """Builds the wheel for real (pip fetches setuptools into an isolated build environment)."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {done.stderr.strip().splitlines()[-1:]}")
    wheel = next(tmp_path.glob("reportlib-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"reportlib/notebooks/{notebook.name}" in names
    assert "reportlib/data/population.csv" in names
    assert "reportlib/templates/offline/index.html.j2" in names and "reportlib/parsing/indicators.yaml" in names
    assert not any(n.startswith("reportlib/data/processed") for n in names)
    assert any(n.endswith("LICENSE") for n in names)
