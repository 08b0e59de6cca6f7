"""The privacy sweep never anonymises a person the households register holds."""

from __future__ import annotations

from wenmin.households import services
from wenmin.households.models import MemberRelation
from wenmin.organisation.models import Person
from wenmin.privacy.models import AnonymisedPerson
from wenmin.privacy.selectors import register_roles
from wenmin.privacy.services.anonymise import person_anonymise_if_unneeded


def test_a_household_member_is_held_by_the_register(county, households):
    person = Person.objects.create(name="周桂兰", phone="13712345678", region=county.village_a)
    assert register_roles(person) == []  # nobody holds her yet: she could be anonymised
    services.household_member_add(
        actor=None, household=households.plain, person=person, relation=MemberRelation.HEAD
    )
    assert register_roles(person)  # the household now holds her, named by the row's kind
    assert person_anonymise_if_unneeded(person_id=person.pk, reason="test", actor=None) is None
    person.refresh_from_db()
    assert (person.name, person.phone) == ("周桂兰", "13712345678")
    assert not AnonymisedPerson.objects.filter(person=person).exists()
