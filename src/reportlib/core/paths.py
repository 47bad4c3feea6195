"""Where things live. Every path in reportlib comes from here, never from ``os.chdir``.

Notebooks and the population table are looked up, in this order:

1. an explicit directory (``reportlib build --notebooks DIR``; ``$REPORTLIB_NOTEBOOKS``);
2. the project checkout (:func:`project_root`): ``notebooks/`` and ``data/population.csv``;
3. the copies installed with the package (``reportlib/notebooks/``, ``reportlib/data/``), which
   the wheel ships from those same top-level folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/reportlib (this file is core/paths.py)


def project_root() -> Path:
    """The project checkout: ``$REPORTLIB_ROOT``, else the nearest parent of the working
    directory holding ``pyproject.toml`` and ``seeds/``, else the checkout this package sits in."""
    env = os.environ.get("REPORTLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").is_file() and (candidate / "seeds").is_dir():
            return candidate
    source_checkout = PACKAGE_DIR.parent.parent
    if (source_checkout / "pyproject.toml").is_file():
        return source_checkout
    return here


def seeds_dir() -> Path:
    return project_root() / "seeds"


def data_dir() -> Path:
    return project_root() / "data"


def processed_dir() -> Path:
    return data_dir() / "processed"


def installed_notebooks_dir() -> Path:
    """The notebooks shipped inside the installed package (the wheel's ``reportlib/notebooks/``)."""
    return _package_data("notebooks")


def notebooks_dir() -> Path:
    """Where the build finds its notebooks: ``$REPORTLIB_NOTEBOOKS``, else the project's
    ``notebooks/`` when it holds notebooks, else the installed copies."""
    env = os.environ.get("REPORTLIB_NOTEBOOKS")
    if env:
        return Path(env).resolve()
    local = project_root() / "notebooks"
    if any(local.glob("*.ipynb")):
        return local
    return installed_notebooks_dir()


def reports_dir() -> Path:
    return project_root() / "reports"


def population_csv() -> Path:
    """``data/population.csv`` of the project, else the copy installed with the package."""
    local = data_dir() / "population.csv"
    return local if local.is_file() else _package_data("data") / "population.csv"


def _package_data(folder: str) -> Path:
    """``reportlib/<folder>`` as installed; in a source checkout (or an editable install) the
    top-level folder it is built from."""
    installed = PACKAGE_DIR / folder
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent.parent / folder


def corrections_csv() -> Path:
    """Staff's corrections to parsed figures (see :mod:`reportlib.corpus.corrections`)."""
    return data_dir() / "corrections.csv"


TAXONOMY_FILE = PACKAGE_DIR / "parsing" / "indicators.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
