"""A local stand-in for WeChat's server API, for tests and development (never for production).

It implements what Wenmin's outbound adapter calls, with WeChat's own answers: /cgi-bin/token
(an AppID and AppSecret it knows; 40013/40125 otherwise), /cgi-bin/message/template/send,
/cgi-bin/message/subscribe/send and /bizsend, /cgi-bin/menu/create (40001 for a token it did not
issue or has revoked). It records every call it received, and can be told to fail the next calls
with an HTTP status (5xx) to test retries.

    with FakeWechatServer(apps={"wx123": "secret"}) as fake:
        settings.WENMIN_WECHAT_API_BASE = fake.base_url
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeState:
    apps: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)  # token -> appid
    calls: list[Call] = field(default_factory=list)
    fail_statuses: list[int] = field(default_factory=list)
    expires_in: int = 7200
    next_msgid: int = 1000
    menus: dict[str, list[Any]] = field(default_factory=dict)  # appid -> buttons
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (quiet in tests)
        return

    def _answer(self, payload: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, body: Any) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        state = self.server.state
        with state.lock:
            state.calls.append(Call(parsed.path, query, body))
            status = state.fail_statuses.pop(0) if state.fail_statuses else 0
        if status:
            self._answer({"errcode": -1, "errmsg": "system error"}, status)
            return
        self._answer(_route(state, parsed.path, query, body))

    def do_GET(self) -> None:  # noqa: N802
        self._handle(None)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            self._answer({"errcode": 47001, "errmsg": "data format error"})
            return
        self._handle(body)


def _route(state: FakeState, path: str, query: dict[str, str], body: Any) -> dict[str, Any]:
    if path == "/cgi-bin/token":
        appid = query.get("appid", "")
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if appid not in state.apps:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != state.apps[appid]:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = secrets.token_urlsafe(24)
        with state.lock:
            state.tokens[token] = appid
        return {"access_token": token, "expires_in": state.expires_in}
    token_appid = state.tokens.get(query.get("access_token", ""))
    if token_appid is None:
        return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
    if not isinstance(body, dict):
        return {"errcode": 44002, "errmsg": "empty post data"}
    if path in (
        "/cgi-bin/message/template/send",
        "/cgi-bin/message/subscribe/send",
        "/cgi-bin/message/subscribe/bizsend",
    ):
        if not body.get("touser"):
            return {"errcode": 40003, "errmsg": "invalid openid"}
        if not body.get("template_id"):
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        with state.lock:
            state.next_msgid += 1
            msgid = state.next_msgid
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}
    if path == "/cgi-bin/menu/create":
        buttons = body.get("button")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            return {"errcode": 40016, "errmsg": "invalid button size"}
        state.menus[token_appid] = buttons
        return {"errcode": 0, "errmsg": "ok"}
    return {"errcode": 40066, "errmsg": "invalid url"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeState


class FakeWechatServer:
    """The fake API on 127.0.0.1, served from a thread while the `with` block runs."""

    def __init__(self, *, apps: dict[str, str], port: int = 0) -> None:
        self.state = FakeState(apps=dict(apps))
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeWechatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def calls(self) -> list[Call]:
        with self.state.lock:
            return list(self.state.calls)

    def calls_to(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]

    def revoke_tokens(self) -> None:
        """Every token issued so far becomes invalid (40001), as when another client fetched one."""
        with self.state.lock:
            self.state.tokens.clear()

    def fail_next(self, *statuses: int) -> None:
        """Answer the next calls with these HTTP statuses."""
        with self.state.lock:
            self.state.fail_statuses.extend(statuses)
