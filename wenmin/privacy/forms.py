"""The privacy pages' forms: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields


class PersonSearchForm(forms.Form):
    q = formfields.TextField(
        label=_("Phone, ID number or name"),
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
        error_messages={"required": _("Enter the code.")},
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the person's identity and their request"),
        error_messages={"required": _("Confirm that you checked the request.")},
    )
