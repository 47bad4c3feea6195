"""The frame schemas at the API boundary: the seeds' frames pass, a frame that breaks the contract
is refused with the frame's name, and read_reports checks them unless told not to."""

from __future__ import annotations

import dataclasses

import pytest

from reportlib import read_reports
from reportlib.core.errors import ReportlibError
from reportlib.corpus.schema import validate_corpus


def test_seed_frames_match_their_schemas(seed_corpus):
    validate_corpus(seed_corpus)  # raises on any violation
    assert len(seed_corpus.mentions) > 100 and len(seed_corpus.metrics) > 10


def _broken(corpus, frame: str, edit):
    table = corpus.table(frame).copy()
    edit(table)
    return dataclasses.replace(corpus, **{frame: table})


def _set(column, value, row=0):
    def edit(table):
        table[column] = table[column].astype(object)
        table.iat[row, table.columns.get_loc(column)] = value

    return edit


def _same_end(table):
    table["end"] = table["start"]


@pytest.mark.parametrize(
    ("frame", "edit", "named"),
    [
        pytest.param("reports", _set("issuer", None), "issuer", id="missing-text"),
        pytest.param("reports", _set("issuer", 350502), "issuer", id="number-in-text-column"),
        pytest.param("reports", _set("region_code", "3505"), "region_code", id="short-region-code"),
        pytest.param("reports", _set("issued_date", "2024年1月31日"), "issued_date", id="date-not-iso"),
        pytest.param("reports", _set("report_year", 1850), "report_year", id="year-out-of-range"),
        pytest.param("mentions", _set("kind", "total"), "kind", id="unknown-kind"),
        pytest.param("mentions", _set("confidence", 1.5), "confidence", id="confidence-above-1"),
        pytest.param("mentions", _set("raw", ""), "raw", id="empty-raw"),
        pytest.param("metrics", _same_end, "end > start", id="empty-span"),
        pytest.param("problems", _set("severity", "fatal"), "severity", id="unknown-severity"),
    ],
)
def test_a_frame_breaking_its_schema_is_refused_by_name(seed_corpus, frame, edit, named):
    if frame == "problems":  # the seeds parse cleanly: give the frame a row to break
        seed_corpus = dataclasses.replace(seed_corpus, problems=read_reports(["/no/such/report.txt"]).problems)
    broken = _broken(seed_corpus, frame, edit)
    with pytest.raises(ReportlibError, match=f"frame '{frame}'") as info:
        validate_corpus(broken)
    assert named in str(info.value)


def test_duplicate_metric_rows_are_refused(seed_corpus):
    metrics = seed_corpus.metrics
    broken = dataclasses.replace(seed_corpus, metrics=metrics.iloc[[0, 0]].reset_index(drop=True))
    with pytest.raises(ReportlibError, match="frame 'metrics'"):
        validate_corpus(broken)


def test_an_empty_frame_passes_whatever_dtype_its_text_columns_got(seed_corpus):
    """A frame with no rows (no problems, say) read back from CSV may carry float columns: still valid."""
    empty = seed_corpus.problems.iloc[0:0].astype({"source": "float64"})
    validate_corpus(dataclasses.replace(seed_corpus, problems=empty))
