"""Every role's first minutes: each lands on its own home, meets only menu items it may open, and
refused or missing pages come in the site's layout, in the viewer's language, with a way back."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.core import nav
from wenmin.testing import PASSWORD

ACTORS = (
    "administrator",
    "leader",
    "township_clerk",
    "department_clerk",
    "branch_secretary",
    "volunteer",
    "resident",
)
LANDING = {
    "administrator": "cases:workbench",
    "leader": "cases:workbench",
    "township_clerk": "cases:workbench",
    "department_clerk": "cases:workbench",
    "branch_secretary": "cases:workbench",
    "dispatcher": "cases:workbench",
    "volunteer": "volunteer:home",
    "resident": "residents:me",
}


def _user(desk, name):
    return desk.dispatcher if name == "dispatcher" else getattr(desk.county, name)


def _menu(response) -> list[str]:
    nav_html = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', response.content.decode(), re.S)
    assert nav_html, "every page has the main menu"
    return re.findall(r'href="([^"]+)"', nav_html.group(1))


@pytest.mark.parametrize("name", [*ACTORS, "dispatcher"])
def test_each_role_logs_in_to_its_own_home_and_every_menu_item_opens(desk, name):
    user = _user(desk, name)
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    home = response["Location"]
    if name in LANDING:
        assert home == reverse(LANDING[name])
    landing = client.get(home)
    assert landing.status_code == 200
    menu = _menu(landing)
    assert menu, "nobody lands on a page without a menu"
    for url in menu:
        assert client.get(url).status_code == 200, f"{name}: the menu item {url} must open"


def test_the_menu_hides_what_the_viewer_may_not_open(desk, client):
    c = desk.county
    for name in ("township_clerk", "department_clerk", "branch_secretary"):
        client.force_login(_user(desk, name))
        menu = _menu(client.get(reverse("cases:workbench")))
        assert reverse("cases:supervision") not in menu
        assert reverse("core:audit_log") not in menu
    client.force_login(c.branch_secretary)
    ranking = client.get(reverse("scoreboard:ranking")).content.decode()
    assert reverse("scoreboard:appeals") not in ranking
    assert client.get(reverse("scoreboard:appeals")).status_code == 403
    client.force_login(c.township_clerk)
    assert (
        reverse("scoreboard:appeals") in client.get(reverse("scoreboard:ranking")).content.decode()
    )
    client.force_login(c.leader)
    assert reverse("cases:supervision") in _menu(client.get(reverse("cases:workbench")))


def test_anonymous_visitors_start_at_the_portal(client, county):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("portal:submit")
    menu = _menu(client.get(reverse("portal:submit")))
    assert menu == [
        reverse("residents:me"),  # where a resident signs in with a code
        reverse("portal:submit"),
        reverse("inquiry:leaders"),  # a leader's reception days and mailbox
        reverse("councils:proposal_list"),
        reverse("projects:public_list"),  # the public-benefit projects' public pages
        reverse("portal:track_lookup"),
    ]


def test_the_page_registry_agrees_with_the_views(desk, client):
    """A page the menu would offer is a page the view opens, for every actor and entry."""
    for name in [*ACTORS, "dispatcher"]:
        user = _user(desk, name)
        client.force_login(user)
        for url_name in ("cases:supervision", "scoreboard:appeals", "organisation:excel_home"):
            status = client.get(reverse(url_name)).status_code
            assert (status == 200) == nav.may_open(user, url_name), (name, url_name, status)


def test_a_refused_page_is_in_the_layout_and_language_with_the_menu(client, desk, caplog):
    client.force_login(desk.county.volunteer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("cases:workbench"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "此页面或操作不对您的账号开放" in page
    assert reverse("volunteer:home") in _menu(response)
    assert 'href="/volunteer/"' in page  # the way home
    assert "Traceback" not in caplog.text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("cases:workbench")).content.decode()
    assert "not open to your account" in english


def test_a_missing_page_is_in_the_layout(client, desk):
    client.force_login(desk.county.township_clerk)
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "找不到页面" in page and reverse("cases:workbench") in _menu(response)


def test_a_refusal_is_one_log_line_without_a_traceback(client, desk):
    from wenmin.core.logs import RefusalsWithoutTraceback

    refused = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden", (), None)
    refused.status_code = 403
    try:
        raise PermissionError("no")
    except PermissionError:
        import sys

        refused.exc_info = sys.exc_info()
    RefusalsWithoutTraceback().filter(refused)
    assert refused.exc_info is None
    failed = logging.LogRecord("django.request", logging.ERROR, "", 0, "Error", (), None)
    failed.status_code = 500
    failed.exc_info = refused.exc_info or (None, None, None)
    assert RefusalsWithoutTraceback().filter(failed) is True


def test_a_server_error_page_is_in_the_layout(client, desk, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    from wenmin import urls

    urls.urlpatterns.append(path("__broken__/", broken))
    try:
        client.raise_request_exception = False
        client.force_login(desk.county.township_clerk)
        response = client.get("/__broken__/")
    finally:
        urls.urlpatterns.pop()
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错了" in page and reverse("cases:workbench") in page


def test_an_expired_form_says_so_in_the_layout(desk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.county.township_clerk)
    response = client.post(reverse("cases:case_new"), {})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_the_county_leader_sees_every_case_but_does_not_dispatch(desk, client):
    from wenmin.cases.queues import viewer_for
    from wenmin.cases.selectors import is_dispatcher

    leader = desk.county.leader
    assert not is_dispatcher(leader)
    assert "to_analyse" not in viewer_for(leader).queues
    client.force_login(leader)
    page = client.get(reverse("cases:workbench"), {"queue": "all"})
    assert page.status_code == 200


def test_the_volunteer_home_says_what_they_can_do(client, desk):
    client.force_login(desk.county.volunteer)
    page = client.get(reverse("volunteer:home")).content.decode()
    assert "青石镇党员义工队" in page and "政策宣讲" in page
    assert reverse("portal:submit") in page and reverse("portal:track_lookup") in page
    client.force_login(desk.county.resident)
    assert client.get(reverse("volunteer:home")).status_code == 403


def test_every_page_has_a_favicon(client, county):
    page = client.get(reverse("portal:submit")).content.decode()
    assert 'rel="icon" href="/static/wenmin/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/wenmin/favicon.svg"


def test_core_keeps_its_own_app_config():
    """wenmin.core's ready() registers the landing pages: Django must pick CoreConfig."""
    from django.apps import apps

    from wenmin.core.apps import CoreConfig

    assert type(apps.get_app_config("core")) is CoreConfig


def test_a_volunteer_follows_what_they_reported_for_a_resident(client, desk):
    from wenmin.cases.models import Case

    client.force_login(desk.county.volunteer)
    response = client.post(
        reverse("portal:submit"),
        {
            "content": "走访时孤寡老人反映屋顶漏雨，请帮忙修缮。",
            "kind": "help",
            "requester_name": "赵丽",
            "requester_phone": "18600004444",
            "address": "白沙村",
            "notice_read": "on",  # the volunteer told the resident what the notice says
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(content__startswith="走访时")
    assert case.requester == desk.county.resident_b and case.registered_by == desk.county.volunteer
    mine = client.get(reverse("portal:mine")).content.decode()
    assert case.number in mine or "屋顶漏雨" in mine
    assert reverse("portal:mine") in _menu(client.get(reverse("volunteer:home")))
    client.force_login(desk.county.resident)
    assert "屋顶漏雨" not in client.get(reverse("portal:mine")).content.decode()
