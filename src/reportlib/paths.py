"""Where things live. Every path in reportlib comes from here, never from ``os.chdir``."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


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


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


def population_csv() -> Path:
    return data_dir() / "population.csv"


def corrections_csv() -> Path:
    """Staff's corrections to parsed figures (see :mod:`reportlib.corrections`)."""
    return data_dir() / "corrections.csv"


TAXONOMY_FILE = PACKAGE_DIR / "indicators.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
