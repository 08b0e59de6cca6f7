from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_noop


class LoginForm(AuthenticationForm):
    """The stock form; axes counts its failures."""


# Django adds its label suffix (":") to a form label unless the label ends in one of these
# characters, which it reads through this very msgid. The zh-hans catalogue adds the full-width
# ones, so no label of the project's forms (nor the admin's) ends in "？:" or "。:".
# Translators: the characters that end a form label with nothing added after them; add your
# language's own question mark, full stop, exclamation mark and colon to ":?.!".
LABEL_ENDINGS = gettext_noop(":?.!")
