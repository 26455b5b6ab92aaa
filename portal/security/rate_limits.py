"""Counting requests per key in the cache: the public pages' limits (a letter's code, a worker's
approval). With REDIS_URL the count is shared by every process and node; without, each process
counts its own, which still slows a guesser down by the number of processes at most."""

from __future__ import annotations

from django.core.cache import cache


def over_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Counts one more request for `key` in a window of `seconds` (from the key's first request);
    True once more than `limit` came in that window."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr: a new window
        cache.add(key, 1, timeout=seconds)
        return False
