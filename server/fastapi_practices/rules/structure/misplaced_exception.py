"""FBP104: an exception class defined in a domain module other than its exceptions module."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.registry import register
from fastapi_practices.rules.structure.placement import (
    EXAMPLE_PROJECT,
    FLAT_PROJECT,
    MisplacedClassRule,
    is_exception_class,
)

_ERROR = "class PostNotFound(Exception):\n    pass\n"


@register
class MisplacedException(MisplacedClassRule):
    code = "FBP104"
    name = "misplaced-exception"
    severity = Severity.INFO
    summary = "An exception class is defined in a domain module other than `exceptions.py`."
    why = (
        "A domain's errors are part of its interface: routers map them to responses and other "
        "domains catch them. Declared together in `exceptions.py`, they are easy to find, to "
        "give handlers, and to import without pulling in a service module."
    )
    recommended = (
        "# src/posts/exceptions.py\nclass PostError(Exception):\n    pass\n\n\n"
        "class PostNotFound(PostError):\n    pass\n"
    )
    examples = (
        Invalid(
            "# src/posts/service.py\n" + _ERROR,
            line=2,
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            "class PostError(ValueError):\n    pass\n\n\nclass PostNotFound(PostError):\n"
            "    pass\n",
            line=1,
            count=2,
            path="src/posts/utils.py",
            files=EXAMPLE_PROJECT,
        ),
        Invalid(
            "from fastapi import HTTPException\n\n\nclass PostGone(HTTPException):\n    pass\n",
            line=4,
            path="src/posts/dependencies.py",
            files=EXAMPLE_PROJECT,
        ),
        Valid(_ERROR, path="src/posts/exceptions.py", files=EXAMPLE_PROJECT),
        Valid(_ERROR, path="src/exceptions.py", files=EXAMPLE_PROJECT, note="the source root"),
        Valid(_ERROR, path="errors/posts.py", files=FLAT_PROJECT, note="no domains"),
        Valid(
            "class PostNotFoundError:\n    pass\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="named like an error, but not an exception",
        ),
        Valid(
            "from errors import BaseError\n\n\nclass PostNotFound(BaseError):\n    pass\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="a base that cannot be proven to be an exception",
        ),
        Valid(
            "def find() -> None:\n    class Missing(Exception):\n        pass\n\n"
            "    raise Missing\n",
            path="src/posts/service.py",
            files=EXAMPLE_PROJECT,
            note="only module-level classes are judged",
        ),
    )

    expected_role = "exceptions"
    label = "Exception"

    def is_kind(self, node: ast.ClassDef, ctx: FileContext) -> bool:
        return is_exception_class(ctx, node)
