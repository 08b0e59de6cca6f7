"""The residents' pages for the junk tests: no path parameters; a valid phone and the send
action, so junk in either reaches code_send and code_verify."""

from __future__ import annotations

from typing import Any


def junk_world(desk: Any) -> dict[str, Any]:
    return {"paths": {}, "form": {"phone": "13900007777", "action": "send"}}
