"""Fixed-window request counters in the shared cache (Redis in production).

One counter per rule, client and window: `cache.add` creates it with the window's lifetime,
`cache.incr` counts, both atomic on Redis, so every web process shares the count. A client
is the signed-in user when there is one (many people share one address behind a mobile
operator's NAT), else the address the trusted proxies report (accounts.client_ip).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from dataclasses import dataclass

from django.core.cache import cache

from accounts.client_ip import client_ip

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """"10/m" (ten a minute), "5/15m" (five per quarter hour), "100/h", "1000/d"."""
    match = _RATE.match(text or "")
    if not match or int(match[1]) < 1:
        raise ValueError(f"Bad rate: {text!r}")
    count, multiple, unit = match.groups()
    return Rate(limit=int(count), seconds=int(multiple or 1) * _UNITS[unit])


def client_identity(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def hit(*, scope: str, identity: str, rate: Rate, now: float | None = None) -> int | None:
    """Count one request; None when it is allowed, else the seconds until the window ends.

    When the cache cannot be reached the request is allowed (and logged): a broken cache
    must not take the service down with it.
    """
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    digest = hashlib.sha256(f"{scope}|{identity}".encode()).hexdigest()[:32]
    key = f"security:rl:{rate.seconds}:{window}:{digest}"
    try:
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            cache.add(key, 1, timeout=rate.seconds + 1)
            count = 1
    except Exception:
        logger.warning("Rate limit cache unavailable; request allowed", exc_info=True)
        return None
    if count <= rate.limit:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))
