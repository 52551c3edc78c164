"""FBP302: a web address kept in a plain `str` field accepts any text at all."""

from __future__ import annotations

from fastapi_practices.model import Applicability, FixOption, Severity
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.pydantic.string_fields import StringFieldRule
from fastapi_practices.rules.registry import register

USE_HTTP_URL = FixOption(
    "pydantic-type", "Annotate the field as `HttpUrl`", Applicability.UNSAFE, is_preferred=True
)
# `<scheme>_url` names whose values are not web addresses: `HttpUrl` would reject them.
NON_HTTP_PREFIXES = frozenset(
    {
        "amqp",
        "broker",
        "celery",
        "data",
        "database",
        "db",
        "dsn",
        "file",
        "ftp",
        "jdbc",
        "kafka",
        "ldap",
        "mongo",
        "mongodb",
        "mqtt",
        "mysql",
        "postgres",
        "postgresql",
        "rabbitmq",
        "redis",
        "s3",
        "sftp",
        "smtp",
        "sqlalchemy",
        "sqlite",
        "ws",
        "wss",
        "websocket",
    }
)


@register
class UseUrlType(StringFieldRule):
    code = "FBP302"
    name = "use-url-type"
    severity = Severity.INFO
    summary = "A model field named `url`, `*_url` or `website` is typed as a plain `str`."
    why = (
        'A `str` field lets `"htp:/oops"` or `"javascript:alert(1)"` through, and every '
        "place that follows or stores the link has to validate it again. `HttpUrl` accepts "
        "only `http`/`https` addresses with a host, returns 422 otherwise, and marks the field "
        "as a URL in the OpenAPI schema."
    )
    recommended = (
        "from pydantic import BaseModel, HttpUrl\n\n\nclass Company(BaseModel):\n"
        "    website: HttpUrl\n"
    )
    fix_summary = (
        "Change the `str` in the annotation to `HttpUrl` (an `Optional`/`| None` wrapper is "
        "kept) and import it from pydantic. Unsafe: in pydantic v2 an `HttpUrl` is not a `str` "
        "(use `str(model.url)` where text is needed), it may add a trailing `/`, and values "
        "that used to pass may now be rejected."
    )
    fix_applicability = Applicability.UNSAFE
    type_name = "HttpUrl"
    type_qualnames = frozenset({"pydantic.HttpUrl", "pydantic.networks.HttpUrl"})
    fix_option = USE_HTTP_URL
    examples = (
        Invalid(
            "from pydantic import BaseModel\n\n\nclass Company(BaseModel):\n"
            "    name: str\n    website: str\n",
            line=6,
            fixed="from pydantic import BaseModel, HttpUrl\n\n\nclass Company(BaseModel):\n"
            "    name: str\n    website: HttpUrl\n",
        ),
        Invalid(
            "from typing import Optional\n\nfrom pydantic import BaseModel\n\n\n"
            "class Product(BaseModel):\n    image_url: Optional[str] = None\n",
            line=7,
            fixed="from typing import Optional\n\nfrom pydantic import BaseModel, HttpUrl\n\n\n"
            "class Product(BaseModel):\n    image_url: Optional[HttpUrl] = None\n",
        ),
        Invalid(
            "from pydantic import BaseModel, HttpUrl\n\n\nclass Hook(BaseModel):\n"
            "    url: str | None = None\n",
            line=5,
            fixed="from pydantic import BaseModel, HttpUrl\n\n\nclass Hook(BaseModel):\n"
            "    url: HttpUrl | None = None\n",
            note="already imported",
        ),
        Invalid(
            "from pydantic import RootModel, BaseModel\n\n\nclass Link(BaseModel):\n"
            "    callback_url: str\n",
            line=5,
        ),
        Valid(
            "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    inventory_url: str = 'http://inventory.internal'\n",
            note="settings are configuration, not user input",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\nclass Job(BaseModel):\n"
            "    database_url: str\n    redis_url: str\n",
            note="connection strings are not web addresses",
        ),
        Valid(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/preview')\n"
            "async def preview(url: str):\n    return {'url': url}\n",
            note="a query parameter, not a model field",
        ),
        Valid(
            "from dataclasses import dataclass\n\n\n@dataclass\nclass Link:\n    url: str\n",
        ),
        Valid(
            "from pydantic import AnyUrl, BaseModel\n\n\nclass Link(BaseModel):\n"
            "    url: AnyUrl\n    url_count: int = 0\n    curl: str = ''\n",
        ),
        Valid(
            "class Link:\n    url: str\n",
            note="not a model",
        ),
    )

    def wants(self, field: str) -> bool:
        if field in ("url", "website"):
            return True
        if not field.endswith("_url"):
            return False
        return not NON_HTTP_PREFIXES.intersection(field.split("_")[:-1])

    def message(self, field: str) -> str:
        return f"`{field}` holds a web address as a plain `str`; use `HttpUrl`"
