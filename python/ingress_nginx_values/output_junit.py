"""Lint findings as JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub actions) read.

One test case per values file (so a clean run still lists what it checked); an
error finding is a <failure> of its file's case, and so is a warning under
--strict. Without --strict, warnings go to the case's <system-out>.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .findings import Finding

SUITE = "ingress-nginx-values lint"


def junit_report(findings: Sequence[Finding], files: Sequence[str], *, strict: bool) -> str:
    names = list(dict.fromkeys([*files, *(item.file for item in findings)]))
    suite = ET.Element("testsuite", name=SUITE)
    failures = 0
    for name in names:
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=name)
        notes = []
        for item in (found for found in findings if found.file == name):
            # Most messages already open with their path; say it once.
            said = item.message if item.message.startswith(item.path) else f"{item.path}: {item.message}"
            text = f"{said} [{item.rule}]"
            if item.severity == "error" or strict:
                failure = ET.SubElement(case, "failure", message=item.message, type=item.rule)
                failure.text = f"{item.severity}: {text}"
                failures += 1
            else:
                notes.append(f"warning: {text}")
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    suite.set("tests", str(len(names)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode")
