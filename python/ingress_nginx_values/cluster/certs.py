"""Certificates and keys of a throwaway control plane, made with the openssl CLI.

The `cryptography` package is not a dependency of this project, and openssl is on
every machine that runs the cluster tests. EC P-256 keys are used throughout:
they take a few milliseconds to generate where RSA takes a few hundred.
"""
from __future__ import annotations

import ipaddress
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Long enough for a kept demo cluster, short enough to be obviously throwaway.
VALIDITY_DAYS = 7


class OpensslMissing(RuntimeError):
    """The openssl executable is not on PATH."""


@dataclass(frozen=True)
class KeyPair:
    cert: Path
    key: Path


def _openssl() -> str:
    found = shutil.which("openssl")
    if found is None:
        raise OpensslMissing("openssl is not installed (needed to create the local control plane's certificates)")
    return found


def _run(args: list[str]) -> None:
    result = subprocess.run([_openssl(), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args[:2])} failed: {result.stderr.strip()}")


def _subject(common_name: str, organizations: tuple[str, ...]) -> str:
    return "".join(f"/O={org}" for org in organizations) + f"/CN={common_name}"


def _san(names: tuple[str, ...]) -> str:
    entries = []
    for name in names:
        try:
            ipaddress.ip_address(name)
            entries.append(f"IP:{name}")
        except ValueError:
            entries.append(f"DNS:{name}")
    return "subjectAltName=" + ",".join(entries)


@dataclass(frozen=True)
class CertificateAuthority:
    """A self-signed CA in `directory` that issues leaf certificates next to it."""

    directory: Path
    pair: KeyPair

    @classmethod
    def create(cls, directory: Path, common_name: str = "local-control-plane-ca") -> CertificateAuthority:
        directory.mkdir(parents=True, exist_ok=True)
        pair = KeyPair(directory / "ca.crt", directory / "ca.key")
        _run([
            "req", "-x509", "-new", "-nodes",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(pair.key), "-out", str(pair.cert),
            "-days", str(VALIDITY_DAYS), "-subj", f"/CN={common_name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
        ])
        return cls(directory, pair)

    def issue(
        self,
        name: str,
        common_name: str,
        *,
        organizations: tuple[str, ...] = (),
        server_names: tuple[str, ...] = (),
    ) -> KeyPair:
        """A leaf certificate: a server certificate when it has names, else a client one."""
        pair = KeyPair(self.directory / f"{name}.crt", self.directory / f"{name}.key")
        usage = "serverAuth" if server_names else "clientAuth"
        args = [
            "req", "-x509", "-new", "-nodes",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-CA", str(self.pair.cert), "-CAkey", str(self.pair.key),
            "-keyout", str(pair.key), "-out", str(pair.cert),
            "-days", str(VALIDITY_DAYS), "-subj", _subject(common_name, organizations),
            "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "keyUsage=critical,digitalSignature",
            "-addext", f"extendedKeyUsage={usage}",
        ]
        if server_names:
            args += ["-addext", _san(server_names)]
        _run(args)
        return pair


def service_account_keys(directory: Path) -> KeyPair:
    """The key pair that signs ServiceAccount tokens (cert = the public key here)."""
    pair = KeyPair(directory / "sa.pub", directory / "sa.key")
    _run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(pair.key)])
    _run(["pkey", "-in", str(pair.key), "-pubout", "-out", str(pair.cert)])
    return pair
