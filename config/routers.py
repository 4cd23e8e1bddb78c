"""Database routing: the primary ("default") for everything, the read replica ("replica")
for the reads that ask for it (workflows.replica.reading_replica).

Installed by config/settings.py only when DATABASE_REPLICA_URL is set. Reads go to the
replica only inside the helper, when the alias exists and the primary's connection is not in
a transaction (a user reads their own writes); every write goes to the primary, even of an
object read from the replica; migrations run on the primary only (the replica copies them).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from workflows.replica import REPLICA, replica_requested

_ALIASES = {DEFAULT_DB_ALIAS, REPLICA}


def replica_alias() -> str:
    """The alias a read goes to now: the replica inside reading_replica(), else default."""
    if (replica_requested() and REPLICA in connections.settings
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return replica_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        if obj1._state.db in _ALIASES and obj2._state.db in _ALIASES:
            return True  # one database, two connections to it
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
