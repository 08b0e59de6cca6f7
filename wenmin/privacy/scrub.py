"""Taking personal data out of free text. Pure: no database.

What can be found safely: the requester's own name and phone as they are on file (exact
matches), and anything shaped like a mainland mobile number, a landline with its area code, an
ID number (18 characters, with a valid date of birth) or an e-mail address. What cannot: other
people's names, nicknames, a house number or a description that identifies someone ("the
widow at the east end of the village"), numbers written in Chinese characters or spaced
unusually, faces in photos. Free text is therefore cleaned of what can be found, and photos are
deleted rather than cleaned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

NAME_MARK = "某某"
PHONE_MARK = "[电话已删除]"
ID_MARK = "[证件号已删除]"
EMAIL_MARK = "[邮箱已删除]"
ADDRESS_MARK = "[地址已删除]"
PERSON_NAME = "已匿名"  # a person's name once anonymised

# Not preceded or followed by another digit (or letter, for ID numbers), so case numbers,
# region codes and dates are left alone.
MOBILE = re.compile(r"(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![\d])")
LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}[\s-]?\d{7,8}(?![\d])")
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx](?![0-9A-Za-z])"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub_text(text: str, *, names: Iterable[str] = (), phones: Iterable[str] = ()) -> str:
    """The text with the known names and phones and every phone-, ID- or e-mail-shaped string
    replaced by a mark."""
    if not text:
        return text
    for phone in phones:
        if phone and len(phone) >= 7:
            text = text.replace(phone, PHONE_MARK)
    text = ID_NUMBER.sub(ID_MARK, text)
    text = MOBILE.sub(PHONE_MARK, text)
    text = LANDLINE.sub(PHONE_MARK, text)
    text = EMAIL.sub(EMAIL_MARK, text)
    # Longest first, so 王小明 is replaced before 王小 would break it. A one-character name
    # would erase that character everywhere: only names of two or more are replaced.
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len)[::-1]:
        text = text.replace(name, NAME_MARK)
    return text


# Keys of a case event's details that hold what a client said about the person (Open311's
# device and account ids, its e-mail and names, a link to a photo elsewhere).
PERSONAL_KEYS = frozenset(
    {"device_id", "account_id", "address_id", "media_url", "email", "first_name", "last_name"}
)


def scrub_data(value: Any, *, names: Iterable[str] = (), phones: Iterable[str] = ()) -> Any:
    """A JSON value with personal keys emptied and its texts scrubbed; numbers, booleans and
    the structure are kept (the scoreboard reads them)."""
    names, phones = tuple(names), tuple(phones)
    if isinstance(value, dict):
        return {
            key: (
                ""
                if key in PERSONAL_KEYS and item
                else scrub_data(item, names=names, phones=phones)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub_data(item, names=names, phones=phones) for item in value]
    if isinstance(value, str):
        return scrub_text(value, names=names, phones=phones)
    return value
