"""The rows that cross module boundaries: the columns of each frame, in order.

The parser writes one tuple per row in these orders (cheap to make and to pickle between
processes); the checks, the corpus frames and the schemas read them by these names.
"""

from __future__ import annotations

__all__ = ["MENTION_COLUMNS", "METRIC_COLUMNS", "PROBLEM_COLUMNS", "REPORT_COLUMNS", "SECTION_COLUMNS"]

REPORT_COLUMNS = (
    "report_id", "source", "sha256", "title", "issuer", "issuer_kind", "province", "city", "county",
    "region", "region_code", "level", "report_year", "doc_number", "issued_date", "published_date",
    "addressees", "cc", "n_chars", "format", "encoding", "traditional", "text_hash",
    "n_sections", "n_mentions", "n_metrics",
    "issuer_from", "region_from", "year_from", "issued_from", "published_from",
)
SECTION_COLUMNS = (
    "report_id", "source", "section_id", "parent_id", "level", "marker", "heading", "part", "start", "end",
)
MENTION_COLUMNS = (
    "report_id", "source", "issuer", "region", "region_code", "report_year", "indicator", "value",
    "unit", "unit_raw", "approx", "qualifier", "kind", "raw", "sentence", "start", "end",
    "mention_id", "section_id", "section", "part", "scope", "scope_word", "confidence", "promoted",
    "note", "sentence_start", "sentence_end",
)
METRIC_COLUMNS = (
    "report_id", "source", "issuer", "region", "region_code", "report_year", "indicator", "indicator_name",
    "value", "unit", "unit_raw", "approx", "qualifier", "kind", "raw", "sentence", "start", "end",
    "mention_id", "section", "confidence", "reason", "n_candidates", "alternatives",
)
PROBLEM_COLUMNS = ("source", "report_id", "severity", "stage", "reason")
