"""The import contract: the pipeline's stages import downwards only, and no import hides a cycle.

reading (bytes → text, document) → parsing (document → rows) → corpus (records → frames) →
analyses and outputs (analyses, labels, views, charts, Excel, HTML) → build (plan, runs, CLI).
A module may import modules of its own stage or of lower ones, at the top of the file. The
imports inside functions that remain are listed below with why: each loads a heavy dependency
only when it is used or is a step up made on purpose, and the list is checked so that a new one
is a decision, not an accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "reportlib"

STAGES: dict[str, tuple[str, ...]] = {
    "base": ("errors", "paths", "_version", "atomic", "csvsafe", "guard", "numbers", "versions", "outlock", "records"),
    "reading": ("formats", "normalize", "document", "regions"),
    "parsing": ("sections", "mentions", "indicators", "metadata", "checks", "parse"),
    "corpus": ("schema", "corpus", "processed", "parsecache", "corrections", "slices", "evaluate"),
    "outputs": ("analysis", "overview", "trend", "plotting", "excel", "workbooks", "review", "nbview", "htmlexport"),
    "build": ("plan", "indexpage", "warmkernel", "build", "cli", "nbclean", "__init__", "__main__"),
}
LEVEL = {module: i for i, modules in enumerate(STAGES.values()) for module in modules}

#: Imports inside functions that stay, each with its reason.
INNER_ALLOWED = {
    ("corpus", "corrections"): "read_reports(corrections=…) applies a step of the corpus stage built on Corpus",
    ("analysis", "formats"): "report_text re-reads a source file for evidence: the readers load only then",
    ("analysis", "parse"): "load_corpus parses seeds/ when a notebook runs without processed data",
    ("analysis", "processed"): "load_corpus reads processed data",
    ("plotting", "analysis"): "chart labels",
    ("htmlexport", "plotting"): "the font is registered only when a page is written",
    ("nbview", "normalize"): "evidence marks",
    ("workbooks", "overview"): "overview labels, only for the overview workbook",
    ("workbooks", "trend"): "trend labels, only for the trend workbook",
}


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(reportlib module imported, inside a function?, line) for every import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner_nodes = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                   for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reportlib" and node.level == 0:
            names = [a.name for a in node.names] if node.module == "reportlib" else [node.module.split(".")[1]]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names if a.name.startswith("reportlib.")]
        for name in names:
            if name in LEVEL:
                found.append((name, id(node) in inner_nodes, node.lineno))
    return found


MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))


def test_every_module_has_a_stage():
    assert sorted(set(MODULES) - set(LEVEL)) == [], "add the new module to a stage in STAGES"
    assert sorted(set(LEVEL) - set(MODULES)) == [], "a module in STAGES no longer exists"


@pytest.mark.parametrize("module", MODULES)
def test_imports_go_down_the_pipeline(module):
    for target, inner, line in _imports(PACKAGE / f"{module}.py"):
        if LEVEL[target] > LEVEL[module]:
            assert inner and (module, target) in INNER_ALLOWED, (
                f"{module}.py:{line} imports {target}, a later stage ({module} is {LEVEL[module]}, {target} {LEVEL[target]})")


@pytest.mark.parametrize("module", MODULES)
def test_no_import_inside_a_function_dodges_a_cycle(module):
    for target, inner, line in _imports(PACKAGE / f"{module}.py"):
        if inner and target != module and LEVEL[target] >= LEVEL[module] and LEVEL[module] < LEVEL["plan"]:
            assert (module, target) in INNER_ALLOWED, (
                f"{module}.py:{line} imports {target} inside a function: move it to the top or list it with a reason")


def test_the_allow_list_is_still_needed():
    used = {(m, t) for m in MODULES for t, inner, _ in _imports(PACKAGE / f"{m}.py") if inner}
    assert sorted(set(INNER_ALLOWED) - used) == []


def test_there_are_no_import_cycles_at_module_level():
    graph = {m: {t for t, inner, _ in _imports(PACKAGE / f"{m}.py") if not inner and t != m} for m in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError(" → ".join([*trail[trail.index(nxt):], nxt]) if nxt in trail else nxt)
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [module])
