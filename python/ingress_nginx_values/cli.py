"""`ingress-nginx-values`: lint, render, explain and document the chart's values."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

import yaml

from . import docs as docs_module
from . import upstream_chart
from . import upstream_diff as upstream_diff_module
from .chart_checks import ChartChecks
from .explain import UnknownPath, explain
from .findings import has_errors
from .helm_template import HelmTemplate
from .render_error import RenderError
from .lint import Linter, ReleaseFiles, chart_defaults
from .output import FORMATS, format_findings
from .output_junit import junit_report
from .parity import Charts, HelmRenderFunction
from .release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from .values_loading import STDIN_NAME, SetArguments, ValuesError, load_release_values
from .values_schema import ValuesSchema

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# What a shell reports for a command whose reader went away (128 + SIGPIPE).
EXIT_CLOSED_PIPE = 141
LINT_FORMATS = (*FORMATS, "junit")
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

  A FILE of `-` is read from standard input. --set, --set-string and --set-json
  apply to the positional FILEs' release (to each FILE with --each), after the
  files and in Helm's order: every --set-json, then --set, then --set-string.

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


def version_text() -> str:
    try:
        version = metadata.version("ingress-nginx-values")
    except metadata.PackageNotFoundError:
        version = "unknown (not installed)"
    return f"ingress-nginx-values {version}"


def _add_set_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--set", dest="set_typed", action="append", default=[], metavar="KEY=VALUE[,...]",
        help="set values like `helm --set` (numbers, true/false and null are typed; repeatable)",
    )
    command.add_argument(
        "--set-string", dest="set_strings", action="append", default=[], metavar="KEY=VALUE[,...]",
        help="set values that stay strings, like `helm --set-string` (repeatable)",
    )
    command.add_argument(
        "--set-json", dest="set_json", action="append", default=[], metavar="KEY=JSON[,...]",
        help="set values from JSON, like `helm --set-json` (repeatable)",
    )


def _add_release_options(command: argparse.ArgumentParser) -> None:
    """The values and release options of the commands that render, as `helm template` takes them."""
    command.add_argument(
        "-f", "--values", dest="files", action="append", default=[], type=Path, metavar="FILE",
        help="values file, merged in order like `helm -f` (repeatable; - is stdin)",
    )
    _add_set_options(command)
    command.add_argument(
        "--release", default=DEFAULT_RELEASE, metavar="NAME", help=f"release name (default: {DEFAULT_RELEASE})"
    )
    command.add_argument(
        "--namespace", default=DEFAULT_NAMESPACE, metavar="NS", help=f"release namespace (default: {DEFAULT_NAMESPACE})"
    )


def _set_arguments(args: argparse.Namespace) -> SetArguments:
    return SetArguments(json=tuple(args.set_json), typed=tuple(args.set_typed), strings=tuple(args.set_strings))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ingress-nginx-values", description=__doc__)
    parser.add_argument("--version", action="version", version=version_text(), help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chart_help = "chart directory (default: charts/ingress-nginx of the repository around the current directory)"

    lint = commands.add_parser(
        "lint",
        help="check values files against the schema and the chart's rules",
        description="Check values files against the chart's schema and rules.",
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="values files of one release, in -f order (- is stdin)"
    )
    lint.add_argument(
        "--format", choices=LINT_FORMATS, default="text",
        help="text for people, json for tools, github for PR annotations, junit for CI test reports (default: text)",
    )
    lint.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    lint.add_argument(
        "--release",
        action="append",
        default=[],
        metavar="NAME[=FILE,...]",
        help="NAME: name the release of the positional files; NAME=FILE,...: one more release (repeatable)",
    )
    lint.add_argument("--each", action="store_true", help="lint every positional FILE as a separate release")
    _add_set_options(lint)
    lint.add_argument("--chart", type=Path, default=None, help=chart_help)
    lint.add_argument(
        "--helm", default=None, help="helm executable that runs the chart's own checks (default: .tools/bin/helm, else helm)"
    )
    lint.add_argument(
        "--no-helm", action="store_true", help="skip the chart's own checks (template refusals): schema and rules only"
    )

    render = commands.add_parser(
        "render",
        help="print the chart as `helm template` renders it with merged values",
        description="Render the chart through `helm template` and print Helm's output unchanged.",
    )
    _add_release_options(render)
    render.add_argument("--summary", action="store_true", help="one line per object: Kind namespace/name")
    render.add_argument("--chart", type=Path, default=None, help=chart_help)
    render.add_argument("--helm", default=None, help="helm executable (default: .tools/bin/helm, else helm on PATH)")

    diff = commands.add_parser(
        "upstream-diff",
        help="what changes when these values move from the upstream chart 4.15.1 to this chart",
        description=(
            "Render the values with the upstream chart 4.15.1 and with this chart and print every object and "
            "field that differs, with the documented reason (charts/ingress-nginx/differences.yaml). "
            "Exit 0: every change is documented; 1: a change is not; 2: a chart refuses the values."
        ),
    )
    _add_release_options(diff)
    diff.add_argument("--format", choices=upstream_diff_module.FORMATS, default="text", help="output format (default: text)")
    diff.add_argument(
        "--upstream-chart", type=Path, default=None, metavar="PATH",
        help=f"the upstream chart, .tgz or folder (default: ${upstream_chart.ENV_VAR}, else .tools/bin/upstream-chart "
        "from `make tools`, else ../shared/upstream)",
    )
    diff.add_argument("--chart", type=Path, default=None, help=chart_help)
    diff.add_argument("--helm", default=None, help="helm executable (default: .tools/bin/helm, else helm on PATH)")

    explain_cmd = commands.add_parser(
        "explain",
        help="describe a values key: type, default, allowed values and the keys under it",
        description="Describe a values key from the chart's schema and defaults.",
    )
    explain_cmd.add_argument("path", metavar="PATH", help="dotted values path, e.g. controller.service.type")
    explain_cmd.add_argument("--chart", type=Path, default=None, help=chart_help)

    docs = commands.add_parser(
        "docs",
        help="regenerate the values and differences tables of the chart README",
        description="Regenerate the chart README's values table (from the schema) and differences table "
        "(from differences.yaml).",
    )
    docs.add_argument("--check", action="store_true", help="exit 1 when a README table is out of date")
    docs.add_argument("--chart", type=Path, default=None, help=chart_help)
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
    sets = _set_arguments(args)
    has_sets = bool(sets.json or sets.typed or sets.strings)
    releases: list[ReleaseFiles] = []
    if args.files and args.each:
        releases.extend(ReleaseFiles(positional_name, (path,), more=sets) for path in args.files)
    elif args.files or (has_sets and not named):
        releases.append(ReleaseFiles(positional_name, tuple(args.files), more=sets))
    elif has_sets:
        raise UsageError("--set, --set-string and --set-json apply to the positional FILEs' release: give those FILEs")
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
    return ChartChecks(HelmTemplate(chart, executable=executable).refusal)


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    releases = _releases(args)
    chart = args.chart or default_chart()
    linter = Linter(chart, chart_checks=_chart_checks(args, chart, err))
    if args.each:
        findings = [item for release in releases for item in linter.lint([release], stdin=stdin)]
    else:
        findings = linter.lint(releases, stdin=stdin)
    if args.format == "junit":
        files = [STDIN_NAME if str(path) == "-" else str(path) for release in releases for path in release.files]
        report = junit_report(findings, files, strict=args.strict)
    else:
        report = format_findings(findings, args.format)
    if report:
        print(report, file=out)
    return EXIT_FINDINGS if has_errors(findings, strict=args.strict) else EXIT_OK


def _summary(manifests: bytes) -> list[str]:
    lines = []
    for obj in yaml.load_all(manifests, Loader=_Loader):  # noqa: S506 - a safe loader
        if not isinstance(obj, dict):
            continue
        meta = obj.get("metadata") or {}
        namespace = meta.get("namespace")
        name = f"{namespace}/{meta.get('name')}" if namespace else str(meta.get("name"))
        lines.append(f"{obj.get('kind')} {name}")
    return lines


def _render(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    values = load_release_values(args.files, more=_set_arguments(args), stdin=stdin).values
    helm = HelmTemplate((args.chart or default_chart()).resolve(), executable=args.helm or default_helm())
    try:
        manifests = helm.render(values, release=args.release, namespace=args.namespace)
    except RenderError as error:
        print(error.message, file=err)
        return EXIT_FINDINGS
    if args.summary:
        for line in _summary(manifests):
            print(line, file=out)
        return EXIT_OK
    # Helm's bytes as they are: through the text layer only when `out` has no
    # binary buffer (a StringIO in tests), where Helm's UTF-8 decodes losslessly.
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(manifests)
    else:
        out.write(manifests.decode("utf-8"))
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
            print(f"{chart / 'README.md'}: the values or differences table is out of date; run `make docs`", file=err)
            return EXIT_FINDINGS
        print(f"{chart / 'README.md'}: the values and differences tables are up to date", file=out)
        return EXIT_OK
    if current != generated:
        (chart / "README.md").write_text(generated, encoding="utf-8")
        print(f"{chart / 'README.md'}: tables regenerated", file=out)
    else:
        print(f"{chart / 'README.md'}: tables already up to date", file=out)
    return EXIT_OK


def _upstream_diff(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    chart = args.chart or default_chart()
    repo = _repo_root() or chart.resolve().parent.parent
    try:
        upstream = upstream_chart.locate(repo, args.upstream_chart)
    except upstream_chart.UpstreamChartMissing as error:
        print(f"ingress-nginx-values upstream-diff: {error}", file=err)
        return EXIT_USAGE
    values = load_release_values(args.files, more=_set_arguments(args), stdin=stdin).values
    render = HelmRenderFunction(args.helm or default_helm())
    diff = upstream_diff_module.run(render, Charts(upstream=upstream, ours=chart), values, args.release, args.namespace)
    print(upstream_diff_module.formatted(diff, args.format), file=out)
    return diff.exit_code


def _quiet_closed_pipe(out: TextIO) -> int:
    # The reader (`| head`) has gone: say nothing, and point stdout at /dev/null
    # so that Python's flush at exit does not print a traceback either.
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_CLOSED_PIPE


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    stdin = stdin or sys.stdin
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "lint":
            code = _lint(args, out, err, stdin)
        elif args.command == "render":
            code = _render(args, out, err, stdin)
        elif args.command == "explain":
            code = _explain(args, out, err)
        elif args.command == "upstream-diff":
            code = _upstream_diff(args, out, err, stdin)
        else:
            code = _docs(args, out, err)
        out.flush()
        return code
    except BrokenPipeError:
        return _quiet_closed_pipe(out)
    except (UsageError, ValuesError, OSError) as error:
        print(f"ingress-nginx-values {args.command}: {error}", file=err)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
