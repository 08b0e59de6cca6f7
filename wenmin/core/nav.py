"""Who may open which page, said once: the menu, tabs and landing pages ask the same predicates
the views enforce.

Each app registers its pages in its AppConfig.ready() (core knows no app): a page is a URL name
and the predicate its view checks; a menu entry is a registered page with a label. The base
template shows only the entries the viewer may open, so no menu item ever answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

Predicate = Callable[[Any], bool]  # a User or an AnonymousUser


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: Any  # a lazy translation
    order: int


_PAGES: dict[str, Predicate] = {}
_MENU: dict[str, MenuEntry] = {}
# The page each role starts on after logging in; staff roles and everyone else have a fallback.
_LANDING: dict[str, str] = {}


def page_register(url_name: str, predicate: Predicate) -> None:
    """Say who may open a page (the view must check the same predicate)."""
    _PAGES[url_name] = predicate


def menu_register(url_name: str, label: Any, order: int, predicate: Predicate) -> None:
    """A menu entry for a page, shown to those who may open it."""
    page_register(url_name, predicate)
    _MENU[url_name] = MenuEntry(url_name=url_name, label=label, order=order)


def landing_register(role: str, url_name: str) -> None:
    """The page a role lands on after logging in."""
    _LANDING[role] = url_name


def may_open(user: Any, url_name: str) -> bool:
    """Whether the viewer may open a registered page (unregistered pages: no)."""
    predicate = _PAGES.get(url_name)
    return bool(predicate is not None and predicate(user))


def menu_for(user: Any) -> list[tuple[Any, str, str]]:
    """(label, url, url name) of every menu entry the viewer may open, in order."""
    entries = sorted(_MENU.values(), key=lambda entry: (entry.order, entry.url_name))
    shown = []
    for entry in entries:
        if may_open(user, entry.url_name):
            try:
                shown.append((entry.label, reverse(entry.url_name), entry.url_name))
            except NoReverseMatch:
                continue
    return shown


def landing_for(user: Any) -> str:
    """The URL name of the viewer's home page, one they may open."""
    role = getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""
    url_name = _LANDING.get(role, "")
    if url_name and may_open(user, url_name):
        return url_name
    return _LANDING.get("", "portal:submit")
