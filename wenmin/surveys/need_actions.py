"""Links other apps add to a need on the visit's page, so the surveys app imports none of them
(deeds: "record as a practical deed" for a need solved on the spot). Register from the app's
AppConfig.ready():

    from wenmin.surveys import need_actions
    need_actions.need_action_register("deeds:from_need", _("…"), url_for)

`url_for(user, need)` returns the link's address, or None where it does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UrlFor = Callable[[Any, Any], "str | None"]  # (the viewer, the need) -> address or None


@dataclass(frozen=True)
class NeedAction:
    key: str
    label: Any  # a lazy translation
    url_for: UrlFor


NEED_ACTIONS: dict[str, NeedAction] = {}


def need_action_register(key: str, label: Any, url_for: UrlFor) -> None:
    """A link next to a need, shown where `url_for` gives an address."""
    NEED_ACTIONS[key] = NeedAction(key=key, label=label, url_for=url_for)


def need_actions_for(user: Any, need: Any) -> list[tuple[Any, str]]:
    """(label, address) of the links that apply to this viewer and need, in registration order."""
    links = []
    for action in NEED_ACTIONS.values():
        url = action.url_for(user, need)
        if url:
            links.append((action.label, url))
    return links
