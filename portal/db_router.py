"""Sends the dashboards' and exports' reads to a read replica when DATABASE_REPLICA_URL is set.

Only reads made inside `use_replica()` go there; everything else, and in particular every read
inside a transition (which must see the row it locked), uses the primary. Code opts in
explicitly, so a read that needs fresh data can never land on a lagging replica by accident.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
REPLICA = "replica"


@contextmanager
def use_replica():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view):
    """For a dashboard view: its reads (the template's included) go to the replica. The session
    and the user are read by middleware, outside the view, so they stay on the primary."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with use_replica():
            return view(*args, **kwargs)

    return wrapped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def on_replica(queryset):
    """A long read that may be a moment behind (an export), pinned to the replica when there is
    one. Pinned with using(), not use_replica(): a streamed response or a task runs its query
    after any context has closed."""
    return queryset.using(REPLICA) if replica_configured() else queryset


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
