"""One build at a time per output folder: ``OUT/.lock`` holds the builder's pid under an OS lock.

A second build into the same folder refuses with one line naming the holder (or, with
``wait=True``, waits for it). The lock is an advisory ``flock`` on the file, so it vanishes with
the process that held it: a lock file left by a build that was killed (its pid dead) is stale and
taken over without ceremony.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     with hold_output(tmp):
...         holder_pid(Path(tmp)) == os.getpid()
True
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from reportlib.core.errors import BuildError

__all__ = ["LOCK_FILE", "OutputLocked", "hold_output", "holder_pid", "pid_alive"]

LOCK_FILE = ".lock"


class OutputLocked(BuildError):
    """Another build is writing the output folder."""


def pid_alive(pid: int) -> bool:
    """True when a process with ``pid`` exists.

    >>> pid_alive(os.getpid()), pid_alive(0), pid_alive(-3)
    (True, False, False)
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def holder_pid(out: Path) -> int | None:
    """The pid written in ``out/.lock``, None when there is none."""
    try:
        text = (out / LOCK_FILE).read_text(encoding="ascii").strip()
        return int(text) if text.isdigit() else None
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def hold_output(out: str | os.PathLike[str], *, wait: bool = False, poll: float = 0.5) -> Iterator[Path]:
    """Hold ``out`` for the duration of the block (see the module docstring).

    Raises :class:`OutputLocked` when another live build holds it and ``wait`` is False.
    """
    out = Path(out)
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by workers or kernels (PEP 446)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    pid = holder_pid(out)
                    who = f"pid {pid}" if pid and pid_alive(pid) else "another process"
                    raise OutputLocked(
                        f"{out}: another build ({who}) is writing this folder; wait for it to finish "
                        "or run again with --wait") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield out
    finally:
        with contextlib.suppress(OSError):
            if holder_pid(out) == os.getpid():
                os.ftruncate(fd, 0)
        os.close(fd)  # releases the flock
