"""tools/install.sh: builds once per pin into the per-machine cache, links clones to
it, rebuilds only what a changed pin names, and builds only a group's tools.

The tools here are script-built (`tools/NAME.sh`), so no Go build runs: each
script counts its runs in a file."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from paths import ROOT

SCRIPT = """#!/usr/bin/env bash
set -euo pipefail
out=$1; shift
echo run >>"$(dirname "$0")/../runs-$(basename "$0" .sh)"
printf '#!/bin/sh\\necho %s\\n' "$*" >"$out"
chmod +x "$out"
"""


def clone(tmp: Path, name: str, versions: str) -> Path:
    repo = tmp / name
    (repo / "tools").mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "install.sh", repo / "tools" / "install.sh")
    (repo / "tools" / "versions.env").write_text(versions)
    for tool in ("alpha", "beta"):
        (repo / "tools" / f"{tool}.sh").write_text(SCRIPT)
    return repo


def install(repo: Path, cache: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess[str]:
    # The test's own CI=true must not leak in: each test says which side it checks.
    env = {**{k: v for k, v in os.environ.items() if k != "CI"}, "XDG_CACHE_HOME": str(cache)}
    if ci:
        env["CI"] = "true"
    return subprocess.run(["bash", str(repo / "tools" / "install.sh"), *args], env=env, capture_output=True,
                          text=True, check=False, timeout=60)


def runs(repo: Path, tool: str) -> int:
    path = repo / f"runs-{tool}"
    return len(path.read_text().splitlines()) if path.exists() else 0


VERSIONS = "alpha one\nbeta two\ngroup first: alpha\n"


def test_second_clone_links_the_cached_build(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = clone(tmp_path, "first", VERSIONS)
    assert install(first, cache).returncode == 0
    second = clone(tmp_path, "second", VERSIONS)
    result = install(second, cache)
    assert result.returncode == 0, result.stderr
    assert (runs(first, "alpha"), runs(second, "alpha")) == (1, 0)
    linked = second / ".tools" / "bin" / "alpha"
    assert linked.is_symlink() and str(linked.resolve()).startswith(str(cache / "ingress-nginx-chart" / "tools" / "alpha"))
    assert subprocess.run([str(linked)], capture_output=True, text=True, check=True).stdout == "one\n"


def test_changed_pin_rebuilds_only_that_tool(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    repo = clone(tmp_path, "repo", VERSIONS)
    install(repo, cache)
    (repo / "tools" / "versions.env").write_text(VERSIONS.replace("alpha one", "alpha uno"))
    assert install(repo, cache).returncode == 0
    assert (runs(repo, "alpha"), runs(repo, "beta")) == (2, 1)
    assert subprocess.run([str(repo / ".tools" / "bin" / "alpha")], capture_output=True, text=True).stdout == "uno\n"


def test_group_builds_only_its_tools(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS)
    assert install(repo, tmp_path / "cache", "first").returncode == 0
    assert (runs(repo, "alpha"), runs(repo, "beta")) == (1, 0)
    assert not (repo / ".tools" / "bin" / "beta").exists()


def test_unknown_group_or_tool_is_refused(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS)
    result = install(repo, tmp_path / "cache", "gamma")
    assert result.returncode == 2
    assert "gamma is neither a tool nor a group" in result.stderr


def test_failed_build_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    repo = clone(tmp_path, "repo", VERSIONS)
    (repo / "tools" / "beta.sh").write_text("#!/usr/bin/env bash\necho broken >&2\nexit 1\n")
    result = install(repo, cache)
    assert result.returncode == 1
    assert "building beta failed" in result.stderr and "broken" in result.stderr
    assert not list((cache / "ingress-nginx-chart" / "tools").glob("beta/*/beta"))


def test_every_group_names_pinned_tools() -> None:
    pins, groups = set(), {}
    for line in (ROOT / "tools" / "versions.env").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("group "):
            name, members = line[len("group "):].split(":", 1)
            groups[name] = members.split()
        elif not line.startswith("optional "):
            pins.add(line.split()[0])
    assert {"demo", "test"} <= set(groups)
    assert {member for members in groups.values() for member in members} <= pins
    assert set(groups["test"]) == pins, "make test builds every pinned tool"


def test_a_build_of_the_old_layout_is_taken_into_the_cache(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS)
    bin_dir, stamps = repo / ".tools" / "bin", repo / ".tools" / "stamps"
    bin_dir.mkdir(parents=True)
    stamps.mkdir()
    (bin_dir / "alpha").write_text("#!/bin/sh\necho old\n")
    (bin_dir / "alpha").chmod(0o755)
    # The old installer's stamp: the pin, a space, then the link flags (none here).
    (stamps / "alpha").write_text("one \n")
    result = install(repo, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "alpha taken into the cache" in result.stderr
    assert (runs(repo, "alpha"), runs(repo, "beta")) == (0, 1)
    assert subprocess.run([str(bin_dir / "alpha")], capture_output=True, text=True).stdout == "old\n"


ABSENT = "#!/usr/bin/env bash\necho 'no beta source on this machine' >&2\nexit 4\n"


def test_unavailable_optional_tool_is_named_and_the_rest_installed(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS + "optional beta: the beta tests skip\n")
    (repo / "tools" / "beta.sh").write_text(ABSENT)
    (repo / ".tools" / "bin").mkdir(parents=True)
    # A link left by an earlier install must not outlive the tool's unavailability.
    (repo / ".tools" / "bin" / "beta").symlink_to(tmp_path / "stale")
    result = install(repo, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "unavailable: beta (no beta source on this machine): the beta tests skip" in result.stderr
    assert (repo / ".tools" / "bin" / "alpha").exists()
    assert not (repo / ".tools" / "bin" / "beta").is_symlink()


def test_unavailable_tool_fails_under_ci(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS + "optional beta: the beta tests skip\n")
    (repo / "tools" / "beta.sh").write_text(ABSENT)
    result = install(repo, tmp_path / "cache", ci=True)
    assert result.returncode == 1
    assert "unavailable: beta (no beta source on this machine): the beta tests skip; CI=true" in result.stderr


def test_only_an_optional_tool_may_be_unavailable(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS)
    (repo / "tools" / "beta.sh").write_text(ABSENT)
    result = install(repo, tmp_path / "cache")
    assert result.returncode == 1
    assert "building beta failed" in result.stderr and "unavailable" not in result.stderr


def test_optional_names_a_script_built_tool(tmp_path: Path) -> None:
    repo = clone(tmp_path, "repo", VERSIONS + "gamma example.com/gamma@v1\noptional gamma: nothing\n")
    result = install(repo, tmp_path / "cache", "alpha")
    assert result.returncode == 2
    assert "only a script-built tool" in result.stderr
