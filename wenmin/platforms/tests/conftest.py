from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.organisation.models import Cadre, Unit, UnitKind
from wenmin.platforms import services
from wenmin.platforms.models import ServiceItem
from wenmin.testing import SmallCounty


@dataclass
class Platforms:
    county: SmallCounty
    centre: Unit  # 青石镇便民服务中心: the township clerk works there
    other_centre: Unit  # 白沙乡便民服务中心: she does not
    station: Unit  # 青石村群众工作站
    pension: ServiceItem  # 代办 allowed
    certificate: ServiceItem  # not by errand
    other_item: ServiceItem  # of the other centre
    cadre: Cadre


def build_platforms(county: SmallCounty) -> Platforms:
    """A service centre in each township, a work station in 青石村, a catalogue, a cadre."""
    c = county
    centre = org.unit_create(
        actor=None,
        code="T1-SC",
        name="青石镇便民服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        region=c.township_a,
        parent=c.government_a,
    )
    other_centre = org.unit_create(
        actor=None,
        code="T2-SC",
        name="白沙乡便民服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        region=c.township_b,
        parent=c.government_b,
    )
    station = org.unit_create(
        actor=None,
        code="V1-WS",
        name="青石村群众工作站",
        kind=UnitKind.WORK_STATION,
        region=c.village_a,
        parent=centre,
    )
    person = org.person_create(
        actor=None, name="孙磊", gender="male", birth_year=1983, phone="13900007777"
    )
    cadre = org.cadre_set(actor=None, person=person, unit=c.government_a, position="副镇长")
    add = services.item_save
    pension = add(
        actor=None,
        unit=centre,
        name="城乡居民养老保险参保登记",
        documents="身份证、户口簿",
        time_limit_days=3,
        fee=0,
        errand_allowed=True,
    )
    certificate = add(
        actor=None,
        unit=centre,
        name="户籍证明开具",
        documents="身份证",
        time_limit_days=0,
        fee=0,
        errand_allowed=False,
    )
    other_item = add(actor=None, unit=other_centre, name="户籍证明开具", errand_allowed=False)
    return Platforms(c, centre, other_centre, station, pension, certificate, other_item, cadre)


@pytest.fixture
def platforms(county: SmallCounty) -> Platforms:
    return build_platforms(county)


def local(text: str) -> str:
    """A datetime-local value as a form sends it."""
    return text


def minutes_ago(minutes: int) -> str:
    moment = timezone.localtime() - dt.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client
