"""Links other apps add to the case page, so the cases app imports none of them (councils:
"make this suggestion a village proposal"). Register from the app's AppConfig.ready():

    from wenmin.cases import page_actions
    page_actions.case_page_action_register("councils:promote", _("…"), url_for)

`url_for(user, case)` returns the link's address, or None where it does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UrlFor = Callable[[Any, Any], "str | None"]  # (the viewer, the case) -> address or None


@dataclass(frozen=True)
class CasePageAction:
    key: str
    label: Any  # a lazy translation
    url_for: UrlFor


CASE_PAGE_ACTIONS: dict[str, CasePageAction] = {}


def case_page_action_register(key: str, label: Any, url_for: UrlFor) -> None:
    """A link on the case page, shown where `url_for` gives an address."""
    CASE_PAGE_ACTIONS[key] = CasePageAction(key=key, label=label, url_for=url_for)


def case_page_actions_for(user: Any, case: Any) -> list[tuple[Any, str]]:
    """(label, address) of the links that apply to this viewer and case, in registration order."""
    links = []
    for action in CASE_PAGE_ACTIONS.values():
        url = action.url_for(user, case)
        if url:
            links.append((action.label, url))
    return links
