"""Where the records behind a figure of a cadre's dossier are listed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from wenmin.core import dossier


def figure_url(person_id: int, section_key: str, figure: dossier.Figure, year: int) -> str:
    """The figure's own page when it has one, else the dossier's list of the rows it counts."""
    if figure.url:
        return figure.url
    url = reverse("frontline:records", args=[person_id, section_key, figure.key])
    return f"{url}?{urlencode({'year': year})}"
