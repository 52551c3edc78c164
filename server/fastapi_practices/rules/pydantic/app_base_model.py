"""FBP305: a model extends `pydantic.BaseModel` directly although the project has its own base."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.fixes.imports import ImportConflict
from fastapi_practices.fixes.request import FixRequest
from fastapi_practices.model import Applicability, FixOption, Severity, TextEdit
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.pydantic.project_base import (
    BASE_MODEL_NAMES,
    ProjectBases,
    base_reference,
    project_bases,
)
from fastapi_practices.rules.pydantic.source_edits import import_name, node_starting_at
from fastapi_practices.rules.registry import register

_GENERIC = frozenset({"typing.Generic", "typing_extensions.Generic"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)

_BASE_MODULE = (
    "from pydantic import BaseModel, ConfigDict\n\n\nclass AppBaseModel(BaseModel):\n"
    "    model_config = ConfigDict(str_strip_whitespace=True)\n"
)
_CONFIGURED = {
    "pyproject.toml": '[project]\nname = "example"\n\n[tool.fastapi-practices]\n'
    'base-model = "src.models.AppBaseModel"\n',
    "src/models.py": _BASE_MODULE,
}
_EXTENDERS = (
    "from src.models import AppBaseModel\n\n\nclass LoginRequest(AppBaseModel):\n"
    "    username: str\n\n\nclass TokenResponse(AppBaseModel):\n    access_token: str\n"
)
_DETECTED = {"src/models.py": _BASE_MODULE, "src/auth/schemas.py": _EXTENDERS}
_ORDER = "from pydantic import BaseModel\n\n\nclass OrderCreate(BaseModel):\n    quantity: int\n"


@register
class UseAppBaseModel(Rule):
    code = "FBP305"
    name = "use-app-base-model"
    severity = Severity.INFO
    summary = (
        "A model extends `pydantic.BaseModel` directly while the project has a base model of "
        "its own."
    )
    why = (
        "A project base model is where shared behaviour lives: how dates are serialised, "
        "whether strings are stripped, whether ORM objects are accepted. A model that skips it "
        "quietly behaves differently from its neighbours, and the difference shows up only in "
        "the responses it produces. The base is the one set with `base-model` in "
        "`[tool.fastapi-practices]`, or else a `BaseModel` subclass without fields of its own "
        "that at least two models of the project extend."
    )
    recommended = (
        "from src.models import AppBaseModel\n\n\nclass OrderCreate(AppBaseModel):\n"
        "    quantity: int\n"
    )
    fix_summary = (
        "Replace `BaseModel` in the class's bases with the project base and import it from "
        "its module when needed. Not offered when the name is already taken, when the import "
        "would close an import cycle. A project with several field-less bases and no "
        "configured `base-model` gets no finding: nothing proves which one is meant."
    )
    fix_applicability = Applicability.SAFE
    needs_workspace_index = True
    examples = (
        Invalid(
            _ORDER,
            line=4,
            path="src/orders/schemas.py",
            files=_CONFIGURED,
            fixed="from pydantic import BaseModel\nfrom src.models import AppBaseModel\n\n\n"
            "class OrderCreate(AppBaseModel):\n    quantity: int\n",
            note="the base set with `base-model`",
        ),
        Invalid(
            _ORDER,
            line=4,
            path="src/orders/schemas.py",
            files=_DETECTED,
            fixed="from pydantic import BaseModel\nfrom src.models import AppBaseModel\n\n\n"
            "class OrderCreate(AppBaseModel):\n    quantity: int\n",
            note="a field-less base that two models extend",
        ),
        Invalid(
            _BASE_MODULE + "\n\nclass Page(BaseModel):\n    total: int\n",
            line=8,
            path="src/models.py",
            files={"src/auth/schemas.py": _EXTENDERS},
            fixed=_BASE_MODULE + "\n\nclass Page(AppBaseModel):\n    total: int\n",
            note="in the base's own module no import is needed",
        ),
        Invalid(
            "from typing import Generic, TypeVar\n\nimport pydantic\n\n"
            "from src.models import AppBaseModel as Base\n\nT = TypeVar('T')\n\n\n"
            "class Envelope(pydantic.BaseModel, Generic[T]):\n    data: T\n",
            line=10,
            path="src/orders/schemas.py",
            files=_CONFIGURED,
            fixed="from typing import Generic, TypeVar\n\nimport pydantic\n\n"
            "from src.models import AppBaseModel as Base\n\nT = TypeVar('T')\n\n\n"
            "class Envelope(Base, Generic[T]):\n    data: T\n",
            note="the base is already imported under another name",
        ),
        Invalid(
            "from pydantic import BaseModel\n\n\nclass AppBaseModel:\n    pass\n\n\n"
            "class OrderCreate(BaseModel):\n    quantity: int\n",
            line=8,
            path="src/orders/schemas.py",
            files=_CONFIGURED,
            note="the name is taken here: reported without a fix",
        ),
        Valid(
            _BASE_MODULE,
            path="src/models.py",
            files={**_CONFIGURED, "src/auth/schemas.py": _EXTENDERS},
            note="the base itself",
        ),
        Valid(
            "from src.models import AppBaseModel\n\n\nclass OrderCreate(AppBaseModel):\n"
            "    quantity: int\n",
            path="src/orders/schemas.py",
            files=_DETECTED,
        ),
        Valid(
            _ORDER,
            path="src/orders/schemas.py",
            files={
                "src/models.py": _BASE_MODULE,
                "src/auth/schemas.py": "from src.models import AppBaseModel\n\n\n"
                "class LoginRequest(AppBaseModel):\n    username: str\n",
            },
            note="a base that only one model extends is not the project's base",
        ),
        Valid(
            _ORDER,
            path="src/orders/schemas.py",
            files={
                "src/users/schemas.py": "from pydantic import BaseModel\n\n\n"
                "class UserBase(BaseModel):\n    email: str\n\n\n"
                "class UserCreate(UserBase):\n    password: str\n\n\n"
                "class UserRead(UserBase):\n    id: int\n",
            },
            note="ordinary field inheritance does not make a project base",
        ),
        Valid(
            "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    debug: bool = False\n",
            path="src/config.py",
            files=_CONFIGURED,
            note="settings classes",
        ),
        Valid(
            "from src.orders.schemas import OrderBase\n\n\nclass OrderUpdate(OrderBase):\n"
            "    quantity: int | None = None\n",
            path="src/orders/service.py",
            files={**_CONFIGURED, "src/orders/schemas.py": _ORDER.replace("Create", "Base")},
            note="extends another model, not `BaseModel` itself",
        ),
        Valid(
            "from pydantic.v1 import BaseModel\n\n\nclass Legacy(BaseModel):\n    name: str\n",
            path="src/orders/schemas.py",
            files=_CONFIGURED,
            note="the pydantic.v1 compatibility API",
        ),
        Valid(
            "class BaseModel:\n    pass\n\n\nclass OrderCreate(BaseModel):\n    quantity: int\n",
            path="src/orders/schemas.py",
            files=_CONFIGURED,
            note="a local class named `BaseModel`",
        ),
        Valid(_ORDER, note="no project base is known"),
    )

    def visit_ClassDef(self, node: ast.ClassDef, ctx: FileContext) -> None:
        if not node.bases:
            return
        base_model = _direct_base_model(node, ctx)
        if base_model is None or any(isinstance(p, _FUNCTIONS) for p in ctx.parents):
            return
        bases = project_bases(ctx)
        if not bases.all or any(base.is_class(node, ctx) for base in bases.all):
            return
        chosen = bases.chosen
        reference = base_reference(chosen, node, ctx) if chosen is not None else None
        ctx.report(
            self,
            ctx.def_range(node),
            _message(node, bases),
            fixes=(_fix_option(reference.local),) if reference is not None else (),
            data=reference.data() if reference is not None else None,
        )

    def fix_app_base_model(self, request: FixRequest) -> list[TextEdit] | None:
        data = request.finding.data
        local, module, name = data.get("local"), data.get("module"), data.get("name")
        if not isinstance(local, str):
            return None
        node = node_starting_at(request, request.finding.range.start, ast.ClassDef)
        if not isinstance(node, ast.ClassDef):
            return None
        scope = request.scope_of(node)
        target = next(
            (b for b in node.bases if request.resolver.qualname(b, scope) in BASE_MODEL_NAMES),
            None,
        )
        if target is None:
            return None
        edits = [TextEdit(request.lines.node_range(target), local)]
        if data.get("import"):
            if not isinstance(module, str) or not isinstance(name, str):
                return None
            try:
                import_edit = import_name(request, module, name)
            except ImportConflict:
                return None
            if import_edit is not None:
                edits.append(import_edit)
        return edits


def _direct_base_model(node: ast.ClassDef, ctx: FileContext) -> ast.expr | None:
    """The `BaseModel` among the class's bases, when every other base is `Generic[...]`."""
    found = None
    for base in node.bases:
        if isinstance(base, ast.Subscript) and ctx.qualname(base.value) in _GENERIC:
            continue
        if found is not None or ctx.qualname(base) not in BASE_MODEL_NAMES:
            return None
        found = base
    return found


def _message(node: ast.ClassDef, bases: ProjectBases) -> str:
    if bases.chosen is not None:
        return (
            f"`{node.name}` extends `BaseModel` directly; extend the project's base "
            f"`{bases.chosen.name}` so that it shares its configuration"
        )
    names = ", ".join(f"`{base.name}`" for base in bases.all)
    return (
        f"`{node.name}` extends `BaseModel` directly; extend one of the project's bases ({names})"
    )


def _fix_option(local: str) -> FixOption:
    return FixOption(
        "app-base-model", f"Extend `{local}` instead", Applicability.SAFE, is_preferred=True
    )
