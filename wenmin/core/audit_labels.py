"""What an audit event's action code is called on the audit log page ("case.dispatch" → "诉求 ·
派单"). Codes are `<noun>.<verb>`: apps register the words for their own nouns and for codes
that need a whole phrase; the code itself stays on the page, small, for filtering."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_PHRASES: dict[str, Any] = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.locked_out": _("Locked out after failed logins"),
    "account.password": _("Password changed"),
}
_NOUNS: dict[str, Any] = {
    "account": pgettext_lazy("audit", "Account"),
    "api_token": pgettext_lazy("audit", "API token"),
    "apikey": pgettext_lazy("audit", "Open311 API key"),
    "excel": pgettext_lazy("audit", "Excel"),
    "seed": pgettext_lazy("audit", "Demo data"),
}
_VERBS: dict[str, Any] = {
    "create": pgettext_lazy("audit", "created"),
    "created": pgettext_lazy("audit", "created"),
    "update": pgettext_lazy("audit", "changed"),
    "delete": pgettext_lazy("audit", "deleted"),
    "set": pgettext_lazy("audit", "set"),
    "save": pgettext_lazy("audit", "saved"),
    "start": pgettext_lazy("audit", "started"),
    "end": pgettext_lazy("audit", "ended"),
    "revoke": pgettext_lazy("audit", "revoked"),
    "revoked": pgettext_lazy("audit", "revoked"),
    "use": pgettext_lazy("audit", "used"),
    "import": pgettext_lazy("audit", "imported"),
    "export": pgettext_lazy("audit", "exported"),
    "reveal": pgettext_lazy("audit", "personal data shown unmasked"),
    "export_unmasked": pgettext_lazy("audit", "exported unmasked"),
    "load": pgettext_lazy("audit", "loaded"),
    "submit": pgettext_lazy("audit", "submitted"),
    "decide": pgettext_lazy("audit", "decided"),
    "cases": pgettext_lazy("audit", "case history loaded"),
}


def register(*, nouns: dict[str, Any] | None = None, phrases: dict[str, Any] | None = None) -> None:
    """An app's words: nouns ("appeal") and whole phrases for exact codes ("case.dispatch")."""
    _NOUNS.update(nouns or {})
    _PHRASES.update(phrases or {})


def _model_noun(noun: str) -> Any:
    for model in apps.get_models():
        if model._meta.model_name == noun.replace("_", ""):
            return model._meta.verbose_name
    return None


def action_label(code: str) -> str:
    """The words for an action code; the code itself when it has none."""
    if code in _PHRASES:
        return str(_PHRASES[code])
    noun, _sep, verb = code.partition(".")
    noun_label = _NOUNS.get(noun) or _model_noun(noun)
    verb_label = _VERBS.get(verb)
    if noun_label is None or verb_label is None:
        return code
    return f"{noun_label} · {verb_label}"


def target_label(target_type: str) -> str:
    """The object type's name ("cases.case" → "诉求"), or the type itself."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type
