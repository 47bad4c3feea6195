"""CSV cells that a spreadsheet never evaluates: text starting with ``= + - @``, a tab or a carriage
return gets a leading apostrophe (the spreadsheet convention for "this is text"), and so does text
that already starts with an apostrophe, so that :func:`restore_text` undoes it exactly.

Only text columns are touched; numbers stay numbers (``-84`` in a numeric column is a number).

>>> neutralise_text("=HYPERLINK(\\"http://x\\")"), neutralise_text("-5%"), neutralise_text("'a"), neutralise_text("367件")
('\\'=HYPERLINK("http://x")', "'-5%", "''a", '367件')
>>> all(restore_text(neutralise_text(t)) == t for t in ["=1+1", "+86", "@SUM", "\\tx", "\\rx", "'", "''=", "法律援助"])
True
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DANGEROUS", "neutralise_frame", "neutralise_text", "restore_text"]

#: First characters that make a spreadsheet read a cell as a formula (or hide one behind a control).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise_text(value: str) -> str:
    """``value`` with a leading apostrophe when it starts with one of :data:`DANGEROUS`."""
    return "'" + value if value.startswith(DANGEROUS) else value


def restore_text(value: str) -> str:
    """The text :func:`neutralise_text` was given."""
    return value[1:] if value.startswith("'") else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised (numbers, booleans and missing values untouched)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: neutralise_text(v) if isinstance(v, str) else v)
    return out
