"""The cache as something that only ever saves work: `from_cache(operation, default)` runs an
operation on Django's cache, and if the cache does not answer (Redis down or hung: its socket
timeouts in settings.CACHES bound the wait) gives `default` and leaves the cache alone for
CACHE_RESTS_FOR in this process, so that a stopped Redis costs one timeout, not one a call.
Nothing that goes through it is lost without the cache; it is only worked out again."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_RESTS_FOR = 30.0  # seconds without the cache after it failed to answer
_cache_rests_until = 0.0


def from_cache(operation: Callable[[], T], default: T) -> T:
    """`operation()` on the cache, or `default` if the cache does not answer."""
    global _cache_rests_until
    if time.monotonic() < _cache_rests_until:
        return default
    try:
        return operation()
    except Exception:
        logger.warning("The cache did not answer; doing without it for %s s", CACHE_RESTS_FOR)
        _cache_rests_until = time.monotonic() + CACHE_RESTS_FOR
        return default
