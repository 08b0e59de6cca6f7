"""支部+电商 through its pages: the rules (negative amounts, a sale before its produce, a mobile as
the office number, a bad shop address) refused with nothing saved; every figure opens its list;
the public produce page shows the branch's office number and no resident's phone or name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from wenmin.commerce import rules, services
from wenmin.commerce.models import BranchContact, Outlet, Produce, Sale

from .conftest import Shop


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _produce_form(**changes: str) -> dict[str, str]:
    data = {
        "name": "土鸡蛋",
        "unit": "枚",
        "quantity": "300",
        "price": "1.5",
        "season_from": "1",
        "season_to": "12",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "-5"}, "大于0"),
        ({"quantity": "0"}, "大于0"),
        ({"price": "-1"}, "不能为负数"),
        ({"season_from": "13"}, "1到12"),
        ({"quantity": "NaN"}, ""),
        ({"name": ""}, ""),
    ],
)
def test_bad_produce_is_refused_with_a_message_and_nothing_saved(
    shop: Shop, changes: dict[str, str], message: str
) -> None:
    client = _client(shop.desk.county.branch_secretary)
    response = client.post(
        reverse("commerce:farmer", args=[shop.farmer.pk]), _produce_form(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Produce.objects.count() == 1


def test_a_sale_is_recorded_and_counted(shop: Shop) -> None:
    client = _client(shop.desk.county.branch_secretary)
    response = client.post(
        reverse("commerce:produce", args=[shop.produce.pk]),
        {"outlet": shop.shop.pk, "month": "2026-03", "quantity": "20", "income": "760"},
    )
    assert response.status_code == 302
    sale = Sale.objects.get()
    assert (sale.month.isoformat(), sale.income, sale.branch) == (
        "2026-03-01",
        Decimal("760.00"),
        shop.desk.county.branch_a,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": "2026-02"}, "之前"),  # before the produce was recorded (2026-03)
        ({"month": "2999-01"}, "尚未到来"),
        ({"income": "-10"}, "不能为负数"),
        ({"quantity": "-1"}, "大于0"),
        ({"month": "2026-3x"}, "YYYY-MM"),
    ],
)
def test_a_bad_sale_is_refused_with_a_message_and_nothing_saved(
    shop: Shop, changes: dict[str, str], message: str
) -> None:
    data = {
        "outlet": str(shop.shop.pk),
        "month": "2026-04",
        "quantity": "20",
        "income": "760",
        **changes,
    }
    response = _client(shop.desk.county.branch_secretary).post(
        reverse("commerce:produce", args=[shop.produce.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Sale.objects.exists()


def test_another_branchs_outlet_is_refused(shop: Shop) -> None:
    c = shop.desk.county
    other = services.outlet_add(actor=None, branch=c.branch_b, kind="market", name="白沙集市")
    with pytest.raises(ValidationError) as refused:
        services.sale_record(
            actor=c.administrator, produce=shop.produce, outlet=other, month=shop.produce.recorded_on,
            quantity="1", income="38",
        )  # fmt: skip
    assert "outlet" in refused.value.message_dict and not Sale.objects.exists()


@pytest.mark.parametrize(
    ("phone", "saved"),
    [("13812345678", False), ("+8613812345678", False), ("12345", False), ("0793-7654321", True)],
)
def test_the_office_number_is_never_a_mobile(shop: Shop, phone: str, saved: bool) -> None:
    c = shop.desk.county
    response = _client(c.branch_secretary).post(
        reverse("commerce:contact"), {"branch": c.branch_a.code, "office_phone": phone}
    )
    assert response.status_code == (302 if saved else 400)
    assert BranchContact.objects.get(branch=c.branch_a).office_phone == (
        "0793-7654321" if saved else "0793-5551234"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.cn/a", "shop", ""])
def test_a_shop_needs_a_real_web_address(shop: Shop, url: str) -> None:
    c = shop.desk.county
    response = _client(c.branch_secretary).post(
        reverse("commerce:outlets"),
        {"branch": c.branch_a.code, "kind": "shop", "name": "网店", "url": url},
    )
    assert response.status_code == 400
    assert Outlet.objects.filter(kind="shop").count() == 1


def test_a_branch_secretary_keeps_only_her_own_branch(shop: Shop) -> None:
    c = shop.desk.county
    response = _client(c.branch_secretary).post(
        reverse("commerce:outlets"),
        {"branch": c.branch_b.code, "kind": "market", "name": "白沙集市"},
    )
    assert response.status_code == 400 and not Outlet.objects.filter(branch=c.branch_b).exists()
    assert (
        _client(c.other_township_clerk)
        .get(reverse("commerce:farmer", args=[shop.farmer.pk]))
        .status_code
        == 404
    )


def test_every_figure_opens_its_list_with_its_count(shop: Shop) -> None:
    c = shop.desk.county
    for month, income in (("2026-03", "380"), ("2026-11", "760")):
        services.sale_record(
            actor=None, produce=shop.produce, outlet=shop.shop, month=__import__("datetime").date.fromisoformat(month + "-01"),
            quantity="10", income=income,
        )  # fmt: skip
    client = _client(c.leader)
    page = client.get(reverse("commerce:home")).content.decode()
    figures = re.findall(r'data-figure="(\w+)" href="([^"]+)">([\d.]+)</a>', page)
    assert len(figures) == 6  # farmers, sales, income by township and by branch
    for name, url, value in figures:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        if name == "farmers":
            assert f'data-count="{value}"' in listed and value == "1"
        elif name == "sales":
            assert f'data-count="{value}"' in listed and value == "2"
        else:
            assert f'data-income="{value}"' in listed and value == "1140.00"
    other = _client(c.other_township_clerk).get(reverse("commerce:home")).content.decode()
    assert "data-figure" not in other


def test_the_public_produce_page_shows_no_resident_phone_or_name(shop: Shop) -> None:
    c = shop.desk.county
    page = (
        Client().get(reverse("commerce:market_township", args=[c.township_a.pk])).content.decode()
    )
    assert "葛根粉" in page and "0793-5551234" in page
    assert "https://shop.example-mall.cn/store/7" in page
    for personal in ("18600003333", "186****3333", "3333", "陈明", "13812345678"):
        assert personal not in page
    index = Client().get(reverse("commerce:market")).content.decode()
    assert reverse("commerce:market_township", args=[c.township_a.pk]) in index
    assert (
        Client().get(reverse("commerce:market_township", args=[c.village_a.pk])).status_code == 404
    )


def test_staff_pages_show_the_farmer_masked(shop: Shop) -> None:
    page = (
        _client(shop.desk.county.township_clerk).get(reverse("commerce:farmers")).content.decode()
    )
    assert "陈*" in page and "陈明" not in page and "18600003333" not in page


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False))
def test_amounts_below_zero_are_always_refused_and_others_kept(value: Decimal) -> None:
    if value < 0:
        with pytest.raises(ValidationError):
            rules.amount(str(value), field="price", positive=False)
    else:
        assert rules.amount(str(value), field="price", positive=False) == value
    if value <= 0:
        with pytest.raises(ValidationError):
            rules.amount(str(value), field="quantity", positive=True)
