"""Notebooks are stored without outputs: ``python -m reportlib.build.nbclean --check notebooks`` (CI) or ``--fix``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat


def dirty_cells(nb: nbformat.NotebookNode) -> int:
    """Number of code cells that carry outputs or an execution count."""
    return sum(
        1 for c in nb.cells if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    )


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs, execution counts and papermill run metadata."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportlib.build.nbclean", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 if any notebook carries outputs")
    mode.add_argument("--fix", action="store_true", help="strip outputs in place")
    args = parser.parse_args(argv)
    files = [p for path in args.paths for p in (sorted(path.glob("*.ipynb")) if path.is_dir() else [path])]
    bad = 0
    for path in files:
        nb = nbformat.read(path, as_version=4)
        n = dirty_cells(nb)
        if n and args.fix:
            nbformat.write(strip(nb), path)
            print(f"{path}: stripped {n} cell(s)")
        elif n:
            print(f"{path}: {n} code cell(s) carry outputs; run `python -m reportlib.build.nbclean --fix {path}`", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
