"""A follower proves their phone once; their cases then follow them. The openid stays hidden."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.core.crypto import digest
from wenmin.organisation.models import Person
from wenmin.residents import services as residents_services
from wenmin.residents.models import OneTimeCode
from wenmin.wechat.models import Follower, InboundMessage
from wenmin.wechat.tests import wire
from wenmin.wechat.tests.test_callback_messages import OPENID, say


@pytest.fixture
def texts(monkeypatch):
    sent: list = []

    def record(notification: object) -> list[str]:
        sent.append(notification)
        return []

    monkeypatch.setattr(residents_services, "notify", record)
    return sent


def _code(texts) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"\d{6}", texts[-1].text)
    assert match is not None
    return match[0]


def test_binding_a_phone_sends_a_code_and_the_code_links_the_follower_to_the_person(
    wechat, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = say(wechat, "绑定 13800138000", 5001)
    assert "138****8000" in reply
    assert texts[-1].phone == "13800138000"
    follower = Follower.objects.get()
    # The residents' one-time code: only its keyed hash is kept, the phone only as a digest.
    sent = OneTimeCode.objects.get(phone_digest=digest("13800138000"))
    assert _code(texts) not in sent.code_hash and sent.used_at is None
    assert follower.link_phone == "13800138000"
    say(wechat, _code(texts), 5002)
    follower.refresh_from_db()
    person = Person.objects.get(phone_digest=digest("13800138000"))
    assert follower.person == person
    say(wechat, "门口的井盖坏了", 5003)
    assert Case.objects.get().requester == person
    assert OneTimeCode.objects.get().used_at is not None
    assert Follower.objects.get().link_phone == ""


def test_a_linked_follower_sees_their_cases_from_other_channels(
    wechat, desk, texts, django_capture_on_commit_callbacks
):
    from wenmin.cases import services as cases

    with django_capture_on_commit_callbacks(execute=True):
        say(wechat, "绑定 13800138000", 5010)
    say(wechat, _code(texts), 5011)
    person = Follower.objects.get().person
    other = cases.case_intake(channel="phone", content="电话里反映的事", requester=person)
    assert other.tracking_code in say(wechat, "查询", 5012)


def test_a_wrong_code_links_nothing_and_five_wrong_codes_end_the_attempt(
    wechat, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        say(wechat, "绑定 13800138000", 5020)
    code = _code(texts)
    wrong = "000000" if code != "000000" else "111111"
    for msg_id in range(5021, 5026):
        say(wechat, wrong, msg_id)
    reply = say(wechat, code, 5026)  # right, but too late
    assert Follower.objects.get().person is None
    assert "Ask for a new code" in reply or "请重新获取" in reply or "新的验证码" in reply
    assert OneTimeCode.objects.get().attempts == 5


def test_binding_a_number_that_is_not_a_mobile_sends_nothing(
    wechat, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = say(wechat, "绑定 12345", 5030)
    assert texts == []
    assert "绑定" in reply
    assert Follower.objects.get().link_phone == ""
    assert not OneTimeCode.objects.exists()


def test_six_digits_without_a_code_pending_open_a_case(wechat):
    say(wechat, "123456", 5040)
    assert Case.objects.count() == 1


def test_staff_see_the_addition_but_never_the_openid(wechat, desk, account):
    say(wechat, "路灯坏了", 5050)
    say(wechat, "补充 在村委会门口", 5051)
    case = Case.objects.get()
    staff = Client()
    staff.force_login(desk.dispatcher)
    page = staff.get(reverse("cases:case_detail", kwargs={"case_id": case.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert OPENID not in html
    assert "在村委会门口" in html and "诉求人补充" in html
    public = Client().get(reverse("portal:track", kwargs={"code": case.tracking_code}))
    assert OPENID not in public.content.decode()
    assert "在村委会门口" not in public.content.decode()  # the public timeline shows no content


def test_the_admin_shows_the_openid_masked_and_secrets_never(wechat, desk, account):
    say(wechat, "路灯坏了", 5060)
    admin = Client()
    admin.force_login(desk.county.administrator)
    follower = Follower.objects.get()
    for url in (
        reverse("admin:wechat_follower_changelist"),
        reverse("admin:wechat_follower_change", args=[follower.pk]),
        reverse("admin:wechat_inboundmessage_changelist"),
        reverse("admin:wechat_inboundmessage_change", args=[InboundMessage.objects.get().pk]),
        reverse("admin:wechat_officialaccount_change", args=[account.pk]),
        reverse("admin:wechat_officialaccount_changelist"),
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert OPENID not in html, url
        if "follower" in url:
            assert follower.openid_masked in html, url
        for secret in (wire.TOKEN, wire.AES_KEY, "s3cretAppSecret"):
            assert secret not in html, (url, secret)
    assert site.is_registered(Follower)


def test_the_admin_registers_an_account_and_a_blank_secret_keeps_the_stored_one(desk, account):
    admin = Client()
    admin.force_login(desk.county.administrator)
    url = reverse("admin:wechat_officialaccount_change", args=[account.pk])
    response = admin.post(
        url,
        {
            "name": "青石发布（新）",
            "token": "",
            "aes_key": "",
            "app_secret": "",
            "mode": "safe",
            "unit": desk.county.government_a.pk,
            "region": desk.county.township_a.pk,
            "welcome": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    account.refresh_from_db()
    assert account.name == "青石发布（新）"
    assert (account.token, account.aes_key) == (wire.TOKEN, wire.AES_KEY)
    response = admin.post(
        reverse("admin:wechat_officialaccount_add"),
        {
            "name": "白沙发布",
            "app_id": "wxbaisha000000001",
            "token": "t0ken",
            "aes_key": "short",
            "mode": "safe",
        },
    )
    assert response.status_code == 200
    assert not account.__class__.objects.filter(app_id="wxbaisha000000001").exists()
    response = admin.post(
        reverse("admin:wechat_officialaccount_add"),
        {
            "name": "白沙发布",
            "app_id": "wxbaisha000000001",
            "token": "t0ken",
            "aes_key": wire.AES_KEY,
            "mode": "safe",
        },
    )
    assert response.status_code == 302
    added = account.__class__.objects.get(app_id="wxbaisha000000001")
    assert added.token == "t0ken"
    page = admin.get(
        reverse("admin:wechat_officialaccount_change", args=[added.pk])
    ).content.decode()
    assert f"/wechat/callback/{added.callback_key}/" in page
    assert "t0ken" not in page


def test_codes_are_limited_per_follower_so_nobody_is_flooded_with_texts(
    wechat, texts, django_capture_on_commit_callbacks
):
    # Five different numbers from one follower: the residents' rule of three codes an hour for one
    # sender (not the 20 of an address) holds.
    with django_capture_on_commit_callbacks(execute=True):
        for n, msg_id in enumerate(range(5070, 5075)):
            say(wechat, f"绑定 1380013800{n}", msg_id)
    assert len(texts) == 3


def test_codes_are_limited_per_phone_across_followers(
    wechat, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(7):
            say(wechat, "绑定 13800138000", 5080 + n, openid=f"oFOLLOWER{n:08d}")
    # The residents' rule for one phone: one code a minute, whoever asks.
    assert len(texts) == 1


def test_the_case_export_holds_no_openid(wechat, desk):
    import io
    import zipfile

    say(wechat, "路灯坏了", 5090)
    say(wechat, "补充 在桥头", 5091)
    staff = Client()
    staff.force_login(desk.county.administrator)
    response = staff.get(reverse("cases:export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    workbook = zipfile.ZipFile(io.BytesIO(content))
    sheets = "".join(workbook.read(name).decode() for name in workbook.namelist())
    assert "路灯坏了" in sheets  # the case is in the export…
    assert OPENID not in sheets  # …its sender's openid is not


def test_anonymising_a_person_unlinks_their_follower_and_a_follower_does_not_keep_them(
    wechat, texts, django_capture_on_commit_callbacks
):
    from wenmin.privacy.selectors import register_roles
    from wenmin.privacy.services.anonymise import person_anonymise_if_unneeded

    with django_capture_on_commit_callbacks(execute=True):
        say(wechat, "绑定 13800138000", 5090)
    say(wechat, _code(texts), 5091)
    person = Follower.objects.get().person
    assert person is not None and register_roles(person) == []
    assert person_anonymise_if_unneeded(person_id=person.pk, reason="test", actor=None)
    follower = Follower.objects.get()
    assert follower.person is None and follower.linked_at is None
