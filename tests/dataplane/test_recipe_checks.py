"""The recipe refuses archives that are absent or differ from their pinned sha256,
naming the file, before anything is built from them."""
from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
from pathlib import Path

from dataplane.support import pinned_sources
from paths import ROOT

LIB = ROOT / "tools" / "dataplane" / "lib.sh"
HEADER = "name\tversion\trepository\tcommit\tfile\tsha256\tlicense\n"


def _archive(path: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = b"hello\n"
        info = tarfile.TarInfo("demo-1.0/README")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _unpack(third_party: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    script = f'here={LIB.parent}; third_party={third_party}; source {LIB}; dp_unpack demo {dest}'
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, check=False)


def _pin(third_party: Path, sha: str) -> None:
    (third_party / "SOURCES.tsv").write_text(HEADER + f"demo\t1.0\thttps://example.invalid/demo\tabc\tdemo-1.0.tar.gz\t{sha}\tMIT\n")


def test_pinned_archive_unpacks(tmp_path: Path) -> None:
    content = _archive(tmp_path / "demo-1.0.tar.gz")
    _pin(tmp_path, hashlib.sha256(content).hexdigest())
    result = _unpack(tmp_path, tmp_path / "src")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "src" / "demo" / "README").read_text() == "hello\n"


def test_changed_archive_is_refused_by_name(tmp_path: Path) -> None:
    _archive(tmp_path / "demo-1.0.tar.gz")
    _pin(tmp_path, "0" * 64)
    result = _unpack(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert f"{tmp_path}/demo-1.0.tar.gz has sha256" in result.stderr and "pins " + "0" * 64 in result.stderr
    assert not (tmp_path / "src").exists()


def test_absent_archive_is_named(tmp_path: Path) -> None:
    _pin(tmp_path, "0" * 64)
    result = _unpack(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert f"{tmp_path}/demo-1.0.tar.gz is missing" in result.stderr


def test_unpinned_source_is_named(tmp_path: Path) -> None:
    (tmp_path / "SOURCES.tsv").write_text(HEADER)
    result = _unpack(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "has no row for 'demo'" in result.stderr


def _dataplane_key(third_party: Path) -> str:
    script = f'here={LIB.parent}; third_party={third_party}; source {LIB}; dp_dataplane_key'
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_cache_key_follows_the_pins_it_uses(tmp_path: Path) -> None:
    pinned = pinned_sources(ROOT)
    (tmp_path / "SOURCES.tsv").write_text(pinned)
    key = _dataplane_key(tmp_path)
    # A row the recipe does not use leaves the cache valid...
    (tmp_path / "SOURCES.tsv").write_text(pinned + "unused\t1\thttps://example.invalid\tabc\tunused-1.tar.gz\t" + "0" * 64 + "\tMIT\n")
    assert _dataplane_key(tmp_path) == key
    # ...a changed pin of one it uses means a new build.
    rows = pinned.splitlines(keepends=True)
    nginx = next(i for i, row in enumerate(rows) if row.startswith("nginx\t"))
    rows[nginx] = rows[nginx].replace("1.27.1", "1.27.2")
    (tmp_path / "SOURCES.tsv").write_text("".join(rows))
    assert _dataplane_key(tmp_path) != key
