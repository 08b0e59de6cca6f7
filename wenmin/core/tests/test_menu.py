"""The menu every app registers into: what each role sees is distinct and opens."""

from __future__ import annotations

from collections import Counter

from django.test import Client
from django.utils import translation

from wenmin.core import nav
from wenmin.testing import CaseDesk

ACCOUNTS = (
    "administrator",
    "leader",
    "township_clerk",
    "department_clerk",
    "branch_secretary",
    "volunteer",
    "resident",
)


def test_no_role_sees_two_menu_entries_with_the_same_name(desk: CaseDesk) -> None:
    """Two apps' entries that read the same (我的志愿服务 twice, 惠民工程 beside the public
    list of the same projects) leave a user guessing which is which."""
    users = [getattr(desk.county, name) for name in ACCOUNTS] + [desk.dispatcher]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for user in users:
                labels = Counter(str(label) for label, _url, _name in nav.menu_for(user))
                twice = [label for label, n in labels.items() if n > 1]
                assert not twice, f"{user.username} ({language}): {twice}"


def test_staff_have_the_register_not_the_public_list_in_their_menu(desk: CaseDesk) -> None:
    names = {name for _label, _url, name in nav.menu_for(desk.county.leader)}
    assert "projects:home" in names and "projects:public_list" not in names
    assert "projects:public_list" in {name for *_rest, name in nav.menu_for(desk.county.resident)}
    client = Client()
    client.force_login(desk.county.leader)
    assert client.get("/projects/public/").status_code == 200  # still opens for staff
