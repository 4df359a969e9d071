"""Upstream 4.15.1 and this chart render the same objects for every corpus case,
except where charts/ingress-nginx/differences.yaml records why."""
from __future__ import annotations

import pytest

from ingress_nginx_values.object_diff import MISSING
from ingress_nginx_values.parity import ParityReport
from parity.corpus import SampleData, key_cases, repository_corpus, upstream_keys
from paths import UPSTREAM_VALUES

MIN_CASES = 400
CASES = repository_corpus()


def _shown(value: object) -> str:
    if value is MISSING:
        return "<absent>"
    if isinstance(value, dict) and "kind" in value:
        return "<the whole object>"
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."


def describe(report: ParityReport) -> str:
    lines = [f"  ours refused, no differences.yaml entry names it: {item.message}" for item in report.unexplained_refusals]
    lines += [
        f"  {item.change.object} {item.change.field or '(object)'}: upstream {_shown(item.change.upstream)}, "
        f"ours {_shown(item.change.ours)}"
        for item in report.undocumented
    ]
    return "\n".join(lines)


def test_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= MIN_CASES
    assert len({case.key for case in CASES}) == len(CASES)


def test_every_upstream_key_has_a_case() -> None:
    keys = upstream_keys(UPSTREAM_VALUES)
    ids = {case.id for case in CASES}
    covered = {case.id.split("#")[0].removeprefix("key:") for case in key_cases(keys, SampleData.load())}
    assert covered == {key.dotted for key in keys}
    # A key case may coincide with another case's values; it is then rendered under that id.
    assert len(ids) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_matches_upstream(parity_run, case) -> None:  # type: ignore[no-untyped-def]
    report = parity_run.reports[case.id]
    upstream_refusals = [item for item in report.refusals if item.chart == "upstream"]
    assert not upstream_refusals, f"the corpus case is not valid for upstream either: {upstream_refusals[0].message}"
    assert report.documented_ok, f"differences no entry of differences.yaml explains:\n{describe(report)}"


def test_every_difference_is_exercised(parity_run) -> None:  # type: ignore[no-untyped-def]
    used = set().union(*(report.used for report in parity_run.reports.values()))
    unused = [entry.id for entry in parity_run.differences.entries if entry.id not in used]
    assert not unused, f"differences.yaml entries no corpus case shows (remove them or fix their values): {unused}"
