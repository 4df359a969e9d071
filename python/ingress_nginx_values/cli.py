"""`ingress-nginx-values`: lint, render, explain and document the chart's values."""
from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import yaml

from . import docs as docs_module
from .chart_checks import ChartChecks
from .explain import UnknownPath, explain
from .findings import has_errors
from .lint import Linter, ReleaseFiles, chart_defaults
from .output import FORMATS, format_findings
from .rendering import DEFAULT_NAMESPACE, DEFAULT_RELEASE, HelmRenderer, RenderError
from .values_loading import ValuesError, load_release_values
from .values_schema import ValuesSchema

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CHART_RELATIVE = Path("charts") / "ingress-nginx"

LINT_EPILOG = """\
releases:
  Positional FILEs are the values of ONE release, merged in order like
  `helm -f a.yaml -f b.yaml`. `--release NAME` names that release (it decides
  default names such as the leader election ID).

  To lint several releases that run side by side, give each its files with
  `--release NAME=FILE[,FILE...]` (repeat the option; repeating a NAME appends
  files to it). Rules that compare releases, such as two controllers sharing an
  IngressClass or election ID, then compare them:

    ingress-nginx-values lint --release public=public.yaml \\
        --release internal=base.yaml,internal.yaml

  `--each` lints every positional FILE as its own, separate release instead
  (useful for a folder of alternative profiles).

exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or read error.
"""


def _find_repo(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / CHART_RELATIVE / "Chart.yaml").is_file():
            return folder
    return None


def _repo_root() -> Path | None:
    return _find_repo(Path.cwd().resolve()) or _find_repo(Path(__file__).resolve().parent)


def default_chart() -> Path:
    root = _repo_root()
    return root / CHART_RELATIVE if root is not None else Path(CHART_RELATIVE)


def default_helm() -> str:
    root = _repo_root()
    if root is not None and (root / ".tools" / "bin" / "helm").is_file():
        return str(root / ".tools" / "bin" / "helm")
    return shutil.which("helm") or "helm"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ingress-nginx-values", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint = commands.add_parser(
        "lint",
        help="check values files against the schema and the chart's rules",
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("files", nargs="*", type=Path, metavar="FILE", help="values files of one release, in -f order")
    lint.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    lint.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    lint.add_argument(
        "--release",
        action="append",
        default=[],
        metavar="NAME[=FILE,...]",
        help="NAME: name the release of the positional files; NAME=FILE,...: one more release (repeatable)",
    )
    lint.add_argument("--each", action="store_true", help="lint every positional FILE as a separate release")
    lint.add_argument("--chart", type=Path, default=None, help="chart directory (default: charts/ingress-nginx)")
    lint.add_argument(
        "--helm", default=None, help="helm executable that runs the chart's own checks (default: .tools/bin/helm, else helm)"
    )
    lint.add_argument(
        "--no-helm", action="store_true", help="skip the chart's own checks (template refusals): schema and rules only"
    )

    render = commands.add_parser("render", help="render the chart through helm template with merged values")
    render.add_argument("-f", "--values", dest="files", action="append", default=[], type=Path, metavar="FILE")
    render.add_argument("--set", dest="set_arguments", action="append", default=[], metavar="KEY=VALUE")
    render.add_argument("--release", default=DEFAULT_RELEASE, metavar="NAME")
    render.add_argument("--namespace", default=DEFAULT_NAMESPACE, metavar="NS")
    render.add_argument("--summary", action="store_true", help="one line per object: Kind namespace/name")
    render.add_argument("--chart", type=Path, default=None)
    render.add_argument("--helm", default=None, help="helm executable (default: .tools/bin/helm, else helm)")

    explain_cmd = commands.add_parser("explain", help="describe a values key from the schema")
    explain_cmd.add_argument("path", metavar="PATH", help="dotted values path, e.g. controller.service.type")
    explain_cmd.add_argument("--chart", type=Path, default=None)

    docs = commands.add_parser("docs", help="regenerate the values table of the chart README")
    docs.add_argument("--check", action="store_true", help="exit 1 when the README table is out of date")
    docs.add_argument("--chart", type=Path, default=None)
    return parser


class UsageError(Exception):
    pass


def _releases(args: argparse.Namespace) -> list[ReleaseFiles]:
    named: dict[str, list[Path]] = {}
    positional_name = DEFAULT_RELEASE
    plain_names = []
    for item in args.release:
        name, separator, files = item.partition("=")
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name):
            raise UsageError(f"--release {item}: {name!r} is not a valid release name (lowercase letters, digits, '-')")
        if separator:
            paths = [Path(part) for part in files.split(",") if part]
            if not paths:
                raise UsageError(f"--release {item}: give at least one file after '='")
            named.setdefault(name, []).extend(paths)
        else:
            plain_names.append(name)
    if len(plain_names) > 1:
        raise UsageError("--release NAME (without files) may be given once: it names the positional files' release")
    if plain_names:
        positional_name = plain_names[0]
    releases: list[ReleaseFiles] = []
    if args.files and args.each:
        releases.extend(ReleaseFiles(positional_name, (path,)) for path in args.files)
    elif args.files:
        releases.append(ReleaseFiles(positional_name, tuple(args.files)))
    if positional_name in named and args.files:
        raise UsageError(f"release {positional_name!r} is given both positional files and --release {positional_name}=...")
    releases.extend(ReleaseFiles(name, tuple(paths)) for name, paths in named.items())
    if not releases:
        raise UsageError("lint needs at least one values FILE (or --release NAME=FILE)")
    return releases


def _chart_checks(args: argparse.Namespace, chart: Path, err: TextIO) -> ChartChecks | None:
    """Helm-run chart checks, or None (said on stderr) when they cannot run."""
    if args.no_helm or not (chart / "templates").is_dir():
        return None
    executable = args.helm or default_helm()
    if shutil.which(executable) is None:
        print(f"note: {executable} not found, so the chart's own checks did not run (schema and rules only)", file=err)
        return None
    renderer = HelmRenderer(chart, executable=executable)
    return ChartChecks(lambda values, release, namespace: renderer.render(values, release=release, namespace=namespace))


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    releases = _releases(args)
    chart = args.chart or default_chart()
    linter = Linter(chart, chart_checks=_chart_checks(args, chart, err))
    if args.each:
        findings = [item for release in releases for item in linter.lint([release])]
    else:
        findings = linter.lint(releases)
    report = format_findings(findings, args.format)
    if report:
        print(report, file=out)
    return EXIT_FINDINGS if has_errors(findings, strict=args.strict) else EXIT_OK


# Helm's --debug hint and any Go stack trace.
_GO_NOISE = re.compile(
    r"^(Use --debug flag|\S+\.go:\d+: \[debug\]|goroutine \d+|\t|\s+/|main\.|runtime\.|created by )"
)


def helm_message(error: RenderError) -> str:
    """Helm's refusal without debug lines or a Go stack trace."""
    lines = [line for line in error.message.splitlines() if not _GO_NOISE.match(line)]
    return "\n".join(lines).strip()


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    values = load_release_values(args.files, args.set_arguments).values
    renderer = HelmRenderer((args.chart or default_chart()), executable=args.helm or default_helm())
    try:
        objects = renderer.render(values, release=args.release, namespace=args.namespace)
    except RenderError as error:
        print(helm_message(error), file=err)
        return EXIT_FINDINGS
    if args.summary:
        for obj in objects:
            meta = obj.get("metadata") or {}
            namespace = meta.get("namespace")
            name = f"{namespace}/{meta.get('name')}" if namespace else str(meta.get("name"))
            print(f"{obj.get('kind')} {name}", file=out)
    else:
        print(yaml.safe_dump_all(objects, sort_keys=False), end="", file=out)
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chart = args.chart or default_chart()
    schema = ValuesSchema.from_chart(chart)
    if schema is None:
        print(f"{chart}: has no values.schema.json to explain keys from", file=err)
        return EXIT_USAGE
    try:
        print(explain(schema, chart_defaults(chart), args.path).text(), file=out)
    except UnknownPath as error:
        print(str(error), file=err)
        return EXIT_USAGE
    except ValueError as error:
        print(str(error), file=err)
        return EXIT_USAGE
    return EXIT_OK


def _docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chart = args.chart or default_chart()
    try:
        current, generated = docs_module.render_readme(chart, chart_defaults(chart))
    except docs_module.DocsError as error:
        print(f"{chart / 'README.md'}: {error}", file=err)
        return EXIT_USAGE
    if args.check:
        if current != generated:
            print(f"{chart / 'README.md'}: the values table is out of date; run `make docs`", file=err)
            return EXIT_FINDINGS
        print(f"{chart / 'README.md'}: the values table is up to date", file=out)
        return EXIT_OK
    if current != generated:
        (chart / "README.md").write_text(generated, encoding="utf-8")
        print(f"{chart / 'README.md'}: values table regenerated", file=out)
    else:
        print(f"{chart / 'README.md'}: values table already up to date", file=out)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    # pyhelm3 logs every failed helm call with its command line; the CLI prints
    # Helm's own message instead, so that log would only repeat it as noise.
    logging.getLogger("pyhelm3").addHandler(logging.NullHandler())
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "lint":
            return _lint(args, out, err)
        if args.command == "render":
            return _render(args, out, err)
        if args.command == "explain":
            return _explain(args, out, err)
        return _docs(args, out, err)
    except (UsageError, ValuesError, OSError) as error:
        print(f"ingress-nginx-values {args.command}: {error}", file=err)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
