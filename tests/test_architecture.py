"""The import contract: the pipeline's stages import downwards only, and no import hides a cycle.

reading (bytes → text, document) → parsing (document → rows) → corpus (records → frames) →
analyses and outputs (analyses, labels, views, charts, Excel, HTML) → build (plan, runs, CLI).
Each stage is a subpackage; a module may import modules of its own stage or of lower ones, at the
top of the file. The
imports inside functions that remain are listed below with why: each loads a heavy dependency
only when it is used or is a step up made on purpose, and the list is checked so that a new one
is a decision, not an accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "reportlib"

#: The stages in pipeline order; each is a subpackage of reportlib (``core`` is the foundation).
STAGES = ("core", "reading", "parsing", "corpus", "outputs", "build")
#: Top-level modules and the stage they count as.
TOP = {"_version": "core", "__init__": "build", "__main__": "build"}


def _module_files() -> dict[str, Path]:
    """``stage.module`` (or a top-level name) → file, for every module of the package."""
    files = {p.stem: p for p in PACKAGE.glob("*.py")}
    for stage in STAGES:
        files.update({f"{stage}.{p.stem}": p for p in (PACKAGE / stage).glob("*.py") if p.stem != "__init__"})
    return files


FILES = _module_files()
MODULES = sorted(FILES)


def _stage(module: str) -> str:
    return TOP.get(module) or module.split(".")[0]


LEVEL = {module: STAGES.index(_stage(module)) for module in MODULES}

#: Imports inside functions that stay, each with its reason.
INNER_ALLOWED = {
    ("corpus.reader", "corpus.corrections"): "read_reports(corrections=…) applies a step of the corpus stage built on Corpus",
    ("outputs.analysis", "reading.formats"): "report_text re-reads a source file for evidence: the readers load only then",
    ("outputs.analysis", "parsing.parse"): "load_corpus parses seeds/ when a notebook runs without processed data",
    ("outputs.analysis", "corpus.processed"): "load_corpus reads processed data",
    ("outputs.plotting", "outputs.analysis"): "chart labels",
    ("outputs.htmlexport", "outputs.plotting"): "the font is registered only when a page is written",
    ("outputs.nbview", "reading.normalize"): "evidence marks",
    ("outputs.workbooks", "outputs.overview"): "overview labels, only for the overview workbook",
    ("outputs.workbooks", "outputs.trend"): "trend labels, only for the trend workbook",
}


def _target(dotted: str) -> str | None:
    """The module of the package that ``reportlib.<dotted>`` names, if any."""
    parts = dotted.split(".")
    for n in (2, 1):
        name = ".".join(parts[:n])
        if name in FILES:
            return name
    return None


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(reportlib module imported, inside a function?, line) for every import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner_nodes = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                   for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        targets: list[str | None] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reportlib":
            assert node.level == 0, f"{path.name}:{node.lineno}: relative import; the contract reads absolute ones"
            sub = node.module.partition(".")[2]
            targets = [_target(f"{sub}.{a.name}" if sub else a.name) or _target(sub) for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [_target(a.name.partition(".")[2]) for a in node.names if a.name.startswith("reportlib.")]
        found += [(t, id(node) in inner_nodes, node.lineno) for t in targets if t]
    return found


def test_the_tree_shows_the_stages():
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(TOP), "modules belong in a stage's subpackage"
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 200, f"{stage}/__init__.py needs its paragraph: what the stage takes and gives"


@pytest.mark.parametrize("module", MODULES)
def test_imports_go_down_the_pipeline(module):
    for target, inner, line in _imports(FILES[module]):
        if LEVEL[target] > LEVEL[module]:
            assert inner and (module, target) in INNER_ALLOWED, (
                f"{module}.py:{line} imports {target}, a later stage ({module} is {LEVEL[module]}, {target} {LEVEL[target]})")


@pytest.mark.parametrize("module", MODULES)
def test_no_import_inside_a_function_dodges_a_cycle(module):
    for target, inner, line in _imports(FILES[module]):
        if inner and target != module and LEVEL[target] >= LEVEL[module] and LEVEL[module] < STAGES.index("build"):
            assert (module, target) in INNER_ALLOWED, (
                f"{module}.py:{line} imports {target} inside a function: move it to the top or list it with a reason")


def test_the_allow_list_is_still_needed():
    used = {(m, t) for m in MODULES for t, inner, _ in _imports(FILES[m]) if inner}
    assert sorted(set(INNER_ALLOWED) - used) == []


def test_there_are_no_import_cycles_at_module_level():
    graph = {m: {t for t, inner, _ in _imports(FILES[m]) if not inner and t != m} for m in MODULES}
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
