"""Reading from the database's read replica: only where the code asks, with one helper.

Production may name a PostgreSQL streaming replica (DATABASE_REPLICA_URL, config/settings.py
database_settings); config.routers.ReplicaRouter then sends a read to it only inside
`reading_replica()`, a context manager that also decorates a function:

    with reading_replica():
        page = selectors.search_register(filters)

The replica may be seconds behind the primary, so it serves only reads whose result may lag
and that nothing written in the same request depends on: the public register's search and
company pages, the open-data export, the back-office dashboards. Nothing that decides
(payments, decisions, the name check of a new filing) reads it, nor a queue, nor a task page.
Wrap the selector's call and return evaluated results (lists, not querysets): a queryset
evaluated after the block reads the primary. Writes always go to the primary, and a read made
while the primary's connection is in a transaction reads the primary (the transaction may
hold rows of its own). Without a replica, or without the router, the helper changes nothing.

It lives here, in the lowest package the register and the workflow engine both import, as
config imports the apps (a helper in config would close an import cycle).
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar, Token

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


class reading_replica(ContextDecorator):
    """Reads inside go to the replica when there is one (see the module's docstring)."""

    def __init__(self) -> None:
        self._tokens: list[Token] = []

    def _recreate_cm(self) -> reading_replica:
        return type(self)()  # a decorated function's calls, in any thread, each their own

    def __enter__(self) -> reading_replica:
        self._tokens.append(_reading_replica.set(True))
        return self

    def __exit__(self, *exc) -> None:
        _reading_replica.reset(self._tokens.pop())


def replica_requested() -> bool:
    """True inside `reading_replica()`."""
    return _reading_replica.get()
