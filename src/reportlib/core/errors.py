"""One exception family for everything reportlib raises on purpose."""

from __future__ import annotations


class ReportlibError(Exception):
    """Base class: every error reportlib raises deliberately derives from it."""


class InputError(ReportlibError):
    """An input file could not be read or is not a report.

    ``path`` names the file, ``reason`` says what is wrong in words a person understands.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class TaxonomyError(ReportlibError):
    """The indicator taxonomy file is malformed."""


class BuildError(ReportlibError):
    """A build step (notebook run, export) failed."""
