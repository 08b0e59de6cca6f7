from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_noop


class LoginForm(AuthenticationForm):
    """The stock form; axes counts its failures. A username longer than any account's is refused
    before authenticating: the stock form sets the field's max_length after building its
    validators, and axes would record the attempt in a column of 255 characters (PostgreSQL
    refuses a longer one: a 500)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(getattr(field, "max_length", None) or 150))


# Django ends a form label with its label suffix (":") unless the label already ends in one of
# the label-ending characters, and reads both through these very msgids: the zh-hans catalogue
# makes the suffix full-width and adds the full-width endings, so no label of the project's forms
# (nor the admin's) ends in "？:" or "）:" but in "？" and "）：".
# Translators: the suffix added to a form label; the full-width "：" in Chinese.
LABEL_SUFFIX = gettext_noop(":")
# Translators: the characters that end a form label with nothing added after them; add your
# language's own question mark, full stop, exclamation mark and colon to ":?.!".
LABEL_ENDINGS = gettext_noop(":?.!")
