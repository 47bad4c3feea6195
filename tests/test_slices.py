"""Each run reads only its slice and is keyed by it; unchanged files are not parsed again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import reportlib
from reportlib.build import plan
from reportlib.build import runner as build
from reportlib.corpus import parsecache, slices
from reportlib.corpus.processed import read_processed
from tests.conftest import SEEDS


def _by(runs, notebook):
    return [r for r in runs if r.notebook == notebook]


def test_slice_of_each_kind_of_run(seed_corpus):
    runs = plan.derive_plan(seed_corpus)
    reports = seed_corpus.reports
    profile = _by(runs, "report_profile.ipynb")[0]
    assert slices.slice_ids(profile, reports) == [profile.parameters["report_id"]]
    yoy = _by(runs, "year_over_year.ipynb")[0]
    assert sorted(slices.slice_ids(yoy, reports)) == sorted(reports.loc[reports["region_code"] == "350502", "report_id"])
    cross = next(r for r in runs if r.name == plan.cross_name(2023))
    assert sorted(slices.slice_ids(cross, reports)) == sorted(reports.loc[reports["report_year"] == 2023, "report_id"])
    for whole in (plan.QUALITY_NAME, plan.OVERVIEW_NAME):
        assert slices.slice_ids(next(r for r in runs if r.name == whole), reports) is None
    assert slices.slice_ids(plan.Run("x", "x.ipynb", "", "", "", {"value": 1}), reports) is None


def test_subset_holds_exactly_the_rows_of_its_reports(seed_corpus):
    index = slices.CorpusIndex(seed_corpus)
    ids = seed_corpus.reports["report_id"].tolist()[1:3]
    part = index.subset(ids)
    for table in seed_corpus.TABLES:
        frame = seed_corpus.table(table)
        expected = frame[frame["report_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(part.table(table), expected, check_dtype=True)
    assert len(index.subset([]).reports) == 0


def test_slice_key_follows_only_its_reports(seed_corpus):
    ids = seed_corpus.reports["report_id"].tolist()
    before = slices.CorpusIndex(seed_corpus)
    changed = seed_corpus.reports.copy()
    changed.loc[changed["report_id"] == ids[0], "sha256"] = "0" * 64
    after = slices.CorpusIndex(reportlib.Corpus(**{**{t: seed_corpus.table(t) for t in seed_corpus.TABLES},
                                                   "reports": changed}))
    assert before.key(ids[1:3]) == after.key(ids[1:3]) == after.key(list(reversed(ids[1:3])))
    assert before.key(ids[0:2]) != after.key(ids[0:2])


def test_parse_cache_serves_unchanged_files(tmp_path, monkeypatch):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    cache = tmp_path / "cache"
    calls: list[str] = []
    real = parsecache.parse_one  # what the cached parser calls for a file it has not seen
    monkeypatch.setattr(parsecache, "parse_one", lambda p: calls.append(Path(p).name) or real(p))
    first = reportlib.read_reports(src, parse_cache=cache)
    assert len(calls) == 5 and len(list(cache.glob("*.pickle"))) == 5
    again = reportlib.read_reports(src, parse_cache=cache)
    assert len(calls) == 5  # nothing parsed again
    for table in first.TABLES:
        pd.testing.assert_frame_equal(first.table(table), again.table(table))
    victim = sorted(src.glob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n附：本报告另有说明。\n", encoding="utf-8")
    reportlib.read_reports(src, parse_cache=cache)
    assert calls[5:] == [victim.name]
    monkeypatch.setattr(parsecache, "parser_version", lambda: "another")
    reportlib.read_reports(src, parse_cache=cache)
    assert len(calls) == 11  # a new parser parses everything


def test_parse_cache_never_holds_failures_and_prunes_unused(tmp_path):
    cache = tmp_path / "cache"
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert isinstance(parsecache.parse_cached(empty, cache), tuple) and not list(cache.glob("*.pickle"))
    good = tmp_path / "good.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], good)
    parsecache.parse_cached(good, cache)
    (cache / "stale-x.pickle").write_bytes(b"not a pickle")
    import os
    import time

    os.utime(cache / "stale-x.pickle", (time.time() - 3600, time.time() - 3600))
    assert parsecache.prune(cache, time.time() - 60) == 1 and len(list(cache.glob("*.pickle"))) == 1
    (next(cache.glob("*.pickle"))).write_bytes(b"torn")  # a broken entry is parsed again
    assert not isinstance(parsecache.parse_cached(good, cache), tuple)


@pytest.mark.slow
def test_changing_one_report_reruns_only_what_depends_on_it(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "out"
    seeds = reportlib.read_reports(src)
    full = plan.derive_plan(seeds)
    lc2024 = seeds.reports[(seeds.reports["region_code"] == "350502") & (seeds.reports["report_year"] == 2024)].iloc[0]
    profile = next(r for r in full if r.parameters.get("report_id") == lc2024["report_id"])
    yoy = next(r for r in full if r.notebook == "year_over_year.ipynb" and r.parameters["region"] == "350502")
    wanted = [profile, yoy, next(r for r in full if r.name == plan.cross_name(2023))]
    first = build.run_build([src], out=out, plan=wanted, jobs=2, progress=False, echo=False)
    assert first.ok, str(first)
    data = out / "processed" / build.SLICES_DIR  # inside the build's own, locked, output folder
    assert read_processed(data / profile.name).reports["report_id"].tolist() == [lc2024["report_id"]]
    executed = json.loads((out / f"{profile.name}.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["processed_dir"] == str(data / profile.name)

    nanan = next(p for p in src.glob("*.txt") if "南安市司法局" in p.read_text(encoding="utf-8")[:200])
    nanan.write_text(nanan.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")  # 南安市 2023 changes
    second = build.run_build([src], out=out, plan=wanted, jobs=2, progress=False, echo=False)
    status = {r.name: r.status for r in second.results}
    assert status == {profile.name: "cached", yoy.name: "cached", plan.cross_name(2023): "ok"}, status
