"""The sections of a resident's own page ("mine"): each app registers its own from its
AppConfig.ready(), so the residents app imports none of them (inquiry: my bookings; councils: my
supports; cases: my reports).

    from wenmin.residents import mine
    mine.section_register("inquiry:my_bookings", _("My bookings"), 20, bookings_count)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

CountFn = Callable[[Any], int]  # the signed-in User -> how many records the section lists
ShownFn = Callable[[Any], bool]  # the signed-in User -> whether the section is theirs at all


@dataclass(frozen=True)
class Section:
    url_name: str
    label: Any  # a lazy translation
    order: int
    count_fn: CountFn | None
    shown_fn: ShownFn | None = None


@dataclass(frozen=True)
class SectionRow:
    """One section as the page shows it: its label, its page and how many records it holds."""

    label: Any
    url: str
    url_name: str
    count: int | None


_SECTIONS: dict[str, Section] = {}


def section_register(
    url_name: str,
    label: Any,
    order: int,
    count_fn: CountFn | None = None,
    shown_fn: ShownFn | None = None,
) -> None:
    """A section of the resident's own page: a link to `url_name` (a page without path
    parameters) and, when given, the number of the viewer's records it lists. With `shown_fn`,
    only viewers it says yes to see the section (a party member's meetings: members only), so
    the page never links to a page that would refuse the viewer."""
    _SECTIONS[url_name] = Section(
        url_name=url_name, label=label, order=order, count_fn=count_fn, shown_fn=shown_fn
    )


def sections_for(user: Any) -> list[SectionRow]:
    """Every registered section with the viewer's count, in order (one count query each)."""
    rows = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.url_name)):
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        if section.shown_fn is not None and not section.shown_fn(user):
            continue
        count = section.count_fn(user) if section.count_fn is not None else None
        rows.append(
            SectionRow(label=section.label, url=url, url_name=section.url_name, count=count)
        )
    return rows
