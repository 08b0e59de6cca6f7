"""A username longer than any account's is refused by the form, never recorded by axes (whose
column holds 255 characters: PostgreSQL answered 500, found by the junk walker)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_too_long_username_is_refused_without_a_recorded_attempt(client):  # type: ignore[no-untyped-def]
    answer = client.post(reverse("login"), {"username": "测" * 300, "password": "x"})
    assert answer.status_code == 200
    assert answer.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
