"""The `fastapi-practices` command: a thin face over the engine (check, rules, docs, serve)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fastapi_practices import __version__
from fastapi_practices.cli_support import cache, machine_output, rule_pages, text_output
from fastapi_practices.cli_support.cache import CACHE_DIR
from fastapi_practices.cli_support.checking import run_check
from fastapi_practices.cli_support.discovery import discover
from fastapi_practices.cli_support.display import Display, current_directory, sort_reports
from fastapi_practices.cli_support.files import DEFAULT_MAX_FILE_SIZE
from fastapi_practices.cli_support.new_domain import new_domain
from fastapi_practices.cli_support.progress import ProgressLine
from fastapi_practices.cli_support.projects import ProjectResolver
from fastapi_practices.cli_support.runner import (
    CheckOptions,
    FileReport,
    Mode,
)
from fastapi_practices.cli_support.selection import RuleSelection, split_codes
from fastapi_practices.config import ConfigError
from fastapi_practices.docs import render_markdown
from fastapi_practices.engine.data_files import data_file_names
from fastapi_practices.rules import registry
from fastapi_practices.runtime import tune_gc

PROG = "fastapi-practices"
FORMATS = ("full", "concise", "json", "sarif", "github")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)b?\s*$", re.IGNORECASE)
SIZE_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _byte_size(text: str) -> int:
    match = SIZE.match(text)
    if match is None or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"expected a size such as 2000000, 500k or 2MB: {text!r}")
    return int(match.group(1)) * SIZE_UNITS[match.group(2).lower()]


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check Python files (directories are searched recursively)",
        description="Check Python files against FastAPI best practices.",
    )
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument(
        "--select", action="append", metavar="CODES", help="only these codes or prefixes"
    )
    check.add_argument(
        "--extend-select", action="append", default=[], metavar="CODES", help="add codes"
    )
    check.add_argument("--ignore", action="append", default=[], metavar="CODES", help="skip codes")
    check.add_argument(
        "--format", "--output-format", dest="format", choices=FORMATS, default="full"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply (or offer) unsafe fixes"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the diff fixes would make; write nothing"
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--statistics", action="store_true", help="count findings per code")
    check.add_argument(
        "--no-cache", action="store_true", help=f"neither read nor write {CACHE_DIR}/"
    )
    check.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N", help="processes (default: CPU count)"
    )
    check.add_argument(
        "--max-file-size",
        type=_byte_size,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="BYTES",
        help=f"skip larger files (default: {DEFAULT_MAX_FILE_SIZE})",
    )
    check.set_defaults(handler=_run_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="FastAPI best practices as diagnostics and fixes."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check(commands)

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=_run_rules)

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", metavar="CODE")
    rule.add_argument("--all", action="store_true", help="every rule's page")
    rule.set_defaults(handler=_run_rule)

    docs = commands.add_parser("docs", help="write one Markdown page per rule")
    docs.add_argument("--output", "--write", dest="output", default="docs/rules", metavar="DIR")
    docs.add_argument("--check", action="store_true", help="only report outdated pages")
    docs.set_defaults(handler=_run_docs)

    clean = commands.add_parser("clean", help=f"remove {CACHE_DIR}/ directories")
    clean.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    clean.set_defaults(handler=_run_clean)

    domain = commands.add_parser(
        "new-domain", help="create a domain package with its role modules, tests and routes"
    )
    domain.add_argument("name", metavar="NAME", help="the domain, in lower_snake_case")
    domain.add_argument("--src", metavar="PATH", help="the source root (default: the project's)")
    domain.set_defaults(handler=_run_new_domain)

    serve = commands.add_parser("serve", help="run the language server")
    transport = serve.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    transport.add_argument("--tcp", action="store_true", help="listen on a TCP port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_positive_int, default=2087)
    serve.set_defaults(handler=_run_serve)
    return parser


def _out(lines: Sequence[str] | str) -> None:
    text = lines if isinstance(lines, str) else "".join(f"{line}\n" for line in lines)
    sys.stdout.write(text)
    sys.stdout.flush()


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _selection(args: argparse.Namespace) -> RuleSelection:
    return RuleSelection(
        select=split_codes(args.select) if args.select is not None else None,
        extend_select=split_codes(args.extend_select),
        ignore=split_codes(args.ignore),
    )


def _run_check(args: argparse.Namespace) -> int:
    selection = _selection(args)
    selection.validate()
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        for path in missing:
            _err(f"error: {path}: no such file or directory")
        return EXIT_USAGE
    found = discover(args.paths, ProjectResolver(selection), extra_names=data_file_names())
    mode = Mode.DIFF if args.diff else Mode.FIX if args.fix else Mode.CHECK
    options = CheckOptions(
        mode=mode,
        unsafe_fixes=args.unsafe_fixes,
        want_fix_edits=args.format in ("json", "sarif") and not args.statistics,
        max_file_size=args.max_file_size,
    )
    progress = ProgressLine.for_run(sys.stderr, len(found.files))
    try:
        unsorted, pool_notice = run_check(
            found.files, options, args.jobs, progress, use_cache=not args.no_cache
        )
    finally:
        progress.clear()
    reports = sort_reports(unsorted)
    notices = [*found.notices, *([pool_notice] if pool_notice else [])]
    for notice in [*notices, *(r.notice for r in reports if r.notice)]:
        _err(f"warning: {notice}")
    if not found.files:
        _err("warning: no Python files found under the given paths")
    display = Display(current_directory(), unsafe_fixes=args.unsafe_fixes)
    if mode is Mode.DIFF:
        return _report_diff(reports, display)
    _report(args, reports, display)
    remaining = sum(len(report.findings) for report in reports)
    return EXIT_FINDINGS if remaining and not args.exit_zero else EXIT_CLEAN


def _report_diff(reports: Sequence[FileReport], display: Display) -> int:
    _out(text_output.unified_diff(reports, display))
    fixable = sum(report.fixed for report in reports)
    if fixable:
        _err(f"Would fix {text_output.plural(fixable, 'error')}.")
    else:
        _err("No errors would be fixed.")
    return EXIT_FINDINGS if any(r.original is not None for r in reports) else EXIT_CLEAN


def _report(args: argparse.Namespace, reports: Sequence[FileReport], display: Display) -> None:
    fixing = args.fix
    if args.statistics:
        if args.format == "json":
            _out(json.dumps(text_output.statistics_rows(reports, display), indent=2) + "\n")
            return
        fixed = sum(report.fixed for report in reports)
        lines = text_output.statistics(reports, display)
        _out([*lines, *([f"Fixed {text_output.plural(fixed, 'error')}."] if fixed else [])])
        return
    if args.format == "json":
        _out(machine_output.to_json(reports) + "\n")
    elif args.format == "sarif":
        _out(machine_output.to_sarif(reports) + "\n")
    elif args.format == "github":
        _out(machine_output.github(reports, display))
    else:
        render = text_output.full if args.format == "full" else text_output.concise
        _out([*render(reports, display), *text_output.summary(reports, display, fixing)])


def _run_clean(args: argparse.Namespace) -> int:
    removed = cache.clean(Path(path) for path in args.paths)
    for directory in removed:
        _out([f"removed {directory}"])
    if not removed:
        _out([f"no {CACHE_DIR}/ found"])
    return EXIT_CLEAN


def _run_rules(args: argparse.Namespace) -> int:
    rules = registry.all_rules()
    if args.format == "json":
        _out(rule_pages.rules_json(rules) + "\n")
    else:
        _out(rule_pages.rules_table(rules))
    return EXIT_CLEAN


def _run_rule(args: argparse.Namespace) -> int:
    if args.all:
        _out("\n".join(render_markdown(rule) for rule in registry.all_rules()))
        return EXIT_CLEAN
    if not args.code:
        _err("error: give a rule code (for example FBP201) or --all")
        return EXIT_USAGE
    rule = registry.get_rule(args.code.strip())
    if rule is None:
        _err(f"error: unknown rule code {args.code!r} (`{PROG} rules` lists them)")
        return EXIT_USAGE
    _out(render_markdown(rule))
    return EXIT_CLEAN


def _run_docs(args: argparse.Namespace) -> int:
    directory = Path(args.output)
    expected = rule_pages.pages(registry.all_rules())
    if args.check:
        outdated = rule_pages.outdated_pages(directory, expected)
        for name in outdated:
            _err(f"{directory / name}: out of date")
        return EXIT_FINDINGS if outdated else EXIT_CLEAN
    try:
        touched = rule_pages.write_pages(directory, expected)
    except OSError as error:
        _err(f"error: cannot write {directory}: {error.strerror or type(error).__name__}")
        return EXIT_USAGE
    _err(f"{directory}: {len(expected)} pages, {len(touched)} updated")
    return EXIT_CLEAN


def _run_new_domain(args: argparse.Namespace) -> int:
    created = new_domain(args.name, args.src, Path.cwd(), lambda line: _out([line]), _err)
    return EXIT_CLEAN if created else EXIT_USAGE


def _run_serve(args: argparse.Namespace) -> int:
    try:
        from fastapi_practices.lsp.server import run_server
    except ImportError as error:
        _err(f"error: the language server is not available: {error}")
        return EXIT_USAGE
    run_server(transport="tcp" if args.tcp else "stdio", host=args.host, port=args.port)
    return EXIT_CLEAN


def _tolerate_unencodable_output() -> None:
    """On a terminal that cannot show every character, escape it rather than crash."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if isinstance(stream, io.TextIOWrapper) and encoding not in ("utf8", "utf8sig"):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="backslashreplace")


def _exit_code(code: object) -> int:
    if code is None:
        return EXIT_CLEAN
    return code if isinstance(code, int) else EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:
        return _exit_code(exit_request.code)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    _tolerate_unencodable_output()
    tune_gc()
    try:
        return handler(args)
    except ConfigError as error:
        _err(f"error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as error:  # the last guard: a clear line instead of a traceback
        _err(f"error: internal error: {type(error).__name__}: {error} (please report it)")
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
