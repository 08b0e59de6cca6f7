"""The verification page's two forms; the rules are code_send's and code_verify's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields


class PhoneForm(forms.Form):
    """Step 1: the phone a code goes to."""

    phone = formfields.TextField(
        label=_("Mobile phone"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "autofocus": True}
        ),
        error_messages={"required": _("Enter your mobile phone number.")},
    )

    def add_service_errors(self, message_dict: Mapping[str, Iterable[str]]) -> None:
        """Each of the service's errors next to its field when the field is shown, else on top."""
        for key, messages in message_dict.items():
            shown = key in self.fields and not self.fields[key].widget.is_hidden
            for message in messages:
                self.add_error(key if shown else None, message)


class CodeForm(PhoneForm):
    """Step 2: the code the text message brought (the phone rides along, hidden)."""

    code = formfields.TextField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
        required=False,  # code_verify says what a code must be
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["phone"].widget = forms.HiddenInput()
