"""The time the domain acts at.

Services ask `clock.now()` for "the time of the action" (deadlines, submission times).
`clock.replay(at)` lets a script replay a contest's history at its historical times, as the
demo does; the audit log always records the real wall-clock time instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("baiqau_clock_override", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


@contextmanager
def replay(at: datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("clock.replay() needs an aware datetime")
    token = _override.set(at)
    try:
        yield
    finally:
        _override.reset(token)
