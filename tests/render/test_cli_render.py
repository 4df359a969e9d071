"""`ingress-nginx-values render` merges values like Helm and prints Helm's own output or a summary."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import yaml

from conftest import helm_executable
from ingress_nginx_values.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_summary_of_files_merged_with_set(tmp_path: Path, chart_dir: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("controller:\n  kind: Deployment\n  admissionWebhooks:\n    enabled: false\n")
    code, out, err = run(
        "render", "--summary", "--chart", str(chart_dir), "-f", str(values), "--set", "controller.kind=DaemonSet",
        "--release", "edge", "--namespace", "ingress",
    )
    lines = out.splitlines()
    assert code == 0, err
    assert "DaemonSet ingress/edge-ingress-nginx-controller" in lines
    assert not any(line.startswith("Deployment ") for line in lines)
    assert not any("admission" in line for line in lines)
    assert "IngressClass nginx" in lines


def test_manifests_are_yaml_documents(chart_dir: Path) -> None:
    code, out, err = run("render", "--chart", str(chart_dir))
    assert code == 0, err
    kinds = {doc["kind"] for doc in yaml.safe_load_all(out) if doc}
    assert {"Deployment", "Service", "ConfigMap", "IngressClass"} <= kinds


def test_null_in_a_file_drops_the_default(tmp_path: Path, chart_dir: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("controller:\n  image:\n    digest:\n")
    code, out, err = run("render", "--chart", str(chart_dir), "-f", str(values))
    assert code == 0, err
    images = [line.split("image:")[1].strip() for line in out.splitlines() if "image:" in line and "/controller:" in line]
    assert images and all("@sha256" not in image for image in images)


def test_helm_refusal_is_printed_without_a_trace_and_exits_1(chart_dir: Path) -> None:
    code, out, err = run("render", "--chart", str(chart_dir), "--set", "controller.kind=DaemonSet,controller.autoscaling.enabled=true")
    assert code == 1
    assert out == ""
    assert "controller.autoscaling.enabled" in err
    assert "goroutine" not in err and ".go:" not in err
    assert "command failed" not in err and "--debug" not in err


def test_missing_values_file_exits_2(tmp_path: Path, chart_dir: Path) -> None:
    code, _, err = run("render", "--chart", str(chart_dir), "-f", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: no such file" in err


def helm_template(chart_dir: Path, *options: str) -> str:
    command = [helm_executable("helm3"), "template", "ingress-nginx", str(chart_dir), "--namespace", "ingress-nginx", *options]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_prints_helm_template_output_byte_for_byte(chart_dir: Path, repo_root: Path) -> None:
    profile = repo_root / "ci-values" / "tcp-udp.yaml"
    code, out, err = run("render", "--chart", str(chart_dir), "-f", str(profile))
    assert code == 0, err
    assert out == helm_template(chart_dir, "-f", str(profile))
    assert "# Source: ingress-nginx/templates/" in out


def test_a_set_number_like_string_stays_quoted_as_helm_prints_it(chart_dir: Path) -> None:
    code, out, err = run("render", "--chart", str(chart_dir), "--set", "controller.podAnnotations.a=1e3")
    assert code == 0, err
    assert out == helm_template(chart_dir, "--set", "controller.podAnnotations.a=1e3")
    assert 'a: "1e3"' in out
