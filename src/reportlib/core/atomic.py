"""Atomic file writes: a reader sees either the old file or the complete new one, never half.

Every output (HTML, Excel, CSV) goes through :func:`atomic_path`, so an interrupted build
leaves the previous report in place instead of a truncated one.

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     dest = Path(tmp) / "new" / "dir" / "out.txt"
...     _ = write_text_atomic(dest, "法律援助 367 件\\n")
...     dest.read_text(encoding="utf-8"), sorted(p.name for p in dest.parent.iterdir())
('法律援助 367 件\\n', ['out.txt'])
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "temp_name", "write_bytes_atomic", "write_text_atomic"]


def temp_name(dest: Path, token: str) -> str:
    """The hidden temporary name used next to ``dest``; it keeps the suffix, so tools that
    pick a format from the extension (``savefig``, ``to_excel``) still work.

    >>> temp_name(Path("reports/index.html"), "ab12")
    '.index.ab12.tmp.html'
    >>> temp_name(Path("data/processed/metrics.csv.gz"), "ab12")
    '.metrics.csv.ab12.tmp.gz'
    """
    return f".{dest.stem}.{token}.tmp{dest.suffix}"


def _create_temp(dest: Path) -> Path:
    """Create an empty, new temporary file beside ``dest`` (permissions follow the umask)."""
    while True:
        candidate = dest.with_name(temp_name(dest, secrets.token_hex(4)))
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        os.close(fd)
        return candidate


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest``, on error it is removed.

    Parent directories of ``dest`` are created. The temporary file exists (empty) when the
    block starts; write to it by name.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     dest = Path(tmp) / "a.txt"
    ...     _ = dest.write_text("old")
    ...     try:
    ...         with atomic_path(dest) as part:
    ...             _ = part.write_text("half")
    ...             raise RuntimeError("disk full")
    ...     except RuntimeError:
    ...         pass
    ...     dest.read_text(), [p.name for p in Path(tmp).iterdir()]
    ('old', ['a.txt'])
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = _create_temp(dest)
    try:
        yield part
        _fsync(part)
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def write_bytes_atomic(dest: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``dest`` atomically; return ``dest`` as a Path."""
    with atomic_path(dest) as part:
        part.write_bytes(data)
    return Path(dest)


def write_text_atomic(dest: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``dest`` atomically (UTF-8, newlines as given); return ``dest`` as a Path."""
    return write_bytes_atomic(dest, text.encode(encoding))
