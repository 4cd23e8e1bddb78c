"""An automatic check for the worker-killed test: the first run stalls so it can be killed."""

from __future__ import annotations

import os
import time
from pathlib import Path


def slow_then_fast(*, case, task) -> str:
    folder = Path(os.environ["KILL_TEST_DIR"])
    if not (folder / "killed").exists():
        (folder / "started").write_text(str(os.getpid()))
        time.sleep(60)  # killed long before this ends
    return "ok"
