"""A second factor for the roles WENMIN_REQUIRE_2FA names; off in the demo."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenmin.core.models import AuditEvent
from wenmin.testing import PASSWORD

VERIFY = reverse("privacy:second_factor_verify")
ENROL = reverse("privacy:second_factor_enrol")


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.WENMIN_REQUIRE_2FA = ["administrator", "county_leader"]


def _login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _enrol(client: Client, username: str) -> list[str]:
    page = client.get(ENROL)
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(ENROL, {"token": _code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


@pytest.mark.parametrize("username", ["admin", "leader"])
def test_a_required_role_reaches_no_staff_page_without_its_second_factor(
    county, required, username
):
    client = _login(username)
    for url in ("/cases/", "/org/", "/audit/", "/privacy/access/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    assert client.get("/api/v1/cases").status_code in (401, 403)
    # With no authenticator yet, the way in is to set one up.
    assert client.get(VERIFY)["Location"].startswith(ENROL)


def test_enrolment_shows_the_qr_code_once_and_gives_recovery_codes(county, required):
    client = _login("admin")
    codes = _enrol(client, "admin")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases/").status_code == 200  # verified in this session
    again = client.get(ENROL)
    assert again.status_code == 302 and "data:image" not in again.content.decode()
    assert AuditEvent.objects.filter(
        action="account.2fa_enrol", actor=county.administrator
    ).exists()


def test_the_next_login_asks_for_the_code_and_refuses_a_wrong_one(county, required):
    codes = _enrol(_login("admin"), "admin")
    device = TOTPDevice.objects.get(user=county.administrator, confirmed=True)
    client = _login("admin")
    assert client.get("/cases/")["Location"] == f"{VERIFY}?next=%2Fcases%2F"
    wrong = client.post(VERIFY, {"token": "000000", "next": "/cases/"})
    assert wrong.status_code == 400 and client.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(action="account.2fa_failed").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp makes the next try wait after a failure
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(VERIFY, {"token": _code(device, drift=1), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    # A recovery code works once, in place of the app's code.
    other = _login("admin")
    assert other.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert other.get("/cases/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    third = _login("admin")
    assert third.post(VERIFY, {"token": codes[0]}).status_code == 400


def test_the_administrator_resets_a_lost_second_factor(county, required):
    _enrol(_login("leader"), "leader")
    admin = _login("admin")
    _enrol(admin, "admin")
    response = admin.post(reverse("privacy:accounts"), {"account": county.leader.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=county.leader).exists()
    assert not StaticToken.objects.filter(device__user=county.leader).exists()
    assert AuditEvent.objects.get(action="account.2fa_reset").target_id == str(county.leader.pk)
    leader = _login("leader")
    assert leader.get(VERIFY)["Location"].startswith(ENROL)  # enrols again


def test_a_role_not_named_needs_no_second_factor(county, required):
    assert _login("qingshi").get("/cases/").status_code == 200


def test_with_the_setting_off_every_login_works_with_its_password_alone(county, settings):
    settings.WENMIN_REQUIRE_2FA = []
    for username in ("admin", "leader", "qingshi", "zhujian", "secretary"):
        client = _login(username)
        home = client.get("/", follow=True)
        assert home.status_code == 200 and VERIFY not in home.redirect_chain[-1][0], username


def test_only_the_administrator_resets(county, required):
    client = _login("qingshi")
    assert (
        client.post(reverse("privacy:accounts"), {"account": county.leader.pk}).status_code == 403
    )
