"""A test PKI (root, registry seal, a stranger's seal) and a test RFC 3161 TSA served over
HTTP on 127.0.0.1, so B-T timestamps go through the same client production uses."""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import tsp
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps import DummyTimeStamper

from documents import pki

SEAL_NAME = "Greffe du Tribunal de commerce de Lomé"
PASSPHRASE = "phrase-de-passe-de-test"
BASE_URL = "https://guichet.example.tg"


@dataclass(frozen=True)
class Pki:
    directory: Path

    def __truediv__(self, filename: str) -> Path:
        return self.directory / filename


def _write_authority(directory: Path, prefix: str, *, root_name: str, leaf_name: str,
                     usage: str, organization: str) -> None:
    root_key = pki.new_key()
    root = pki.issue(subject=pki.name(root_name, organization=organization), key=root_key,
                     usage="ca", days=3650)
    leaf_key = pki.new_rsa_key() if usage == "tsa" else pki.new_key()
    leaf = pki.issue(subject=pki.name(leaf_name, organization=organization), key=leaf_key,
                     issuer=root, issuer_key=root_key, usage=usage, days=730)
    (directory / f"{prefix}root.pem").write_bytes(pki.cert_pem(root))
    (directory / f"{prefix}{usage}.pem").write_bytes(pki.cert_pem(leaf))
    (directory / f"{prefix}{usage}-key.pem").write_bytes(pki.key_pem(leaf_key))
    if usage == "seal":
        (directory / f"{prefix}seal.p12").write_bytes(pki.pkcs12_bytes(
            key=leaf_key, certificate=leaf, chain=[root], passphrase=PASSPHRASE.encode()
        ))


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory) -> Pki:
    """root.pem / seal.pem / seal-key.pem / seal.p12: the registry's test seal;
    tsa-root.pem / tsa.pem / tsa-key.pem: the test TSA; stranger-*: someone else's seal."""
    directory = tmp_path_factory.mktemp("pki")
    _write_authority(directory, "", root_name="Racine de test du registre",
                     leaf_name=SEAL_NAME, usage="seal", organization="République togolaise")
    _write_authority(directory, "tsa-", root_name="Racine de test de l'horodatage",
                     leaf_name="Horodatage de test", usage="tsa",
                     organization="Autorité d'horodatage de test")
    _write_authority(directory, "stranger-", root_name="Racine d'un inconnu",
                     leaf_name="Greffe du Tribunal de commerce de Lomé",
                     usage="seal", organization="Faussaire SARL")
    return Pki(directory)


@pytest.fixture(autouse=True)
def sealing(settings, test_pki, tmp_path):
    """Every test here seals with the test PKI; nothing touches the repository's var/."""
    settings.DOCUMENT_SIGNER = "documents.signing.PadesSigner"
    settings.DOCUMENT_SIGNING_PKCS12 = ""
    settings.DOCUMENT_SIGNING_PASSPHRASE = ""
    settings.DOCUMENT_SIGNING_KEY = str(test_pki / "seal-key.pem")
    settings.DOCUMENT_SIGNING_CERT = str(test_pki / "seal.pem")
    settings.DOCUMENT_SIGNING_CHAIN = str(test_pki / "root.pem")
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = str(test_pki / "root.pem")
    settings.DOCUMENT_SIGNING_DEV_DIR = tmp_path / "var" / "signing"
    settings.DOCUMENT_TSA_URL = ""
    settings.DOCUMENT_TSA_TRUST_ROOTS = str(test_pki / "tsa-root.pem")
    settings.DOCUMENT_VERIFICATION_BASE_URL = BASE_URL
    return settings


class _TsaHandler(BaseHTTPRequestHandler):
    stamper: DummyTimeStamper
    requests: list

    def do_POST(self) -> None:
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(request).dump()
        self.requests.append(request)
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@dataclass
class Tsa:
    url: str
    requests: list


@pytest.fixture(scope="session")
def tsa_server(test_pki):
    """An RFC 3161 TSA on a free port of 127.0.0.1 (pyHanko's DummyTimeStamper answers)."""
    stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(test_pki / "tsa-tsa.pem")),
        tsa_key=load_private_key_from_pemder(str(test_pki / "tsa-tsa-key.pem"), passphrase=None),
    )
    requests: list = []
    handler = type("Handler", (_TsaHandler,), {"stamper": stamper, "requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Tsa(url=f"http://127.0.0.1:{server.server_port}/tsa", requests=requests)
    server.shutdown()
    server.server_close()


@pytest.fixture
def timestamping(sealing, tsa_server):
    sealing.DOCUMENT_TSA_URL = tsa_server.url
    return tsa_server


@pytest.fixture
def nss_db(tmp_path, test_pki) -> str:
    """A throwaway NSS database trusting the test root, for poppler's pdfsig."""
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        pytest.skip("poppler-utils (pdfsig) and libnss3-tools (certutil) are needed")
    directory = tmp_path / "nss"
    directory.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"],
                   check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{directory}", "-n", "racine-test",
                    "-t", "CT,C,C", "-i", str(test_pki / "root.pem")],
                   check=True, capture_output=True)
    return f"sql:{directory}"
