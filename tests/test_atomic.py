"""Atomic writes: all or nothing, no temporary files left behind."""

from __future__ import annotations

import os
import stat

import pytest

from reportlib.core.atomic import atomic_path, write_bytes_atomic, write_text_atomic


def test_replaces_existing_file(tmp_path):
    dest = tmp_path / "report.html"
    dest.write_text("old", encoding="utf-8")
    assert write_text_atomic(dest, "新的报告") == dest
    assert dest.read_text(encoding="utf-8") == "新的报告"
    assert os.listdir(tmp_path) == ["report.html"]


def test_creates_parent_directories(tmp_path):
    dest = tmp_path / "a" / "b" / "data.bin"
    write_bytes_atomic(dest, b"\x00\x01")
    assert dest.read_bytes() == b"\x00\x01"


@pytest.mark.parametrize("error", [ValueError("bad"), KeyboardInterrupt()], ids=["exception", "interrupt"])
def test_failure_keeps_old_file_and_removes_temp(tmp_path, error):
    dest = tmp_path / "book.xlsx"
    dest.write_bytes(b"old")
    with pytest.raises(type(error)), atomic_path(dest) as part:
        part.write_bytes(b"partial")
        raise error
    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["book.xlsx"]


def test_failure_without_old_file_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "x.csv"):
        raise RuntimeError
    assert os.listdir(tmp_path) == []


def test_temp_file_is_hidden_beside_dest_with_same_suffix(tmp_path):
    dest = tmp_path / "chart.png"
    with atomic_path(dest) as part:
        assert part.parent == tmp_path
        assert part.name.startswith(".") and part.suffix == ".png"
        assert part.exists() and not dest.exists()
        part.write_bytes(b"png")
    assert dest.read_bytes() == b"png"


def test_permissions_follow_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "index.html", "<html></html>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "index.html").stat().st_mode) == 0o644
