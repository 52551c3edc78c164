"""FBP202: a synchronous network call inside `async def` stalls every request on the worker."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Applicability, Severity
from fastapi_practices.rules.async_.blocking import (
    ThreadableBlockingCallRule,
    display,
    receiver,
)
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})

_MODULE_FUNCTIONS = frozenset(
    {
        *(f"requests.{verb}" for verb in _VERBS),
        *(f"requests.api.{verb}" for verb in _VERBS),
        *(f"httpx.{verb}" for verb in _VERBS | {"stream"}),
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
    }
)

_SMTP_CLASSES = frozenset({"smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP"})
_SMTP_METHODS = frozenset(
    {
        "connect",
        "helo",
        "ehlo",
        "ehlo_or_helo_if_needed",
        "starttls",
        "login",
        "auth",
        "sendmail",
        "send_message",
        "mail",
        "rcpt",
        "data",
        "rset",
        "noop",
        "verify",
        "expn",
        "docmd",
        "quit",
    }
)

# Receiver class -> the methods of it that talk to the network.
_TALKING_METHODS: dict[str, frozenset[str]] = {
    "requests.Session": _VERBS | {"send"},
    "httpx.Client": _VERBS | {"send", "stream"},
    "redis.client.Pipeline": frozenset({"execute", "watch"}),
    "redis.client.PubSub": frozenset(
        {"subscribe", "psubscribe", "unsubscribe", "punsubscribe", "get_message", "listen", "ping"}
    ),
    **{cls: _SMTP_METHODS for cls in _SMTP_CLASSES},
}

# Receiver class -> the only methods of it that stay local; every other call is a request.
_LOCAL_METHODS: dict[str, frozenset[str]] = {
    "botocore.client.BaseClient": frozenset(
        {
            "get_paginator",
            "get_waiter",
            "can_paginate",
            "generate_presigned_url",
            "generate_presigned_post",
            "close",
        }
    ),
    "redis.Redis": frozenset(
        {
            "pipeline",
            "pubsub",
            "lock",
            "register_script",
            "get_encoder",
            "get_connection_kwargs",
            "set_response_callback",
            "get_retry",
            "set_retry",
            "load_external_module",
            "close",
            "from_url",
            "from_pool",
        }
    ),
}

_KNOWN_CLIENTS = frozenset({*_TALKING_METHODS, *_LOCAL_METHODS})
_LABELS = {
    "botocore.client.BaseClient": "a boto3 client",
    "redis.client.Pipeline": "a sync Redis pipeline",
    "redis.client.PubSub": "a sync Redis pubsub",
}


@register
class BlockingNetwork(ThreadableBlockingCallRule):
    code = "FBP202"
    name = "blocking-network-in-async"
    severity = Severity.WARNING
    summary = "A synchronous HTTP, AWS, SMTP or Redis call made directly inside an `async def`."
    why = (
        "Code in an `async def` shares one thread with every other request the worker serves. "
        "A synchronous client (`requests`, `urllib`, `httpx.Client`, boto3, `smtplib`, "
        "`redis.Redis`) holds that thread for the whole round trip, so a slow upstream service "
        "freezes the entire application, not just this request. Either use an async client "
        "and `await` it, or let FastAPI run the function in its threadpool by declaring it "
        "with a plain `def`."
    )
    recommended = (
        "import httpx\n\n\n"
        "async def weather(city: str):\n"
        "    async with httpx.AsyncClient() as client:\n"
        '        response = await client.get("https://api.example.com", params={"q": city})\n'
        "    return response.json()\n"
    )
    fix_summary = (
        "Make the function a plain `def` when it awaits nothing, or wrap the call in "
        "`await run_in_threadpool(...)` (adding the import)."
    )
    fix_applicability = Applicability.UNSAFE
    advice = "use an async client, or run the call in a thread"
    examples = (
        Invalid(
            "import requests\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/weather")\nasync def weather(city: str):\n'
            '    response = requests.get("https://api.example.com", params={"q": city})\n'
            "    return response.json()\n",
            line=9,
            fixed="import requests\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/weather")\ndef weather(city: str):\n'
            '    response = requests.get("https://api.example.com", params={"q": city})\n'
            "    return response.json()\n",
            fix_kind="make-def",
        ),
        Invalid(
            "import httpx\n\n\nasync def fetch(url: str):\n    with httpx.Client() as client:\n"
            "        response = client.get(url, timeout=5)\n    return response.text\n",
            line=6,
            fixed="import httpx\nfrom fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def fetch(url: str):\n    with httpx.Client() as client:\n"
            "        response = await run_in_threadpool(client.get, url, timeout=5)\n"
            "    return response.text\n",
            fix_kind="wrap-threadpool",
        ),
        Invalid(
            "from urllib.request import urlopen\n\n\nasync def ping(url: str):\n"
            '    label = "naïve ☕"; body = urlopen(url)\n    return label, body\n',
            line=5,
            fixed="from urllib.request import urlopen\n"
            "from fastapi.concurrency import run_in_threadpool\n\n\nasync def ping(url: str):\n"
            '    label = "naïve ☕"; body = await run_in_threadpool(urlopen, url)\n'
            "    return label, body\n",
            fix_kind="wrap-threadpool",
            note="non-ASCII text before the call on the same line",
        ),
        Invalid(
            'import boto3\n\ns3 = boto3.client("s3")\n\n\n'
            "async def upload(key: str, body: bytes):\n"
            '    s3.put_object(Bucket="media", Key=key, Body=body)\n',
            line=7,
            note="boto3 client built at module level",
        ),
        Invalid(
            "import boto3\n\n\nasync def buckets():\n"
            '    client = boto3.session.Session().client("s3")\n'
            "    return client.list_buckets()\n",
            line=6,
        ),
        Invalid(
            'import redis\n\ncache = redis.Redis(host="localhost")\n\n\n'
            "async def profile(user_id: int):\n"
            '    cached = cache.get(f"user:{user_id}")\n    return cached\n',
            line=7,
            note="`.get()` proven to be on a sync Redis client",
        ),
        Invalid(
            "import requests\n\nsession = requests.Session()\n\n\n"
            "async def notify(payload: dict):\n"
            '    session.post("https://hooks.example.com", json=payload)\n',
            line=7,
        ),
        Invalid(
            "import smtplib\nfrom email.message import EmailMessage\n\n\n"
            "async def send(message: EmailMessage):\n"
            '    with smtplib.SMTP("mail.example.com", 587) as smtp:\n'
            "        smtp.send_message(message)\n",
            line=6,
            count=2,
            note="the constructor connects when it is given a host",
        ),
        Invalid(
            "from redis import Redis\n\n\nasync def bump(r: Redis):\n"
            '    with r.pipeline() as pipe:\n        pipe.incr("hits")\n        pipe.execute()\n',
            line=7,
            count=1,
        ),
        Valid(
            "import httpx\n\n\nasync def fetch(url: str):\n"
            "    async with httpx.AsyncClient() as client:\n"
            "        response = await client.get(url)\n    return response.text\n",
            note="httpx.AsyncClient is the async API",
        ),
        Valid(
            "import httpx\nimport requests\nimport smtplib\n\n\nasync def build():\n"
            "    return httpx.Client(), requests.Session(), smtplib.SMTP()\n",
            note="building a client does no I/O",
        ),
        Valid(
            "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\n\n"
            "app = FastAPI()\n\n\nasync def test_home():\n    client = TestClient(app)\n"
            '    assert client.get("/").status_code == 200\n',
            note="TestClient calls the app in-process",
        ),
        Valid(
            "import requests\nfrom fastapi.concurrency import run_in_threadpool\n\n\n"
            "async def fetch(url: str):\n    return await run_in_threadpool(requests.get, url)\n",
            note="function reference handed to the threadpool",
        ),
        Valid(
            "import requests\nfrom fastapi import BackgroundTasks\n\n\n"
            "async def notify(tasks: BackgroundTasks, url: str):\n"
            "    tasks.add_task(requests.post, url)\n",
            note="handed to BackgroundTasks",
        ),
        Valid(
            "import requests\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/")\n'
            'def weather():\n    return requests.get("https://api.example.com").json()\n',
            note="plain def runs in the threadpool",
        ),
        Valid(
            'async def lookup(params: dict):\n    return params.get("q")\n',
            note="dict.get is not a network call",
        ),
        Valid(
            "import requests\n\n\nasync def fetch(requests, url: str):\n"
            "    return await requests.get(url)\n",
            note="parameter shadows the module",
        ),
        Valid(
            "import asyncio\nimport requests\n\n\nasync def fetch(url: str):\n"
            "    def call():\n        return requests.get(url)\n\n"
            "    return await asyncio.to_thread(call)\n",
            note="nested def run in a thread",
        ),
        Valid(
            "import boto3\n\n\nasync def link(key: str):\n"
            '    s3 = boto3.client("s3")\n'
            '    return s3.generate_presigned_url("get_object", Params={"Key": key})\n',
            note="presigning is local computation",
        ),
        Valid(
            "import redis.asyncio as redis\n\ncache = redis.Redis()\n\n\n"
            'async def profile():\n    return await cache.get("user")\n',
            note="redis.asyncio client",
        ),
    )

    def blocking_call(self, call: ast.Call, ctx: FileContext) -> str | None:
        name = ctx.qualname(call.func)
        if name in _MODULE_FUNCTIONS:
            return f"`{name}()`"
        if name in _SMTP_CLASSES:
            return f"`{name}(host)`" if _connects(call) else None
        found = receiver(call)
        if found is None:
            return None
        owner = _client_class(found[0], ctx)
        if owner is None:
            return None
        method = found[1]
        talking = _TALKING_METHODS.get(owner)
        if talking is not None and method in talking:
            return display(owner, method, _LABELS)
        local = _LOCAL_METHODS.get(owner)
        if local is not None and method not in local and not method.startswith("_"):
            return display(owner, method, _LABELS)
        return None


def _client_class(value: ast.expr, ctx: FileContext) -> str | None:
    """The known sync client class `value` is an instance of (or of a workspace subclass)."""
    owner = ctx.instance_type(value)
    if owner is None:
        return None
    if owner in _KNOWN_CLIENTS:
        return owner
    if not ctx.resolver.is_subclass_of(owner, _KNOWN_CLIENTS):
        return None
    for known in _KNOWN_CLIENTS:
        if ctx.resolver.is_subclass_of(owner, frozenset({known})):
            return known
    return None


def _connects(call: ast.Call) -> bool:
    """`smtplib.SMTP(host)` connects at once; `SMTP()` or `SMTP("")` does not."""
    host = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "host":
            host = keyword.value
    if host is None:
        return False
    return not (isinstance(host, ast.Constant) and host.value in ("", None))
