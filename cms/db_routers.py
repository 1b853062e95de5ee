"""Reading heavy analytics from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only code inside `reads_from_replica()` reads from the "replica" alias: the impact report's panel
(enterprises.impact) and the read phase of the network metrics (enterprises.network). Everything
else reads from "default", on purpose:
- a replica lags by a moment, so a user who has just saved something and reads it back (their
  product, their order, the snapshot they asked for) must read the primary;
- the anonymous page cache (cms.page_cache) keeps a rendered page until a save bumps its version;
  a page rendered from a lagging replica after that bump would be stored with the old data and
  served until the next save or PAGE_CACHE_SECONDS.
The reports wrapped here compute on data that is months old by design and key their own cache on
a data version read from the same replica, so lag only delays a report by that moment.

Writes always go to "default", and migrations run only there (the replica is a physical copy).
The flag is a ContextVar, so each thread and each asyncio task has its own.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_use_replica: ContextVar[bool] = ContextVar("guyub_reads_from_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (a context manager, or a decorator:
    `@reads_from_replica()`). Only for read-only work that tolerates a few seconds of lag."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Installed only when DATABASE_REPLICA_URL is set (cms.settings.base)."""

    def db_for_read(self, model, **hints) -> str:
        if _use_replica.get() and replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
