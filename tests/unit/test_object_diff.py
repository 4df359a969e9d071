"""Field-by-field comparison and the differences file that explains it."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingress_nginx_values.differences import Differences, DifferencesError, glob_match
from ingress_nginx_values.object_diff import MISSING, compare, field_text


def obj(kind: str, name: str, **fields: object) -> dict[str, object]:
    return {"kind": kind, "metadata": {"name": name, "namespace": "ns"}, **fields}


def test_field_text_brackets_keys_that_are_not_plain() -> None:
    assert field_text(["metadata", "labels", "helm.sh/chart"]) == "metadata.labels[helm.sh/chart]"
    assert field_text(["spec", "containers", 0, "args", 3]) == "spec.containers[0].args[3]"
    assert field_text(["data", "allow-snippet-annotations"]) == "data.allow-snippet-annotations"


def test_lists_compare_in_order() -> None:
    changes = compare([obj("Pod", "a", args=["--x", "--y"])], [obj("Pod", "a", args=["--y", "--x", "--z"])])
    assert [(c.field, c.upstream, c.ours) for c in changes] == [
        ("args[0]", "--x", "--y"), ("args[1]", "--y", "--x"), ("args[2]", MISSING, "--z"),
    ]


def test_null_equals_absent_but_false_does_not() -> None:
    assert compare([obj("Pod", "a", spec={"x": None})], [obj("Pod", "a", spec={})]) == []
    changes = compare([obj("Pod", "a", spec={})], [obj("Pod", "a", spec={"hostNetwork": False})])
    assert [(c.field, c.upstream, c.ours) for c in changes] == [("spec.hostNetwork", MISSING, False)]


def test_types_matter_except_equal_numbers() -> None:
    assert compare([obj("Pod", "a", n=1)], [obj("Pod", "a", n=1.0)]) == []
    assert [c.field for c in compare([obj("Pod", "a", v="1")], [obj("Pod", "a", v=1)])] == ["v"]
    assert [c.field for c in compare([obj("Pod", "a", v=True)], [obj("Pod", "a", v=1)])] == ["v"]


def test_objects_match_by_kind_namespace_and_name() -> None:
    changes = compare([obj("Service", "a")], [obj("ConfigMap", "a")])
    assert [(c.kind, c.field, c.upstream is MISSING, c.ours is MISSING) for c in changes] == [
        ("Service", "", False, True), ("ConfigMap", "", True, False),
    ]


def test_glob_star_crosses_dots_and_brackets_are_literal() -> None:
    assert glob_match("spec.template.metadata.labels[helm.sh/chart]", "*labels[helm.sh/chart]")
    assert not glob_match("metadata.labels[h]", "metadata.labels[helm.sh/chart]")
    assert glob_match("", "*")


ENTRY = """\
differences:
  - id: one
    area: a
    upstream: u
    ours: o
    why: w
    fix: true
    touches: [{kind: ConfigMap, name: "*-controller", field: "data.*"}, {refuses: controller.kind}]
    values: [{}]
  - id: broad
    area: a
    upstream: u
    ours: o
    why: w
    fix: true
    touches: [{refuses: controller}]
    values: [{}]
"""


def test_entries_explain_fields_and_refusals(tmp_path: Path) -> None:
    (tmp_path / "differences.yaml").write_text(ENTRY)
    differences = Differences.from_chart(tmp_path)
    changes = compare([obj("ConfigMap", "x-controller", data={"a": "1"})], [obj("ConfigMap", "x-controller", data={"a": "2"})])
    assert differences.explaining(changes[0]) is not None
    def reason(message: str) -> str | None:
        entry = differences.explaining_refusal(message)
        return entry.id if entry else None

    assert reason("execution error: controller.kind: Both is not a kind") == "one"
    assert reason("- at '/controller/kind': value must be one of") == "one"
    assert reason("controller.kind.extra: below the path") == "one"
    assert reason("- at '/controller/kind/0': below the path") == "one"
    assert reason("- at '/controller/kindness': nope") == "broad"
    assert reason("- at '/controller': additional properties 'hostNetwrok' not allowed") == "broad"
    assert reason("mycontroller.kind: another path") is None


@pytest.mark.parametrize("broken", [ENTRY.replace("    values: [{}]\n", ""), ENTRY.replace("fix: true", "fix: maybe"),
                                    ENTRY + ENTRY.split("differences:\n")[1].split("  - id: broad")[0]])
def test_an_incomplete_or_repeated_entry_is_an_error(tmp_path: Path, broken: str) -> None:
    (tmp_path / "differences.yaml").write_text(broken)
    with pytest.raises(DifferencesError):
        Differences.from_chart(tmp_path)
