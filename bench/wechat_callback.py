"""WeChat's callback under load: safe-mode messages against a bare INSERT, through gunicorn.

gunicorn serves the real application (plus the bare view of `bench/wechat_urls.py`) with
several workers, on SQLite (a WAL file) and on PostgreSQL (when reachable), with `wenmin seed
--scale county` loaded and one official account in safe mode. Four closed-loop senders (as
WeChat's servers would be) post text messages encrypted the way WeChat does (AES-256-CBC with the
EncodingAESKey, `msg_signature` over token, timestamp, nonce and the ciphertext; each with a
new MsgId and one openid per sender) to `/wechat/callback/<callback_key>/`, and the same body to
the bare view, in alternating rounds. Prints requests a second, p50/p99, the callback ÷ bare
ratio, and whether the p99 stays well inside WeChat's 5 seconds (goal: < 1 s).

When the callback is not there (a tree without the inbound callback: its URL answers 404), only
the baseline runs, and the bench says so.

    .venv/bin/python bench/wechat_callback.py [--scale county|city] [--workers 4] [--clients 4]
        [--seconds 10] [--rounds 3] [--port 8162] [--pg-db NAME] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import secrets
import struct
import sys
import time
import urllib.parse
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import serverload  # noqa: E402

PATHS = ("callback", "bare")
APP_ID = "wxbench00000000001"
TOKEN = "benchtoken"  # noqa: S105  (the bench's own account)
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat gives it
GOAL_P99_MS = 1000  # well inside WeChat's 5 s

SETUP = f"""
import json
from wenmin.wechat.models import OfficialAccount
from wenmin.organisation.models import Region, RegionLevel
township = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").first()
account, _ = OfficialAccount.objects.update_or_create(app_id={APP_ID!r}, defaults=dict(
    name="bench", token={TOKEN!r}, aes_key={AES_KEY!r}, app_secret="", mode="safe",
    region=township))
print("SETUP " + json.dumps({{"callback_key": account.callback_key}}))
"""


# WeChat's message encryption (the protocol's own description, not a library) ----------------


def _aes_key() -> bytes:
    return base64.b64decode(AES_KEY + "=")


def encrypt(xml: str) -> str:
    """random(16) + length (4 bytes, network order) + message + AppID, PKCS#7 to 32, AES-CBC."""
    message = xml.encode()
    plain = secrets.token_bytes(16) + struct.pack(">I", len(message)) + message + APP_ID.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    key = _aes_key()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def sha1_of(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324  (WeChat's)


def safe_mode_post(n: int, openid: str) -> tuple[str, str]:
    """(query string, body) of the n-th text message from `openid`, as WeChat posts it."""
    now = str(int(time.time()))
    inner = (
        f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[第{n}号：村口路灯不亮已经一周，晚上出行不安全，请尽快维修。]]></Content>"
        f"<MsgId>{7_000_000_000_000_000_000 + n}</MsgId></xml>"
    )
    encrypted = encrypt(inner)
    nonce = secrets.token_hex(5)
    query = urllib.parse.urlencode(
        {
            "signature": sha1_of(TOKEN, now, nonce),
            "timestamp": now,
            "nonce": nonce,
            "openid": openid,
            "encrypt_type": "aes",
            "msg_signature": sha1_of(TOKEN, now, nonce, encrypted),
        }
    )
    body = (
        f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    return query, body


# Load -------------------------------------------------------------------------------------


def _callback_there(port: int, url: str) -> bool:
    """WeChat's GET verification answers with the echostr when the callback exists."""
    now, nonce, echo = str(int(time.time())), "benchnonce", "bench-echo-1"
    query = urllib.parse.urlencode(
        {"signature": sha1_of(TOKEN, now, nonce), "timestamp": now, "nonce": nonce, "echostr": echo}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"{url}?{query}")
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status == 200 and echo in body


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    setup = serverload.load_and_setup(env, name, args.scale, SETUP)
    urls = {"callback": f"/wechat/callback/{setup['callback_key']}/", "bare": "/bench/wechat-bare/"}
    server = serverload.serve(env, args)
    try:
        paths = PATHS if _callback_there(args.port, urls["callback"]) else ("bare",)
        if paths == ("bare",):
            print("   the callback is not there (404): only the baseline runs", flush=True)

        def run(kind: str, seconds: float, first: int) -> dict:
            def make(n: int) -> serverload.Request:
                # One openid per client (the client's first number), a new MsgId per message.
                query, body = safe_mode_post(n, f"oBench{n // 1_000_000:012d}")
                return f"{urls[kind]}?{query}", body, {"Content-Type": "text/xml"}

            return serverload.load_round(args.port, make, 200, args.clients, seconds, first)

        summaries = serverload.rotating_rounds(paths, args, run)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result: dict = {"backend": name, "callback_present": "callback" in summaries, **summaries}
    if "callback" in result:
        result["callback"]["ratio"] = (
            result["callback"]["per_second"] / result["bare"]["per_second"]
        )
    return result


def _print(results: list[dict], args: argparse.Namespace) -> None:
    print(
        f"\nWeChat callback (safe mode) through gunicorn ({args.workers} {args.worker_class}"
        f" workers × {args.threads} threads), scale {args.scale}, {args.clients} senders,"
        f" {args.rounds} rounds × {args.seconds:g} s per path, {os.cpu_count()} CPUs"
    )
    print(
        f"{'backend':<11} {'path':<9} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'fail':>5} {'÷ bare':>7}"
    )
    for result in results:
        for kind in PATHS:
            if kind not in result:
                print(f"{result['backend']:<11} {kind:<9} {'(not there: 404)':>31}")
                continue
            s = result[kind]
            ratio = f"{s['ratio']:.2f}" if "ratio" in s else ""
            print(
                f"{result['backend']:<11} {kind:<9} {s['per_second']:>7.1f} {s['p50_ms']:>7.1f}"
                f" {s['p99_ms']:>7.1f} {s['failures']:>5} {ratio:>7}"
            )
    print(f"goal: the callback's p99 < {GOAL_P99_MS} ms, well inside WeChat's 5 s")


def main() -> int:
    parser = serverload.arguments(
        (__doc__ or "").splitlines()[0],
        scale="county",
        clients=4,
        seconds=10,
        port=8162,
        pg_db="wenmin_bench_wechat_callback",
    )
    args = parser.parse_args()
    results = serverload.each_backend(
        args, {"DJANGO_SETTINGS_MODULE": "bench.wechat_settings"}, bench_backend
    )
    _print(results, args)
    serverload.save(results, f"wechat-callback-{args.scale}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
