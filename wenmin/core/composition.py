"""How each app plugs its demo data and its figures into the top-level commands (`wenmin seed`,
`wenmin stats`) without a lower app importing a higher one.

An app's AppConfig may define any of:

- ``demo_seed(*, seed: int, now: datetime, progress: bool) -> list[str]``: write the app's demo
  data on top of the demo county (the organisation is loaded first); the lines to print.
- ``demo_finish(*, progress: bool) -> list[str]``: run once every app's demo data is written (the
  scoreboard counts what the others bulk-inserted).
- ``stats() -> dict[str, Any]``: the app's figures for ``wenmin stats --json``, merged into the
  top level of its output.
- ``reference_data``: the data migrations that write the county's starting lists (care
  categories, need types), as "module:function" names; `reference_data_again()` runs them once
  more, for tests after a transactional test emptied every table.

The hooks run in the order of INSTALLED_APPS, which already puts an app after the ones it builds on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps


def app_hooks(name: str) -> list[Callable[..., Any]]:
    """Every installed app's hook called `name`, in the order of INSTALLED_APPS."""
    hooks = []
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if callable(hook):
            hooks.append(hook)
    return hooks


def demo_compose(*, seed: int, now: Any, progress: bool) -> list[str]:
    """Every app's demo data, then every app's finishing step; the lines they report."""
    lines: list[str] = []
    for hook in app_hooks("demo_seed"):
        lines += hook(seed=seed, now=now, progress=progress)
    for hook in app_hooks("demo_finish"):
        lines += hook(progress=progress)
    return lines


def stats_compose() -> dict[str, Any]:
    """Every app's figures, each under its own top-level keys."""
    figures: dict[str, Any] = {}
    for hook in app_hooks("stats"):
        figures.update(hook())
    return figures


def reference_data_again() -> None:
    """Write every app's starting lists again (each data migration is idempotent)."""
    import importlib

    for config in apps.get_app_configs():
        for name in getattr(config, "reference_data", ()):
            module, function = name.split(":")
            getattr(importlib.import_module(module), function)(apps, None)
