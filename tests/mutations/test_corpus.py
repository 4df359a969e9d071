"""Every case of the seeded bad-values corpus is refused by Helm at its values path,
or accepted with every object valid for the API server; the linter agrees with Helm."""
from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from conftest import RenderCache
from ingress_nginx_values.cluster.dry_run import ServerDryRun
from ingress_nginx_values.findings import PathPart, dotted, parse_dotted
from ingress_nginx_values.lint import Linter
from ingress_nginx_values.rendering import DEFAULT_NAMESPACE, DEFAULT_RELEASE, RenderError
from ingress_nginx_values.values_loading import MergedValues
from ingress_nginx_values.values_mutations import KINDS, Mutation
from manifests import Manifests
from mutations.conftest import CORPUS, MINIMUM_CASES, ObjectProblems

TRACE_MARKERS = ("nil pointer", "error calling", 'executing "', "<.Values", "%!")
CASES = {case.case_id: case for case in CORPUS}


def pointer(path: Sequence[PathPart]) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in path)


def names_path(message: str, path: Sequence[PathPart], kind: str) -> bool:
    """Helm names a value `at '/a/b'` (or something below it), a key `at '/a': ... 'b'`;
    the chart's `fail`s start with the dotted path or name it as the value to change. An unknown key in an object that
    takes no keys at all (maxProperties 0) is reported at that object."""
    here, parent = pointer(path), pointer(path[:-1]) if len(path) > 1 else ""
    for line in message.splitlines():
        if f"at '{here}'" in line or f"at '{here}/" in line:
            return True
        if f"at '{parent}'" in line and (f"'{path[-1]}'" in line or kind == "unknown-key"):
            return True
        if "execution error at (" in line and dotted(path) in line:
            return True  # a `fail` starts with its path, or names the value to change (pairs, computed names)
    return False


def test_corpus_is_large_and_covers_every_kind() -> None:
    assert len(CORPUS) >= MINIMUM_CASES
    assert {case.kind for case in CORPUS} == set(KINDS)
    assert len({case.base for case in CORPUS}) > 1


def outcome(render_cache: RenderCache, case: Mutation) -> Manifests | RenderError:
    return render_cache.outcome(case.values, release=DEFAULT_RELEASE, namespace=DEFAULT_NAMESPACE)


@pytest.mark.parametrize("case_id", list(CASES))
def test_refused_at_its_path_or_schema_valid(case_id: str, render_cache: RenderCache, object_problems: ObjectProblems) -> None:
    case = CASES[case_id]
    result = outcome(render_cache, case)
    if isinstance(result, RenderError):
        for marker in TRACE_MARKERS:
            assert marker not in result.message, f"a template trace, not a refusal:\n{result.message}"
        assert names_path(result.message, case.path, case.kind), f"Helm did not name {dotted(case.path)}:\n{result.message}"
        return
    # Go renders a value it could not format as `%!s(<nil>)`, and a nil as `<nil>`, instead of failing.
    rendered = json.dumps(result.objects)
    assert "%!" not in rendered and "<nil>" not in rendered, f"a Go formatting marker in the objects of {case_id}"
    problems = [problem for obj in result.objects for problem in object_problems.of(obj)]
    assert not problems, "Helm accepted values whose objects the strict schemas refuse:\n" + "\n".join(problems)


def test_accepted_cases_pass_server_dry_run(render_cache: RenderCache, dry_run: ServerDryRun) -> None:
    """Every object of every accepted case, created with dryRun=All on the local API server."""
    accepted = [(case, result) for case in CORPUS if not isinstance(result := outcome(render_cache, case), RenderError)]
    assert accepted, "no case of the corpus was accepted, so the dry-run checked nothing"
    problems = [
        f"{case.case_id}: {obj['kind']} {obj['metadata']['name']}: {refused}"
        for case, result in accepted
        for obj in result.objects
        if (refused := dry_run.refusal(obj, DEFAULT_NAMESPACE)) is not None
    ]
    assert not problems, f"{len(problems)} objects of accepted values are refused by the API server:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("case_id", list(CASES))
def test_linter_agrees_with_helm(case_id: str, render_cache: RenderCache, linter: Linter) -> None:
    case = CASES[case_id]
    user = MergedValues()
    user.add(case.values, "values.yaml")
    errors = [item for item in linter.lint_values([linter.context(DEFAULT_RELEASE, user)]) if item.severity == "error"]
    result = outcome(render_cache, case)
    if not isinstance(result, RenderError):
        assert errors == [], f"Helm accepts the values but the linter reports {[(e.path, e.message) for e in errors]}"
        return
    assert errors, f"Helm refuses the values but the linter reports no error:\n{result.message}"
    for finding in errors:
        assert finding.path in result.message or names_path(result.message, parse_dotted(finding.path) if finding.path else (), "value"), (
            f"the linter reports {finding.path!r}, which Helm's refusal does not name:\n{result.message}"
        )
