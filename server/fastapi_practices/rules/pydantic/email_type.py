"""FBP301: an e-mail address kept in a plain `str` field accepts any text at all."""

from __future__ import annotations

from fastapi_practices.model import Applicability, FixOption, Severity
from fastapi_practices.rules.base import Invalid, Valid
from fastapi_practices.rules.pydantic.string_fields import StringFieldRule
from fastapi_practices.rules.registry import register

USE_EMAIL_STR = FixOption(
    "pydantic-type", "Annotate the field as `EmailStr`", Applicability.UNSAFE, is_preferred=True
)


@register
class UseEmailType(StringFieldRule):
    code = "FBP301"
    name = "use-email-type"
    severity = Severity.INFO
    summary = "A model field named `email` (or `*_email`) is typed as a plain `str`."
    why = (
        'A `str` field takes `"not an address"` as happily as a real one, so every consumer '
        "of the model has to check again, or forgets to. pydantic's `EmailStr` validates the "
        "address when the request arrives, answers 422 with a precise error, and documents the "
        "format in the OpenAPI schema."
    )
    recommended = (
        "from pydantic import BaseModel, EmailStr\n\n\nclass UserCreate(BaseModel):\n"
        "    email: EmailStr\n"
    )
    fix_summary = (
        "Change the `str` in the annotation to `EmailStr` (an `Optional`/`| None` wrapper is "
        "kept) and import it from pydantic. Unsafe: `EmailStr` needs the `email-validator` "
        "package, and values that used to pass may now be rejected."
    )
    fix_applicability = Applicability.UNSAFE
    type_name = "EmailStr"
    type_qualnames = frozenset({"pydantic.EmailStr", "pydantic.networks.EmailStr"})
    fix_option = USE_EMAIL_STR
    examples = (
        Invalid(
            "from pydantic import BaseModel\n\n\nclass UserCreate(BaseModel):\n"
            "    name: str\n    email: str\n",
            line=6,
            fixed="from pydantic import BaseModel, EmailStr\n\n\nclass UserCreate(BaseModel):\n"
            "    name: str\n    email: EmailStr\n",
        ),
        Invalid(
            "from typing import Optional\n\nfrom pydantic import BaseModel, Field\n\n\n"
            "class Contact(BaseModel):\n"
            "    billing_email: Optional[str] = Field(None, description='Invoices go here')\n",
            line=7,
            fixed="from typing import Optional\n\nfrom pydantic import BaseModel, Field, EmailStr"
            "\n\n\nclass Contact(BaseModel):\n"
            "    billing_email: Optional[EmailStr] = Field(None, description='Invoices go here')\n",
        ),
        Invalid(
            "import pydantic\n\n\nclass Base(pydantic.BaseModel):\n    id: int\n\n\n"
            "class Customer(Base):\n    contact_email: str | None = None\n",
            line=9,
            fixed="import pydantic\nfrom pydantic import EmailStr\n\n\n"
            "class Base(pydantic.BaseModel):\n    id: int\n\n\n"
            "class Customer(Base):\n    contact_email: EmailStr | None = None\n",
            note="inherited base, `str | None`",
        ),
        Invalid(
            "from sqlmodel import SQLModel\n\n\nclass HeroCreate(SQLModel):\n    email: str\n",
            line=5,
            note="a SQLModel without table=True is a pydantic model",
        ),
        Invalid(
            "from pydantic import BaseModel\n\n\nclass EmailStr(BaseModel):\n    value: str\n\n\n"
            "class User(BaseModel):\n    email: str\n",
            line=9,
            note="`EmailStr` is taken by a local class: reported without a fix",
        ),
        Valid(
            "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            "    admin_email: str = 'ops@example.com'\n",
            note="settings are configuration, not user input",
        ),
        Valid(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/users')\n"
            "async def find_users(email: str):\n    return []\n",
            note="a query parameter, not a model field",
        ),
        Valid(
            "from dataclasses import dataclass\n\n\n@dataclass\nclass User:\n    email: str\n",
            note="a plain dataclass",
        ),
        Valid(
            "from typing import TypedDict\n\n\nclass User(TypedDict):\n    email: str\n",
        ),
        Valid(
            "from pydantic import BaseModel, EmailStr\n\n\nclass User(BaseModel):\n"
            "    email: EmailStr\n    email_verified: bool = False\n    emails_sent: int = 0\n",
        ),
        Valid(
            "from sqlmodel import Field, SQLModel\n\n\nclass User(SQLModel, table=True):\n"
            "    id: int | None = Field(default=None, primary_key=True)\n    email: str\n",
            note="a table model is the database row",
        ),
        Valid(
            "from pydantic.v1 import BaseModel\n\n\nclass User(BaseModel):\n    email: str\n",
            note="the pydantic.v1 compatibility API is left alone",
        ),
        Valid(
            "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    email: list[str]\n",
        ),
    )

    def wants(self, field: str) -> bool:
        return field == "email" or field.endswith("_email")

    def message(self, field: str) -> str:
        return f"`{field}` holds an e-mail address as a plain `str`; use `EmailStr`"
