"""The console script follows the contract: tables, formats, exit codes, stderr lines."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from reportlib.build.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_metrics_csv_default(capsys):
    code, out, err = run(["parse", str(ROOT / "seeds")], capsys)
    assert code == 0 and err == ""
    frame = pd.read_csv(io.StringIO(out))
    lc = frame[(frame.region == "鲤城区") & (frame.indicator == "legal_aid_cases")]
    assert sorted(lc.value) == [283, 367]


def test_parse_reports_json(capsys):
    code, out, _ = run(["parse", "--table", "reports", "--format", "json", str(ROOT / "seeds")], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 5
    assert {r["region_code"] for r in rows} == {"350502", "350583", "350206", "350200"}


def test_bad_input_is_one_stderr_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run(["parse", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), str(ROOT / "seeds")], capsys)
    assert code == 1
    assert len(pd.read_csv(io.StringIO(out))) > 20  # good inputs still printed
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("missing.txt" in line and "does not exist" in line for line in lines)
    assert any("empty.txt" in line and "empty" in line for line in lines)


def test_usage_error_exit_2_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "reportlib", "parse", "--table", "nope", "x"], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "invalid choice" in proc.stderr


def test_help_has_examples():
    proc = subprocess.run([sys.executable, "-m", "reportlib", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "example" in proc.stdout


def test_indicators_command(capsys):
    code, out, _ = run(["indicators", "--format", "csv"], capsys)
    frame = pd.read_csv(io.StringIO(out))
    spec = pd.read_csv(ROOT.parent / "shared" / "spec" / "indicators.csv") if (ROOT.parent / "shared").exists() else None
    assert code == 0 and "legal_aid_cases" in set(frame["id"])
    if spec is not None:
        assert set(spec["id"]) == set(frame["id"])
