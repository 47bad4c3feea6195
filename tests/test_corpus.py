"""read_reports accounts for every input: duplicates, degenerate files, order, parallel runs."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import reportlib
from reportlib.parsing.parse import MAX_BYTES, MENTION_COLUMNS
from tests.conftest import SEEDS, report_text

GOOD = report_text("全区共办理法律援助案件1,234件，为受援人挽回损失约56.7万元。", issuer="杭州市西湖区司法局")


def problems_by_name(corpus):
    return {os.path.basename(r.source): (r.severity, r.reason) for r in corpus.problems.itertuples()}


def test_duplicate_and_mirror_are_kept_once(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b copy.txt").write_text(GOOD, encoding="utf-8")  # same bytes
    (tmp_path / "c-mirror.txt").write_text("\n\n" + GOOD.replace("，", "， "), encoding="gb18030")  # a mirror
    corpus = reportlib.read_reports(tmp_path)
    assert len(corpus.reports) == 1
    probs = problems_by_name(corpus)
    assert probs["b copy.txt"][0] == "warning" and "duplicate of" in probs["b copy.txt"][1]
    assert "duplicate of" in probs["c-mirror.txt"][1]
    assert corpus.failed.empty


def test_degenerate_inputs_do_not_stop_the_batch(tmp_path):
    (tmp_path / "good 报告.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "novel.txt").write_text("从前有座山，山上有座庙。庙里有个老和尚。\n" * 5, encoding="utf-8")
    (tmp_path / "empty_dir").mkdir()
    corpus = reportlib.read_reports([tmp_path, tmp_path / "missing.txt", tmp_path / "empty_dir"])
    assert corpus.reports["source"].str.endswith("good 报告.txt").tolist() == [True]
    probs = problems_by_name(corpus)
    assert probs["empty.txt"][1].startswith("empty file")
    assert "whitespace" in probs["blank.txt"][1]
    assert "PNG" in probs["image.txt"][1]
    assert probs["novel.txt"][1].startswith("not a report")
    assert probs["missing.txt"][1] == "file does not exist"
    assert "no reports" in probs["empty_dir"][1]
    assert set(corpus.failed["severity"]) == {"error"} and len(corpus.failed) == 6


def test_truncated_report_is_parsed_and_flagged(tmp_path):
    cut = GOOD[: GOOD.index("挽回损失") + 2] + "约56.7万元，为群众提供法律咨询和代理服务的同时进一步加强"
    (tmp_path / "cut.txt").write_text(cut, encoding="utf-8")
    corpus = reportlib.read_reports(tmp_path)
    assert corpus.metrics.query("indicator == 'legal_aid_cases'")["value"].tolist() == [1234.0]
    assert any("truncated" in r for r in corpus.problems["reason"])
    assert corpus.failed.empty


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: no 20 MB written to disk
        fh.truncate(MAX_BYTES + 1)
    corpus = reportlib.read_reports([big, SEEDS / "000_c65c1456b27ca68d.txt"])
    assert len(corpus.reports) == 1
    assert "too large" in corpus.problems["reason"].iloc[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text(GOOD, encoding="utf-8")
    p.chmod(0)
    corpus = reportlib.read_reports(p)
    assert "permission denied" in corpus.problems["reason"].iloc[0]


def test_unreadable_file_reason(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text(GOOD, encoding="utf-8")

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(p), "open", deny)
    corpus = reportlib.read_reports(p)
    assert corpus.problems["reason"].tolist() == ["permission denied: the file cannot be read"]


def test_parallel_equals_serial_in_input_order():
    serial = reportlib.read_reports(SEEDS, jobs=1)
    files = sorted(SEEDS.glob("*.txt")) * 1
    parallel = reportlib.read_reports([*files], jobs=2)
    for name in ("reports", "mentions", "metrics", "sections", "checks"):
        a, b = serial.table(name), parallel.table(name)
        assert a.equals(b), name


def test_determinism_two_parses_identical():
    a, b = reportlib.read_reports(SEEDS), reportlib.read_reports(SEEDS)
    for name in a.TABLES:
        assert a.table(name).equals(b.table(name)), name


def test_frames_built_in_chunks_equal_frames_built_at_once(tmp_path, monkeypatch):
    """assemble() turns rows into frames a few reports at a time (to bound memory): the result,
    duplicates across chunks included, is the same as building everything at once."""
    import reportlib.corpus.reader as corpus_module

    districts = ["西湖区", "上城区", "拱墅区", "滨江区", "萧山区"]
    for i, district in enumerate(districts):
        body = f"全区共办理法律援助案件{1000 + i},234件，为受援人挽回损失约{i + 5}6.7万元。"
        (tmp_path / f"{i}.txt").write_text(report_text(body, issuer=f"杭州市{district}司法局"), encoding="utf-8")
    (tmp_path / "9 copy.txt").write_bytes((tmp_path / "0.txt").read_bytes())  # a duplicate in the last chunk
    at_once = reportlib.read_reports(tmp_path)
    monkeypatch.setattr(corpus_module, "ASSEMBLE_CHUNK", 2)
    chunked = reportlib.read_reports(tmp_path)
    assert len(chunked.reports) == 5 and chunked.mentions["report_id"].nunique() == 5
    for name in chunked.TABLES:
        pd.testing.assert_frame_equal(chunked.table(name), at_once.table(name), obj=name)
    assert "duplicate of" in problems_by_name(chunked)["9 copy.txt"][1]


def test_a_chunk_that_breaks_its_schema_is_refused(tmp_path, monkeypatch):
    import reportlib.corpus.reader as corpus_module
    from reportlib.core.errors import ReportlibError
    from reportlib.parsing.parse import parse_text

    monkeypatch.setattr(corpus_module, "ASSEMBLE_CHUNK", 1)
    bad = parse_text(GOOD.replace("西湖区", "滨江区"), "b.txt")  # another report, in the second chunk
    kind = MENTION_COLUMNS.index("kind")
    bad.mentions[0] = (*bad.mentions[0][:kind], "total", *bad.mentions[0][kind + 1 :])
    with pytest.raises(ReportlibError, match=r"(?s)frame 'mentions'.*'kind'.*total"):
        corpus_module.assemble([parse_text(GOOD, "a.txt"), bad])
