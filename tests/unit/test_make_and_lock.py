"""`make help` cannot drift from the Makefile, and requirements.lock pins every dependency exactly."""
from __future__ import annotations

import re
import subprocess
import tomllib

from paths import ROOT


def phony_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    found: set[str] = set()
    for line in re.findall(r"^\.PHONY:(.*)$", text, re.MULTILINE):
        found.update(line.split())
    return found


def test_make_help_lists_every_target_and_keep() -> None:
    out = subprocess.run(["make", "-s", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    listed = set(re.findall(r"^\s+make (\S+)", out, re.MULTILINE))
    assert listed == phony_targets()
    assert "KEEP=1" in out


def test_every_phony_target_has_a_recipe_or_prerequisites() -> None:
    text = (ROOT / "Makefile").read_text()
    for target in phony_targets():
        assert re.search(rf"^{re.escape(target)}:", text, re.MULTILINE), f"{target} is declared but not defined"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_lock_pins_every_dependency_exactly_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(item) for item in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(item) for item in extra}
    lock = (ROOT / "requirements.lock").read_text()
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock, re.MULTILINE)
    pinned = {name.lower().replace("_", "-") for name, _ in entries}
    assert wanted <= pinned, f"not in requirements.lock (run make lock): {sorted(wanted - pinned)}"
    requirement_lines = [line for line in lock.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    assert all("==" in line for line in requirement_lines), "every lock entry is an exact version"
    blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", lock, flags=re.MULTILINE)[1:]
    assert all("--hash=sha256:" in block for block in blocks), "every lock entry carries its hashes"
