"""Run the project's own settings in a subprocess, from an environment built from nothing.

The test run's settings (config.settings_test, the development switch, a broker, a
database) never leak in: only what a process needs to start, then what the test names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SECRET_KEY = "x" * 20 + "a-long-random-production-secret-key-for-the-check"


def clean_environment(**variables: str) -> dict[str, str]:
    """PATH and the locale, config.settings, and the given variables; nothing else."""
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR")
            if name in os.environ}
    return {**kept, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}


def production_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """What a production deployment sets, except the seal (the test adds it or not)."""
    return clean_environment(**{
        "DJANGO_SECRET_KEY": PRODUCTION_SECRET_KEY,
        "DOCUMENTS_ENCRYPTION_KEY": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
        "CACHE_URL": "redis://127.0.0.1:6379/3",
        "DJANGO_ALLOWED_HOSTS": "guichet.example.tg",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",  # named, never contacted
        "DOCUMENT_VERIFICATION_BASE_URL": "https://guichet.example.tg",
        "DOCUMENT_SIGNING_DEV_DIR": str(tmp_path / "var" / "signing"),
        **variables,
    })


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def read_settings(*names: str, env: dict[str, str]) -> dict:
    """The named settings as the process with `env` sees them (JSON-encodable values)."""
    script = (
        "import json, sys, django; from django.conf import settings; django.setup(); "
        "json.dump({name: getattr(settings, name, None) for name in sys.argv[1:]}, "
        "sys.stdout, default=str)"
    )
    result = subprocess.run([sys.executable, "-c", script, *names], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
