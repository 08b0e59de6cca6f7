"""The households pages' forms: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.households import rules, selectors
from wenmin.households.models import MemberRelation
from wenmin.organisation import pickers
from wenmin.organisation.models import Person
from wenmin.organisation.selectors import people_visible_to


class HouseholdRegionField(pickers.PickerField):
    """A village picker that also takes the code of one of its villagers' groups, among the
    regions where the viewer may register households."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Type a village's code or part of its name, or a group's code.")
        )
        super().__init__("village", **kwargs)

    def _find(self, text: str) -> Any:
        if self.user is None or validators.text_problem(text) is not None or len(text) > 64:
            raise forms.ValidationError(_("Choose from the list."), code="invalid_choice")
        found = list(selectors.regions_editable_by(self.user).filter(code=text)[:1])
        if not found:
            raise forms.ValidationError(
                _("%(value)s is not a village or group where you may register households.")
                % {"value": text[:32]},
                code="invalid_choice",
            )
        return found[0]


class HouseholdFilterForm(forms.Form):
    township = pickers.PickerField("township", label=_("Township"), required=False, help_text="")
    village = pickers.PickerField("village", label=_("Village"), required=False, help_text="")
    care = forms.ChoiceField(label=_("Care"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            ("", _("All households")),
            (rules.VISIT_FILTER, _("On the visit list")),
        ]
        if rules.can_see_care_categories(user.role):
            choices += [(c.code, c.name) for c in selectors.care_categories()]
        self.fields["care"].choices = choices  # type: ignore[attr-defined]
        pickers.scope_pickers(self, user)


class HouseholdForm(forms.Form):
    code = forms.CharField(label=_("Household number"), max_length=rules.CODE_MAX)
    region = HouseholdRegionField(label=_("Village or villagers' group"))
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Personal data: stored encrypted and shown masked."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["address"].help_text = _("Leave empty to keep the address on record.")
        pickers.scope_pickers(self, user)


class MemberForm(forms.Form):
    person = forms.IntegerField(
        label=_("Person number"),
        min_value=1,
        max_value=validators.ID_MAX,
        help_text=_("The number on the person's page in People."),
    )
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=MemberRelation.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        person = people_visible_to(self.user).filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError(_("No one with this number in your area."))
        return person


class CareForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Care categories"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in selectors.care_categories()
        ]
