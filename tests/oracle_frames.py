"""Digests of the parsed frames, the oracle a restructuring is checked against.

``python tests/oracle_frames.py`` writes ``tests/oracle/*.json`` from the current parser: for the
seeds and for a synthetic corpus (the benchmark's generator, fixed seed), each frame's row count,
the digest of its whole canonical CSV and one digest per column, so that a difference names the
frame and column that changed. ``tests/test_oracle.py`` parses the same inputs and compares.
Regenerate the files only when a change of the frames is intended, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

ORACLE_DIR = Path(__file__).resolve().parent / "oracle"
FRAMES = ("reports", "sections", "mentions", "metrics", "problems")
SYNTHETIC = {"n": 80, "seed": 20261206}


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "source" in frame:
        frame["source"] = frame["source"].map(lambda s: Path(str(s)).name)
    frame = frame.astype(str)
    return frame.sort_values(list(frame.columns), kind="mergesort").reset_index(drop=True)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def digest(corpus) -> dict:
    out = {}
    for name in FRAMES:
        frame = _canonical(getattr(corpus, name))
        out[name] = {
            "rows": len(frame),
            "all": _sha(frame.to_csv(index=False)),
            "columns": {c: _sha("\x1f".join(frame[c])) for c in frame.columns},
        }
    return out


def write_synthetic(directory: Path) -> Path:
    from parse_bench import Generator, load_material

    from reportlib.core import paths

    generator = Generator(SYNTHETIC["n"], SYNTHETIC["seed"], load_material(paths.seeds_dir()))
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(len(generator)):
        report = generator.report(i)
        (directory / report.name).write_bytes(report.to_bytes())
    return directory


def inputs(tmp: Path) -> dict[str, Path]:
    from reportlib.core import paths

    return {"seeds": paths.seeds_dir(), "synthetic": write_synthetic(tmp / "synthetic")}


def main() -> None:
    import tempfile

    import reportlib

    ORACLE_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in inputs(Path(tmp)).items():
            corpus = reportlib.read_reports(folder, jobs=1, progress=False)
            path = ORACLE_DIR / f"{name}.json"
            path.write_text(json.dumps(digest(corpus), indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    main()
