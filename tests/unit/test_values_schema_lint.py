"""Schema errors become Findings at dotted values paths with a fix in the message."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingress_nginx_values.findings import dotted, parse_dotted
from ingress_nginx_values.lint import Linter
from ingress_nginx_values.values_schema import ValuesSchema

SMALL_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
    "properties": {
        "controller": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "kind": {"enum": ["Deployment", "DaemonSet"]},
                "hostNetwork": {"type": "boolean"},
                "dnsPolicy": {"type": "string"},
                "tolerations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"key": {"type": "string"}, "operator": {"enum": ["Equal", "Exists"]}},
                    },
                },
                "service": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"ports": {"type": "object", "properties": {"http": {"$ref": "#/$defs/port"}}}},
                },
                "minAvailable": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+%$"}]},
            },
        },
        "tcp": {
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]+$"},
            "additionalProperties": {"type": "string", "pattern": "^[^/]+/[^:]+:.+$"},
        },
    },
}


@pytest.fixture()
def schema() -> ValuesSchema:
    return ValuesSchema(SMALL_SCHEMA)


def issue_at(schema: ValuesSchema, values: dict, path: str):
    found = [item for item in schema.issues(values) if dotted(item.path) == path]
    assert found, f"no issue at {path}: {schema.issues(values)}"
    return found[0]


def test_unknown_key_suggests_the_closest_sibling(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"hostNetwrok": True}}, "controller.hostNetwrok")
    assert issue.rule == "schema-unknown-key"
    assert "Did you mean 'hostNetwork'?" in issue.message


def test_unknown_key_without_a_close_sibling_says_to_remove_it(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"zzzz": 1}}, "controller.zzzz")
    assert "Did you mean" not in issue.message
    assert "Remove it" in issue.message


def test_nested_unknown_key_in_a_list_item_has_an_index_path(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"tolerations": [{"key": "a"}, {"kye": "b"}]}}, "controller.tolerations[1].kye")
    assert "Did you mean 'key'?" in issue.message


def test_wrong_enum_lists_the_allowed_values_and_fixes_the_case(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"kind": "Daemonset"}}, "controller.kind")
    assert issue.rule == "schema-enum"
    assert "'Deployment', 'DaemonSet'" in issue.message
    assert "Did you mean 'DaemonSet'?" in issue.message


def test_quoted_boolean_says_to_drop_the_quotes(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"hostNetwork": "true"}}, "controller.hostNetwork")
    assert issue.rule == "schema-type"
    assert "expected boolean, got string 'true'" in issue.message
    assert "without quotes" in issue.message


def test_range_through_a_ref(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"service": {"ports": {"http": 70000}}}}, "controller.service.ports.http")
    assert issue.rule == "schema-maximum"
    assert "at most 65535" in issue.message


def test_any_of_types_are_named_together(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"minAvailable": True}}, "controller.minAvailable")
    assert "expected integer or string" in issue.message


def test_any_of_pattern_branch_explains_the_pattern(schema: ValuesSchema) -> None:
    issue = issue_at(schema, {"controller": {"minAvailable": "half"}}, "controller.minAvailable")
    assert issue.rule == "schema-pattern"


def test_tcp_key_and_value_paths(schema: ValuesSchema) -> None:
    assert issue_at(schema, {"tcp": {"http": "a/b:1"}}, "tcp.http").rule == "schema-key-name"
    assert issue_at(schema, {"tcp": {"8080": "svc"}}, "tcp.8080").rule == "schema-pattern"


def test_valid_values_have_no_issues(schema: ValuesSchema) -> None:
    values = {"controller": {"kind": "DaemonSet", "tolerations": [{"key": "a", "operator": "Exists"}]}, "tcp": {"53": "kube-system/dns:53"}}
    assert schema.issues(values) == []


@pytest.mark.parametrize("path", ["controller.tolerations[0].key", 'controller.nodeSelector["kubernetes.io/os"]', "tcp.8080", "a"])
def test_dotted_paths_round_trip(path: str) -> None:
    assert dotted(parse_dotted(path)) == path


def small_chart(tmp_path: Path, repo_root: Path) -> Path:
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "values.yaml").write_text("controller:\n  kind: Deployment\n  hostNetwork: false\n  dnsPolicy: ClusterFirst\ntcp: {}\n")
    (chart / "values.schema.json").write_text(json.dumps(SMALL_SCHEMA))
    return chart


def test_linter_ties_schema_errors_to_the_file_that_set_them(tmp_path: Path, repo_root: Path) -> None:
    chart = small_chart(tmp_path, repo_root)
    base = tmp_path / "base.yaml"
    base.write_text("controller:\n  kind: Daemonset\n")
    extra = tmp_path / "extra.yaml"
    extra.write_text("controller:\n  hostNetwrok: true\n")
    findings = Linter(chart).lint_files([base, extra])
    by_path = {item.path: item for item in findings if item.rule.startswith("schema-")}
    assert by_path["controller.kind"].file == str(base)
    assert by_path["controller.hostNetwrok"].file == str(extra)
    assert all(item.severity == "error" for item in by_path.values())


def test_null_in_a_user_file_deletes_the_default_before_validation(tmp_path: Path, repo_root: Path) -> None:
    chart = small_chart(tmp_path, repo_root)
    values = tmp_path / "v.yaml"
    values.write_text("controller:\n  dnsPolicy:\n")
    assert [item for item in Linter(chart).lint_files([values]) if item.rule.startswith("schema-")] == []


def test_the_chart_schema_is_a_valid_draft_2020_12_schema(chart_dir: Path) -> None:
    if not (chart_dir / "values.schema.json").is_file():
        pytest.skip("charts/ingress-nginx/values.schema.json is not generated yet (make schema)")
    schema = ValuesSchema.from_chart(chart_dir)
    assert schema is not None
    issue = issue_at(schema, {"controller": {"hostNetwrok": True}}, "controller.hostNetwrok")
    assert "Did you mean 'hostNetwork'?" in issue.message


def test_a_nulled_required_key_is_named_with_how_to_undo_it(tmp_path: Path, chart_dir: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("controller:\n  metrics:\n    port: null\nrbac: null\n")
    found = {item.path: item.message for item in Linter(chart_dir).lint_files([values]) if item.rule == "schema-required"}
    assert found == {
        "controller.metrics.port": "controller.metrics.port: is null, which drops the chart's default, and the chart "
                                   "needs a value there. Remove the null, or set a value.",
        "rbac": "rbac: is null, which drops the chart's default, and the chart needs a value there. "
                "Remove the null, or set a value.",
    }


def test_a_key_missing_from_a_list_item_is_to_be_added(tmp_path: Path, chart_dir: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("controller:\n  extraContainers:\n    - image: example.com/shipper:1.0\n")
    found = [item for item in Linter(chart_dir).lint_files([values]) if item.rule == "schema-required"]
    assert [(item.path, item.message) for item in found] == [
        ("controller.extraContainers[0]", "controller.extraContainers[0]: 'name' is a required property. Add the missing key.")]
