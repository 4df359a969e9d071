"""The README values table is generated from values.yaml and the schema, and kept current."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ingress_nginx_values.cli import main
from ingress_nginx_values.docs import DIFFERENCES_END, DIFFERENCES_START, END, START, DocsError, replace_table, table
from ingress_nginx_values.values_schema import ValuesSchema

SCHEMA = ValuesSchema(
    {
        "type": "object",
        "properties": {
            "controller": {
                "type": "object",
                "properties": {
                    "kind": {"type": ["string", "null"], "description": "Workload kind | Deployment or DaemonSet."},
                    "image": {"type": "object", "properties": {"tag": {"type": "string", "description": "Tag."}}},
                    "config": {"type": "object", "description": "ConfigMap entries."},
                },
            }
        },
    }
)


def test_groups_expand_and_free_form_maps_are_one_row() -> None:
    defaults = {"controller": {"kind": "Deployment", "image": {"tag": "v1"}, "config": {"a": "1"}}}
    assert table(defaults, SCHEMA).splitlines()[2:] == [
        "| `controller.kind` | string | `\"Deployment\"` | Workload kind \\| Deployment or DaemonSet. |",
        "| `controller.image.tag` | string | `\"v1\"` | Tag. |",
        "| `controller.config` | object | `{\"a\": \"1\"}` | ConfigMap entries. |",
    ]


def test_replace_table_keeps_the_rest_of_the_readme() -> None:
    readme = f"# Title\n\n{START}\nold\n{END}\n\nfooter\n"
    assert replace_table(readme, "new") == f"# Title\n\n{START}\nnew\n{END}\n\nfooter\n"
    with pytest.raises(DocsError):
        replace_table("# no markers\n", "new")


def test_check_fails_on_a_stale_table_and_docs_fixes_it(tmp_path: Path, chart_dir: Path) -> None:
    chart = tmp_path / "chart"
    chart.mkdir()
    shutil.copy(chart_dir / "values.yaml", chart / "values.yaml")
    shutil.copy(chart_dir / "differences.yaml", chart / "differences.yaml")
    (chart / "README.md").write_text(f"# x\n{DIFFERENCES_START}\n{DIFFERENCES_END}\n{START}\n{END}\n")
    args = ["--chart", str(chart)]
    assert main(["docs", "--check", *args], out=io.StringIO(), err=io.StringIO()) == 1
    assert main(["docs", *args], out=io.StringIO(), err=io.StringIO()) == 0
    assert main(["docs", "--check", *args], out=io.StringIO(), err=io.StringIO()) == 0
    readme = (chart / "README.md").read_text()
    assert "`controller.kind`" in readme
    assert "| Chart version | `4.15.1` |" in readme


def test_check_fails_when_the_differences_file_changes(tmp_path: Path, chart_dir: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(chart_dir, chart, ignore=shutil.ignore_patterns("ci", "templates"))
    args = ["--chart", str(chart)]
    assert main(["docs", "--check", *args], out=io.StringIO(), err=io.StringIO()) == 0
    differences = chart / "differences.yaml"
    differences.write_text(differences.read_text().replace("area: Chart version", "area: Release line"))
    assert main(["docs", "--check", *args], out=io.StringIO(), err=io.StringIO()) == 1
    assert main(["docs", *args], out=io.StringIO(), err=io.StringIO()) == 0
    assert "| Release line |" in (chart / "README.md").read_text()


def test_committed_readme_table_is_current(chart_dir: Path) -> None:
    err = io.StringIO()
    assert main(["docs", "--check", "--chart", str(chart_dir)], out=io.StringIO(), err=err) == 0, err.getvalue()
