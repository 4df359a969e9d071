"""The CLI behaves like its neighbours (helm, kubeconform, ct): --version, `-` for
stdin, --set kinds, quiet on a closed pipe, junit reports, help on every option."""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ingress_nginx_values.cli import EXIT_CLOSED_PIPE, build_parser, main
from paths import UPSTREAM_CHART


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ingress-nginx-values 0.")


def test_dash_reads_values_from_stdin() -> None:
    code, out, _ = run("lint", "-", stdin="controller:\n  kind: Daemonset\n")
    assert code == 1
    assert "<stdin>: error: controller.kind: 'Daemonset' is not one of" in out


def test_stdin_is_read_once() -> None:
    code, _, err = run("lint", "-", "-", stdin="controller: {}\n")
    assert code == 2
    assert "standard input can be read only once" in err


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (["--set", "controller.hostNetwork=true"], 0),
        (["--set-string", "controller.hostNetwork=true"], 1),
        (["--set-json", "controller.hostNetwork=true"], 0),
        (["--set-json", 'controller.hostNetwork="yes"'], 1),
        # Helm applies --set-string after --set, whatever the order given.
        (["--set-string", "controller.kind=DaemonSet", "--set", "controller.kind=Nope"], 0),
        (["--set-json", 'controller.kind="Nope"', "--set", "controller.kind=DaemonSet"], 0),
    ],
)
def test_lint_set_options_follow_helm(options: list[str], code: int) -> None:
    assert run("lint", *options)[0] == code


def test_lint_set_needs_the_positional_release(tmp_path: Path) -> None:
    values = tmp_path / "a.yaml"
    values.write_text("controller: {}\n")
    code, _, err = run("lint", "--release", f"a={values}", "--set", "controller.kind=DaemonSet")
    assert code == 2
    assert "positional FILEs' release" in err


def test_bad_set_json_names_the_option() -> None:
    code, _, err = run("lint", "--set-json", "controller.kind=nope")
    assert code == 2
    assert "--set-json controller.kind=nope: the value of 'controller.kind' is not JSON" in err


def test_closed_pipe_exits_quietly() -> None:
    # A pipe whose reader is already gone: the first write fails with EPIPE.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ingress_nginx_values.cli", "explain", "controller.service"],
            stdout=writer, stderr=subprocess.PIPE, text=True, check=False, timeout=60,
        )
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == EXIT_CLOSED_PIPE


def test_explain_lists_child_keys_with_types_and_defaults() -> None:
    code, out, _ = run("explain", "controller.service")
    assert code == 0
    assert "keys (explain PATH.KEY for one):" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("    ")}
    assert rows["type"].split()[1:] == ["string", "|", "null", '"LoadBalancer"']
    assert rows["external"].split()[1:] == ["object", "{...}"]
    assert '{"enabled"' not in out, "a map's whole default is not dumped as one line of JSON"


def test_enum_message_does_not_offer_null() -> None:
    code, out, _ = run("lint", "-", stdin="controller:\n  kind: Daemonset\n")
    assert code == 1
    assert "'Deployment', 'DaemonSet'." in out
    assert "null" not in out


def test_explain_does_not_list_null_as_allowed() -> None:
    code, out, _ = run("explain", "controller.kind")
    assert code == 0
    assert 'allowed: "Deployment", "DaemonSet"\n' in out


def test_every_option_has_help_text() -> None:
    missing = []

    def visit(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    visit(sub)
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")

    visit(build_parser())
    assert missing == []


def test_junit_report_lists_each_file_and_fails_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("controller:\n  kind: DaemonSet\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("controller:\n  kind: Daemonset\n")
    code, out, _ = run("lint", "--each", "--format", "junit", str(good), str(bad))
    assert code == 1
    suite = ET.fromstring(out)
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases[str(good)].find("failure") is None
    failure = cases[str(bad)].find("failure")
    assert failure is not None and failure.get("type") == "schema-enum"


def test_junit_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("controller:\n  allowSnippetAnnotations: true\n")
    lenient = ET.fromstring(run("lint", "--format", "junit", str(path))[1])
    strict = ET.fromstring(run("lint", "--strict", "--format", "junit", str(path))[1])
    assert lenient.get("failures") == "0"
    assert "warning:" in (lenient.findtext("testcase/system-out") or "")
    assert strict.get("failures") == "1"


def upstream_default_values(tmp_path: Path) -> Path:
    """values.yaml of upstream 4.15.1, read from the chart package in ../shared (not copied here)."""
    if not UPSTREAM_CHART.is_file():
        pytest.skip(f"upstream's chart {UPSTREAM_CHART} is not beside this repository (../shared)")
    with tarfile.open(UPSTREAM_CHART) as package:
        member = package.extractfile("ingress-nginx/values.yaml")
        assert member is not None
        path = tmp_path / "upstream-values.yaml"
        path.write_bytes(member.read())
    return path


def test_upstream_default_values_pass_strict_lint(tmp_path: Path) -> None:
    code, out, _ = run("lint", "--strict", str(upstream_default_values(tmp_path)))
    assert (code, out.strip()) == (0, "no problems found")


def test_an_explicit_election_id_alone_still_warns(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("controller:\n  electionID: edge-leader\n")
    code, out, _ = run("lint", "--strict", str(path))
    assert code == 1
    assert "second-controller-conflict" in out
