"""Metrics at scale: one CSV/Parquet table besides the workbook, which splits before Excel's row limit."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from reportlib.build import runner as build
from reportlib.outputs import workbooks


def test_workbook_splits_over_sheets_and_says_so(seed_corpus, tmp_path):
    metrics = seed_corpus.metrics
    dest = workbooks.metrics_workbook(metrics, seed_corpus.reports, tmp_path / "m.xlsx", max_rows=20)
    book = openpyxl.load_workbook(dest)
    parts = [name for name in book.sheetnames if name.startswith("指标")]
    assert parts == [f"指标{n}" for n in range(1, math.ceil(len(metrics) / 20) + 1)]
    assert sum(book[name].max_row - 1 for name in parts) == len(metrics)
    about = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert f"已按顺序分为{len(parts)}张工作表" in about and "metrics.csv" in about


def test_workbook_in_one_sheet_when_it_fits(seed_corpus, tmp_path):
    book = openpyxl.load_workbook(workbooks.metrics_workbook(seed_corpus.metrics, seed_corpus.reports, tmp_path / "m.xlsx"))
    assert book.sheetnames == ["说明", "指标", "报告"] and book["指标"].max_row == len(seed_corpus.metrics) + 1
    assert "分表" not in " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)


def test_metric_tables_hold_every_metric(seed_corpus, tmp_path):
    written = build._write_metric_tables(seed_corpus.metrics, tmp_path)
    assert (tmp_path / "metrics.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens the Chinese as UTF-8
    csv = pd.read_csv(tmp_path / "metrics.csv", encoding="utf-8-sig", dtype={"region_code": str}, keep_default_na=False)
    assert len(csv) == len(seed_corpus.metrics) and csv["raw"].tolist() == seed_corpus.metrics["raw"].tolist()
    assert csv["region_code"].tolist() == seed_corpus.metrics["region_code"].tolist()
    pytest.importorskip("pyarrow")
    assert written == ["metrics.csv", "metrics.parquet"]
    back = pd.read_parquet(tmp_path / "metrics.parquet")
    assert back["value"].tolist() == seed_corpus.metrics["value"].tolist()
    assert back["sentence"].tolist() == seed_corpus.metrics["sentence"].tolist()


def test_a_large_corpus_is_counted_not_listed_on_the_about_sheet(seed_corpus, tmp_path):
    many = pd.concat([seed_corpus.reports] * 12, ignore_index=True)  # 60 rows: more than one cell should list
    book = openpyxl.load_workbook(workbooks.metrics_workbook(seed_corpus.metrics, many, tmp_path / "m.xlsx"))
    about = {row[0].value: row[1].value for row in book["说明"].iter_rows() if row[0].value}
    assert about["数据来源"] == "60份报告，逐份列在“报告”工作表（来源文件、发布机关、标题、年度）。"
    assert book["报告"].max_row == 61
