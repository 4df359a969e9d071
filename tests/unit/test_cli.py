"""The lint command: formats, exit codes, releases, read errors and speed."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from ingress_nginx_values.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture()
def chart(tmp_path: Path, chart_dir: Path) -> Path:
    """The chart's values.yaml with a small schema, so errors are predictable."""
    copy = tmp_path / "chart"
    copy.mkdir()
    shutil.copy(chart_dir / "values.yaml", copy / "values.yaml")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "controller": {
                "type": "object",
                "properties": {"kind": {"enum": ["Deployment", "DaemonSet"]}, "hostNetwork": {"type": "boolean"}},
            }
        },
    }
    (copy / "values.schema.json").write_text(json.dumps(schema))
    return copy


def test_clean_file_exits_0(chart: Path, tmp_path: Path) -> None:
    code, out, _ = run("lint", "--chart", str(chart), str(write(tmp_path, "v.yaml", "controller:\n  replicaCount: 2\n")))
    assert code == 0
    assert "no problems found" in out


def test_schema_error_exits_1_with_json_findings(chart: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "controller:\n  kind: Daemonset\n")
    code, out, _ = run("lint", "--format", "json", "--chart", str(chart), str(path))
    assert code == 1
    findings = json.loads(out)
    assert findings == [
        {
            "file": str(path),
            "path": "controller.kind",
            "severity": "error",
            "rule": "schema-enum",
            "message": findings[0]["message"],
        }
    ]


def test_warnings_fail_only_with_strict(chart: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "controller:\n  allowSnippetAnnotations: true\n")
    assert run("lint", "--chart", str(chart), str(path))[0] == 0
    assert run("lint", "--strict", "--chart", str(chart), str(path))[0] == 1


def test_text_output_has_file_line_and_rule(chart: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "controller:\n  replicaCount: 2\n  kind: Daemonset\n")
    code, out, _ = run("lint", "--chart", str(chart), str(path))
    assert code == 1
    assert f"{path}:3: error: controller.kind" in out
    assert "[schema-enum]" in out


def test_github_annotations(chart: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "controller:\n  replicaCount: 2\n  kind: Daemonset\n")
    _, out, _ = run("lint", "--format", "github", "--chart", str(chart), str(path))
    assert out.startswith(f"::error file={path},line=3,title=schema-enum::controller.kind")


def test_files_merge_as_one_release(chart: Path, tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", "controller:\n  replicaCount: 2\n")
    extra = write(tmp_path, "extra.yaml", "controller:\n  kind: Daemonset\n")
    code, out, _ = run("lint", "--format", "json", "--chart", str(chart), str(base), str(extra))
    assert code == 1
    assert [(item["rule"], item["file"]) for item in json.loads(out)] == [("schema-enum", str(extra))]


def test_each_lints_files_separately(chart: Path, tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", "controller:\n  kind: DaemonSet\n")
    extra = write(tmp_path, "extra.yaml", "controller:\n  replicaCount: 2\n")
    assert run("lint", "--each", "--chart", str(chart), str(base), str(extra))[0] == 0


def test_releases_given_with_files_are_compared(chart: Path, tmp_path: Path) -> None:
    public = write(tmp_path, "public.yaml", "controller:\n  replicaCount: 2\n")
    internal = write(tmp_path, "internal.yaml", "controller:\n  ingressClass: internal\n  ingressClassResource:\n    name: internal\n")
    code, out, _ = run(
        "lint", "--format", "json", "--chart", str(chart),
        "--release", f"public={public}", "--release", f"internal={internal}",
    )
    assert code == 1
    found = json.loads(out)
    assert [(item["rule"], item["path"], item["severity"], item["file"]) for item in found] == [
        ("second-controller-conflict", "controller.ingressClassResource.controllerValue", "error", str(internal))
    ]
    assert "'public'" in found[0]["message"]


def test_release_name_decides_the_default_election_id(chart: Path, tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "controller:\n  electionID: b-ingress-nginx-leader\n  ingressClass: a\n  ingressClassResource: {name: a, controllerValue: k8s.io/a}\n")
    second = write(tmp_path, "b.yaml", "controller:\n  ingressClass: b\n  ingressClassResource: {name: b, controllerValue: k8s.io/b}\n")
    _, out, _ = run("lint", "--format", "json", "--chart", str(chart), "--release", f"a={first}", "--release", f"b={second}")
    assert [item["path"] for item in json.loads(out)] == ["controller.electionID"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("controller:\n  kind: DaemonSet\n   hostNetwork: true\n", ":3: invalid YAML"), ("- a\n", "must be a YAML mapping")],
)
def test_bad_yaml_exits_2_naming_file_and_line(chart: Path, tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    code, out, err = run("lint", "--chart", str(chart), str(path))
    assert code == 2
    assert str(path) in err and expected in err


def test_missing_file_exits_2(chart: Path, tmp_path: Path) -> None:
    code, _, err = run("lint", "--chart", str(chart), str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: no such file" in err


@pytest.mark.parametrize("argv", [["lint"], ["lint", "--release", "Bad_Name=x.yaml"], ["lint", "--format", "xml", "x"], ["frobnicate"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert run(*argv)[0] == 2


def test_help_documents_releases(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run("lint", "--help")
    out = capsys.readouterr().out
    assert code == 0
    assert "--release NAME=FILE[,FILE...]" in out
