"""A Celery worker whose certificate runs stall once their PDF is on storage, so a test can
kill the worker at the worst moment: bytes written, their rows not committed.

Run as `python -m tests.integration.stalling_worker worker ...` with STALL_DIR set: the
STALL_ON-th certificate written by a pool process stalls (it writes STALL_DIR/stalled with
its pid and the file's name) until the process is killed. Without STALL_DIR, or once
STALL_DIR/killed exists, the worker is an ordinary one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _install_stall() -> None:
    from documents import issuing

    folder = Path(os.environ["STALL_DIR"])
    stall_on = int(os.environ.get("STALL_ON", "2"))
    write_bytes = issuing.write_bytes
    written = {"count": 0}

    def stalling_write_bytes(**kwargs):
        result = write_bytes(**kwargs)
        written["count"] += 1
        if written["count"] == stall_on and not (folder / "killed").exists():
            (folder / "stalled").write_text(f"{os.getpid()} {result.name}")
            time.sleep(120)  # killed long before this ends
        return result

    issuing.write_bytes = stalling_write_bytes


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    if os.environ.get("STALL_DIR"):
        _install_stall()  # before the pool forks: every pool process inherits it
    from config.celery import app

    app.worker_main(sys.argv[1:])


if __name__ == "__main__":
    main()
