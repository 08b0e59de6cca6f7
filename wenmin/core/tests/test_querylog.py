"""Batch jobs keep no debug log of their queries, whatever DEBUG says."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import override_settings

from wenmin.core.querylog import query_log_off
from wenmin.organisation.models import Region


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_inside_the_block_no_query_is_kept_and_afterwards_the_log_is_back() -> None:
    connection.queries_log.clear()
    Region.objects.count()
    assert len(connection.queries) == 1
    with query_log_off():
        for _ in range(5):
            Region.objects.count()
        assert connection.queries == []
    Region.objects.count()
    assert len(connection.queries) == 2  # the log kept before the block, and the new one
