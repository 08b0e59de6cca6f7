"""The cached deadline overrides: shared by every server, and never served after a change."""

from __future__ import annotations

from django.core.cache import cache

from wenmin.cases.deadlines import Limit
from wenmin.cases.services import policy
from wenmin.cases.services.config import deadline_override_save


def _callback() -> Limit | None:
    return policy.policy_current().callback_override


def test_the_overrides_are_read_once_then_from_the_cache(db, django_assert_num_queries):
    assert _callback() is None
    with django_assert_num_queries(0):
        assert _callback() is None


def test_a_change_is_seen_at_once(db):
    assert _callback() is None
    deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
    assert _callback() == Limit(9, "working_days")


def test_overrides_read_just_before_a_change_are_not_served_after_it(db):
    """A server that read the old overrides just before the change committed, and caches them
    just after, files them under the old generation: nobody reads those any more."""
    assert _callback() is None
    old_generation = policy._generation()
    stale = cache.get(policy._CACHE_KEY % old_generation)
    deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
    cache.set(policy._CACHE_KEY % old_generation, stale)
    assert _callback() == Limit(9, "working_days")


def test_the_generation_moves_again_when_the_change_commits(db, django_capture_on_commit_callbacks):
    _callback()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
        during = policy._generation()
    assert callbacks and policy._generation() > during


def test_a_lost_generation_starts_from_a_number_never_used(db):
    assert _callback() is None
    generation = policy._generation()
    deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
    cache.delete(policy._GENERATION_KEY)  # evicted, or a Redis restarted without its data
    assert policy._generation() > generation + 1
    assert _callback() == Limit(9, "working_days")
