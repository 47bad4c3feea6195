"""Frame schemas (pandera): the contract's columns, types and allowed values, checked at the API boundary."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from reportlib.core.errors import ReportlibError

#: Text: ``infer_dtype(skipna=False)`` is "string" only when every value is a str (None, NaN and
#: pd.NA make it "mixed"; pandera's own null check names them first).
_IS_TEXT = pa.Check(
    lambda s: s.empty or pd.api.types.infer_dtype(s, skipna=False) == "string",
    element_wise=False,
    error="values must be text",
)


def _text(*checks: pa.Check, **kwargs) -> pa.Column:
    """A text column, whatever string dtype the pandas version gives it."""
    return pa.Column(None, [_IS_TEXT, *checks], **kwargs)


_YEAR = pa.Column("Int64", pa.Check.in_range(1990, 2100), nullable=True)
_CODE = _text(pa.Check.str_matches(r"^(\d{6})?$"))
_DATE = _text(pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$"))
_KIND = _text(pa.Check.isin(["level", "change", "share", "target"]))


def _evidence_columns() -> dict[str, pa.Column]:
    return {
        "report_id": _text(),
        "source": _text(),
        "issuer": _text(),
        "region": _text(),
        "region_code": _CODE,
        "report_year": _YEAR,
        "indicator": _text(),
        "value": pa.Column(float, nullable=False),
        "unit": _text(),
        "unit_raw": _text(),
        "approx": pa.Column(bool),
        "qualifier": _text(),
        "kind": _KIND,
        "raw": _text(pa.Check.str_length(min_value=1)),
        "sentence": _text(),
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(0)),
    }


def _corrected_columns() -> dict[str, pa.Column]:
    """What :func:`reportlib.corpus.corrections.apply_corrections` adds to metrics (absent before it runs)."""
    return {
        "corrected": pa.Column(bool, required=False),
        "correction": _text(pa.Check.isin(["", "set", "use_mention"]), required=False),
        "original_value": pa.Column(float, nullable=True, required=False),
        "original_raw": _text(required=False),
        "correction_note": _text(required=False),
        "corrected_by": _text(required=False),
        "corrected_at": _text(required=False),
    }


@lru_cache(maxsize=1)
def schemas() -> dict[str, pa.DataFrameSchema]:
    """One schema per frame of a :class:`~reportlib.corpus.reader.Corpus`."""
    end_after_start = pa.Check(lambda df: (df["end"] > df["start"]).all(), element_wise=False, error="end > start")
    return {
        "reports": pa.DataFrameSchema(
            {
                "report_id": _text(unique=True),
                "source": _text(),
                "sha256": _text(pa.Check.str_matches(r"^[0-9a-f]{64}$")),
                "title": _text(),
                "issuer": _text(),
                "issuer_kind": _text(pa.Check.isin(["government", "department", "party_government", ""])),
                "province": _text(),
                "city": _text(),
                "county": _text(),
                "region": _text(),
                "region_code": _CODE,
                "level": _text(pa.Check.isin(["province", "city", "county", "township", ""])),
                "report_year": _YEAR,
                **{f"{name}_from": _text(pa.Check.isin(["title", "page_meta", "signature", "body", "none"]))
                   for name in ("issuer", "region", "year", "issued", "published")},
                "doc_number": _text(),
                "issued_date": _DATE,
                "published_date": _DATE,
                "addressees": _text(),
                "n_chars": pa.Column(int, pa.Check.ge(0)),
            },
            strict=False,
        ),
        "sections": pa.DataFrameSchema(
            {
                "report_id": _text(),
                "section_id": _text(unique=True),
                "parent_id": _text(),
                "level": pa.Column(int, pa.Check.ge(1)),
                "heading": _text(),
                "start": pa.Column(int, pa.Check.ge(0)),
                "end": pa.Column(int, pa.Check.ge(0)),
            },
            strict=False,
        ),
        "mentions": pa.DataFrameSchema(
            {**_evidence_columns(), "mention_id": _text(), "confidence": pa.Column(float, pa.Check.in_range(0, 1)),
             # an implausible magnitude (10^15 and more) is kept as a mention without a value
             "value": pa.Column(float, nullable=True)},
            checks=[end_after_start],
            strict=False,
        ),
        "metrics": pa.DataFrameSchema(
            {
                **_evidence_columns(),
                "indicator": _text(pa.Check.str_length(min_value=1)),
                "kind": _text(pa.Check.isin(["level"])),
                "confidence": pa.Column(float, pa.Check.in_range(0, 1)),
                "reason": _text(),
                **_corrected_columns(),
            },
            checks=[end_after_start],
            unique=["report_id", "indicator"],
            strict=False,
        ),
        "problems": pa.DataFrameSchema(
            {
                "source": _text(),
                "report_id": _text(),
                "severity": _text(pa.Check.isin(["error", "warning"])),
                "stage": _text(),
                "reason": _text(pa.Check.str_length(min_value=1)),
            },
            strict=False,
        ),
        "checks": pa.DataFrameSchema(
            {
                "report_id": _text(),
                "check": _text(),
                "status": _text(pa.Check.isin(["pass", "fail", "warn"])),
            },
            strict=False,
        ),
        "corrections": pa.DataFrameSchema(
            {
                "report_id": _text(),
                "report_sha256": _text(),
                "field": _text(),
                "action": _text(pa.Check.isin(["", "set", "use_mention", "reject"])),
                "status": _text(pa.Check.isin(["applied", "stale", "invalid"])),
                "line": pa.Column(int, pa.Check.ge(0)),
            },
            strict=False,
        ),
    }


def validate_corpus(corpus) -> None:  # corpus: reportlib.corpus.reader.Corpus
    """Raise :class:`ReportlibError` naming the frame and column when a frame breaks its schema."""
    for name in schemas():
        validate_frame(name, corpus.table(name))


def validate_frame(name: str, frame: pd.DataFrame) -> None:
    """Check one frame (or a chunk of one: rows of whole reports) against the schema of ``name``."""
    try:
        schemas()[name].validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise ReportlibError(f"frame {name!r} does not match its schema: {exc}") from exc
