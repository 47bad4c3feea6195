"""The build: a folder of reports → every notebook run, page and workbook in ``reports/``.

Takes input folders and gives the outputs: :mod:`.plan` (which notebook runs with which
parameters and output names), :mod:`.runner` (parallel papermill runs, cache, atomic outputs,
the summary), :mod:`.warmkernel` (the papermill engine reusing a warm kernel),
:mod:`.indexpage` (the index), :mod:`.cli` (the ``reportlib`` command) and :mod:`.nbclean`
(notebooks committed without outputs).
"""
