"""Synthetic people: names, ages, unique mobile numbers and ID numbers with a valid check digit."""

from __future__ import annotations

import datetime as dt
import random

from wenmin.organisation.models import Gender
from wenmin.organisation.seed.names import person_name
from wenmin.organisation.seed.plan import CountyPlan, PersonSpec

# The usual 13x, 15x and 18x mobile prefixes.
_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
)
# The 8 digits after a prefix are (k * _STEP + offset) mod 10^8 for the prefix's k-th number:
# _STEP is coprime with 10^8, so numbers never repeat and no set of used numbers has to grow
# with a province of a million people.
_STEP = 7_919_311
_SUBSCRIBERS = 100_000_000
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day between start and end inclusive (start when the range is empty).

    Always one draw, whatever the range, so the dates (which move with today) never shift
    the names and codes drawn after them.
    """
    days = max((end - start).days, 0)
    return start + dt.timedelta(days=int(rng.random() * (days + 1)))


class PersonFactory:
    """Makes people for a plan; phones stay unique across the run, ID numbers within a county."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.issued = dict.fromkeys(_MOBILE_PREFIXES, 0)
        self.offsets = {prefix: rng.randrange(_SUBSCRIBERS) for prefix in _MOBILE_PREFIXES}
        self.county_code = ""
        self.id_numbers: set[str] = set()

    def phone(self) -> str:
        """A fresh 11-digit mobile number."""
        prefix = self.rng.choice(_MOBILE_PREFIXES)
        number = (self.issued[prefix] * _STEP + self.offsets[prefix]) % _SUBSCRIBERS
        self.issued[prefix] += 1
        return f"{prefix}{number:08d}"

    def id_number(self, *, county_code: str, birth_year: int, gender: str) -> str:
        """An 18-character ID number for a person born in the county in that year."""
        if county_code != self.county_code:  # ID numbers of two counties never collide
            self.county_code = county_code
            self.id_numbers = set()
        while True:
            born = random_date(self.rng, dt.date(birth_year, 1, 1), dt.date(birth_year, 12, 28))
            sequence = self.rng.randrange(500) * 2 + (1 if gender == Gender.MALE else 0)
            first17 = f"{county_code}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def add(
        self,
        plan: CountyPlan,
        *,
        home: str,
        age: tuple[int, int, int],
        male_share: float = 0.5,
        with_id: bool = False,
        is_resident: bool = False,
    ) -> int:
        """Add a person living at home, aged (low, high, mode); returns their index in the plan."""
        gender = Gender.MALE if self.rng.random() < male_share else Gender.FEMALE
        low, high, mode = age
        birth_year = self.today.year - round(self.rng.triangular(low, high, mode))
        spec = PersonSpec(
            name=person_name(self.rng, gender),
            gender=gender,
            birth_year=birth_year,
            phone=self.phone(),
            region_code=home,
            is_resident=is_resident,
        )
        if with_id:
            spec.id_number = self.id_number(
                county_code=plan.code, birth_year=birth_year, gender=gender
            )
        plan.people.append(spec)
        return len(plan.people) - 1
