"""An official account's custom menu (自定义菜单): WeChat's rules for it, and Wenmin's default.

The menu is WeChat's JSON (`{"button": [...]}`); these checks refuse what WeChat would refuse,
with a message the administrator can act on, before anything is pushed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The keys of the click buttons Wenmin answers (the inbound callback reads them).
MENU_KEY_REPORT = "WENMIN_REPORT"  # 反映问题: how to report a problem
MENU_KEY_QUERY = "WENMIN_QUERY"  # 查询进度: the state of the resident's cases, as "查询" does

MAX_TOP = 3
MAX_SUB = 5
MAX_TOP_NAME_BYTES = 16  # WeChat: four Chinese characters in a top-level button
MAX_SUB_NAME_BYTES = 60
MAX_KEY_BYTES = 128
MAX_URL_BYTES = 1024
TYPES_WITH_KEY = frozenset({"click", "scancode_push", "scancode_waitmsg", "pic_sysphoto"})


def menu_default(*, site_url: str) -> list[dict[str, Any]]:
    """反映问题 / 查询进度 / 问需调查: what a county's account offers out of the box."""
    return [
        {"type": "click", "name": "反映问题", "key": MENU_KEY_REPORT},
        {"type": "click", "name": "查询进度", "key": MENU_KEY_QUERY},
        {"type": "view", "name": "问需调查", "url": f"{site_url}/surveys/"},
    ]


def _name_check(button: Any, where: str, limit: int) -> None:
    name = button.get("name") if isinstance(button, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"menu": [_("%(where)s has no name.") % {"where": where}]})
    if len(name.encode()) > limit:
        raise ValidationError(
            {
                "menu": [
                    _("%(where)s: the name %(name)s is longer than WeChat allows.")
                    % {"where": where, "name": name}
                ]
            }
        )


def _action_check(button: dict[str, Any], where: str) -> None:
    kind = button.get("type")
    if kind == "view":
        url = button.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ValidationError(
                {"menu": [_("%(where)s opens a page: give its address.") % {"where": where}]}
            )
        if len(url.encode()) > MAX_URL_BYTES:
            raise ValidationError(
                {"menu": [_("%(where)s: the address is too long.") % {"where": where}]}
            )
    elif kind in TYPES_WITH_KEY:
        key = button.get("key")
        if not isinstance(key, str) or not key or len(key.encode()) > MAX_KEY_BYTES:
            raise ValidationError(
                {"menu": [_("%(where)s needs a key of at most 128 bytes.") % {"where": where}]}
            )
    else:
        raise ValidationError({"menu": [_("%(where)s: unknown button type.") % {"where": where}]})


def menu_check(buttons: Any) -> list[dict[str, Any]]:
    """The menu if WeChat would take it; a ValidationError saying which button is wrong else."""
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_TOP:
        raise ValidationError({"menu": [_("A menu has one to three buttons.")]})
    for i, button in enumerate(buttons, start=1):
        where = _("Button %(n)s") % {"n": i}
        _name_check(button, where, MAX_TOP_NAME_BYTES)
        subs = button.get("sub_button")
        if subs is None:
            _action_check(button, where)
            continue
        if not isinstance(subs, list) or not 1 <= len(subs) <= MAX_SUB:
            raise ValidationError(
                {"menu": [_("%(where)s has one to five sub-buttons.") % {"where": where}]}
            )
        for j, sub in enumerate(subs, start=1):
            sub_where = _("Button %(n)s.%(m)s") % {"n": i, "m": j}
            _name_check(sub, sub_where, MAX_SUB_NAME_BYTES)
            _action_check(sub, sub_where)
    return buttons
