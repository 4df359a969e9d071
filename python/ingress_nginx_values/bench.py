"""`make bench`: how fast the chart renders, the linter lints and each test tier runs.

Prints one table. Rendering is timed as a user runs it (`helm template -f
<profile>`, a fresh process each time, median of several runs); the linter is
timed in-process over all profiles; each tier is a `pytest -m <tier> -q` run.
The JSON of the same numbers goes to .bench/results.json for comparing runs.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART = REPO_ROOT / "charts" / "ingress-nginx"
PROFILES = REPO_ROOT / "ci-values"
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"
RESULTS = REPO_ROOT / ".bench" / "results.json"
HELMS = ("helm3", "helm4")
# The cluster tier starts a control plane, so its time includes that start-up;
# e2e needs Docker and kind and is left to `make e2e-kind`.
TIERS = ("unit", "render", "conformance", "cluster")


@dataclass(frozen=True)
class Row:
    section: str
    subject: str
    value: str
    note: str = ""


def _median_seconds(action: Callable[[], None], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _helm(name: str) -> Path | None:
    found = TOOLS_BIN / name
    return found if found.exists() else None


def render_rows(runs: int) -> list[Row]:
    rows: list[Row] = []
    profiles = sorted(PROFILES.glob("*.yaml"))
    for helm_name in HELMS:
        helm = _helm(helm_name)
        if helm is None:
            rows.append(Row("helm template", helm_name, "unavailable", f"{TOOLS_BIN / helm_name} missing: make tools"))
            continue
        medians = []
        for profile in profiles:
            command = [str(helm), "template", "ingress-nginx", str(CHART), "-n", "ingress-nginx", "-f", str(profile)]

            def run(command: list[str] = command) -> None:
                subprocess.run(command, check=True, capture_output=True)

            try:
                median = _median_seconds(run, runs)
            except subprocess.CalledProcessError as error:
                rows.append(Row("helm template", f"{helm_name} {profile.stem}", "failed",
                                error.stderr.decode(errors="replace").strip().splitlines()[-1][:80]))
                continue
            medians.append(median)
            rows.append(Row("helm template", f"{helm_name} {profile.stem}", f"{median * 1000:.0f} ms",
                            f"median of {runs}"))
        if medians:
            rows.append(Row("helm template", f"{helm_name} all profiles", f"{sum(medians):.2f} s",
                            f"{len(medians)} profiles, sum of medians"))
    return rows


def lint_rows(seconds: float) -> list[Row]:
    try:
        from .lint import Linter
    except ImportError as error:
        return [Row("lint", "throughput", "unavailable", f"ingress_nginx_values.lint cannot be imported: {error}")]
    profiles = sorted(PROFILES.glob("*.yaml"))
    if not profiles:
        return [Row("lint", "throughput", "unavailable", "no profiles in ci-values/")]
    started = time.perf_counter()
    linter = Linter(CHART)
    setup = time.perf_counter() - started
    # Each lint_files call reads and parses its file again, as a CLI run would.
    linted = 0
    started = time.perf_counter()
    while True:
        for profile in profiles:
            linter.lint_files([profile])
            linted += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    return [
        Row("lint", "load chart defaults and schema", f"{setup * 1000:.0f} ms", "once per run"),
        Row("lint", "throughput", f"{linted / elapsed:.0f} files/s", f"{linted} profile lints in {elapsed:.1f} s"),
    ]


def tier_rows(tiers: Sequence[str], timeout: float) -> list[Row]:
    rows = []
    env = {**os.environ, "PATH": os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    for tier in tiers:
        command = [sys.executable, "-m", "pytest", "-m", tier, "-q", "-p", "no:cacheprovider"]
        started = time.perf_counter()
        try:
            result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                    timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            rows.append(Row("test tier", tier, f"> {timeout:.0f} s", "timed out"))
            continue
        elapsed = time.perf_counter() - started
        summary = next((line.strip("= ") for line in reversed(result.stdout.splitlines()) if line.strip()), "")
        status = "ok" if result.returncode in (0, 5) else f"exit {result.returncode}"
        rows.append(Row("test tier", tier, f"{elapsed:.1f} s", f"{status}: {summary}"[:90]))
    return rows


def print_table(rows: Sequence[Row]) -> None:
    headers = ("what", "subject", "value", "note")
    cells = [headers, *[(r.section, r.subject, r.value, r.note) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(3)]
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths) + "  " + "-" * 4)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingress_nginx_values.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="helm template runs per profile (median is shown)")
    parser.add_argument("--lint-seconds", type=float, default=2.0, help="how long to lint for the throughput")
    parser.add_argument("--tiers", nargs="*", default=list(TIERS), help="test tiers to time (none: skip)")
    parser.add_argument("--tier-timeout", type=float, default=300.0, help="seconds before a tier run is cut off")
    options = parser.parse_args(argv)

    if shutil.which("helm", path=str(TOOLS_BIN)) is None:
        print("note: .tools/bin has no helm; run `make tools` for the render rows", file=sys.stderr)
    rows = [*render_rows(options.runs), *lint_rows(options.lint_seconds), *tier_rows(options.tiers,
                                                                                      options.tier_timeout)]
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    print(f"\n(saved to {RESULTS.relative_to(REPO_ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
