"""Where the apps that need a verified resident send one who is not (yet)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def verify_url(next_path: str) -> str:
    """The phone verification page, coming back to `next_path` (a local path) after."""
    return f"{reverse('residents:verify')}?{urlencode({'next': next_path})}"
