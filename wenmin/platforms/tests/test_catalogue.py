"""The catalogue of a centre's services: kept by county-level staff, read by the township."""

from __future__ import annotations

from django.urls import reverse

from wenmin.platforms.models import ServiceItem
from wenmin.platforms.tests.conftest import Platforms, client_for


def _item(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "高龄津贴申领",
        "documents": "身份证、户口簿",
        "time_limit_days": "15",
        "fee": "0",
        "errand_allowed": "on",
    }
    data.update(changes)
    return data


def test_county_staff_add_a_service_and_residents_read_it(platforms: Platforms) -> None:
    client = client_for(platforms.county.department_clerk)
    response = client.post(reverse("platforms:item_add", args=[platforms.centre.pk]), _item())
    assert response.status_code == 302
    item = ServiceItem.objects.get(name="高龄津贴申领")
    assert item.time_limit_days == 15 and item.errand_allowed and item.unit == platforms.centre
    public = (
        client_for(platforms.county.resident)
        .get(reverse("platforms:public", args=[platforms.centre.pk]))
        .content.decode()
    )
    assert "高龄津贴申领" in public and "15 个工作日" in public


def test_county_staff_change_and_withdraw_a_service(platforms: Platforms) -> None:
    client = client_for(platforms.county.administrator)
    item = platforms.certificate
    response = client.post(
        reverse("platforms:item_edit", args=[item.pk]),
        _item(name="户籍证明开具", fee="5.50", errand_allowed=""),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert str(item.fee) == "5.50" and not item.errand_allowed
    client.post(reverse("platforms:item_offer", args=[item.pk]), {"offered": "0"})
    item.refresh_from_db()
    assert not item.active
    public = client.get(reverse("platforms:public", args=[platforms.centre.pk])).content.decode()
    assert "户籍证明开具" not in public


def test_township_staff_read_the_catalogue_but_do_not_edit_it(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    page = client.get(reverse("platforms:catalogue", args=[platforms.centre.pk]))
    assert page.status_code == 200 and "城乡居民养老保险参保登记" in page.content.decode()
    response = client.post(reverse("platforms:item_add", args=[platforms.centre.pk]), _item())
    assert response.status_code == 403
    assert not ServiceItem.objects.filter(name="高龄津贴申领").exists()


def test_bad_catalogue_input_is_refused(platforms: Platforms) -> None:
    client = client_for(platforms.county.department_clerk)
    url = reverse("platforms:item_add", args=[platforms.centre.pk])
    for data, message in (
        (_item(fee="-3"), "收费不能为负数"),
        (_item(time_limit_days="400"), "365"),
        (_item(name="户籍证明开具"), "已有同名"),
        (_item(name=""), "必填"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    assert ServiceItem.objects.filter(unit=platforms.centre).count() == 2


def test_opening_hours_are_set_by_the_county(platforms: Platforms) -> None:
    client = client_for(platforms.county.administrator)
    client.post(
        reverse("platforms:hours_set", args=[platforms.centre.pk]), {"hours": "工作日 8:30—17:30"}
    )
    page = client.get(reverse("platforms:public", args=[platforms.centre.pk])).content.decode()
    assert "工作日 8:30—17:30" in page
