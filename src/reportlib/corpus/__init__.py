"""The corpus: rows of many reports → checked pandas frames, stored and read back.

Takes files or folders and gives a :class:`~reportlib.corpus.reader.Corpus` of five frames
validated by the schemas (:mod:`.schema`): :mod:`.reader` (``read_reports``, in parallel or on
Dask), :mod:`.parsecache` (per-file cache by content hash and parser version),
:mod:`.corrections` (staff's corrections applied with their trail), :mod:`.processed` (the
processed folder written and read), :mod:`.slices` (each output's own slice) and
:mod:`.evaluate` (scores against a gold folder).
"""
