"""The group page's forms: they parse what was sent; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields
from wenmin.groups.parsing import MAX_BYTES
from wenmin.groups.selectors import Show

MAX_PASTE = 400_000  # characters: about 5000 messages


class PasteForm(forms.Form):
    text = formfields.TextField(
        label=_("Conversation copied from WeChat"),
        max_length=MAX_PASTE,
        multiline=True,
        help_text=_(
            "In WeChat on the computer, select the messages, copy them and paste them here. "
            "Each message starts with a line “昵称 2024/5/3 14:22”."
        ),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Chat export (CSV or text)"),
        help_text=_("UTF-8 or GB18030; a CSV's first row names its columns."),
    )
    sender_column = formfields.TextField(label=_("Sender column"), max_length=64, required=False)
    time_column = formfields.TextField(label=_("Time column"), max_length=64, required=False)
    text_column = formfields.TextField(label=_("Text column"), max_length=64, required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class OpenCasesForm(forms.Form):
    """The sender's phone; the selected messages come as `message` ids (views.message_ids)."""

    phone = formfields.TextField(
        label=_("Sender's phone (if you know it)"),
        max_length=32,
        required=False,
        help_text=_("Only for one sender's messages. The resident then gets the tracking code."),
    )


class MessageFilterForm(forms.Form):
    show = forms.ChoiceField(required=False, choices=[(value, value) for value in Show.VALUES])
    state = forms.CharField(required=False, max_length=16)
    imported = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
