"""The ``reportlib`` command: parse reports, build the analyses, import corrections, list indicators, evaluate."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
from collections.abc import Iterator, Sequence

from reportlib._version import version

EXAMPLES = """examples:
  reportlib parse seeds/                              metrics of every report, as CSV
  reportlib parse --table reports --format json a.txt b.html
  reportlib build --jobs 2                            what `make reports` runs
  reportlib corrections import reports/review.xlsx   staff's marks -> data/corrections.csv
  reportlib indicators                                the indicator vocabulary
  reportlib evaluate ../shared/realworld              scores against a labelled folder
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 without a traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    """A whole number of seconds above zero (``--timeout``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reportlib",
        description="Parse Chinese 法治政府建设年度报告 into tidy tables and build the analyses.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reportlib {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "parse",
        help="parse reports and print one table to stdout",
        description="Parse files or directories (recursively: *.txt, *.html, *.docx, *.pdf) and print one table. "
        "Exit status 0 when every input parsed, 1 when any failed (each failure is one line on stderr), 2 on usage errors.",
        epilog="example:\n  reportlib parse --table metrics seeds/ > metrics.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories")
    p.add_argument("--table", default="metrics",
                   choices=["reports", "sections", "mentions", "metrics", "problems", "checks", "corrections"])
    p.add_argument("--corrections", default=None, metavar="PATH",
                   help="corrections file to apply (default: data/corrections.csv when it exists)")
    p.add_argument("--format", default="csv", choices=["csv", "json"], help="csv (UTF-8) or json (one object per line)")
    p.add_argument("--jobs", type=int, default=1, help="parallel processes (0 = one per core)")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="parse on a Dask cluster (scheduler address, e.g. tcp://10.0.0.5:8786); needs reportlib[dask]")

    b = sub.add_parser(
        "build",
        help="parse reports, run every notebook, write HTML, Excel and index.html",
        description="Parse PATHs (default seeds/) into data/processed/ (other inputs: OUT/processed/), derive the run "
        "plan (year-over-year per region, cross-district per year, one profile per report, parse quality), run the "
        "notebooks with papermill in parallel processes and write HTML, Excel and the executed notebooks to --out, "
        "plus index.html. Unchanged runs are served from OUT/.cache.json; a failed run keeps the previous good "
        "output and leaves its executed notebook in OUT/failed/. Exit status 1 if any run or input failed.",
        epilog="example:\n  reportlib build --jobs 2 --out reports seeds/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("paths", nargs="*", metavar="PATH", help="report files or directories (default: seeds/)")
    b.add_argument("--jobs", type=int, default=0, help="parallel notebook runs (default: number of cores)")
    b.add_argument("--out", default=None, help="output directory (default: reports/)")
    b.add_argument("--force", action="store_true", help="rebuild everything, ignoring the cache")
    b.add_argument("--timeout", type=_positive, default=600, help="seconds allowed per notebook run (default 600)")
    b.add_argument("--wait", action="store_true",
                   help="when another build is writing --out, wait for it instead of stopping")
    b.add_argument("--corrections", default=None, metavar="PATH",
                   help="corrections file to apply (default: data/corrections.csv when it exists)")
    b.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="parse and run the notebooks on a Dask cluster (scheduler address) whose workers see the "
                   "same file system; needs reportlib[dask]")
    b.add_argument("--fresh-kernels", action="store_true",
                   help="start a new kernel for every notebook run (default: each worker reuses a warm kernel, "
                   "its namespace cleared between runs)")
    b.add_argument("--notebooks", default=None, metavar="DIR",
                   help="run the notebooks found in DIR (edited copies) instead of the installed ones; "
                   "a notebook not in DIR comes from the default place")

    c = sub.add_parser(
        "corrections",
        help="turn the marks in a review workbook into corrections",
        description="corrections import REVIEW.xlsx: read the 采用/更正/否决 marks staff made in the review.xlsx a build "
        "writes and merge them into the corrections file. A mark that repeats an existing fix changes nothing; one "
        "that differs from an existing fix is a conflict: reported (one line each, exit status 1), not written, and "
        "every other mark is still imported.",
        epilog="example:\n  reportlib corrections import reports/review.xlsx && reportlib build",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("action", choices=["import"], help="import: review workbook -> corrections file")
    c.add_argument("review", metavar="REVIEW.xlsx", help="the review workbook with staff's marks")
    c.add_argument("--corrections", default=None, metavar="PATH", help="corrections file (default: data/corrections.csv)")
    c.add_argument("--who", default="", help="reviewer name for rows whose 审核人 is empty (default: the login name)")

    e = sub.add_parser(
        "evaluate",
        help="score the parser against a labelled folder (corpus/, meta.csv, gold.csv)",
        description="Parse GOLD_DIR/corpus and compare with GOLD_DIR/meta.csv (metadata a careful reader gets) and "
        "GOLD_DIR/gold.csv (indicator values: core, optional, trap). Prints metadata accuracy per field, indicator "
        "recall and precision, traps promoted and every miss. Exit status 0, or 1 when GOLD_DIR is not such a folder.",
        epilog="example:\n  reportlib evaluate ../shared/realworld",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("gold_dir", metavar="GOLD_DIR", help="folder with corpus/, meta.csv and gold.csv")
    e.add_argument("--json", action="store_true", help="print the scores as one JSON object instead")

    i = sub.add_parser("indicators", help="print the indicator taxonomy", description="Print the indicator taxonomy.")
    i.add_argument("--format", default="table", choices=["table", "csv", "json"])

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from reportlib.core.errors import ReportlibError

    try:
        commands = {"parse": _parse, "build": _build, "corrections": _corrections, "indicators": _indicators, "evaluate": _evaluate}
        return commands[args.command](args)
    except ReportlibError as exc:
        print(f"reportlib: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reportlib: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `reportlib parse … | head`: the reader left, which is fine
        _silence_stdout()
        return 0
    except OSError as exc:  # stdout to /dev/full, a disk that filled up while writing
        if not exc.filename:  # stdout itself: its last flush at exit must not fail again
            _silence_stdout()
        where = f" {one_line(exc.filename)}" if exc.filename else " the output"
        print(f"reportlib: cannot write{where} ({exc.strerror or exc})", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def one_line(text: object) -> str:
    """``text`` on one line: line breaks and other control characters (a file name may hold them)
    written as escapes, so that no file name can forge a line of its own on stderr.

    >>> one_line("a\\nb.txt: error: x"), one_line("正常.txt")
    ('a\\\\nb.txt: error: x', '正常.txt')
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _parse(args: argparse.Namespace) -> int:
    from reportlib.core.csvsafe import neutralise_frame
    from reportlib.core.paths import corrections_csv
    from reportlib.corpus.reader import read_reports

    default = corrections_csv()
    corrections = args.corrections or (default if default.is_file() else None)
    with _dask_client(args.dask) as client:
        corpus = read_reports(args.paths, jobs=args.jobs, corrections=corrections, client=client)
    frame = corpus.table(args.table)
    out = sys.stdout
    if args.format == "csv":  # text a spreadsheet would evaluate gets a leading apostrophe (reportlib.core.csvsafe)
        neutralise_frame(frame).to_csv(out, index=False, lineterminator="\n")
    else:  # strict JSON: a missing or non-finite number is null, never NaN or Infinity
        for record in frame.to_dict(orient="records"):
            clean = {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in record.items()}
            out.write(json.dumps(clean, ensure_ascii=False, default=_json_default, allow_nan=False) + "\n")
    out.flush()
    for row in corpus.problems.itertuples(index=False):
        print(f"{one_line(row.source)}: {row.severity}: {one_line(row.reason)}", file=sys.stderr)
    return 1 if len(corpus.failed) else 0


def _json_default(value: object) -> object:
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)


def _build(args: argparse.Namespace) -> int:
    from reportlib.build.runner import run_build

    with _dask_client(args.dask) as client:
        summary = run_build(args.paths or None, out=args.out, jobs=args.jobs, force=args.force, timeout=args.timeout,
                            corrections=args.corrections, wait=args.wait, notebooks_dir=args.notebooks,
                            warm_kernels=not args.fresh_kernels, client=client)
    return 0 if summary.ok else 1


def _evaluate(args: argparse.Namespace) -> int:
    from reportlib.corpus.evaluate import evaluate, render

    try:
        result = evaluate(args.gold_dir)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        print(f"reportlib evaluate: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({
            "files": result.n_files, "metrics": result.n_metrics, "metadata_accuracy": round(result.metadata_accuracy, 4),
            "core_recall": round(result.core_recall, 4), "precision": round(result.precision, 4),
            "traps_promoted": result.traps_promoted,
            "fields": {r.field: round(r.accuracy, 4) for r in result.fields.itertuples()},
        }, ensure_ascii=False))
    else:
        print(render(result))
    return 0


def _corrections(args: argparse.Namespace) -> int:
    from reportlib.core.paths import corrections_csv
    from reportlib.outputs.review import import_review

    result = import_review(args.review, args.corrections or corrections_csv(), who=args.who)
    for line in result.lines():
        print(f"reportlib: {line}", file=sys.stderr)
    print(result)
    return 0 if result.ok else 1


@contextlib.contextmanager
def _dask_client(address: str | None) -> Iterator[object]:
    """A ``distributed.Client`` connected to ``address`` (closed afterwards), or None without one."""
    if not address:
        yield None
        return
    from reportlib.core.errors import ReportlibError

    try:
        from distributed import Client
    except ImportError:
        raise ReportlibError("--dask needs dask.distributed: pip install 'reportlib[dask]'") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ReportlibError(f"cannot reach the Dask scheduler at {address} ({exc}).") from None
    with client:
        yield client


def _indicators(args: argparse.Namespace) -> int:
    from reportlib.parsing.indicators import load_taxonomy

    tax = load_taxonomy()
    rows = [
        {"id": i.id, "name_zh": i.name_zh, "unit": i.unit, "kind": i.kind, "units": "/".join(sorted(i.units)),
         "description": i.description}
        for i in tax.indicators
    ]
    if args.format == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif args.format == "csv":
        import pandas as pd

        pd.DataFrame(rows).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        width = max(len(r["id"]) for r in rows)
        for r in rows:
            print(f"{r['id']:<{width}}  {r['kind']:<6} {r['unit']:<3} {r['name_zh']}  — {r['description']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
