"""The callback WeChat calls for each official account: GET checks the URL, POST brings a message."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from wenmin.wechat import inbound
from wenmin.wechat.selectors import account_by_callback_key

logger = logging.getLogger("wenmin.wechat")


def _refused(status: int, reason: str, callback_key: str) -> HttpResponse:
    # One line, no traceback, no secret: the key's first characters name the account.
    logger.warning("wechat callback refused (%s): %s [%s…]", status, reason, callback_key[:4])
    response = HttpResponse(status=status, content_type="text/plain; charset=utf-8")
    # django.request would log the 4xx again: one refusal, one line.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@csrf_exempt  # WeChat signs its requests; it has no cookie and no CSRF token
@never_cache
def callback(request: HttpRequest, callback_key: str) -> HttpResponse:
    """WeChat's server URL for one account (/wechat/callback/<callback_key>/)."""
    if request.method not in ("GET", "POST"):
        response = _refused(405, f"method {request.method}"[:40], callback_key)
        response["Allow"] = "GET, POST"
        return response
    account = account_by_callback_key(callback_key=callback_key)
    if account is None:
        return _refused(404, "unknown or inactive account", callback_key)
    query = {name: request.GET.get(name, "") for name in request.GET}
    try:
        if request.method == "GET":
            echostr = inbound.verify(account=account, query=query)
            return HttpResponse(echostr, content_type="text/plain; charset=utf-8")
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdecimal() and int(length) > inbound.MAX_BODY:
            raise inbound.Refused(413, "body too large")
        try:
            body = request.body
        except RequestDataTooBig:
            raise inbound.Refused(413, "body too large") from None
        opened = inbound.open_message(account=account, query=query, body=body)
        text = inbound.message_receive(account=account, fields=opened.fields)
        content, content_type = inbound.reply_body(
            account=account, opened=opened, text=text, query=query
        )
    except inbound.Refused as refusal:
        return _refused(refusal.status, refusal.reason, callback_key)
    return HttpResponse(content, content_type=content_type)
