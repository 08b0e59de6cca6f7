"""Production says whether WeChat messages are sent: with the wechat backend on, an unset
WENMIN_WECHAT_OUTBOUND refuses to start; development records them."""

from __future__ import annotations

from pathlib import Path

from wenmin.core.tests.test_settings import _production_env, _refusal, _run


def _outbound(tmp_path: Path, **env: str) -> str:
    probe = "import wenmin.settings as s; print(s.WENMIN_WECHAT_OUTBOUND)"
    result = _run(tmp_path, ["-c", probe], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_with_the_wechat_backend_must_say_send_or_record(tmp_path):
    env = {**_production_env(), "WENMIN_NOTIFY_BACKENDS": "inapp,wechat"}
    assert "WENMIN_WECHAT_OUTBOUND" in _refusal(tmp_path, **env)
    assert _outbound(tmp_path, **env, WENMIN_WECHAT_OUTBOUND="send") == "send"
    assert _outbound(tmp_path, **env, WENMIN_WECHAT_OUTBOUND="record") == "record"


def test_development_records_by_default_and_refuses_an_unknown_mode(tmp_path):
    assert _outbound(tmp_path) == "record"
    assert "WENMIN_WECHAT_OUTBOUND" in _refusal(tmp_path, WENMIN_WECHAT_OUTBOUND="maybe")
