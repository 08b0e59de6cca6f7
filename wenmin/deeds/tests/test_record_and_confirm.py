"""Recording a deed through its page (photos checked as case attachments) and confirming it: the
village or the resident, never the one who recorded it nor the one who did it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.deeds.models import Deed, DeedPhoto, DeedState
from wenmin.deeds.rules import confirm_refusal

from .conftest import PNG, DeedWorld, a_deed, client_of


def _form(world: DeedWorld, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "帮助陈大爷修缮漏雨屋顶",
        "details": "支部党员三人半天完成",
        "done_on": "2026-05-12",
        "beneficiary_kind": "household",
        "household": "H-QS-101",
        "doer_kind": "branch",
        "branch": "T1-B1",
    }
    data.update(changes)
    return data


def test_a_branch_secretary_records_a_deed_with_a_photo(
    world: DeedWorld, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    client = client_of(world.county.branch_secretary)
    photo = SimpleUploadedFile("roof.png", PNG, content_type="image/png")
    response = client.post(reverse("deeds:new"), {**_form(world), "photos": [photo]})
    assert response.status_code == 302
    deed = Deed.objects.get()
    assert (deed.village, deed.township, deed.branch) == (
        world.county.village_a,
        world.county.township_a,
        world.county.branch_a,
    )  # the household lives in a group of 青石村: the deed counts for the village
    assert deed.state == DeedState.PENDING and deed.author == world.county.branch_secretary
    assert DeedPhoto.objects.get(deed=deed).content_type == "image/png"
    assert AuditEvent.objects.filter(action="deeds.record", target_id=str(deed.pk)).exists()
    page = client.get(reverse("deeds:detail", args=[deed.pk])).content.decode()
    assert "H-QS-101" in page and "陈明" not in page and "18600003333" not in page
    assert client.get(reverse("deeds:photo", args=[deed.photos.get().pk])).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"done_on": "2999-01-01"}, "done_on", "未来"),
        ({"household": "H-BS-101"}, "household", "H-BS-101"),  # another township's household
        ({"household": ""}, "household", ""),
        (
            {"beneficiary_kind": "group", "group_text": "", "village": "369901101201"},
            "group_text",
            "",
        ),
        ({"doer_kind": "member", "member": ""}, "person", ""),
        ({"title": "   "}, "title", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    world: DeedWorld, changes: dict[str, object], field: str, message: str
) -> None:
    client = client_of(world.county.branch_secretary)
    response = client.post(reverse("deeds:new"), _form(world, **changes))
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert message in response.content.decode()
    assert not Deed.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("roof.jpg", b"not a jpeg at all", "image/jpeg"),
        ("roof.pdf", b"%PDF-1.4 x", "application/pdf"),
    ],
)
def test_a_photo_is_checked_like_a_case_attachment_and_only_photos_go(
    world: DeedWorld,
    settings,
    tmp_path,
    name: str,
    content: bytes,
    kind: str,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_of(world.county.branch_secretary)
    upload = SimpleUploadedFile(name, content, content_type=kind)
    response = client.post(reverse("deeds:new"), {**_form(world), "photos": [upload]})
    assert response.status_code == 400
    assert name in response.content.decode() or "照片" in response.content.decode()
    assert not Deed.objects.exists() and not DeedPhoto.objects.exists()


def test_a_deed_confirmed_by_its_own_author_is_refused_and_stays_pending(world: DeedWorld) -> None:
    deed = a_deed(world)
    client = client_of(world.county.branch_secretary)
    response = client.post(reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "village"})
    assert response.status_code == 400
    assert "不能由记录人本人确认" in response.content.decode()
    deed.refresh_from_db()
    assert deed.state == DeedState.PENDING and deed.confirmed_by is None
    assert not AuditEvent.objects.filter(action="deeds.confirm").exists()


def test_the_village_confirms_a_deed(world: DeedWorld) -> None:
    deed = a_deed(world)
    client = client_of(world.village_clerk)
    page = client.get(reverse("deeds:detail", args=[deed.pk])).content.decode()
    assert 'data-confirm="village"' in page
    response = client.post(
        reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "village", "note": "属实"}
    )
    assert response.status_code == 302
    deed.refresh_from_db()
    assert (deed.state, deed.confirmer_kind, deed.confirmed_by) == (
        DeedState.CONFIRMED,
        "village",
        world.village_clerk,
    )
    again = client.post(reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "village"})
    assert again.status_code == 400


def test_the_resident_confirms_a_deed_done_for_their_household(world: DeedWorld) -> None:
    deed = a_deed(world)
    client = client_of(world.county.resident)
    mine = client.get(reverse("deeds:mine")).content.decode()
    assert deed.title in mine and 'data-count="1"' in mine
    response = client.post(reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "resident"})
    assert response.status_code == 302
    deed.refresh_from_db()
    assert deed.confirmer_kind == "resident"


def test_the_member_who_did_it_may_not_confirm_it(world: DeedWorld) -> None:
    c = world.county
    # 李秀英 (the secretary's own person) did it; the township clerk recorded it.
    deed = a_deed(world, actor=c.township_clerk, doer_kind="member", person=c.member_a, branch=None)
    assert deed.branch == c.branch_a  # a member's deed counts for her branch
    response = client_of(c.branch_secretary).post(
        reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "village"}
    )
    assert response.status_code == 400 and "不能由办事人本人确认" in response.content.decode()
    deed.refresh_from_db()
    assert deed.state == DeedState.PENDING


def test_another_township_neither_sees_nor_confirms(world: DeedWorld) -> None:
    deed = a_deed(world)
    client = client_of(world.county.other_township_clerk)
    assert client.get(reverse("deeds:detail", args=[deed.pk])).status_code == 404
    assert (
        client.post(
            reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "village"}
        ).status_code
        == 404
    )
    deed.refresh_from_db()
    assert deed.state == DeedState.PENDING


def test_a_resident_of_another_household_cannot_open_or_confirm(world: DeedWorld) -> None:
    deed = a_deed(world, actor=world.county.township_clerk)
    other = world.county.resident_b
    from wenmin.core.models import User

    account = User.objects.create_user(username="zhaoli", role="resident", person=other)
    client = client_of(account)
    assert client.get(reverse("deeds:detail", args=[deed.pk])).status_code == 404
    assert (
        client.post(
            reverse("deeds:confirm", args=[deed.pk]), {"confirmer_kind": "resident"}
        ).status_code
        == 404
    )


def test_the_confirmation_rule_refuses_author_and_doer_and_nobody_else() -> None:
    assert confirm_refusal(author_id=1, doer_person_id=None, confirmer_id=1, confirmer_person_id=9)
    assert confirm_refusal(author_id=1, doer_person_id=9, confirmer_id=2, confirmer_person_id=9)
    assert (
        confirm_refusal(author_id=1, doer_person_id=9, confirmer_id=2, confirmer_person_id=8)
        is None
    )
    assert (
        confirm_refusal(
            author_id=None, doer_person_id=None, confirmer_id=2, confirmer_person_id=None
        )
        is None
    )


def test_a_deed_in_the_future_is_refused_by_the_service_too(world: DeedWorld) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        a_deed(world, day=timezone.localdate() + dt.timedelta(days=2))
    assert "done_on" in refused.value.message_dict
    assert not Deed.objects.exists()


def test_the_recording_page_works_for_a_phone_form(world: DeedWorld) -> None:
    page = client_of(world.county.branch_secretary).get(reverse("deeds:new")).content.decode()
    assert re.search(r'<input type="file" name="photos" accept="image/\*"', page)
    assert 'value="T1-B1"' in page  # the secretary's branch is the default doer
