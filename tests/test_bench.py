"""The benchmark: a deterministic generator whose planted numbers are where it says, recall that
measures the parser for real, and a run that prints the table and one final JSON line."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pandas as pd
import pytest
from parse_bench import (  # benchmarks/ (on pytest's pythonpath)
    Generator,
    load_material,
    main,
    recall,
    run_bench,
)

from reportlib.reading.formats import decode_text

KEYS = {
    "n_reports", "mb", "baseline_reports_per_s", "parse_reports_per_s", "parse_jobs2_reports_per_s",
    "ratio", "speedup", "peak_mem_mb", "recall",
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@pytest.fixture(scope="module")
def material(seeds_dir):
    return load_material(seeds_dir)


@pytest.fixture(scope="module")
def reports(material):
    generator = Generator(200, 20240131, material)
    return [generator.report(i) for i in range(len(generator))]


def test_same_seed_same_bytes_other_seed_other_bytes(material):
    first, again, other = (Generator(12, seed, material) for seed in (7, 7, 8))
    assert [first.report(i).to_bytes() for i in range(12)] == [again.report(i).to_bytes() for i in range(12)]
    assert first.report(0).to_bytes() != other.report(0).to_bytes()


def test_planted_numbers_sit_at_their_offsets_of_the_decoded_file(reports):
    for report in reports:
        text, _ = decode_text(report.to_bytes(), report.name)
        assert text == report.text
        assert report.planted
        for p in report.planted:
            assert text[p.start : p.end] == p.raw
            assert _value(p.raw) == pytest.approx(p.value, rel=1e-12)


def _value(raw: str) -> float:
    """What a planted number is worth, read back independently: digits, 万/亿, unit."""
    plain = raw.translate(_FULLWIDTH).replace(",", "").replace(" ", "")
    digits = plain[: len(plain) - len(plain.lstrip("0123456789."))]
    rest = plain[len(digits) :]
    factor = {"万": 10_000, "亿": 100_000_000}.get(rest[:1], 1)
    return float(Decimal(digits) * factor)


def test_corpus_varies_issuers_encodings_and_layouts(reports, material):
    texts = [r.text for r in reports]
    assert {r.encoding for r in reports} == {"utf-8", "utf-8-sig", "gb18030", "utf-16"}
    assert len({t.split("\n", 1)[0] for t in texts}) > 150  # first lines: titles or 文件 headers
    assert any("\r\n" in t for t in texts) and any("二是" in t for t in texts)
    assert any(any(c in p.raw for c in "０１２３４５６７８９") for r in reports for p in r.planted)
    assert any("," in p.raw for r in reports for p in r.planted)
    assert 8_000 < sum(len(r.text.encode("utf-8")) for r in reports) / len(reports) < 13_000
    seed_places = set(material.names)
    assert not any(name in t for t in texts for name in seed_places)


def test_recall_matches_report_offsets_and_value():
    planted = pd.DataFrame(
        {"report": [0, 0, 1], "start": [5, 9, 3], "end": [9, 12, 6], "value": [367.0, 12.0, 5024000.0]}
    )
    mentions = pd.DataFrame({
        "source": ["/x/000000.txt", "/x/000000.txt", "/x/000000.txt", "/x/000001.txt"],
        "start": [5, 5, 9, 3], "end": [9, 9, 12, 6], "value": [367.0, 367.0, 12.0, 502.4],
    })
    found, misses = recall(planted, mentions)
    assert found == pytest.approx(2 / 3)
    assert misses[["report", "start"]].values.tolist() == [[1, 3]]


def test_small_run_prints_table_then_json_and_finds_the_planted_numbers(capsys):
    buf = io.StringIO()
    assert run_bench(n=20, out=buf) == 0
    lines = buf.getvalue().rstrip("\n").split("\n")
    summary = json.loads(lines[-1])
    assert KEYS <= set(summary) and set(summary) - KEYS <= {"targets_met", "cores"}
    assert summary["n_reports"] == 20 and summary["recall"] >= 0.99
    table = "\n".join(lines[:-1])
    for measure in ("ratio scan/parse", "speedup", "peak memory", "recall", "frames jobs=2 == jobs=1"):
        assert measure in table
    frames_row = next(line for line in lines if line.startswith("frames jobs=2 == jobs=1"))
    assert frames_row.split()[-1] == "pass"
    assert capsys.readouterr().out == ""  # everything went to `out`; progress and stages to stderr


def test_bench_script_exits_0_and_ends_with_json(capsys):
    assert main(["--n", "10"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1])["n_reports"] == 10


def test_bench_script_bad_n_is_a_usage_error(capsys):
    assert main(["--n", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--n must be" in err
