"""`make bench`: how fast the chart renders, the linter lints, the local control
plane starts, each profile installs and each test tier runs.

Prints one table. Rendering is timed as a user runs it (`helm template -f
<profile>`, a fresh process each time, median of several runs), interleaved with
upstream's chart on the same profile for the ours/upstream ratio: the median over the
pairs of each pair's wall-time ratio, a pair's two runs seeing the same load (CPU time's
ratio beside it); the linter is
timed in-process as `lint --each` over the profiles, again and again
(bench_node.py adds the real node's rows); the control plane's cold start is the median
of several starts, each in a fresh directory, and the last of them stays up for
one `helm upgrade --install --wait` per profile; each tier (every pytest marker
of pyproject.toml) is a `pytest -m <tier> -q` run. The JSON of the same numbers goes to
.bench/results.json for comparing runs.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from . import upstream_chart
from .cluster import LocalControlPlane, LocalControlPlaneConfig
from .cluster.helm import HelmFailed, HelmReleases
from .cluster.local import StartupFailed, missing_binaries
from .cluster.stub_crds import apply_stub_crds
from .bench_node import real_node_rows

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART = REPO_ROOT / "charts" / "ingress-nginx"
PROFILES = REPO_ROOT / "ci-values"
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"
RESULTS = REPO_ROOT / ".bench" / "results.json"
HELMS = ("helm3", "helm4")
RELEASE = "ingress-nginx"
# Targets of issue 10, printed beside the measured value.
RENDER_RATIO_TARGET = 1.1
LINT_FILES_PER_SECOND_TARGET = 200
FAST_TIERS = ("unit", "render", "conformance", "parity")
FAST_TIERS_SECONDS_TARGET = 90.0
MAKE_TEST_SECONDS_TARGET = 12 * 60.0


def tiers_of_pyproject(pyproject: Path = REPO_ROOT / "pyproject.toml") -> list[str]:
    """The test tiers: the pytest markers registered in pyproject.toml (one per tests/<tier>)."""
    options = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    return [str(line).split(":", 1)[0].strip() for line in options.get("markers", [])]


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


@dataclass(frozen=True)
class RenderSample:
    wall: float
    cpu: float


def _helm_template(helm: Path, chart: Path, profile: Path) -> RenderSample:
    """One `helm template` as a user runs it; CPU time too, which load on the machine barely moves."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(helm), "template", RELEASE, str(chart), "-n", RELEASE, "-f", str(profile)],
                   check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return RenderSample(wall, cpu)


def _failure(error: subprocess.CalledProcessError) -> str:
    return _last_line(error.stderr.decode(errors="replace"))[:80]


def _upstream_chart() -> Path | None:
    try:
        return upstream_chart.locate(REPO_ROOT)
    except upstream_chart.UpstreamChartMissing:
        return None


def render_rows(runs: int, upstream: Path | None) -> list[Row]:
    """Per profile and Helm: our median, and our/upstream ratios of paired runs."""
    rows: list[Row] = []
    profiles = sorted(PROFILES.glob("*.yaml"))
    for helm_name in HELMS:
        helm = _helm(helm_name)
        if helm is None:
            rows.append(Row("helm template", helm_name, "unavailable", f"{TOOLS_BIN / helm_name} missing: make tools"))
            continue
        medians = []
        worst = 0.0
        for profile in profiles:
            ours: list[RenderSample] = []
            theirs: list[RenderSample] = []
            try:
                for _ in range(runs):
                    # Paired and interleaved, so a burst of load hits both sides alike.
                    ours.append(_helm_template(helm, CHART, profile))
                    if upstream is not None:
                        theirs.append(_helm_template(helm, upstream, profile))
            except subprocess.CalledProcessError as error:
                rows.append(Row("helm template", f"{helm_name} {profile.stem}", "failed", _failure(error)))
                continue
            median = statistics.median(sample.wall for sample in ours)
            medians.append(median)
            rows.append(Row("helm template", f"{helm_name} {profile.stem}", f"{median * 1000:.0f} ms",
                            f"median of {runs}"))
            if theirs:
                wall_ratio = statistics.median(a.wall / b.wall for a, b in zip(ours, theirs))
                cpu_ratio = statistics.median(a.cpu / b.cpu for a, b in zip(ours, theirs) if b.cpu > 0)
                worst = max(worst, wall_ratio)
                verdict = "ok" if wall_ratio <= RENDER_RATIO_TARGET else f"over {RENDER_RATIO_TARGET}"
                rows.append(Row("render ratio", f"{helm_name} {profile.stem}", f"{wall_ratio:.2f}",
                                f"ours/upstream wall time, median of {runs} interleaved pairs ({verdict}); "
                                f"CPU {cpu_ratio:.2f}"))
        if medians:
            rows.append(Row("helm template", f"{helm_name} all profiles", f"{sum(medians):.2f} s",
                            f"{len(medians)} profiles, sum of medians"))
        if upstream is None:
            rows.append(Row("render ratio", helm_name, "unavailable", "the upstream chart is not installed: make tools"))
        elif worst:
            rows.append(Row("render ratio", f"{helm_name} worst profile", f"{worst:.2f}",
                            f"target <= {RENDER_RATIO_TARGET}"))
            rows.append(_without_schema_row(helm_name, helm, upstream, runs))
    return rows


def _without_schema_row(helm_name: str, helm: Path, upstream: Path, runs: int) -> Row:
    """Our chart with its values.schema.json removed against upstream: what the templates alone cost.

    The gap between this ratio and the profiles' ratios is Helm compiling and
    checking the schema on every run (README: "What the strict schema costs").
    """
    profile = PROFILES / "daemonset-prod.yaml"
    with tempfile.TemporaryDirectory(prefix="bench-chart-") as folder:
        bare = Path(folder) / CHART.name
        shutil.copytree(CHART, bare, ignore=shutil.ignore_patterns("values.schema.json"))
        pairs = [(_helm_template(helm, bare, profile), _helm_template(helm, upstream, profile)) for _ in range(runs)]
    ratio = statistics.median(a.wall / b.wall for a, b in pairs)
    return Row("render ratio", f"{helm_name} {profile.stem} without schema", f"{ratio:.2f}",
               f"ours without values.schema.json/upstream, median of {runs} interleaved pairs")


def lint_rows(seconds: float) -> list[Row]:
    """`lint --each` over many files: one Linter, each file read, parsed and checked on its own."""
    try:
        from .lint import Linter, ReleaseFiles
    except ImportError as error:
        return [Row("lint", "throughput", "unavailable", f"ingress_nginx_values.lint cannot be imported: {error}")]
    profiles = sorted(PROFILES.glob("*.yaml"))
    if not profiles:
        return [Row("lint", "throughput", "unavailable", "no profiles in ci-values/")]
    started = time.perf_counter()
    linter = Linter(CHART)
    setup = time.perf_counter() - started
    linted = 0
    started = time.perf_counter()
    while True:
        for profile in profiles:
            linter.lint([ReleaseFiles(RELEASE, (profile,))])
            linted += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    rate = linted / elapsed
    verdict = "ok" if rate >= LINT_FILES_PER_SECOND_TARGET else f"under {LINT_FILES_PER_SECOND_TARGET}"
    return [
        Row("lint", "load chart defaults and schema", f"{setup * 1000:.0f} ms", "once per run (compiled check cached)"),
        Row("lint", "lint --each throughput", f"{rate:.0f} files/s",
            f"{linted} profile lints in {elapsed:.1f} s, target >= {LINT_FILES_PER_SECOND_TARGET} ({verdict})"),
    ]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:90] if lines else ""


def _needs_privileged_namespace(values: dict[str, Any]) -> bool:
    """hostNetwork and hostPort pods are refused by any Pod Security level but privileged."""
    controller = values.get("controller") or {}
    host_port = controller.get("hostPort") or {}
    return bool(controller.get("hostNetwork")) or bool(host_port.get("enabled"))


def _install_rows(plane: LocalControlPlane, helm: Path) -> list[Row]:
    apply_stub_crds(plane.api_client)
    core = client.CoreV1Api(plane.api_client)
    releases = HelmReleases(CHART, plane.kubeconfig, executable=str(helm))
    rows: list[Row] = []
    timings: list[float] = []
    for profile in sorted(PROFILES.glob("*.yaml")):
        values = yaml.safe_load(profile.read_text()) or {}
        level = "privileged" if _needs_privileged_namespace(values) else "restricted"
        namespace = f"bench-{profile.stem}"[:63].rstrip("-")
        core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(
            name=namespace, labels={"pod-security.kubernetes.io/enforce": level})))
        started = time.perf_counter()
        try:
            releases.install(RELEASE, namespace, values, wait=True)
        except HelmFailed as error:
            rows.append(Row("helm install", profile.stem, "failed", _last_line(error.message)))
        else:
            elapsed = time.perf_counter() - started
            timings.append(elapsed)
            rows.append(Row("helm install", profile.stem, f"{elapsed:.1f} s", f"--wait, {level} namespace"))
        finally:
            # The next profile's release owns the same cluster-wide objects
            # (IngressClass, ClusterRoles, webhook configuration), so this one
            # must be gone first; a failed install may have left a release too.
            try:
                releases.uninstall(RELEASE, namespace)
            except HelmFailed:
                pass
            core.delete_namespace(namespace)
    if timings:
        rows.append(Row("helm install", "all profiles", f"{sum(timings):.1f} s",
                        f"{len(timings)} profiles, one control plane, each uninstalled after"))
    return rows


def control_plane_rows(starts: int) -> list[Row]:
    """Cold starts of the local control plane; the last one also times every profile's install."""
    local_config = LocalControlPlaneConfig()
    missing = missing_binaries(local_config.bin_dir)
    if missing:
        return [Row("control plane", "cold start", "unavailable", f"{', '.join(missing)} missing, run make tools")]
    if shutil.which("openssl") is None:
        return [Row("control plane", "cold start", "unavailable",
                    "the openssl CLI (it makes the certificates) is not on PATH")]
    helm = _helm("helm3")
    samples: list[float] = []
    rows: list[Row] = []
    for index in range(starts):
        # A new LocalControlPlane makes a new temporary directory: every start is cold.
        plane = LocalControlPlane(local_config)
        try:
            with plane:
                samples.append(plane.startup_seconds)
                if index < starts - 1:
                    continue
                rows.append(Row("control plane", "cold start", f"{statistics.median(samples):.1f} s",
                                f"median of {len(samples)}: " + ", ".join(f"{s:.1f}" for s in samples)))
                if helm is None:
                    rows.append(Row("helm install", "all profiles", "unavailable",
                                    f"{TOOLS_BIN / 'helm3'} missing: make tools"))
                else:
                    try:
                        rows.extend(_install_rows(plane, helm))
                    except ApiException as error:
                        rows.append(Row("helm install", "all profiles", "failed",
                                        f"API server answered {error.status} {error.reason}"))
        except StartupFailed as error:
            return [*rows, Row("control plane", "cold start", "failed", _last_line(str(error)))]
    return rows


def _timed_pytest(marker: str, timeout: float) -> tuple[float | None, str]:
    """Seconds of one `pytest -m MARKER -q` run (None when cut off) and its outcome line."""
    env = {**os.environ, "PATH": os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    command = [sys.executable, "-m", "pytest", "-m", marker, "-q", "-p", "no:cacheprovider"]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    summary = next((line.strip("= ") for line in reversed(result.stdout.splitlines()) if line.strip()), "")
    status = "ok" if result.returncode in (0, 5) else f"exit {result.returncode}"
    return time.perf_counter() - started, f"{status}: {summary}"


def tier_rows(tiers: Sequence[str], timeout: float) -> list[Row]:
    rows = []
    every: list[float] = []
    for tier in tiers:
        elapsed, outcome = _timed_pytest(tier, timeout)
        if elapsed is None:
            rows.append(Row("test tier", tier, f"> {timeout:.0f} s", outcome))
            continue
        every.append(elapsed)
        rows.append(Row("test tier", tier, f"{elapsed:.1f} s", outcome[:90]))
    if set(FAST_TIERS) <= set(tiers):
        # One session, as `pytest -m "unit or render or conformance or parity"` runs
        # them: the sum of separate runs would count collection and the renderer's
        # start four times.
        together = " or ".join(FAST_TIERS)
        elapsed, outcome = _timed_pytest(together, timeout)
        if elapsed is None:
            rows.append(Row("test tier", together, f"> {timeout:.0f} s", outcome))
        else:
            verdict = "ok" if elapsed <= FAST_TIERS_SECONDS_TARGET else f"over {FAST_TIERS_SECONDS_TARGET:.0f} s"
            rows.append(Row("test tier", together, f"{elapsed:.1f} s",
                            f"one run, target <= {FAST_TIERS_SECONDS_TARGET:.0f} s ({verdict})"))
    if len(every) == len(tiers) and set(tiers) == set(tiers_of_pyproject()):
        # Each tier in its own process starts its own control plane; `make test`'s
        # one session shares it, so this sum is a little above make test's pytest time.
        total = sum(every)
        verdict = "ok" if total <= MAKE_TEST_SECONDS_TARGET else f"over {MAKE_TEST_SECONDS_TARGET / 60:.0f} min"
        rows.append(Row("test tier", "every tier (make test)", f"{total / 60:.1f} min",
                        f"target <= {MAKE_TEST_SECONDS_TARGET / 60:.0f} min ({verdict})"))
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
    # 11 pairs: with 5, the ratio moved from run to run on a busy 2-core machine.
    parser.add_argument("--runs", type=int, default=11,
                        help="helm template runs per profile and chart, interleaved in pairs (medians are shown)")
    parser.add_argument("--lint-seconds", type=float, default=2.0, help="how long to lint for the throughput")
    parser.add_argument("--starts", type=int, default=3, help="control-plane cold starts (median is shown)")
    parser.add_argument("--no-cluster", action="store_true",
                        help="skip the control-plane start and profile install timings")
    parser.add_argument("--tiers", nargs="*", default=tiers_of_pyproject(),
                        help="test tiers to time (default: every marker of pyproject.toml; none: skip)")
    parser.add_argument("--tier-timeout", type=float, default=900.0, help="seconds before a tier run is cut off")
    options = parser.parse_args(argv)
    if options.starts < 1:
        parser.error("--starts must be at least 1")

    if shutil.which("helm", path=str(TOOLS_BIN)) is None:
        print("note: .tools/bin has no helm; run `make tools` for the render rows", file=sys.stderr)
    rows = [*render_rows(options.runs, _upstream_chart()), *lint_rows(options.lint_seconds)]
    if not options.no_cluster:
        rows.extend(control_plane_rows(options.starts))
        rows.extend(real_node_rows(lambda subject, value, note: Row("real node", subject, value, note)))
    rows.extend(tier_rows(options.tiers, options.tier_timeout))
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    print(f"\n(saved to {RESULTS.relative_to(REPO_ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
