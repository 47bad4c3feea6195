"""Foundations every stage stands on; imports nothing else of reportlib.

Takes nothing and gives: the errors (:mod:`.errors`), where files live (:mod:`.paths`), the number
lexicon every number pattern is built from (:mod:`.numbers`), the row types and frame columns that
cross stages (:mod:`.records`), atomic writes (:mod:`.atomic`), the output-folder lock
(:mod:`.outlock`), spreadsheet-safe text (:mod:`.csvsafe`), bounded regex work (:mod:`.guard`)
and the versions recorded in outputs (:mod:`.versions`).
"""
