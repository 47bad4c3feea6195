"""A per-file parse cache: an unchanged input is not parsed again.

One pickle per input under the cache directory, named by the SHA-256 of the file's path and bytes
and by the parser version (a hash of reportlib's code and taxonomy), so a changed file, a moved
file or a new parser each miss the cache. Reading the bytes to hash them costs a fraction of a
millisecond; parsing costs milliseconds. Entries the last build did not use are pruned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

from reportlib.core import paths
from reportlib.parsing.parse import ParsedReport, parse_one

__all__ = ["CACHE_DIR_NAME", "parse_cached", "parser_version", "prune"]

CACHE_DIR_NAME = ".parse_cache"


@lru_cache(maxsize=1)
def parser_version() -> str:
    """A hash of the sources a parse depends on: every ``.py`` and ``.yaml`` file of the package."""
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml"):
            digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def entry_name(path: Path, data: bytes, version: str) -> str:
    """The cache file name of one input: ``<sha256 of path and bytes>-<parser version>.pickle``."""
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()
    return f"{digest}-{version}.pickle"


def parse_cached(path: Path, cache_dir: str | os.PathLike[str], version: str = "") -> ParsedReport | tuple:
    """:func:`reportlib.parsing.parse.parse_one` of ``path``, served from ``cache_dir`` when the same file
    (path and bytes) was parsed by the same parser before. A file that cannot be read is parsed
    (and reported) as usual and never cached; an unreadable cache entry is parsed again."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return parse_one(path)
    entry = Path(cache_dir) / entry_name(Path(path), data, version or parser_version())
    try:
        with open(entry, "rb") as fh:
            result = pickle.load(fh)
        os.utime(entry)  # used by this build: kept by prune()
        return result
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        pass
    result = parse_one(path)
    if isinstance(result, ParsedReport):
        part = entry.with_name(f".{entry.name}.{os.getpid()}.part")
        try:  # renamed into place, not fsynced: a torn entry fails to unpickle and is parsed again
            entry.parent.mkdir(parents=True, exist_ok=True)
            part.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(part, entry)
        except OSError:
            part.unlink(missing_ok=True)  # a cache that cannot be written only costs time
    return result


def prune(cache_dir: str | os.PathLike[str], used_since: float) -> int:
    """Remove entries not used since ``used_since`` (a ``time.time()``); returns how many."""
    removed = 0
    for entry in Path(cache_dir).glob("*.pickle"):
        try:
            if entry.stat().st_mtime < used_since:
                entry.unlink()
                removed += 1
        except OSError:
            pass
    return removed
