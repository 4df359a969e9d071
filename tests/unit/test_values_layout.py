"""values.yaml stays readable: lines under 120 columns, hints laid out one way, named strings."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ingress_nginx_values.values_loading import coalesce_with_defaults
from ingress_nginx_values.values_schema import ValuesSchema
from ingress_nginx_values.schema_hint_format import WIDTH, format_hint, format_values
from ingress_nginx_values.values_annotations import AnnotationError, parse_annotations

VALUES = Path(__file__).resolve().parents[2] / "charts" / "ingress-nginx" / "values.yaml"


def test_every_values_line_is_under_120_columns() -> None:
    long_lines = [
        f"line {number}: {len(line)} columns"
        for number, line in enumerate(VALUES.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > WIDTH
    ]
    assert long_lines == []


def test_values_hints_are_laid_out_by_the_formatter() -> None:
    text = VALUES.read_text(encoding="utf-8")
    assert format_values(text) == text, "run python -m ingress_nginx_values.schema_hint_format on values.yaml"


def test_formatter_keeps_short_hints_on_one_line_and_breaks_long_ones() -> None:
    assert format_hint({"minimum": 1}, "  ") == ['  # @schema {"minimum": 1}']
    long_hint = {"properties": {name: {"type": "string", "description": "x" * 40} for name in ("a", "b", "c")}}
    lines = format_hint(long_hint, "    ")
    assert lines[0] == "    # @schema"
    assert lines[1] == "    # {"
    assert lines[3] == '    #     "a": {"type": "string", "description": "' + "x" * 40 + '"},'
    assert all(len(line) <= WIDTH for line in lines)
    text = "# -- Key.\n" + "\n".join(line[4:] for line in lines) + "\nkey: {}\n"
    assert parse_annotations(text)[("key",)].schema == long_hint


DEFINES = """\
# @schema-define port-name
#   "^[a-z]"
#   "[a-z0-9-]*$"

# -- Ports by name.
# @schema {"patternProperties": {"@port-name": {"type": "integer"}}, "items": ["@port-name", "@not a name"]}
ports: {}
"""


def test_named_strings_are_the_concatenation_of_their_parts() -> None:
    schema = parse_annotations(DEFINES)[("ports",)].schema
    assert schema == {
        "patternProperties": {"^[a-z][a-z0-9-]*$": {"type": "integer"}},
        "items": ["^[a-z][a-z0-9-]*$", "@not a name"],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('# -- Text.\n# @schema {"pattern": "@missing"}\nkey: ""\n',
                     "line 2: @schema of key names @missing, which no `# @schema-define` defines", id="undefined"),
        pytest.param('# @schema-define a\n#   "x"\n# @schema-define a\n#   "y"\n', "line 3", id="defined-twice"),
        pytest.param('# @schema-define a\n#   ["x"]\n', "line 2: part of @schema-define a must be a JSON string",
                     id="part-not-string"),
        pytest.param('# @schema-define a\n#   "@b"\n# @schema-define b\n#   "x"\n',
                     "line 2: part of @schema-define a names @b, which no earlier", id="part-names-later-define"),
        pytest.param('# @schema-define a\n#   "@a"\n', "line 2: part of @schema-define a names @a", id="part-names-itself"),
        pytest.param('# @schema-define a\n#   "x\n', "line 2: part of @schema-define a is not a JSON string",
                     id="part-not-json"),
    ],
)
def test_reader_refuses_bad_named_strings(text: str, message: str) -> None:
    with pytest.raises(AnnotationError) as caught:
        parse_annotations(text)
    assert message in str(caught.value)


# The keys whose shape a reader cannot guess from `{}` or `[]`: each has an `# Example:`.
KEYS_WITH_EXAMPLES = [
    "controller.config", "controller.networkPolicy.webhookFrom", "controller.networkPolicy.metricsFrom",
    "controller.extraArgs", "controller.extraEnvs", "controller.tolerations", "controller.affinity",
    "controller.topologySpreadConstraints", "controller.nodeSelector", "controller.podAnnotations",
    "controller.autoscaling.behavior", "controller.keda.triggers", "controller.service.annotations",
    "controller.extraContainers", "controller.extraVolumeMounts", "controller.extraVolumes",
    "controller.extraInitContainers", "controller.admissionWebhooks.certManager",
    "controller.metrics.serviceMonitor.relabelings", "controller.metrics.serviceMonitor.metricRelabelings",
    "tcp", "udp",
]


def _examples() -> dict[str, tuple[tuple[str, ...], str]]:
    annotations = parse_annotations(VALUES.read_text(encoding="utf-8"))
    return {".".join(path): (path, note.example) for path, note in annotations.items() if note.example}


def test_complex_keys_have_examples() -> None:
    assert sorted(set(KEYS_WITH_EXAMPLES) - set(_examples())) == []


@pytest.mark.parametrize("dotted", sorted(_examples()))
def test_example_is_valid_values_at_its_key(dotted: str) -> None:
    path, example = _examples()[dotted]
    written = yaml.safe_load(example)
    assert isinstance(written, dict) and list(written) == [path[-1]], "an example starts with its own key"
    user: dict[str, Any] = written
    for parent in reversed(path[:-1]):
        user = {parent: user}
    defaults = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    values = coalesce_with_defaults(defaults, user)
    schema = ValuesSchema.from_chart(VALUES.parent)
    assert schema is not None
    assert [issue for issue in schema.issues(values)] == []


def test_a_define_part_may_name_an_earlier_define() -> None:
    text = ('# @schema-define core\n#   "[0-9]+"\n\n# @schema-define wrapped\n#   "^(|"\n#   "@core"\n#   ")$"\n\n'
            '# -- Number or nothing.\n# @schema {"pattern": "@wrapped"}\nkey: ""\n')
    assert parse_annotations(text)[("key",)].schema == {"pattern": "^(|[0-9]+)$"}


def test_reader_keeps_the_example_apart_from_the_description() -> None:
    text = "# -- Tolerations.\n# Example:\n#   tolerations:\n#     - key: a\n# @schema {\"items\": {}}\ntolerations: []\n"
    note = parse_annotations(text)[("tolerations",)]
    assert (note.description, note.example, note.schema) == ("Tolerations.", "tolerations:\n  - key: a", {"items": {}})
    with pytest.raises(AnnotationError, match="line 3: tolerations: one example, after the description"):
        parse_annotations("# -- Tolerations.\n# @schema {}\n# Example:\n#   tolerations: []\ntolerations: []\n")
