"""Import, alias, scope and type resolution: evidence, not names."""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi_practices.engine.resolver import Resolver
from fastapi_practices.engine.scopes import Scope
from fastapi_practices.workspace import EMPTY_WORKSPACE, FileSystemWorkspace


def _resolver(code: str, module: str = "app.main") -> Resolver:
    return Resolver(ast.parse(code), module, False, EMPTY_WORKSPACE)


def _function_scope(resolver: Resolver, name: str) -> Scope:
    for node in resolver.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return resolver.scope_for(node, resolver.module_scope)
    raise AssertionError(name)


def _expr(code: str) -> ast.expr:
    return ast.parse(code, mode="eval").body


def test_import_alias_and_from_alias_resolve_to_the_same_function() -> None:
    resolver = _resolver("import time as t\nfrom time import sleep as zz\n")
    scope = resolver.module_scope
    assert resolver.qualname(_expr("t.sleep"), scope) == "time.sleep"
    assert resolver.qualname(_expr("zz"), scope) == "time.sleep"


def test_dotted_import_binds_the_top_package() -> None:
    resolver = _resolver("import urllib.request\n")
    assert resolver.qualname(_expr("urllib.request.urlopen"), resolver.module_scope) == (
        "urllib.request.urlopen"
    )


def test_local_assignment_shadows_the_module_import() -> None:
    resolver = _resolver("import time\n\ndef f():\n    time = object()\n    return time\n")
    scope = _function_scope(resolver, "f")
    assert resolver.qualname(_expr("time.sleep"), scope) is None


def test_parameter_shadows_the_module_import() -> None:
    resolver = _resolver("import time\n\nasync def f(time):\n    pass\n")
    assert resolver.qualname(_expr("time.sleep"), _function_scope(resolver, "f")) is None


def test_conflicting_module_bindings_resolve_to_nothing() -> None:
    resolver = _resolver("from time import sleep\n\ndef sleep(x):\n    pass\n")
    assert resolver.qualname(_expr("sleep"), resolver.module_scope) is None


def test_unbound_builtin_and_star_import() -> None:
    assert _resolver("").qualname(_expr("open"), _resolver("").module_scope) == "builtins.open"
    starred = _resolver("from aiofiles import *\n")
    assert starred.qualname(_expr("open"), starred.module_scope) is None


def test_relative_import_resolves_against_the_package() -> None:
    resolver = _resolver(
        "from .database import SessionLocal\nfrom ..core import app\n", "shop.products.router"
    )
    scope = resolver.module_scope
    assert resolver.qualname(_expr("SessionLocal"), scope) == "shop.products.database.SessionLocal"
    assert resolver.qualname(_expr("app"), scope) == "shop.core.app"


def test_types_from_annotation_optional_union_annotated_and_string() -> None:
    code = (
        "from typing import Annotated, Optional\n"
        "from fastapi import Depends\n"
        "from sqlalchemy.orm import Session\n"
        "def a(db: Session): ...\n"
        "def b(db: Optional[Session]): ...\n"
        "def c(db: Session | None): ...\n"
        "def d(db: 'Session'): ...\n"
        "def e(db: Annotated[Session, Depends(object)]): ...\n"
    )
    resolver = _resolver(code)
    for name in "abcde":
        assert resolver.instance_type(_expr("db"), _function_scope(resolver, name)) == (
            "sqlalchemy.orm.Session"
        ), name


def test_types_from_constructors_factories_and_dependencies() -> None:
    code = (
        "import httpx, boto3\n"
        "from fastapi import Depends\n"
        "from sqlalchemy.orm import sessionmaker\n"
        "SessionLocal = sessionmaker()\n"
        "def get_db():\n    db = SessionLocal()\n    try:\n        yield db\n"
        "    finally:\n        db.close()\n"
        "def f(db=Depends(get_db)):\n    client = httpx.Client()\n    s3 = boto3.client('s3')\n"
        "    with httpx.Client() as other:\n        pass\n"
    )
    resolver = _resolver(code)
    scope = _function_scope(resolver, "f")
    assert resolver.instance_type(_expr("db"), scope) == "sqlalchemy.orm.Session"
    assert resolver.instance_type(_expr("client"), scope) == "httpx.Client"
    assert resolver.instance_type(_expr("other"), scope) == "httpx.Client"
    assert resolver.instance_type(_expr("s3"), scope) == "botocore.client.BaseClient"


def test_async_sessionmaker_is_not_a_sync_session() -> None:
    code = (
        "from sqlalchemy.orm import sessionmaker\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "Maker = sessionmaker(class_=AsyncSession)\n"
        "def f():\n    s = Maker()\n"
    )
    resolver = _resolver(code)
    assert resolver.instance_type(_expr("s"), _function_scope(resolver, "f")) != (
        "sqlalchemy.orm.Session"
    )


def test_router_imported_from_another_workspace_module(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "routing.py").write_text(
        "from fastapi import APIRouter\n\nclass Versioned(APIRouter):\n    pass\n\n"
        "router = Versioned()\n"
    )
    workspace = FileSystemWorkspace([tmp_path])
    module, is_package = workspace.module_name_for(tmp_path / "shop" / "views.py")
    assert (module, is_package) == ("shop.views", False)
    resolver = Resolver(ast.parse("from .routing import router\n"), module, False, workspace)
    type_name = resolver.instance_type(_expr("router"), resolver.module_scope)
    assert type_name == "shop.routing.Versioned"
    assert resolver.is_subclass_of(type_name, frozenset({"fastapi.APIRouter"}))
