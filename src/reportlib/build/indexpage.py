"""``index.html`` for thousands of outputs: the corpus-wide pages first, then every region grouped
by province → city, one line per region with its links (year over year, trend, each report's
profile). A static page that stays small: no per-output paragraphs for regional runs; past
:data:`OPEN_UP_TO` regions the groups start collapsed and an inline filter box appears (a few
lines of script in the page itself, no network). A small index has no script at all.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from reportlib.build.plan import OVERVIEW_NAME
from reportlib.core.atomic import write_text_atomic
from reportlib.outputs.analysis import LEVEL_ZH
from reportlib.outputs.htmlexport import STYLESHEET, _entry, _href, _pairs, embed_font

__all__ = ["Place", "grouped_index_page", "run_places"]

#: Groups open by default when the page lists at most this many regions.
OPEN_UP_TO = 30

_CSS = """
.filter { margin: 1em 0; }
.filter input { font: inherit; padding: 4px 8px; width: 22em; max-width: 100%; }
details { margin: 0.3em 0; }
details > summary { cursor: pointer; font-weight: bold; }
details details { margin-left: 1.2em; }
.regions { list-style: none; padding: 0 0 0 1.2em; margin: 0.2em 0 0.6em; }
.regions li { margin: 0.15em 0; }
.regions .code { color: #57606a; font-size: 0.9em; }
.regions .sep { color: #8c959f; }
.failed { color: #b22b31; }
"""

# Hides region lines that do not contain the typed text and opens the groups that keep some.
_FILTER_SCRIPT = """
(function () {
  var box = document.getElementById("filter");
  var items = Array.prototype.slice.call(document.querySelectorAll(".regions li"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.place"));
  box.addEventListener("input", function () {
    var q = box.value.trim();
    items.forEach(function (li) { li.hidden = q !== "" && li.getAttribute("data-k").indexOf(q) < 0; });
    groups.forEach(function (d) {
      var shown = d.querySelectorAll(".regions li:not([hidden])").length;
      d.hidden = q !== "" && shown === 0;
      if (q !== "") { d.open = shown > 0; }
    });
  });
})();
"""


class Place(NamedTuple):
    """Where a run belongs; empty strings when unknown."""

    province: str = ""
    city: str = ""
    region: str = ""
    region_code: str = ""
    level: str = ""


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def run_places(runs: Iterable[Any], reports: pd.DataFrame) -> dict[str, tuple[Place, str]]:
    """For each run about one region or one report: its :class:`Place` and a short link label
    (``2023 泉州市鲤城区司法局`` for a profile). Runs about the whole corpus or a year are not listed."""
    by_id = {str(r["report_id"]): r for r in reports.to_dict("records")}
    by_code: dict[str, dict[str, Any]] = {}
    for r in reports.to_dict("records"):
        by_code.setdefault(_text(r.get("region_code")), r)
    out: dict[str, tuple[Place, str]] = {}
    for run in runs:
        params = run.parameters or {}
        row, label = None, ""
        if "report_id" in params and str(params["report_id"]) in by_id:
            row = by_id[str(params["report_id"])]
            year = row.get("report_year")
            label = " ".join(x for x in ("" if year is None or pd.isna(year) else str(int(year)), _text(row.get("issuer"))) if x)
        elif "region" in params and str(params["region"]) in by_code:
            row = by_code[str(params["region"])]
            label = run.title.split("：", 1)[0]
            years = run.title.rsplit(" ", 1)[-1] if " " in run.title else ""
            label = f"{label} {years}".strip()
        if row is not None:
            place = Place(_text(row.get("province")), _text(row.get("city")), _text(row.get("region")),
                          _text(row.get("region_code")), _text(row.get("level")))
            out[run.name] = (place, label or run.title)
    return out


def _link(entry: Mapping[str, Any], label: str) -> str:
    cls = ' class="failed"' if entry.get("failed") else ""
    return f'<a{cls} href="{_href(str(entry["href"]))}">{html.escape(label)}</a>'


def grouped_index_page(
    entries: Sequence[Mapping[str, Any]],
    places: Mapping[str, tuple[Place, str]],
    title: str,
    build_info: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    dest: str | os.PathLike[str] | None = None,
) -> str:
    """The index page. ``entries`` are as for :func:`reportlib.outputs.htmlexport.index_page`, each with
    its run ``name``; those named in ``places`` (see :func:`run_places`) are listed under
    province → city → region as short links, the others first (the corpus overview leading),
    grouped, with their descriptions.
    Every text is escaped. Written atomically to ``dest`` when given."""
    entries = sorted(entries, key=lambda e: e.get("name") != OVERVIEW_NAME)  # the overview first, the rest in order
    top: dict[str, list[str]] = {}
    regional: dict[str, dict[str, dict[tuple[str, str, str], list[tuple[str, str]]]]] = {}
    for entry in entries:
        name = str(entry.get("name", ""))
        if name in places:
            place, label = places[name]
            group = str(entry.get("group") or "")
            shown = label + ("（失败）" if entry.get("failed") else "")
            key = (place.region, place.region_code, place.level)
            regional.setdefault(place.province or "省份不明", {}).setdefault(place.city or place.province or "城市不明", {}) \
                .setdefault(key, []).append((group, _link(entry, shown)))
        else:
            top.setdefault(str(entry.get("group") or ""), []).append(_entry(entry))
    body = []
    for group, items in top.items():
        if group:
            body.append(f"<h2>{html.escape(group)}</h2>")
        body.append('<ul class="report-list">\n' + "\n".join(items) + "\n</ul>")
    is_open = ""
    if regional:
        n_regions = sum(len(regions) for cities in regional.values() for regions in cities.values())
        is_open = " open" if n_regions <= OPEN_UP_TO else ""
        body.append("<h2>按地区</h2>")
        body.append(f"<p>{len(regional)}个省份，{n_regions}个地区。每个地区一行：同比分析、多年趋势和各份报告的概况。</p>")
        if not is_open:  # a long list: collapsed groups and a filter box (a small build needs neither, and has no script)
            body.append('<p class="filter"><input id="filter" type="search" placeholder="筛选：输入地区、机关或区划代码" '
                        'aria-label="筛选地区"></p>')
        for province in sorted(regional):
            cities = regional[province]
            count = sum(len(r) for r in cities.values())
            body.append(f'<details class="place"{is_open}><summary>{html.escape(province)}（{count}个地区）</summary>')
            for city in sorted(cities):
                regions = cities[city]
                body.append(f'<details class="place"{is_open}><summary>{html.escape(city)}（{len(regions)}个地区）</summary>')
                body.append('<ul class="regions">')
                for (region, code, level), links in sorted(regions.items(), key=lambda kv: kv[0][1]):
                    by_group: dict[str, list[str]] = {}
                    for group, link in links:
                        by_group.setdefault(group, []).append(link)
                    parts = []
                    for group, group_links in by_group.items():
                        head = f"{html.escape(group)}：" if len(group_links) > 1 or group == "报告概况" else ""
                        parts.append(head + " · ".join(group_links))
                    key_text = " ".join([province, city, region, code, *(g for g, _ in links)])
                    labels = " ".join(html.unescape(_strip_tags(link)) for _, link in links)
                    level_zh = LEVEL_ZH.get(level, "")
                    body.append(
                        f'<li data-k="{html.escape(key_text + " " + labels, quote=True)}"><strong>{html.escape(region)}</strong>'
                        f' <span class="code">{html.escape(code)}{"，" + level_zh if level_zh else ""}</span> '
                        + ' <span class="sep">|</span> '.join(parts) + "</li>"
                    )
                body.append("</ul></details>")
            body.append("</details>")
    info = _pairs(build_info)
    if info:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in info)
        body.append(f'<table class="build-info"><tbody>{rows}</tbody></table>')
    script = f"<script>{_FILTER_SCRIPT}</script>" if regional and not is_open else ""
    page = "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', '<meta name="generator" content="reportlib">',
        f"<title>{html.escape(title)}</title>", f"<style>\n{STYLESHEET.read_text(encoding='utf-8')}{_CSS}</style>", "</head>",
        "<body>", "<main>", f"<h1>{html.escape(title)}</h1>", *body, "</main>", script, "</body>", "</html>", "",
    ])
    page = embed_font(page)
    if dest is not None:
        write_text_atomic(dest, page)
    return page


def _strip_tags(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)
