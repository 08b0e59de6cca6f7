"""A resident proves a phone with a one-time code and signs in with it, through the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.core import crypto
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Person
from wenmin.residents.models import OneTimeCode, VerifiedPhone
from wenmin.residents.selectors import verified_person
from wenmin.residents.testing import codes_sent, phone_verified
from wenmin.testing import SmallCounty

VERIFY = reverse("residents:verify")
ME = reverse("residents:me")
NEW_PHONE = "13900001234"
MINE = "/portal/mine/"


def send(client: Client, phone: str = NEW_PHONE, *, next_url: str = "", **extra: Any) -> Any:
    """Ask for a code; the response and the codes the SMS stub logged."""
    with codes_sent() as codes:
        response = client.post(
            VERIFY, {"action": "send", "phone": phone, "next": next_url}, **extra
        )
    setattr(response, "codes", codes)  # noqa: B010  (the test client's response type has no room)
    return response


def enter(client: Client, code: str, phone: str = NEW_PHONE, *, next_url: str = "") -> Any:
    return client.post(VERIFY, {"action": "verify", "phone": phone, "code": code, "next": next_url})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def signed_in(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


# --- success ---------------------------------------------------------------------------------


def test_a_new_resident_proves_a_phone_signs_in_and_lands_on_next(
    client: Client, county: SmallCounty
) -> None:
    sent = send(client, next_url=MINE)
    assert sent.status_code == 200
    assert len(sent.codes) == 1
    page = sent.content.decode()
    assert "139****1234" in page
    # The number typed rides along in the form, and nowhere else on the page.
    assert page.count(NEW_PHONE) == 1 and f'type="hidden" name="phone" value="{NEW_PHONE}"' in page
    assert 'name="code"' in page

    response = enter(client, sent.codes[0], next_url=MINE)

    assert response.status_code == 302 and response["Location"] == MINE
    user = User.objects.get(person__phone_digest=crypto.digest(NEW_PHONE))
    assert user.role == Role.RESIDENT and not user.has_usable_password()
    assert user.person is not None and user.person.is_resident
    assert signed_in(client) == user.pk
    assert verified_person(user=user) == user.person
    assert OneTimeCode.objects.get().used_at is not None


def test_a_resident_with_an_account_signs_in_to_it(client: Client, county: SmallCounty) -> None:
    sent = send(client, "186 0000 3333")
    response = enter(client, sent.codes[0], "18600003333")
    assert response.status_code == 302 and response["Location"] == ME  # a resident's home
    assert signed_in(client) == county.resident.pk
    assert User.objects.filter(role=Role.RESIDENT).count() == 1
    assert verified_person(user=county.resident) == county.resident_a


def test_a_known_resident_without_an_account_gets_one_on_their_person(
    client: Client, county: SmallCounty
) -> None:
    sent = send(client, "18600004444")
    enter(client, sent.codes[0], "18600004444")
    user = User.objects.get(person=county.resident_b)
    assert signed_in(client) == user.pk
    assert Person.objects.filter(phone_digest=crypto.digest("18600004444")).count() == 1


def test_a_signed_in_staff_account_verifies_its_own_phone_and_stays_itself(
    client: Client, county: SmallCounty
) -> None:
    secretary = county.branch_secretary  # her person's phone: 13812345678
    client.force_login(secretary)
    sent = send(client, "13812345678")
    response = enter(client, sent.codes[0], "13812345678", next_url=MINE)
    assert response.status_code == 302 and response["Location"] == MINE
    assert signed_in(client) == secretary.pk
    assert verified_person(user=secretary) == county.member_a


def test_the_code_appears_in_the_development_log_for_a_developer(
    client: Client, county: SmallCounty, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="wenmin.notify.sms"):
        sent = send(client)
    assert sent.codes[0] in caplog.text
    assert NEW_PHONE not in caplog.text and "139****1234" in caplog.text


# --- refusals ----------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_counted_and_the_right_one_still_works(
    client: Client, county: SmallCounty
) -> None:
    sent = send(client)
    response = enter(client, wrong(sent.codes[0]))
    assert response.status_code == 400
    assert "验证码不正确，还可以再试 4 次。" in response.content.decode()
    assert signed_in(client) is None
    assert not VerifiedPhone.objects.exists()
    assert not User.objects.filter(person__phone_digest=crypto.digest(NEW_PHONE)).exists()
    assert OneTimeCode.objects.get().attempts == 1
    assert enter(client, sent.codes[0]).status_code == 302


def test_five_wrong_tries_burn_the_code(client: Client, county: SmallCounty) -> None:
    sent = send(client)
    bad = wrong(sent.codes[0])
    for _ in range(4):
        assert enter(client, bad).status_code == 400
    fifth = enter(client, bad).content.decode()
    assert "错误次数过多" in fifth
    response = enter(client, sent.codes[0])
    assert response.status_code == 400
    assert "错误次数过多" in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 5
    assert signed_in(client) is None and not VerifiedPhone.objects.exists()


def test_an_expired_code_is_refused(client: Client, county: SmallCounty, settings: Any) -> None:
    settings.WENMIN_RESIDENT_CODE_MINUTES = 3
    sent = send(client)
    row = OneTimeCode.objects.get()
    assert row.expires_at - row.created_at == dt.timedelta(minutes=3)
    OneTimeCode.objects.update(expires_at=row.created_at - dt.timedelta(seconds=1))
    response = enter(client, sent.codes[0])
    assert response.status_code == 400
    assert "验证码已过期" in response.content.decode()
    assert signed_in(client) is None and not VerifiedPhone.objects.exists()
    assert not User.objects.filter(person__phone_digest=crypto.digest(NEW_PHONE)).exists()


def test_a_used_code_cannot_sign_in_again(client: Client, county: SmallCounty) -> None:
    sent = send(client)
    assert enter(client, sent.codes[0]).status_code == 302
    other = Client()
    response = enter(other, sent.codes[0])
    assert response.status_code == 400
    assert "验证码已使用过" in response.content.decode()
    assert signed_in(other) is None


def test_only_the_latest_code_counts(client: Client, county: SmallCounty, monkeypatch: Any) -> None:
    from wenmin.residents import services

    clock = [3600.0 * 500_000 + 1]
    monkeypatch.setattr("wenmin.core.ratelimit.time.time", lambda: clock[0])
    codes = iter(["111111", "222222"])
    monkeypatch.setattr(services, "_code_new", lambda: next(codes))
    assert send(client).codes == ["111111"]
    clock[0] += 61
    assert send(client).codes == ["222222"]
    assert enter(client, "111111").status_code == 400
    assert enter(client, "222222").status_code == 302


def test_a_code_never_sent_is_refused(client: Client, county: SmallCounty) -> None:
    response = enter(client, "123456")
    assert response.status_code == 400
    assert "未向该手机号发送过验证码" in response.content.decode()


@pytest.mark.parametrize("phone", ["12345", "0791-1234567", "", "1390000123a"])
def test_a_bad_phone_is_refused_and_nothing_is_saved(
    client: Client, county: SmallCounty, phone: str
) -> None:
    before = AuditEvent.objects.count()
    response = send(client, phone)
    assert response.status_code == 400
    assert response.codes == []
    assert not OneTimeCode.objects.exists()
    assert AuditEvent.objects.count() == before
    assert 'class="notice error"' in response.content.decode()


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "１２３４５６", ""])
def test_a_code_that_is_not_six_digits_is_refused_without_a_try(
    client: Client, county: SmallCounty, code: str
) -> None:
    send(client)
    response = enter(client, code)
    assert response.status_code == 400
    assert "请输入短信中的 6 位验证码" in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 0


def test_a_staff_phone_never_signs_in_to_the_staff_account(
    client: Client, county: SmallCounty
) -> None:
    sent = send(client, "13812345678")  # the branch secretary's phone
    response = enter(client, sent.codes[0], "13812345678")
    assert response.status_code == 400
    page = response.content.decode()
    assert "工作人员或志愿者账号" in page
    assert reverse("login") in page
    assert signed_in(client) is None
    assert not VerifiedPhone.objects.exists()
    assert not User.objects.filter(role=Role.RESIDENT, person=county.member_a).exists()
    # Logged in with her password, the same code proves her phone.
    client.force_login(county.branch_secretary)
    assert enter(client, sent.codes[0], "13812345678").status_code == 302
    assert verified_person(user=county.branch_secretary) == county.member_a


def test_a_volunteer_phone_does_not_sign_in_either(client: Client, county: SmallCounty) -> None:
    sent = send(client, "15811112222")
    assert enter(client, sent.codes[0], "15811112222").status_code == 400
    assert signed_in(client) is None


def test_a_signed_in_account_cannot_prove_another_phone(
    client: Client, county: SmallCounty
) -> None:
    client.force_login(county.resident)
    sent = send(client)
    response = enter(client, sent.codes[0])
    assert response.status_code == 400
    assert "不是您账号登记的手机号" in response.content.decode()
    assert signed_in(client) == county.resident.pk
    assert verified_person(user=county.resident) is None
    client.force_login(county.township_clerk)  # no person, no phone on record
    sent = send(client, "18600003333", REMOTE_ADDR="10.0.0.9")
    response = enter(client, sent.codes[0], "18600003333")
    assert "没有登记手机号" in response.content.decode()
    assert not VerifiedPhone.objects.exists()


def test_a_disabled_resident_account_is_not_signed_in(client: Client, county: SmallCounty) -> None:
    User.objects.filter(pk=county.resident.pk).update(is_active=False)
    sent = send(client, "18600003333")
    response = enter(client, sent.codes[0], "18600003333")
    assert response.status_code == 400 and "已停用" in response.content.decode()
    assert signed_in(client) is None


# --- next ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " /portal/mine/",
    ],
)
def test_next_goes_only_to_a_local_page(client: Client, county: SmallCounty, evil: str) -> None:
    sent = send(client, next_url=evil)
    assert evil not in sent.content.decode() or evil == " /portal/mine/"
    response = enter(client, sent.codes[0], next_url=evil)
    assert response.status_code == 302 and response["Location"] == ME
    assert client.get(VERIFY, {"next": evil})["Location"] == ME


def test_a_verified_resident_goes_straight_on(client: Client, county: SmallCounty) -> None:
    phone_verified(county.resident)
    client.force_login(county.resident)
    response = client.get(VERIFY, {"next": "/councils/"})
    assert response.status_code == 302 and response["Location"] == "/councils/"
    assert not OneTimeCode.objects.exists()


def test_an_unverified_resident_is_asked_for_the_phone(client: Client, county: SmallCounty) -> None:
    client.force_login(county.resident)
    response = client.get(VERIFY, {"next": "/councils/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="phone"' in page and 'value="/councils/"' in page


# --- the phone changes -------------------------------------------------------------------------


def test_a_changed_phone_is_no_longer_verified(client: Client, county: SmallCounty) -> None:
    sent = send(client, "18600003333")
    enter(client, sent.codes[0], "18600003333")
    resident = User.objects.get(pk=county.resident.pk)
    assert verified_person(user=resident) == county.resident_a
    org.person_update(actor=county.administrator, person=county.resident_a, phone="18600009999")
    resident = User.objects.get(pk=county.resident.pk)
    assert verified_person(user=resident) is None
    assert client.get(VERIFY).status_code == 200  # asked again, for the new phone
    sent = send(client, "18600009999")
    assert enter(client, sent.codes[0], "18600009999").status_code == 302
    assert verified_person(user=User.objects.get(pk=county.resident.pk)) is not None


def test_the_sign_in_is_audited_without_the_phone_or_the_code(
    client: Client, county: SmallCounty
) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    sent = send(client)
    enter(client, wrong(sent.codes[0]))
    enter(client, sent.codes[0])
    user = User.objects.get(person__phone_digest=crypto.digest(NEW_PHONE))
    events = AuditEvent.objects.filter(id__gt=before).order_by("id")
    assert [event.action for event in events] == [
        "verification_code.send",
        "verification_code.wrong",
        "person.create",
        "account.create",
        "verified_phone.set",
        "auth.login",
    ]
    proof = events.get(action="verified_phone.set")
    assert proof.actor_id == user.pk
    assert proof.changes == {
        "code": OneTimeCode.objects.get().pk,
        "signed_in": True,
        "account_created": True,
    }
    assert events.get(action="verification_code.wrong").changes == {"attempts": 1}
    for event in events:
        text = f"{event.actor_label} {event.target_label} {event.changes}"
        assert NEW_PHONE not in text and sent.codes[0] not in text
        assert event.ip_address == "127.0.0.1"
