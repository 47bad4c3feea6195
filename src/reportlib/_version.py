"""The one version string: ``version`` in ``pyproject.toml``, read from the installed package's
metadata, or from ``pyproject.toml`` itself when reportlib runs from a source checkout that is not
installed (``PYTHONPATH=src``)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

__all__ = ["version"]


def version() -> str:
    """The version of reportlib in use, e.g. ``0.1.0``."""
    pyproject = Path(__file__).resolve().parent.parent.parent / "pyproject.toml"
    if pyproject.is_file():  # a source checkout: its own pyproject wins over another checkout's install
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            pass
    try:
        return metadata.version("reportlib")
    except metadata.PackageNotFoundError:
        return "0+unknown"
