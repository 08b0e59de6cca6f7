"""The demo county's households: 20-40 in every village, their members as new residents, about
one in eight in a care category. Deterministic for a seed; bulk writes only."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core import crypto
from wenmin.households import rules
from wenmin.households.models import Household, HouseholdCare, HouseholdMember, MemberRelation
from wenmin.organisation.models import Gender, Person, Region, RegionLevel
from wenmin.organisation.seed.identity import PersonFactory
from wenmin.organisation.seed.names import person_name

PER_VILLAGE = (20, 40)
# A province of demo counties would make a million residents: fewer households per village.
MANY_VILLAGES = 400
PER_VILLAGE_MANY = (3, 8)
CARE_SHARE = 0.12
# (code, weight): how often each category is drawn for a household in care.
CARE_WEIGHTS = (
    ("dibao", 25),
    ("left_behind_elderly", 20),
    ("left_behind_children", 15),
    ("elderly_alone", 12),
    ("disabled", 12),
    ("hardship", 10),
    ("wubao", 6),
)
BATCH = 2000


def _person(rng: random.Random, region: Region, *, age: int, gender: str, phone: str) -> Person:
    this_year = dt.date.today().year  # noqa: DTZ011  (a calendar year, not an instant)
    return Person(
        name=person_name(rng, gender),
        gender=gender,
        birth_year=this_year - age,
        phone=phone,
        phone_digest=crypto.digest(phone),
        region=region,
        is_resident=True,
    )


def _draw_care(rng: random.Random) -> list[str]:
    codes, weights = zip(*CARE_WEIGHTS, strict=True)
    first = rng.choices(codes, weights)[0]
    if rng.random() < 0.25:
        return sorted({first, rng.choices(codes, weights)[0]})
    return [first]


def households_seed(*, seed: int, progress: bool = False) -> list[str]:
    """Households in every village of the demo data; nothing when there are households already."""
    if Household.objects.exists():
        return []
    rng = random.Random(f"households-{seed}")  # noqa: S311  (demo data)
    factory = PersonFactory(rng, dt.date.today())  # noqa: DTZ011
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path"))
    groups: dict[int, list[Region]] = defaultdict(list)
    for group in Region.objects.filter(level=RegionLevel.GROUP).order_by("path"):
        groups[group.parent_id or 0].append(group)
    low, high = PER_VILLAGE if len(villages) <= MANY_VILLAGES else PER_VILLAGE_MANY

    households: list[Household] = []
    people: list[list[tuple[Person, str]]] = []
    care: list[list[str]] = []
    for village in villages:
        places = groups.get(village.pk) or [village]
        for number in range(1, rng.randint(low, high) + 1):
            place = places[(number - 1) % len(places)]
            codes = _draw_care(rng) if rng.random() < CARE_SHARE else []
            alone = "elderly_alone" in codes or "wubao" in codes
            head_age = rng.randint(66, 90) if alone else rng.randint(28, 80)
            head_gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
            members: list[tuple[Person, str]] = [
                (
                    _person(rng, place, age=head_age, gender=head_gender, phone=factory.phone()),
                    MemberRelation.HEAD,
                )
            ]
            if not alone:
                if rng.random() < 0.75:
                    spouse = Gender.FEMALE if head_gender == Gender.MALE else Gender.MALE
                    age = max(20, head_age + rng.randint(-5, 3))
                    members.append(
                        (
                            _person(rng, place, age=age, gender=spouse, phone=factory.phone()),
                            "spouse",
                        )
                    )
                for _child in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    gender = rng.choice((Gender.MALE, Gender.FEMALE))
                    age = max(1, head_age - rng.randint(20, 32))
                    members.append(
                        (
                            _person(rng, place, age=age, gender=gender, phone=factory.phone()),
                            "child",
                        )
                    )
                if head_age < 55 and rng.random() < 0.3:
                    gender = rng.choice((Gender.MALE, Gender.FEMALE))
                    age = head_age + rng.randint(22, 30)
                    members.append(
                        (
                            _person(rng, place, age=age, gender=gender, phone=factory.phone()),
                            "parent",
                        )
                    )
            households.append(
                Household(
                    code=f"{place.code}{number:03d}"[:32],
                    region=place,
                    address=f"{village.name}{place.name if place is not village else ''}{number}号",
                    care_codes=rules.care_codes_join(codes),
                )
            )
            people.append(members)
            care.append(codes)

    with transaction.atomic():
        persons = [person for members in people for person, _relation in members]
        Person.objects.bulk_create(persons, batch_size=BATCH)
        for household, members in zip(households, people, strict=True):
            household.head = members[0][0]
        Household.objects.bulk_create(households, batch_size=BATCH)
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household=household, person=person, relation=relation)
                for household, members in zip(households, people, strict=True)
                for person, relation in members
            ],
            batch_size=BATCH,
        )
        digests = {code: rules.care_digest(code) for code, _weight in CARE_WEIGHTS}
        HouseholdCare.objects.bulk_create(
            [
                HouseholdCare(household=household, digest=digests[code])
                for household, codes in zip(households, care, strict=True)
                for code in codes
            ],
            batch_size=BATCH,
        )
    in_care = sum(1 for codes in care if codes)
    line = _(
        "Households: %(households)s in %(villages)s villages, %(members)s members, "
        "%(in_care)s in a care category."
    ) % {
        "households": len(households),
        "villages": len(villages),
        "members": len(persons),
        "in_care": in_care,
    }
    return [line]
