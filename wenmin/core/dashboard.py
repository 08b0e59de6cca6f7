"""Figures other apps add to the staff's home page (the workbench), so core and cases import none
of them (deeds: the county's running total of practical deeds). Register from AppConfig.ready():

    from wenmin.core import dashboard
    dashboard.tile_register("deeds:total", _("Practical deeds"), 10, figure_for)

`figure_for(user)` returns (count, address of the list of exactly those records), or None where
the viewer may not see it. Every figure links to its list, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FigureFor = Callable[[Any], "tuple[int, str] | None"]


@dataclass(frozen=True)
class Tile:
    key: str
    label: Any  # a lazy translation
    order: int
    figure_for: FigureFor


_TILES: dict[str, Tile] = {}


def tile_register(key: str, label: Any, order: int, figure_for: FigureFor) -> None:
    """A figure on the staff's home page, shown where `figure_for` gives one."""
    _TILES[key] = Tile(key=key, label=label, order=order, figure_for=figure_for)


def tiles_for(user: Any) -> list[tuple[str, Any, int, str]]:
    """(key, label, count, address) of the figures this viewer sees, in order."""
    shown = []
    for tile in sorted(_TILES.values(), key=lambda t: (t.order, t.key)):
        figure = tile.figure_for(user)
        if figure is not None:
            shown.append((tile.key, tile.label, figure[0], figure[1]))
    return shown
