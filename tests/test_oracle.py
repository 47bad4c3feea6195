"""The frames of the seeds and of a synthetic corpus are what ``tests/oracle/`` recorded.

A restructuring must not change a single cell; a change of the parser that is meant to change the
frames regenerates the oracle (``python tests/oracle_frames.py``) in the same commit. A failure
names the frame and the columns that differ.
"""

from __future__ import annotations

import json

import pytest
from oracle_frames import FRAMES, ORACLE_DIR, digest, inputs

import reportlib


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return inputs(tmp_path_factory.mktemp("oracle"))


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_frames_are_unchanged(name, folders):
    expected = json.loads((ORACLE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    got = digest(reportlib.read_reports(folders[name], jobs=1, progress=False))
    for frame in FRAMES:
        want, have = expected[frame], got[frame]
        assert have["rows"] == want["rows"], f"{name}.{frame}: {have['rows']} rows, the oracle has {want['rows']}"
        changed = sorted(c for c in want["columns"].keys() | have["columns"].keys()
                         if want["columns"].get(c) != have["columns"].get(c))
        assert not changed and have["all"] == want["all"], f"{name}.{frame}: columns {changed} differ from the oracle"
