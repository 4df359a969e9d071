"""The chart's templates keep one labels helper: no template writes a standard label itself."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "charts" / "ingress-nginx" / "templates"
LABELS_HOME = TEMPLATES / "_helpers.tpl"
# A line that writes a standard label as YAML (`app.kubernetes.io/<name>: ...`); the key
# named inside a string (e.g. in a list of keys the chart owns) is not a label block.
LABEL_LINE = re.compile(r"^\s*app\.kubernetes\.io/[a-z-]+:")


def test_only_the_shared_helpers_write_standard_labels() -> None:
    writers = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path != LABELS_HOME
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LABEL_LINE.match(line)
    ]
    assert writers == [], "use ingress-nginx.componentLabels / componentSelectorLabels (templates/_helpers.tpl)"


def test_the_shared_helpers_do_write_them() -> None:
    assert any(LABEL_LINE.match(line) for line in LABELS_HOME.read_text(encoding="utf-8").splitlines())
