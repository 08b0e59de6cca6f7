"""Staff's in-app notifications: the count in every staff page's header opens the list, unread
ones marked and each linking to its case; one or all marked read, only the viewer's own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.core.models import InAppNotification

PAGE = reverse("messaging:notifications")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _note(user, subject: str, case_id=None, read: bool = False) -> InAppNotification:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return InAppNotification.objects.create(
        user=user,
        subject=subject,
        text="请及时签收。",
        case_id=case_id,
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def clerk(county):  # type: ignore[no-untyped-def]
    return county.township_clerk


def test_the_header_count_links_to_the_page(clerk):
    _note(clerk, "新诉求待签收")
    _note(clerk, "已读的", read=True)
    page = _client(clerk).get(reverse("cases:workbench")).content.decode()
    assert f'href="{PAGE}"' in page and "1 条未读通知" in page


def test_the_page_lists_unread_first_marked_with_links_to_cases(clerk):
    unread = _note(clerk, "新诉求 A 待签收", case_id=4242)
    _note(clerk, "提醒 B", read=True)
    page = _client(clerk).get(PAGE).content.decode()
    assert "新诉求 A 待签收" in page and "提醒 B" in page
    assert reverse("cases:case_detail", args=[4242]) in page
    assert f'data-notification="{unread.pk}"' in page
    assert page.count('"link">标为已读</button>') == 1  # only the unread one offers it


def test_the_unread_filter_shows_only_unread(clerk):
    _note(clerk, "新诉求 A")
    _note(clerk, "旧提醒 B", read=True)
    page = _client(clerk).get(PAGE, {"unread": "1"}).content.decode()
    assert "新诉求 A" in page and "旧提醒 B" not in page


def test_an_empty_list_says_what_will_come(clerk):
    page = _client(clerk).get(PAGE).content.decode()
    assert "还没有通知" in page
    assert "没有未读通知" in _client(clerk).get(PAGE, {"unread": "1"}).content.decode()


def test_marking_one_read(clerk):
    first, second = _note(clerk, "A"), _note(clerk, "B")
    answer = _client(clerk).post(reverse("messaging:notification_read", args=[first.pk]))
    assert answer.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_nobody_marks_another_accounts_notification(clerk, county):
    theirs = _note(county.other_township_clerk, "别人的")
    _client(clerk).post(reverse("messaging:notification_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "别人的" not in _client(clerk).get(PAGE).content.decode()


def test_marking_all_read(clerk, county):
    _note(clerk, "A")
    _note(clerk, "B")
    theirs = _note(county.other_township_clerk, "别人的")
    answer = _client(clerk).post(reverse("messaging:notifications_read_all"), follow=True)
    assert "已将 2 条通知标为已读" in answer.content.decode()
    assert not InAppNotification.objects.filter(user=clerk, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(clerk):
    note = _note(clerk, "A")
    assert (
        _client(clerk).get(reverse("messaging:notification_read", args=[note.pk])).status_code
        == 405
    )


def test_residents_and_visitors_have_no_notifications_page(county):
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert _client(county.resident).get(PAGE).status_code == 403


def test_the_list_costs_the_same_queries_for_many_notifications(
    clerk, django_assert_max_num_queries
):
    client = _client(clerk)
    for i in range(3):
        _note(clerk, f"N{i}", case_id=i + 1)
    client.get(PAGE)
    with django_assert_max_num_queries(12) as few:
        client.get(PAGE)
    for i in range(30):
        _note(clerk, f"M{i}", case_id=i + 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)
