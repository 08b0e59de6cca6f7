"""The points' forms: parse only (the services judge)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.core import formfields
from wenmin.points.models import PointsRule
from wenmin.points.selectors import YEAR_MAX, YEAR_MIN
from wenmin.tallies.registry import SOURCES

ID_MAX = 2**62


def counter_choices(rule: PointsRule | None = None) -> list[tuple[str, str]]:
    """Every registered source's counters as "source.counter" (and the rule's own, if gone)."""
    choices = [
        (f"{key}.{counter}", f"{source.label} · {label}")
        for key, source in sorted(SOURCES.items())
        for counter, label in source.counters.items()
    ]
    if rule is not None:
        for counter in (rule.counter, rule.less_counter):
            value = f"{rule.source}.{counter}"
            if counter and value not in dict(choices):
                choices.append(
                    (value, str(_("%(counter)s (source not available)") % {"counter": value}))
                )
    return choices


class PointsFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    township = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    branch = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    stars = forms.IntegerField(required=False, min_value=0, max_value=5)
    name = formfields.TextField(required=False, max_length=64)


class YearForm(forms.Form):
    base = formfields.NumberField(label=_("Base points per member"))
    star_1 = formfields.NumberField(label=_("★ from"))
    star_2 = formfields.NumberField(label=_("★★ from"))
    star_3 = formfields.NumberField(label=_("★★★ from"))
    star_4 = formfields.NumberField(label=_("★★★★ from"))
    star_5 = formfields.NumberField(label=_("★★★★★ from"))


class RuleForm(forms.Form):
    label = formfields.TextField(label=_("Rule's name"), max_length=100)
    counter = forms.ChoiceField(label=_("What is counted"))
    less_counter = forms.ChoiceField(
        label=_("Less (optional)"),
        required=False,
        help_text=_("For what was missed: e.g. meetings expected less meetings attended."),
    )
    per = formfields.NumberField(label=_("For each"), initial=1)
    points = formfields.NumberField(
        label=_("Points"), help_text=_("Negative for a penalty, e.g. -2.")
    )
    cap = formfields.NumberField(
        label=_("At most a year (points)"),
        required=False,
        help_text=_("Leave empty for no limit."),
    )

    def __init__(self, *args: Any, rule: PointsRule | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = counter_choices(rule)
        self.fields["counter"].choices = choices  # type: ignore[attr-defined]
        self.fields["less_counter"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        counter = data.get("counter") or ""
        less = data.get("less_counter") or ""
        if counter and less and less.split(".", 1)[0] != counter.split(".", 1)[0]:
            self.add_error("less_counter", _("Choose a counter of the same source."))
        return data

    def rule_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        source, counter = data["counter"].split(".", 1)
        less = data.get("less_counter") or ""
        return {
            "label": data["label"],
            "source": source,
            "counter": counter,
            "less_counter": less.split(".", 1)[1] if less else "",
            "per": data["per"],
            "points": data["points"],
            "cap": data.get("cap"),
        }


def rule_initial(rule: PointsRule) -> dict[str, Any]:
    return {
        "label": rule.label,
        "counter": f"{rule.source}.{rule.counter}",
        "less_counter": f"{rule.source}.{rule.less_counter}" if rule.less_counter else "",
        "per": rule.per,
        "points": rule.points,
        "cap": rule.cap,
    }


class CopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("Start from"), min_value=YEAR_MIN, max_value=YEAR_MAX)


class AdjustmentForm(forms.Form):
    day = formfields.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    points = formfields.NumberField(
        label=_("Points"), help_text=_("Positive for a bonus, negative for a penalty, e.g. -3.")
    )
    reason = formfields.TextField(
        label=_("Reason"),
        max_length=500,
        multiline=True,
        required=False,
        help_text=_("A penalty needs a reason; the member reads it."),
    )
    decided_by = formfields.TextField(
        label=pgettext_lazy("points", "Decided by"),
        max_length=100,
        help_text=_("e.g. the branch committee, 5 March"),
    )


class WithdrawForm(forms.Form):
    withdrawn_reason = formfields.TextField(label=_("Why withdraw it"), max_length=500)
