"""Personal data at rest: encrypted columns, key rotation, masking and keyed digests."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from wenmin.core import crypto
from wenmin.organisation.models import Person

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw_columns(person: Person) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, id_number, phone_digest, id_digest FROM organisation_person WHERE id = %s",
            [person.pk],
        )
        row = cursor.fetchone()
    assert row is not None
    return row[0], row[1], row[2], row[3]


def test_phone_and_id_number_are_stored_encrypted(county):
    phone, id_number, phone_digest, id_digest = _raw_columns(county.cadre_department)
    for clear, stored in (("13700001111", phone), ("369901198001010019", id_number)):
        assert clear not in stored
        assert crypto.decrypt(stored) == clear
    assert "13700001111" not in phone_digest and "369901198001010019" not in id_digest
    reloaded = Person.objects.get(pk=county.cadre_department.pk)
    assert (reloaded.phone, reloaded.id_number) == ("13700001111", "369901198001010019")


def test_a_missing_value_stays_empty_rather_than_encrypted(county):
    _phone, id_number, _phone_digest, id_digest = _raw_columns(county.member_a)
    assert (id_number, id_digest) == ("", "")
    assert Person.objects.get(pk=county.member_a.pk).id_number == ""


def test_a_phone_can_be_found_by_its_digest_only(county):
    assert Person.objects.filter(phone_digest=crypto.digest("13812345678")).get() == county.member_a
    assert not Person.objects.filter(phone="13812345678").exists()  # the ciphertext never matches


def test_encryption_round_trips_and_never_repeats_a_ciphertext():
    first, second = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13812345678"
    assert crypto.decrypt(crypto.encrypt("陈明 138")) == "陈明 138"


def test_a_value_under_an_unknown_key_cannot_be_decrypted(settings):
    token = Fernet(Fernet.generate_key()).encrypt(b"13812345678").decode()
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(token)


def test_an_old_key_still_decrypts_after_rotation(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = crypto.encrypt("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(old_token) == "13812345678"
    new_token = crypto.encrypt("13812345678")
    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()) == b"13812345678"
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(ValueError):
        crypto.decrypt(old_token)


def test_a_row_written_under_the_old_key_reads_after_rotation(county, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    person = Person.objects.create(name="旧钥", phone="13600001111")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert Person.objects.get(pk=person.pk).phone == "13600001111"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("05662345678", "056****5678"),
        ("1381234", "*******"),
        ("", ""),
    ],
)
def test_phones_are_masked_to_the_prefix_and_last_four(phone, masked):
    assert crypto.mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("369901198001010019", "3699**********0019"), ("1234567", "*******"), ("", "")],
)
def test_id_numbers_are_masked_to_the_region_prefix_and_last_four(number, masked):
    assert crypto.mask_id_number(number) == masked


def test_the_model_offers_masked_values(county):
    assert county.member_a.phone_masked == "138****5678"
    assert county.cadre_department.id_number_masked == "3699**********0019"


def test_the_digest_is_stable_and_distinguishes_values():
    assert crypto.digest("13812345678") == crypto.digest("13812345678")
    assert crypto.digest("13812345678") != crypto.digest("13812345679")
    assert len(crypto.digest("13812345678")) == 64
    assert crypto.digest("") == ""


def test_the_digest_is_keyed(settings):
    plain = hashlib.sha256(b"13812345678").hexdigest()
    settings.FIELD_DIGEST_KEY = "one-digest-key"
    under_one = crypto.digest("13812345678")
    settings.FIELD_DIGEST_KEY = "another-digest-key"
    under_another = crypto.digest("13812345678")
    assert plain not in (under_one, under_another)
    assert under_one != under_another


def test_rotating_the_encryption_keys_keeps_the_digests(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    before = crypto.digest("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.digest("13812345678") == before
