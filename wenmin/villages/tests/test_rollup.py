"""Roll-ups by hand on a small county: a cumulative indicator adds up the months, a level
indicator counts each village's latest month; townships and the county add up their villages;
every figure opens the records it counts, and says how many."""

from __future__ import annotations

import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wenmin.villages import rules, services

from .conftest import Campaign


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _report(campaign: Campaign, village, month: int, **values: str) -> None:  # type: ignore[no-untyped-def]
    services.report_submit(
        actor=None,
        village=village,
        year=campaign.year,
        month=month,
        values={campaign.i(code): value for code, value in values.items()},
    )


def _world(campaign: Campaign) -> None:
    """青石镇: 青石村 and 石桥村; 白沙乡: 白沙村. Buildings are cumulative, internet a level."""
    c = campaign.county
    _report(campaign, c.village_a, 1, demolished_buildings="10", internet_network="100")
    _report(campaign, c.village_a, 2, demolished_buildings="5")
    _report(campaign, c.village_a, 3, demolished_buildings="7", internet_network="120")
    _report(campaign, campaign.village_a2, 2, demolished_buildings="4", internet_network="50")
    _report(campaign, c.village_b, 1, demolished_buildings="3", internet_network="30")
    _report(campaign, c.village_b, 2, internet_network="40")
    for village, buildings, internet in (
        (c.village_a, "30", "150"),
        (campaign.village_a2, "6", "60"),
        (c.village_b, "10", "50"),
    ):
        services.targets_set(
            actor=None,
            village=village,
            year=campaign.year,
            targets={
                campaign.i("demolished_buildings"): buildings,
                campaign.i("internet_network"): internet,
            },
        )


def _cell(page: str, code: str, kind: str) -> tuple[str, str]:
    """The (link, text) of a row's target or done figure on the roll-up page."""
    row = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', page, re.S)
    assert row, code
    found = re.search(rf'<a data-{kind} href="([^"]+)">([^<]+)</a>', row.group(1))
    assert found, (code, kind)
    return found.group(1).replace("&amp;", "&"), found.group(2)


def _count(page: str) -> int:
    found = re.search(r'data-records-count="(\d+)"', page)
    assert found
    return int(found.group(1))


def _quantities(page: str) -> list[Decimal]:
    return [Decimal(v) for v in re.findall(r'<td class="num">([\d.,]+)</td>', page)]


def test_the_county_adds_up_months_of_a_cumulative_indicator_and_latest_months_of_a_level(
    campaign: Campaign,
) -> None:
    _world(campaign)
    page = (
        _client(campaign.county.leader)
        .get(reverse("villages:home"), {"year": campaign.year})
        .content.decode()
    )
    # Buildings: 10+5+7 + 4 + 3; internet: 120 (青石村's March) + 50 + 40 (白沙村's February).
    assert _cell(page, "demolished_buildings", "done")[1] == "29"
    assert _cell(page, "internet_network", "done")[1] == "210"
    assert _cell(page, "demolished_buildings", "target")[1] == "46"
    assert _cell(page, "internet_network", "target")[1] == "260"


def test_a_township_rolls_up_its_own_villages_only(campaign: Campaign) -> None:
    _world(campaign)
    c = campaign.county
    page = (
        _client(c.township_clerk)
        .get(reverse("villages:home"), {"year": campaign.year})
        .content.decode()
    )
    assert _cell(page, "demolished_buildings", "done")[1] == "26"
    assert _cell(page, "internet_network", "done")[1] == "170"
    # Up to February: 青石村 10+5, 石桥村 4; internet 100 (January) + 50.
    page = (
        _client(c.township_clerk)
        .get(reverse("villages:home"), {"year": campaign.year, "up_to": 2})
        .content.decode()
    )
    assert _cell(page, "demolished_buildings", "done")[1] == "19"
    assert _cell(page, "internet_network", "done")[1] == "150"


def test_the_indicator_page_splits_the_county_by_township_and_a_township_by_village(
    campaign: Campaign,
) -> None:
    _world(campaign)
    c = campaign.county
    client = _client(c.leader)
    internet = campaign.i("internet_network")
    url = reverse("villages:indicator_detail", args=[internet.pk])
    page = client.get(url, {"year": campaign.year}).content.decode()
    rows = dict(re.findall(r'<tr data-region="(\d+)">.*?<a data-done[^>]*>([^<]+)</a>', page, re.S))
    assert rows == {c.township_a.code: "170", c.township_b.code: "40"}
    page = client.get(url, {"year": campaign.year, "area": c.township_a.pk}).content.decode()
    rows = dict(re.findall(r'<tr data-region="(\d+)">.*?<a data-done[^>]*>([^<]+)</a>', page, re.S))
    assert rows == {c.village_a.code: "120", campaign.village_a2.code: "50"}
    assert 'data-villages-chart="months"' in page


def test_every_figure_opens_exactly_the_records_it_adds_up_with_their_count(
    campaign: Campaign,
) -> None:
    _world(campaign)
    client = _client(campaign.county.leader)
    page = client.get(reverse("villages:home"), {"year": campaign.year}).content.decode()
    expected = {"demolished_buildings": 5, "internet_network": 3}
    for code, lines in expected.items():
        link, figure = _cell(page, code, "done")
        records = client.get(link).content.decode()
        assert _count(records) == lines
        assert sum(_quantities(records)) == Decimal(figure)
        link, target = _cell(page, code, "target")
        targets = client.get(link).content.decode()
        assert _count(targets) == 3
        assert sum(_quantities(targets)) == Decimal(target)


def test_a_village_cadre_sees_only_their_village(campaign: Campaign) -> None:
    _world(campaign)
    client = _client(campaign.county.branch_secretary)
    page = client.get(reverse("villages:home"), {"year": campaign.year}).content.decode()
    assert _cell(page, "demolished_buildings", "done")[1] == "22"
    # Another township's area is not theirs.
    answer = client.get(reverse("villages:home"), {"area": campaign.county.township_b.pk})
    assert answer.status_code == 404
    answer = client.get(reverse("villages:home"), {"area": campaign.village_a2.pk})
    assert answer.status_code == 404


# The rules themselves, against a rebuild by brute force -----------------------------------------

LINES = st.lists(
    st.tuples(
        st.sampled_from([1, 2, 3]),  # village
        st.integers(min_value=1, max_value=12),  # month
        st.sampled_from([10, 20]),  # 10 cumulative, 20 a level
        st.integers(min_value=0, max_value=1000),
    ),
    max_size=40,
    unique_by=lambda line: (line[0], line[1], line[2]),
)


@settings(max_examples=60, deadline=None)
@given(LINES, st.integers(min_value=1, max_value=12))
def test_a_roll_up_is_the_sum_of_its_villages_latest_or_summed_months(
    raw: list[tuple[int, int, int, int]], up_to: int
) -> None:
    lines = [rules.Line(v, m, i, Decimal(x)) for v, m, i, x in raw]
    cumulative = {10: True, 20: False}
    figures = rules.village_figures(lines, cumulative=cumulative, up_to=up_to)
    area_of = {1: 100, 2: 100, 3: 200}
    totals = rules.roll_up(figures, area_of=area_of)
    for area in (100, 200):
        villages = [v for v, a in area_of.items() if a == area]
        summed = sum(
            (Decimal(x) for v, m, i, x in raw if i == 10 and v in villages and m <= up_to),
            Decimal(0),
        )
        assert totals.get((area, 10), Decimal(0)) == summed
        latest = Decimal(0)
        for village in villages:
            months = [(m, x) for v, m, i, x in raw if i == 20 and v == village and m <= up_to]
            if months:
                latest += Decimal(max(months)[1])
        assert totals.get((area, 20), Decimal(0)) == latest
    counted = rules.counted_months(lines, cumulative=cumulative, up_to=up_to)
    assert sum(
        (line.value for line in lines if (line.village, line.indicator, line.month) in counted),
        Decimal(0),
    ) == sum(figures.values(), Decimal(0))


def test_units_are_recognised_however_written_and_never_mixed_up() -> None:
    assert rules.same_unit("公里", "km")
    assert rules.same_unit("平方米", "m²")
    assert rules.same_unit(" KM ", "km")
    assert not rules.same_unit("米", "km")
    assert not rules.same_unit("亩", "m²")
    assert not rules.same_unit("", "户")


def test_the_pages_read_the_same_few_queries_however_many_reports(campaign: Campaign) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _world(campaign)
    client = _client(campaign.county.leader)
    buildings = campaign.i("demolished_buildings")
    pages = [
        (reverse("villages:home"), {"year": campaign.year}),
        (reverse("villages:indicator_detail", args=[buildings.pk]), {"year": campaign.year}),
        (reverse("villages:records"), {"year": campaign.year, "indicator": buildings.pk}),
        (reverse("villages:reports"), {"year": campaign.year}),
    ]

    def counts() -> list[int]:
        found = []
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for month in range(4, 13):
        _report(campaign, campaign.village_a2, month, demolished_buildings="1")
        _report(campaign, campaign.county.village_b, month, demolished_buildings="2")
    assert counts() == before
