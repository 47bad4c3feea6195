"""Shared fixtures: the project's seeds and a parsed seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    import reportlib

    return reportlib.read_reports(SEEDS)


def report_text(body: str, issuer: str = "杭州市西湖区司法局", year: int = 2023) -> str:
    """A small report skeleton around ``body`` (a few sentences of our own making)."""
    return (
        f"{issuer}关于{year}年度法治政府建设情况的报告\n区委、区政府：\n"
        f"一、{year}年度主要举措和成效\n{body}\n二、存在的不足\n一是合力不足。\n"
        f"三、{year + 1}年工作安排\n一是深化改革。\n{issuer}\n{year + 1}年2月1日\n"
    )
