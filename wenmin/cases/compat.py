"""A work-around for django-tasks 0.9/0.10 on Python 3.11 and 3.12 (upstream issue #223, fixed by
pull request #222 after 0.10): the backends build `TaskResult[T](...)`, and `typing` then sets
`__orig_class__` on the frozen, slotted dataclass, whose generated `__setattr__` fails with a
TypeError instead of the AttributeError `typing` ignores. Every enqueue and every task the
database worker runs would fail. Remove this module once django-tasks is upgraded past the fix.
"""

from __future__ import annotations

from typing import Any


def _refusing_orig_class(setattr_: Any) -> Any:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if name == "__orig_class__":
            raise AttributeError(name)  # a slotted instance has nowhere to keep it anyway
        setattr_(self, name, value)

    __setattr__.wenmin_patched = True  # type: ignore[attr-defined]
    return __setattr__


def task_results_patch() -> None:
    """Make the task result classes refuse `__orig_class__` the way `typing` expects."""
    from django_tasks.backends.database.backend import TaskResult as DatabaseTaskResult
    from django_tasks.base import TaskResult

    for cls in (TaskResult, DatabaseTaskResult):
        if not getattr(cls.__setattr__, "wenmin_patched", False):
            cls.__setattr__ = _refusing_orig_class(cls.__setattr__)  # type: ignore[method-assign]
