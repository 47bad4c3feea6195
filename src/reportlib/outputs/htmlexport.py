"""Executed notebooks as self-contained HTML pages that work offline, plus the reports index page.

A page has no ``<script>``, no external stylesheet, font or image: outputs only (code hidden,
Markdown shown), figures inline as ``data:`` URIs, DataFrame tables kept, and a small inline
stylesheet for Chinese text (``templates/offline``). Text outputs are HTML-escaped by nbconvert;
``text/html`` outputs are trusted as they are, so callers render frames with ``escape=True``.
"""

from __future__ import annotations

import copy
import functools
import html
import os
import re
import site
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup

from reportlib.core.atomic import write_text_atomic
from reportlib.core.errors import BuildError
from reportlib.core.paths import TEMPLATES_DIR, project_root

if TYPE_CHECKING:  # nbformat and nbconvert take a second to import: only pages of notebooks need them
    import nbformat
    from nbconvert import HTMLExporter

__all__ = ["OFFLINE_TEMPLATE", "index_page", "notebook_to_html", "offline_exporter", "offline_problems"]

OFFLINE_TEMPLATE = "offline"
STYLESHEET = TEMPLATES_DIR / OFFLINE_TEMPLATE / "offline.css"

# Output MIME types in order of preference; JavaScript and widgets are left out on purpose.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/latex",
    "text/plain",
]

_LOCAL_REF = re.compile(r"^\s*(data:|#|$)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]+)|@import", re.IGNORECASE)
_UNSAFE_HREF = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


def offline_exporter() -> HTMLExporter:
    """An nbconvert exporter using the ``offline`` template: outputs and Markdown, no code, no prompts."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = DISPLAY_PRIORITY  # read by the exporter's filters too
    return HTMLExporter(
        config=config,
        template_name=OFFLINE_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


#: The family name the embedded font subset is known by in the pages' stylesheet.
EMBEDDED_FAMILY = "reportlib CJK"


def cjk_font_face(text: str) -> str:
    """A CSS ``@font-face`` rule with the glyphs of ``text`` cut from the CJK font that ships with the
    project (``mplfonts``), inline as a ``data:`` URI, so that a page reads in Chinese on any machine,
    offline, with or without Chinese system fonts. Empty when the font cannot be read.

    >>> rule = cjk_font_face("法律援助案件367件")
    >>> rule.startswith('@font-face{font-family:"reportlib CJK";src:url(data:font/woff;base64,'), len(rule) < 40_000
    (True, True)
    >>> cjk_font_face("件367法律援助案") is rule   # one subset per character set, cut once per process
    True
    """
    return _font_face("".join(sorted({ch for ch in text if not ch.isspace()})))


@functools.lru_cache(maxsize=512)
def _font_face(chars: str) -> str:
    """:func:`cjk_font_face` of the (sorted, distinct) characters ``chars``."""
    import base64
    import io
    import warnings

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from reportlib.core.errors import ReportlibError
    from reportlib.outputs.plotting import cjk_font_path

    try:
        font = TTFont(cjk_font_path(), lazy=True)
    except (ReportlibError, OSError) as exc:
        warnings.warn(f"pages will rely on the reader's Chinese fonts: {exc}", stacklevel=2)
        return ""
    options = subset.Options()
    options.flavor, options.hinting, options.layout_features, options.name_IDs = "woff", False, [], [1, 2]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars])
    data = io.BytesIO()
    with font:  # closes the font file
        subsetter.subset(font)
        font.save(data)
    encoded = base64.b64encode(data.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"{EMBEDDED_FAMILY}";src:url(data:font/woff;base64,{encoded}) format("woff");}}'


def embed_font(page: str) -> str:
    """``page`` with :func:`cjk_font_face` of its own characters added to its ``<head>``."""
    rule = cjk_font_face(page)
    if not rule or "</head>" not in page:
        return page
    return page.replace("</head>", f"<style>{rule}</style>\n</head>", 1)


def offline_problems(page: str) -> list[str]:
    """What in ``page`` would need a network or another file: each ``script``, ``link``, ``img`` …
    whose ``src``/``href`` is not inline (hyperlinks ``<a href>`` are fine), and CSS ``url()``/``@import``.

    >>> offline_problems('<img src="data:image/png;base64,AA=="><a href="https://x.org">x</a>')
    []
    >>> offline_problems('<script src="https://cdn.example/require.js"></script><link href="s.css">')
    ['<script src="https://cdn.example/require.js">', '<link href="s.css">']
    >>> offline_problems('<style>body { background: url(https://x/y.png) }</style><p>&lt;script src=x&gt;</p>')
    ['<style> url(https://x/y.png']
    """
    problems = []
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup.find_all(True):
        for attribute in ("src", "href", "srcset", "poster", "data", "background"):
            value = tag.get(attribute)
            if value is None or (tag.name == "a" and attribute == "href"):
                continue
            value = " ".join(value) if isinstance(value, list) else str(value)
            if not _LOCAL_REF.match(value):
                problems.append(f'<{tag.name} {attribute}="{value}">')
    for style in soup.find_all("style"):
        problems += [f"<style> {m.group(0)}" for m in _CSS_URL.finditer(style.get_text())]
    return problems


def notebook_to_html(
    nb: nbformat.NotebookNode | str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    title: str | None = None,
) -> str:
    """The offline HTML page for an executed notebook (a node or an ``.ipynb`` path).

    ``title`` defaults to the notebook's ``metadata.title``, else the file name. When ``dest``
    is given the page is also written there atomically. Raises :class:`BuildError` naming what
    would be loaded from outside (e.g. a JavaScript chart library) instead of writing such a page.
    """
    import nbformat

    source = "notebook"
    resources: dict[str, Any] = {"metadata": {}}
    if not isinstance(nb, nbformat.NotebookNode):
        path = Path(nb)
        source = str(path)
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError) as exc:
            raise BuildError(f"{path}: cannot read the notebook ({exc}).") from exc
        resources["metadata"]["path"] = str(path.parent)
        default_title = path.stem
    else:
        default_title = "报告"
    resources["metadata"]["name"] = title or nb.metadata.get("title") or default_title
    page, _ = offline_exporter().from_notebook_node(_scrubbed(nb), resources=resources)
    problems = offline_problems(page)
    page = embed_font(without_bidi_controls(page))
    if problems:
        shown = "; ".join(problems[:5])
        raise BuildError(
            f"{source}: the HTML page would not work offline, it refers to {shown}. "
            "Show such outputs as images or DataFrames instead."
        )
    if dest is not None:
        write_text_atomic(dest, page)
    return page


def _pairs(items: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> list[tuple[str, str]]:
    if items is None:
        return []
    pairs = items.items() if isinstance(items, Mapping) else items
    return [(str(key), str(value)) for key, value in pairs]


def _href(value: str) -> str:
    """An escaped link target; script and data URLs are refused.

    >>> _href("yoy 鲤城区.html?a=1&b=2")
    'yoy 鲤城区.html?a=1&amp;b=2'
    """
    if _UNSAFE_HREF.match(value):
        raise BuildError(f"Refusing the link {value!r} on the index page: use a relative file name.")
    return html.escape(value, quote=True)


def _entry(entry: Mapping[str, Any]) -> str:
    parts = [
        f'<li><a class="title" href="{_href(str(entry["href"]))}">{html.escape(str(entry["title"]))}</a>'
    ]
    also = [
        f'<a href="{_href(str(href))}">{html.escape(label)}</a>' for label, href in _pairs(entry.get("links"))
    ]
    if also:
        parts.append(f'<span class="also">{" · ".join(also)}</span>')
    if entry.get("description"):
        parts.append(f'<p class="description">{html.escape(str(entry["description"]))}</p>')
    parts.append("</li>")
    return "".join(parts)


def index_page(
    entries: Sequence[Mapping[str, Any]],
    title: str,
    build_info: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    dest: str | os.PathLike[str] | None = None,
) -> str:
    """The ``reports/index.html`` page: one link per entry, grouped, with build information at the end.

    Each entry has ``title`` and ``href`` (relative), optionally ``description``, ``group`` (a
    heading; groups keep the order in which they first appear) and ``links`` (more
    ``(label, href)`` pairs, e.g. the Excel workbook and the notebook). Every text is escaped.
    Written atomically to ``dest`` when given.
    """
    groups: dict[str, list[str]] = {}
    for entry in entries:
        groups.setdefault(str(entry.get("group") or ""), []).append(_entry(entry))
    body = []
    for group, items in groups.items():
        if group:
            body.append(f"<h2>{html.escape(group)}</h2>")
        body.append('<ul class="report-list">\n' + "\n".join(items) + "\n</ul>")
    info = _pairs(build_info)
    if info:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in info)
        body.append(f'<table class="build-info"><tbody>{rows}</tbody></table>')
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
            '<meta name="generator" content="reportlib">',
            f"<title>{html.escape(title)}</title>",
            f"<style>\n{STYLESHEET.read_text(encoding='utf-8')}</style>",
            "</head>",
            "<body>",
            "<main>",
            f"<h1>{html.escape(title)}</h1>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
    page = embed_font(without_bidi_controls(page))
    if dest is not None:
        write_text_atomic(dest, page)
    return page


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def without_bidi_controls(page: str) -> str:
    """``page`` without bidirectional controls (overrides, embeddings, isolates, marks): text from
    reports never reorders what a reader sees.

    >>> without_bidi_controls("<p>案件\u202e763件</p>")
    '<p>案件763件</p>'
    """
    return _BIDI_CONTROLS.sub("", page)


def _path_prefixes() -> list[str]:
    """Absolute folders a kernel's messages name that mean nothing to a reader (longest first)."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(project_root()), os.path.expanduser("~")}
    try:
        found.update(site.getsitepackages())
    except AttributeError:  # pragma: no cover - virtualenv's old site module
        pass
    return sorted((p.rstrip("/") for p in found if p and p != "/"), key=len, reverse=True)


def scrub_paths(text: str, prefixes: Sequence[str] | None = None) -> str:
    """``text`` with the absolute folders of the environment removed from file names.

    >>> scrub_paths("/opt/venv/lib/python3.11/site-packages/pandas/core.py:12: FutureWarning", ["/opt/venv/lib/python3.11/site-packages", "/opt/venv"])
    'pandas/core.py:12: FutureWarning'
    """
    for prefix in prefixes if prefixes is not None else _path_prefixes():
        text = text.replace(prefix + "/", "")
    return text


def _scrubbed(nb: Any) -> Any:
    """A copy of ``nb`` whose stderr and error outputs do not name the machine's absolute folders."""
    nb = copy.deepcopy(nb)
    prefixes = _path_prefixes()
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") == "stream":
                output["text"] = scrub_paths(str(output.get("text", "")), prefixes)
            elif output.get("output_type") == "error":
                output["traceback"] = [scrub_paths(str(line), prefixes) for line in output.get("traceback", [])]
                output["evalue"] = scrub_paths(str(output.get("evalue", "")), prefixes)
    return nb
