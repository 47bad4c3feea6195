"""reportlib: Chinese 法治政府建设年度报告 → tidy pandas frames, and the analyses built on them.

>>> import reportlib
>>> corpus = reportlib.read_reports(reportlib.paths.seeds_dir())   # doctest: +SKIP
>>> corpus.metrics.query("indicator == 'legal_aid_cases'")          # doctest: +SKIP
"""

from reportlib._version import version as _version
from reportlib.core import paths
from reportlib.core.errors import BuildError, InputError, ReportlibError, TaxonomyError
from reportlib.corpus.reader import Corpus, read_reports
from reportlib.parsing.indicators import load_taxonomy
from reportlib.parsing.parse import parse_text

__all__ = [
    "BuildError",
    "Corpus",
    "InputError",
    "ReportlibError",
    "TaxonomyError",
    "load_taxonomy",
    "parse_text",
    "paths",
    "read_reports",
]
__version__ = _version()
