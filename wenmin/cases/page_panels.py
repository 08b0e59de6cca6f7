"""Panels other apps add to the case page, so the cases app imports none of them (insight:
"suggested kind, category and unit; likely duplicates"). Register from AppConfig.ready():

    from wenmin.cases import page_panels
    page_panels.case_page_panel_register("insight:suggestions", panel_for)

`panel_for(user, case)` returns (template name, context) or None where it does not apply; the
template is included in the case page with the page's own context plus `panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PanelFor = Callable[[Any, Any], "tuple[str, dict[str, Any]] | None"]

CASE_PAGE_PANELS: dict[str, PanelFor] = {}


def case_page_panel_register(key: str, panel_for: PanelFor) -> None:
    """A panel on the case page, shown where `panel_for` gives a template and its context."""
    CASE_PAGE_PANELS[key] = panel_for


def case_page_panels_for(user: Any, case: Any) -> list[dict[str, Any]]:
    """[{"key", "template", "panel"}] of the panels that apply, in registration order."""
    panels = []
    for key, panel_for in CASE_PAGE_PANELS.items():
        found = panel_for(user, case)
        if found is not None:
            template, context = found
            panels.append({"key": key, "template": template, "panel": context})
    return panels
