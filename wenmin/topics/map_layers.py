"""The map's layers: a registry, so that another app (projects) adds its own later.

A layer is a key, a label and `points_for(user, filters)` returning the points that viewer may
see: dicts with `lat`, `lng` (WGS-84), `name`, `url` (what a click opens) and optionally
`value` (a weight for the heat layer). `filters` is the map's parsed filter (MapFilter's
cleaned data). The cases and hotspots layers are this app's own (registered in apps.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Points = Callable[[Any, dict[str, Any]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Layer:
    key: str
    label: str | Promise
    points_for: Points
    visible: Callable[[Any], bool]
    order: int


_LAYERS: dict[str, Layer] = {}


def layer_register(
    key: str,
    label: str | Promise,
    points_for: Points,
    *,
    visible: Callable[[Any], bool] = lambda user: True,
    order: int = 50,
) -> None:
    """Add (or replace) a map layer: `points_for(user, filters)` answers only what user may see."""
    _LAYERS[key] = Layer(key, label, points_for, visible, order)


def layers_for(user: Any) -> list[Layer]:
    """The layers a viewer may switch on, in order."""
    shown = [layer for layer in _LAYERS.values() if layer.visible(user)]
    return sorted(shown, key=lambda layer: (layer.order, layer.key))
