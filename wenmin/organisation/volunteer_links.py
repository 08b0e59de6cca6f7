"""Links other apps put at the top of a volunteer's home (/volunteer/), so the organisation app
imports none of them (volunteers: "my activities, hours and certificate"). Register from the
app's AppConfig.ready():

    volunteer_links.volunteer_link_register("volunteers:me", _("…"), _("what it is for"))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from wenmin.core import nav


@dataclass(frozen=True)
class VolunteerLink:
    url_name: str
    label: Any  # lazy translations
    help: Any


VOLUNTEER_LINKS: dict[str, VolunteerLink] = {}


def volunteer_link_register(url_name: str, label: Any, help: Any) -> None:
    """A card on the volunteer's home leading to a page (shown to those who may open it)."""
    VOLUNTEER_LINKS[url_name] = VolunteerLink(url_name=url_name, label=label, help=help)


def volunteer_links_for(user: Any) -> list[tuple[Any, str, Any]]:
    """(label, address, help) of the registered links this viewer may open."""
    links = []
    for link in VOLUNTEER_LINKS.values():
        if nav.may_open(user, link.url_name):
            try:
                links.append((link.label, reverse(link.url_name), link.help))
            except NoReverseMatch:
                continue
    return links
