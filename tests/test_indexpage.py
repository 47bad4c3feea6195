"""index.html at scale: corpus pages first, then province → city → region lines with short links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from reportlib.build import indexpage, plan
from reportlib.outputs.htmlexport import offline_problems


def _reports(n_regions: int, years=(2022, 2023, 2024)) -> pd.DataFrame:
    rows = []
    for i in range(n_regions):
        province, city = f"省{i % 7}", f"市{i % 31}"
        for year in years:
            rows.append({"report_id": f"r{i:05d}{year}", "province": province, "city": city, "region": f"区{i}",
                         "region_code": f"{110000 + i:06d}", "level": "county", "report_year": year,
                         "issuer": f"区{i}司法局", "title": "报告", "source": f"r{i}-{year}.txt"})
    return pd.DataFrame(rows)


def _entries(runs: list[plan.Run], failed: set[str] = frozenset()) -> list[dict]:
    return [{"title": r.title, "href": f"{r.name}.html", "description": r.description, "group": r.group, "name": r.name,
             "failed": r.name in failed} for r in runs]


class _Corpus:
    def __init__(self, reports: pd.DataFrame) -> None:
        self.reports = reports


def _page(reports: pd.DataFrame, failed: set[str] = frozenset()) -> tuple[str, list[plan.Run]]:
    runs = plan.derive_plan(_Corpus(reports))  # derive_plan reads only .reports
    page = indexpage.grouped_index_page(_entries(runs, failed), indexpage.run_places(runs, reports), "目录",
                                        {"报告数": str(len(reports))})
    return page, runs


def test_overview_first_then_regions_by_province_and_city():
    page, runs = _page(_reports(3))
    body = page.split("<body>", 1)[1]
    assert body.index(f'href="{plan.OVERVIEW_NAME}.html"') < body.index(f'href="{plan.QUALITY_NAME}.html"') < body.index("按地区")
    for run in runs:
        assert f'href="{run.name}.html"' in page
    line = re.search(r'<li data-k="[^"]*"><strong>区1</strong>.*?</li>', page).group(0)
    assert f'href="{plan.yoy_name("110001", "区1", (2023, 2024))}.html">同比 2023→2024<' in line
    assert f'href="{plan.trend_name("110001", "区1", (2022, 2024))}.html">多年趋势 2022–2024<' in line
    assert "报告概况：" in line and line.count('href="报告概况_区1_') == 3 and ">2022 区1司法局<" in line
    assert re.search(r"<summary>省1（1个地区）</summary>\s*<details class=\"place\" open><summary>市1（1个地区）", page)
    assert offline_problems(page) == [] and "<script" not in page  # small: every group open, no filter needed


def test_failed_runs_are_marked_and_text_is_escaped():
    reports = _reports(1)
    reports.loc[0, "issuer"] = "<b>区0</b>司法局"
    trend = plan.trend_name("110000", "区0", (2022, 2024))
    page, _ = _page(reports, failed={trend})
    assert f'class="failed" href="{trend}.html">多年趋势 2022–2024（失败）<' in page
    assert "<b>区0</b>" not in page and "&lt;b&gt;区0&lt;/b&gt;司法局" in page


@pytest.mark.parametrize("n_regions", [1000])
def test_the_page_stays_small_at_thousands_of_reports(n_regions):
    page, runs = _page(_reports(n_regions))
    assert len(runs) > 3 * n_regions
    assert all(f'href="{r.name}.html"' in page for r in runs)
    per_run = len(page.encode()) / len(runs)
    assert per_run < 400, per_run  # a link, not a paragraph, per regional output
    assert " open>" not in page  # groups start closed at this size
    assert '<input id="filter"' in page and "<script>" in page and 'src="' not in page.split("<style>")[0]
