"""Analyses and outputs: frames → tables, charts, workbooks and HTML for people.

Takes a Corpus (or its processed folder) and gives what staff read: :mod:`.analysis` (labels,
loading, year-over-year, cross-district, profile, parse quality), :mod:`.overview` and
:mod:`.trend`, :mod:`.plotting` (charts with the embedded CJK font), :mod:`.nbview` (what a
notebook displays), :mod:`.excel` and :mod:`.workbooks` (formatted workbooks), :mod:`.review`
(the correction workbook) and :mod:`.htmlexport` (offline HTML).
"""
