"""WeChat's server API going out: the access token, template messages and the menu.

One `WechatApi` per official account. The access token is fetched with the AppID and AppSecret
and kept in Django's cache (shared by every application server through Redis) until a little
before WeChat says it expires; an answer saying the token is invalid or expired (40001, 42001,
40014: another server or the WeChat console fetched a new one) drops it and fetches it once more.
Server errors and timeouts are retried a few times with a growing pause. Nothing secret (the
AppSecret, the token, an openid) ever reaches a log line or an exception's message.

Whether messages are really sent (`WENMIN_WECHAT_OUTBOUND=send`) or only recorded (`record`, the
development default) is decided by the caller, `wenmin.messaging.services`.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

if TYPE_CHECKING:
    from wenmin.wechat.models import OfficialAccount

logger = logging.getLogger("wenmin.wechat.outbound")

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
# The token is dropped from the cache this many seconds before WeChat expires it (clocks apart).
TOKEN_MARGIN = 300
# Errors that say the token we used is no longer the account's token.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
TOKEN_WAIT = 3.0  # seconds a server waits for the token another server is fetching
MAX_RESPONSE = 1_000_000  # bytes: WeChat's answers are small; a larger one is refused


class WechatApiError(Exception):
    """WeChat refused the call (errcode), or could not be reached after the retries."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True)
class ApiSettings:
    base_url: str
    timeout: float
    retries: int
    backoff: float

    @classmethod
    def current(cls) -> ApiSettings:
        return cls(
            base_url=getattr(settings, "WENMIN_WECHAT_API_BASE", DEFAULT_BASE_URL).rstrip("/"),
            timeout=float(getattr(settings, "WENMIN_WECHAT_API_TIMEOUT", 5)),
            retries=int(getattr(settings, "WENMIN_WECHAT_API_RETRIES", 2)),
            backoff=float(getattr(settings, "WENMIN_WECHAT_API_BACKOFF", 0.5)),
        )


def token_cache_key(app_id: str) -> str:
    return f"wenmin:wechat:token:{app_id}"


class WechatApi:
    """The calls Wenmin makes on behalf of one official account."""

    def __init__(self, account: OfficialAccount, api: ApiSettings | None = None) -> None:
        self.account = account
        self.api = api or ApiSettings.current()

    # Transport ----------------------------------------------------------------------------

    def _request(self, path: str, query: dict[str, str], body: dict[str, Any] | None) -> Any:
        """One HTTP call, retried on 5xx and network errors; the decoded JSON answer."""
        url = f"{self.api.base_url}{path}?{urllib.parse.urlencode(query)}"
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        attempt = 0
        while True:
            request = urllib.request.Request(  # noqa: S310  (the base URL is a setting: https)
                url,
                data=data,
                method="POST" if data is not None else "GET",
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.api.timeout) as response:  # noqa: S310
                    raw = response.read(MAX_RESPONSE + 1)
                if len(raw) > MAX_RESPONSE:
                    raise WechatApiError(-2, "answer too large")
                return json.loads(raw.decode("utf-8"))
            except urllib.error.HTTPError as error:
                retry = error.code >= 500
                reason = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                retry = True
                reason = type(getattr(error, "reason", error)).__name__
            except ValueError:
                raise WechatApiError(-3, "answer is not JSON") from None
            # The query holds the token or the secret: log the path only.
            logger.warning(
                "WeChat API %s for account %s: %s (attempt %d)",
                path,
                self.account.app_id,
                reason,
                attempt + 1,
            )
            if not retry or attempt >= self.api.retries:
                raise WechatApiError(-1, f"{path}: {reason}")
            time.sleep(self.api.backoff * (2**attempt))
            attempt += 1

    # The access token --------------------------------------------------------------------

    def access_token(self, *, refresh: bool = False) -> str:
        """The account's access token, from the shared cache unless `refresh` or absent."""
        key = token_cache_key(self.account.app_id)
        if not refresh:
            cached = cache.get(key)
            if isinstance(cached, str) and cached:
                return cached
        # One server fetches at a time: each new token WeChat issues starts the old one's end,
        # so servers fetching together would keep invalidating each other's.
        lock = f"{key}:fetching"
        if not cache.add(lock, "1", timeout=int(self.api.timeout) * 2 + 1):
            waited = _token_awaited(key)
            if waited:
                return waited
        try:
            return self._token_fetch(key)
        finally:
            cache.delete(lock)

    def _token_fetch(self, key: str) -> str:
        answer = self._request(
            "/cgi-bin/token",
            {
                "grant_type": "client_credential",
                "appid": self.account.app_id,
                "secret": self.account.app_secret,
            },
            None,
        )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            errcode, errmsg = _error_of(answer)
            logger.warning(
                "WeChat refused a token for account %s: %s %s",
                self.account.app_id,
                errcode,
                errmsg,
            )
            raise WechatApiError(errcode, errmsg)
        expires_in = answer.get("expires_in")
        lifetime = expires_in if isinstance(expires_in, int) and expires_in > 0 else 7200
        cache.set(key, token, timeout=max(lifetime - TOKEN_MARGIN, 60))
        return token

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with the access token; once more with a new token if WeChat refused the old one."""
        for attempt in range(2):
            answer = self._request(
                path, {"access_token": self.access_token(refresh=attempt > 0)}, body
            )
            errcode, errmsg = _error_of(answer)
            if errcode == 0:
                return answer if isinstance(answer, dict) else {}
            if errcode in TOKEN_ERRORS and attempt == 0:
                cache.delete(token_cache_key(self.account.app_id))
                continue
            logger.warning(
                "WeChat API %s for account %s refused: %s %s",
                path,
                self.account.app_id,
                errcode,
                errmsg,
            )
            raise WechatApiError(errcode, errmsg)
        raise AssertionError("unreachable")  # pragma: no cover

    # What Wenmin sends -------------------------------------------------------------------

    def template_send(
        self, *, openid: str, template_id: str, data: dict[str, str], url: str = ""
    ) -> int:
        """A template message (模板消息) to one follower of the account; WeChat's msgid."""
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {key: {"value": value} for key, value in data.items()},
        }
        if url:
            body["url"] = url
        answer = self.call("/cgi-bin/message/template/send", body)
        msgid = answer.get("msgid")
        return msgid if isinstance(msgid, int) else 0

    def subscribe_send(
        self, *, openid: str, template_id: str, data: dict[str, str], page: str = ""
    ) -> None:
        """A one-time subscription message (订阅通知) the follower agreed to receive."""
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {key: {"value": value} for key, value in data.items()},
        }
        if page:
            body["page"] = page
        self.call("/cgi-bin/message/subscribe/bizsend", body)

    def menu_create(self, *, buttons: list[dict[str, Any]]) -> None:
        """Replace the account's custom menu (自定义菜单)."""
        self.call("/cgi-bin/menu/create", {"button": buttons})


def _token_awaited(key: str) -> str:
    """The token another server is fetching, once it is in the cache ('' after TOKEN_WAIT)."""
    deadline = time.monotonic() + TOKEN_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
        cached = cache.get(key)
        if isinstance(cached, str) and cached:
            return cached
    return ""


def _error_of(answer: Any) -> tuple[int, str]:
    if not isinstance(answer, dict):
        return -3, "answer is not an object"
    errcode = answer.get("errcode", 0)
    errmsg = answer.get("errmsg", "")
    return (errcode if isinstance(errcode, int) else -3), str(errmsg)[:200]
