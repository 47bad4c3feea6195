"""Parsing: a Document → rows (reports, sections, mentions, metrics, problems).

Takes the reading stage's Document and gives plain row records (:mod:`reportlib.core.records`):
:mod:`.metadata` (issuer, region, year, dates, each with its source), :mod:`.sections` (the
heading tree and the required parts), :mod:`.mentions` (numbers in sentences and table cells),
:mod:`.indicators` with ``indicators.yaml`` (the taxonomy, scope and promotion to metrics),
:mod:`.checks` (consistency rules) and :mod:`.parse`, which runs them for one report.
"""
