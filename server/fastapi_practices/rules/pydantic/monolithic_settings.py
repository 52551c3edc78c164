"""FBP309: one settings class carries the configuration of several domains, or of everything."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.models import ModelKind, model_kind
from fastapi_practices.rules.registry import register
from fastapi_practices.workspace.layout import layout_for

MAX_FIELDS = 20
MIN_DOMAINS = 2
_NOT_FIELDS = frozenset({"model_config"})
_STATE_KEY = "domain-prefixes"

_DOMAINS = {
    "src/auth/router.py": "",
    "src/orders/router.py": "",
    "src/products/service.py": "",
}
_HEAD = "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"


def _many_fields(count: int) -> str:
    return _HEAD + "".join(f"    option_{n:02}: int = {n}\n" for n in range(1, count + 1))


@register
class MonolithicSettings(Rule):
    code = "FBP309"
    name = "monolithic-settings"
    severity = Severity.INFO
    summary = (
        "One `BaseSettings` class holds the configuration of several domains, or more than "
        f"{MAX_FIELDS} fields."
    )
    why = (
        "A single settings class for the whole application grows with every feature: each "
        "domain's options end up side by side, every test that needs one value builds them "
        "all, and removing a domain leaves its options behind. Fields named after two or more "
        "domains of the project (`auth_...`, `orders_...`) show that the class has taken over "
        "configuration those domains should own. Give each domain a small `BaseSettings` in "
        "its own `config.py` and keep the global one for what is truly global."
    )
    recommended = (
        "# src/auth/config.py\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n"
        "\n\nclass AuthConfig(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_prefix="AUTH_")\n\n'
        "    jwt_secret: str\n    token_minutes: int = 30\n\n\nauth_settings = AuthConfig()\n"
    )
    examples = (
        Invalid(
            _HEAD + "    database_url: str\n    auth_jwt_secret: str\n"
            "    auth_token_minutes: int = 30\n    orders_max_items: int = 50\n",
            line=4,
            path="src/config.py",
            files=_DOMAINS,
        ),
        Invalid(
            "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
            "class Config(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')"
            "\n\n    DATABASE_URL: str\n    PRODUCT_PAGE_SIZE: int = 20\n"
            "    ORDER_TIMEOUT_SECONDS: int = 5\n",
            line=4,
            path="src/config.py",
            files=_DOMAINS,
            note="upper-case names; `order`/`product` name the `orders`/`products` domains",
        ),
        Invalid(
            "from pydantic_settings import BaseSettings\n\n\nclass AppSettings(BaseSettings):\n"
            "    debug: bool = False\n\n\nclass Settings(AppSettings):\n"
            "    auth_secret: str\n    products_cache_seconds: int = 60\n",
            line=8,
            path="src/config.py",
            files=_DOMAINS,
            note="a subclass of the project's own settings base",
        ),
        Invalid(_many_fields(MAX_FIELDS + 1), line=4, note=f"more than {MAX_FIELDS} fields"),
        Valid(
            _HEAD + "    auth_jwt_secret: str\n    auth_token_minutes: int = 30\n",
            path="src/auth/config.py",
            files=_DOMAINS,
            note="one domain's own settings",
        ),
        Valid(
            _HEAD + "    authentication_backend: str = 'db'\n    orderly_shutdown: bool = True\n"
            "    productsync_url: str = ''\n",
            path="src/config.py",
            files=_DOMAINS,
            note="names that only start with a domain's letters",
        ),
        Valid(
            "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings\n\n\n"
            "class AuthOptions(BaseModel):\n    jwt_secret: str = ''\n\n\n"
            "class OrdersOptions(BaseModel):\n    max_items: int = 50\n\n\n"
            "class Settings(BaseSettings):\n    auth: AuthOptions = AuthOptions()\n"
            "    orders: OrdersOptions = OrdersOptions()\n",
            path="src/config.py",
            files=_DOMAINS,
            note="grouped per domain in nested models",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\nclass Dashboard(BaseModel):\n"
            "    auth_failures: int\n    orders_open: int\n",
            path="src/config.py",
            files=_DOMAINS,
            note="a model, not settings",
        ),
        Valid(
            _HEAD + "    auth_secret: str\n    orders_max_items: int = 50\n",
            path="app/config.py",
            files={"app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
            note="a project without domains",
        ),
        Valid(_many_fields(MAX_FIELDS), note=f"exactly {MAX_FIELDS} fields"),
        Valid(
            "from typing import ClassVar\n\nfrom pydantic_settings import BaseSettings, "
            "SettingsConfigDict\n\n\nclass Settings(BaseSettings):\n"
            "    model_config: ClassVar[SettingsConfigDict] = SettingsConfigDict()\n"
            "    _cache: dict[str, str] = {}\n"
            + "".join(f"    option_{n:02}: int = {n}\n" for n in range(1, MAX_FIELDS + 1)),
            note="`model_config` and private attributes are not fields",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not node.bases or model_kind(ctx, node, ctx.scope) is not ModelKind.SETTINGS:
            return
        fields = _field_names(node)
        domains = (
            _domain_fields(fields, _domain_prefixes(ctx)) if len(fields) >= MIN_DOMAINS else {}
        )
        too_many = len(fields) > MAX_FIELDS
        if len(domains) < MIN_DOMAINS and not too_many:
            return
        reasons = []
        if len(domains) >= MIN_DOMAINS:
            listed = ", ".join(f"{d} (`{field}`)" for d, field in sorted(domains.items()))
            reasons.append(f"holds options of {len(domains)} domains: {listed}")
        if too_many:
            reasons.append(f"has {len(fields)} fields")
        ctx.report(
            self,
            ctx.def_range(node),
            f"`{node.name}` {' and '.join(reasons)}; split it into smaller settings, one per "
            "domain in its `config.py`",
        )


def _field_names(node: ast.ClassDef) -> list[str]:
    """Annotated names of the class body that pydantic turns into fields."""
    return [
        statement.target.id
        for statement in node.body
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and not statement.target.id.startswith("_")
        and statement.target.id not in _NOT_FIELDS
        and not _is_class_var(statement.annotation)
    ]


def _is_class_var(annotation: ast.expr) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return (isinstance(target, ast.Name) and target.id == "ClassVar") or (
        isinstance(target, ast.Attribute) and target.attr == "ClassVar"
    )


def _domain_prefixes(ctx: FileContext) -> dict[str, str]:
    """Field-name prefix (lower case, with its `_`) -> the domain it names; cached per file."""
    state = ctx.rule_state_for(_STATE_KEY)
    found = state.get("prefixes")
    if found is None:
        layout = ctx.layout
        if layout is None and ctx.path is not None:
            layout = layout_for(ctx.settings)
        found = state["prefixes"] = {
            f"{form}_": domain
            for domain in (layout.domains if layout is not None else ())
            for form in _name_forms(domain.lower())
        }
    prefixes: dict[str, str] = found
    return prefixes


def _name_forms(domain: str) -> set[str]:
    """The domain's name and its singular or plural (`orders`/`order`, `categories`/`category`)."""
    forms = {domain}
    if domain.endswith("ies") and len(domain) > 4:
        forms.add(domain[:-3] + "y")
    elif domain.endswith("s") and not domain.endswith("ss") and len(domain) > 3:
        forms.add(domain[:-1])
    else:
        forms.add(domain + "s")
    return forms


def _domain_fields(fields: list[str], prefixes: dict[str, str]) -> dict[str, str]:
    """Domain -> the first field whose name starts with that domain's name and `_`."""
    found: dict[str, str] = {}
    if not prefixes:
        return found
    for field in fields:
        lowered = field.lower()
        for prefix, domain in prefixes.items():
            if domain not in found and lowered.startswith(prefix) and len(lowered) > len(prefix):
                found[domain] = field
    return found
