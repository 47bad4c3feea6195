"""The README's "Scaling out" example runs as written and gives the frames of ``read_reports``."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from reportlib.corpus import iter_inputs

pytest.importorskip("dask.bag")  # a dev extra: the example needs Dask, the library does not

README = Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    section = README.read_text(encoding="utf-8").split("## Scaling out", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    return code


def test_readme_dask_example_gives_the_same_frames(seeds_dir, seed_corpus):
    paths = [path for path, reason, _ in iter_inputs([seeds_dir]) if not reason]
    namespace: dict = {"paths": paths}
    exec(compile(_example(), "README.md (Scaling out)", "exec"), namespace)  # our own README
    corpus = namespace["corpus"]
    for name in corpus.TABLES:
        pd.testing.assert_frame_equal(corpus.table(name), seed_corpus.table(name), obj=name)
    assert corpus.metrics["value"].isin([367, 283]).any()
