"""The snippet catalog: code that already follows the practices, one entry per construct.

Bodies are LSP snippet syntax. `«key»` marks a name that depends on the place the snippet is
expanded in (see `Names.substitutions` and `SnippetContext.substitutions`); it is replaced before
the body reaches a client. A body never ends with a newline.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi_practices.rules.database.naming_convention import convention_source

PREFIX = "fbp-"

# Module roles a snippet can belong to: the domain role modules, plus `tests` (test modules)
# and `app` (modules outside the domains that build the application).
TESTS = "tests"
APP = "app"


@dataclass(frozen=True)
class Library:
    """`from module import name`, or `import module` when `name` is None."""

    module: str
    name: str | None = None


@dataclass(frozen=True)
class Sibling:
    """`name` from the domain's `role` module, imported only when that module defines it.

    `name=None` imports the role module itself (`from src.posts import service`) when it exists.
    """

    role: str
    name: str | None = None


@dataclass(frozen=True)
class ProjectSymbol:
    """A name the project defines once: its custom base model, declarative base or app."""

    kind: str  # "base-model", "declarative-base", "app", "fixture"


Requirement = Library | Sibling | ProjectSymbol


@dataclass(frozen=True)
class Snippet:
    key: str  # fbp-<key>
    role: str | None  # the role module it belongs to (None: no particular module)
    detail: str
    practice: str  # Markdown: why the expanded code looks the way it does
    body: str
    requires: tuple[Requirement, ...] = ()
    unique: str | None = None
    """A regular expression (after `«key»` substitution) matching the construct the snippet
    creates when a module may hold it only once; the snippet is not offered where it matches."""

    @property
    def label(self) -> str:
        return PREFIX + self.key


_STATUS = Library("fastapi", "status")
_ANNOTATED = Library("typing", "Annotated")
_DEPENDS = Library("fastapi", "Depends")
_RESPONSE = Sibling("schemas", "«Entity»Response")
_VALID_ID = Sibling("dependencies", "valid_«entity»_id")
_SERVICE = Sibling("service")
_NOT_FOUND = Sibling("exceptions", "«Entity»NotFound")

_ROUTE_PRACTICE = (
    "The route declares its `response_model`, its success `status_code` (a `status` constant, "
    "not a bare number) and every other status it can answer with in `responses`, so the "
    "OpenAPI page tells clients the whole story."
)
_VALIDATED = (
    " The entity is loaded by the `valid_«entity»_id` dependency, which answers 404 itself: the "
    "route body only does its own job, and every route of the domain validates the same way."
)


def _route(method: str, function: str, status: str, response_model: str) -> str:
    """The decorator and first line of a route on one entity; the signature continues."""
    return (
        f"@router.{method}(\n"
        '    "/{${1:«entity»}_id}",\n'
        f"    response_model={response_model},\n"
        f"    status_code=status.{status},\n"
        "    responses={status.HTTP_404_NOT_FOUND: "
        '{"description": "${3:«Entity_words» not found}"}},\n'
        ")\n"
        f"async def {function}_${{1}}(\n"
    )


SNIPPETS: tuple[Snippet, ...] = (
    Snippet(
        key="router",
        role="router",
        detail="APIRouter with the domain's prefix and tags",
        practice=(
            "One router per domain, with a meaningful `prefix` and `tags`: the URLs and the "
            "OpenAPI page group by domain, and `main.py` only includes it."
        ),
        body='router = APIRouter(prefix="${1:«prefix»}", tags=["${2:«domain»}"])$0',
        requires=(Library("fastapi", "APIRouter"),),
        unique=r"^router\s*(?::[^=\n]*)?=\s*(?:\w+\.)*APIRouter\(",
    ),
    Snippet(
        key="get",
        role="router",
        detail="GET one «entity_words» by id (validated by a dependency)",
        practice=_ROUTE_PRACTICE + _VALIDATED,
        body=_route("get", "get", "HTTP_200_OK", "${2:«Entity»Response}")
        + "    ${1}: Annotated[${2}, Depends(valid_${1}_id)],\n"
        + ") -> ${2}:\n"
        + "    return ${1}$0",
        requires=(_ANNOTATED, _DEPENDS, _STATUS, _RESPONSE, _VALID_ID),
    ),
    Snippet(
        key="list",
        role="router",
        detail="GET the list of «domain»",
        practice=_ROUTE_PRACTICE,
        body=(
            "@router.get(\n"
            '    "/",\n'
            "    response_model=list[${1:«Entity»Response}],\n"
            "    status_code=status.HTTP_200_OK,\n"
            '    responses={status.HTTP_200_OK: {"description": "${2:Every «entity_words»}"}},\n'
            ")\n"
            "async def list_${3:«domain»}() -> list[${1}]:\n"
            "    return await service.list_${3}()$0"
        ),
        requires=(_STATUS, _RESPONSE, _SERVICE),
    ),
    Snippet(
        key="post",
        role="router",
        detail="POST: create a «entity_words» (201 Created)",
        practice=_ROUTE_PRACTICE
        + " A creation answers `201 Created`, not the default 200, and takes its own input "
        "schema rather than the response model.",
        body=(
            "@router.post(\n"
            '    "/",\n'
            "    response_model=${1:«Entity»Response},\n"
            "    status_code=status.HTTP_201_CREATED,\n"
            "    responses={status.HTTP_201_CREATED: "
            '{"description": "${2:«Entity_words» created}"}},\n'
            ")\n"
            "async def create_${3:«entity»}(data: ${4:«Entity»Create}) -> ${1}:\n"
            "    return await service.create_${3}(data)$0"
        ),
        requires=(_STATUS, _RESPONSE, Sibling("schemas", "«Entity»Create"), _SERVICE),
    ),
    Snippet(
        key="put",
        role="router",
        detail="PUT: replace a «entity_words» (validated by a dependency)",
        practice=_ROUTE_PRACTICE + _VALIDATED,
        body=_route("put", "update", "HTTP_200_OK", "${2:«Entity»Response}")
        + "    ${1}: Annotated[${2}, Depends(valid_${1}_id)],\n"
        + "    data: ${4:«Entity»Update},\n"
        + ") -> ${2}:\n"
        + "    return await service.update_${1}(${1}, data)$0",
        requires=(
            _ANNOTATED,
            _DEPENDS,
            _STATUS,
            _RESPONSE,
            Sibling("schemas", "«Entity»Update"),
            _VALID_ID,
            _SERVICE,
        ),
    ),
    Snippet(
        key="delete",
        role="router",
        detail="DELETE a «entity_words» (204 No Content)",
        practice=_ROUTE_PRACTICE
        + " A deletion answers `204 No Content` with `response_model=None`."
        + _VALIDATED,
        body=_route("delete", "delete", "HTTP_204_NO_CONTENT", "None")
        + "    ${1}: Annotated[${4:«Entity»Response}, Depends(valid_${1}_id)],\n"
        + ") -> None:\n"
        + "    await service.delete_${1}(${1})$0",
        requires=(_ANNOTATED, _DEPENDS, _STATUS, _RESPONSE, _VALID_ID, _SERVICE),
    ),
    Snippet(
        key="schema",
        role="schemas",
        detail="Pydantic schema with field constraints",
        practice=(
            "Validation lives in the schema: `Field` constraints (and `EmailStr`, `HttpUrl`, "
            "`Literal`, enums) instead of hand-written validators. The schema extends the "
            "project's own base model when there is one."
        ),
        body=(
            "class ${1:«Entity»}${2|Create,Update,Response|}(${3:«BaseModel»}):\n"
            "    ${4:name}: ${5:str} = Field(min_length=1, max_length=${6:100})$0"
        ),
        requires=(ProjectSymbol("base-model"), Library("pydantic", "Field")),
    ),
    Snippet(
        key="base-model",
        role="schemas",
        detail="The project's base model (pydantic v2 `model_config`)",
        practice=(
            "A custom base model holds the settings every schema shares, in one place. It uses "
            "pydantic v2's `model_config = ConfigDict(...)`; the `class Config` and "
            "`json_encoders` of older guides are deprecated (v2 already writes datetimes in "
            "ISO 8601; use `field_serializer` for anything else)."
        ),
        body=(
            "class ${1:AppBaseModel}(BaseModel):\n"
            '    """${2:The base of every schema: the settings they all share.}"""\n'
            "\n"
            "    model_config = ConfigDict(\n"
            "        from_attributes=True,\n"
            "        populate_by_name=True,\n"
            "        str_strip_whitespace=True,\n"
            "    )$0"
        ),
        requires=(Library("pydantic", "BaseModel"), Library("pydantic", "ConfigDict")),
        unique=r"^class\s+AppBaseModel\b",
    ),
    Snippet(
        key="settings",
        role="config",
        detail="The domain's own BaseSettings (pydantic-settings)",
        practice=(
            "Each domain reads its own settings, with its own environment prefix, instead of "
            "one global settings class that knows every domain. `BaseSettings` comes from "
            "`pydantic_settings` (pydantic v2)."
        ),
        body=(
            "class ${1:«Domain»}Settings(BaseSettings):\n"
            "    model_config = SettingsConfigDict(\n"
            '        env_prefix="${2:«DOMAIN»_}", env_file=".env", extra="ignore"\n'
            "    )\n"
            "\n"
            "    ${3:page_size}: ${4:int} = ${5:20}$0\n"
            "\n"
            "\n"
            "«domain»_settings = ${1}Settings()"
        ),
        requires=(
            Library("pydantic_settings", "BaseSettings"),
            Library("pydantic_settings", "SettingsConfigDict"),
        ),
        unique=r"^class\s+«Domain»Settings\b",
    ),
    Snippet(
        key="dep-valid",
        role="dependencies",
        detail="Load-or-raise dependency: valid_«entity»_id",
        practice=(
            "Validation against the database belongs in a dependency: routes declare "
            "`Depends(valid_«entity»_id)` and receive the entity, and the not-found case is "
            "handled once, with a domain exception. FastAPI caches a dependency within a "
            "request, so chaining it costs nothing."
        ),
        body=(
            "async def valid_${1:«entity»}_id(${1}_id: ${2:int}) -> ${3:«Entity»Response}:\n"
            "    ${1} = await service.get_${1}(${1}_id)\n"
            "    if ${1} is None:\n"
            "        raise ${4:«Entity»NotFound}()\n"
            "    return ${1}$0"
        ),
        requires=(_SERVICE, _RESPONSE, _NOT_FOUND),
        unique=r"def\s+valid_«entity»_id\s*\(",
    ),
    Snippet(
        key="dep-chain",
        role="dependencies",
        detail="A dependency built on another one",
        practice=(
            "Dependencies chain: this one receives the already validated entity and adds one "
            "check, so no route repeats the loading or the first check."
        ),
        body=(
            "async def ${1:valid_active_«entity»}(\n"
            "    ${2:«entity»}: Annotated[${3:«Entity»Response}, "
            "Depends(${4:valid_«entity»_id})],\n"
            ") -> ${3}:\n"
            "    if not ${2}.${5:is_active}:\n"
            "        raise ${6:«Entity»NotFound}()\n"
            "    return ${2}$0"
        ),
        requires=(_ANNOTATED, _DEPENDS, _RESPONSE, _VALID_ID, _NOT_FOUND),
    ),
    Snippet(
        key="exception",
        role="exceptions",
        detail="A domain exception",
        practice=(
            "Each domain defines its own exceptions in `exceptions.py`; services raise them, "
            "and one handler per exception turns them into HTTP responses, so the service "
            "layer never speaks HTTP."
        ),
        body=(
            "class ${1:«Entity»NotFound}(${2:Exception}):\n"
            '    """${3:No «entity_words» has the requested id.}"""$0'
        ),
    ),
    Snippet(
        key="handler",
        role="exceptions",
        detail="Exception handler answering a domain exception",
        practice=(
            "The handler maps a domain exception to one status and body. Register it on the "
            "app: `app.add_exception_handler(«Entity»NotFound, «entity»_not_found_handler)`."
        ),
        body=(
            "async def ${1:«entity»_not_found}_handler(\n"
            "    request: Request, exc: ${2:«Entity»NotFound}\n"
            ") -> JSONResponse:\n"
            "    return JSONResponse(\n"
            "        status_code=status.${3|HTTP_404_NOT_FOUND,HTTP_400_BAD_REQUEST,"
            "HTTP_403_FORBIDDEN,HTTP_409_CONFLICT|},\n"
            '        content={"detail": "${4:«Entity_words» not found}"},\n'
            "    )$0"
        ),
        requires=(
            Library("fastapi", "Request"),
            _STATUS,
            Library("fastapi.responses", "JSONResponse"),
            _NOT_FOUND,
        ),
    ),
    Snippet(
        key="service-query",
        role="service",
        detail="Async query with AsyncSession and select()",
        practice=(
            "Database access is async end to end: an `AsyncSession` and SQLAlchemy 2.0's "
            "`select()`, never the legacy `session.query()` and never a sync session inside "
            "`async def`."
        ),
        body=(
            "async def get_${1:«entity»}(session: AsyncSession, ${1}_id: ${2:int}) "
            "-> ${3:«Entity»} | None:\n"
            "    result = await session.execute(select(${3}).where(${3}.id == ${1}_id))\n"
            "    return result.scalar_one_or_none()$0"
        ),
        requires=(
            Library("sqlalchemy", "select"),
            Library("sqlalchemy.ext.asyncio", "AsyncSession"),
            Sibling("models", "«Entity»"),
        ),
        unique=r"def\s+get_«entity»\s*\(",
    ),
    Snippet(
        key="naming-convention",
        role="models",
        detail="Declarative base with a constraint naming convention",
        practice=(
            "Name indexes and constraints by convention from the first migration on: Alembic "
            "can then alter and drop them by name, on every database backend."
        ),
        body=convention_source("NAMING_CONVENTION").rstrip("\n")
        + "\n\n\nclass ${1:Base}(DeclarativeBase):\n"
        + "    metadata = MetaData(naming_convention=NAMING_CONVENTION)$0",
        requires=(Library("sqlalchemy", "MetaData"), Library("sqlalchemy.orm", "DeclarativeBase")),
        unique=r"^NAMING_CONVENTION\s*=|naming_convention\s*=",
    ),
    Snippet(
        key="table",
        role="models",
        detail="SQLAlchemy 2.0 table («entity»)",
        practice=(
            "Tables follow one naming convention: `lower_snake_case` table names, `_at` for "
            "datetimes and `_date` for dates. Columns are typed with `Mapped[...]`."
        ),
        body=(
            "class ${1:«Entity»}(${2:«Base»}):\n"
            '    __tablename__ = "${3:«entity»}"\n'
            "\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    ${4:name}: Mapped[${5:str}] = mapped_column(String(${6:100}))\n"
            "    created_at: Mapped[datetime] = mapped_column(server_default=func.now())$0"
        ),
        requires=(
            Library("datetime", "datetime"),
            Library("sqlalchemy", "String"),
            Library("sqlalchemy", "func"),
            Library("sqlalchemy.orm", "Mapped"),
            Library("sqlalchemy.orm", "mapped_column"),
            ProjectSymbol("declarative-base"),
        ),
    ),
    Snippet(
        key="async-client",
        role=TESTS,
        detail="AsyncClient fixture over ASGITransport (httpx ≥ 0.28)",
        practice=(
            "Test with an async client from day one. httpx 0.28 removed `AsyncClient(app=...)`: "
            "the app goes through `ASGITransport(app=app)`."
        ),
        body=(
            "@«fixture»\n"
            "async def ${1:client}() -> AsyncIterator[AsyncClient]:\n"
            "    transport = ASGITransport(app=${2:«app»})\n"
            '    async with AsyncClient(transport=transport, base_url="${3:http://test}") '
            "as ${4:ac}:\n"
            "        yield ${4}$0"
        ),
        requires=(
            Library("collections.abc", "AsyncIterator"),
            Library("httpx", "ASGITransport"),
            Library("httpx", "AsyncClient"),
            ProjectSymbol("fixture"),
            ProjectSymbol("app"),
        ),
        unique=r"def\s+client\s*\(",
    ),
    Snippet(
        key="test",
        role=TESTS,
        detail="Async test calling the API",
        practice=(
            "Tests are `async def`, marked for pytest-asyncio, and call the app through the "
            "async client fixture; `tests/` mirrors the domains of `src/`."
        ),
        body=(
            "@pytest.mark.asyncio\n"
            "async def test_${1:get_«entity»}(client: AsyncClient) -> None:\n"
            '    response = await client.${2|get,post,put,patch,delete|}("${3:«prefix»/1}")\n'
            "\n"
            "    assert response.status_code == ${4:200}$0"
        ),
        requires=(Library("pytest"), Library("httpx", "AsyncClient")),
    ),
    Snippet(
        key="lifespan",
        role=APP,
        detail="Lifespan context manager for startup and shutdown",
        practice=(
            "Start and stop shared resources (pools, clients) in a lifespan handler passed as "
            "`FastAPI(lifespan=lifespan)`; the `@app.on_event` hooks are deprecated."
        ),
        body=(
            "@asynccontextmanager\n"
            "async def lifespan(${1:app}: FastAPI) -> AsyncIterator[None]:\n"
            "    ${2:# startup: open connection pools and clients here}\n"
            "    yield\n"
            "    ${3:# shutdown: close them here}$0"
        ),
        requires=(
            Library("contextlib", "asynccontextmanager"),
            Library("collections.abc", "AsyncIterator"),
            Library("fastapi", "FastAPI"),
        ),
        unique=r"def\s+lifespan\s*\(",
    ),
    Snippet(
        key="app",
        role=APP,
        detail="FastAPI app whose docs are public only where intended",
        practice=(
            "The interactive docs and the OpenAPI schema are served only in the environments "
            "that should show them (`openapi_url=None` turns both off)."
        ),
        body=(
            'SHOW_DOCS = ${1:os.environ.get("ENVIRONMENT", "local") in ("local", "staging")}\n'
            "\n"
            "app = FastAPI(\n"
            '    title="${2:API}",\n'
            '    openapi_url="/openapi.json" if SHOW_DOCS else None,\n'
            ")$0"
        ),
        requires=(Library("os"), Library("fastapi", "FastAPI")),
        unique=r"^app\s*(?::[^=\n]*)?=\s*(?:\w+\.)*FastAPI\(",
    ),
    Snippet(
        key="error-code",
        role="constants",
        detail="The domain's error messages in one place",
        practice=(
            "Messages and codes the domain answers with live in `constants.py`, so routes, "
            "handlers and tests use the same text."
        ),
        body='class ErrorCode:\n    ${1:«ENTITY»_NOT_FOUND} = "${2:«Entity_words» not found}"$0',
        unique=r"^class\s+ErrorCode\b",
    ),
)

BY_LABEL = {snippet.label: snippet for snippet in SNIPPETS}
