"""FBP607: an Alembic revision whose `downgrade()` does nothing."""

from __future__ import annotations

import ast

from fastapi_practices.engine.context import FileContext
from fastapi_practices.model import Severity
from fastapi_practices.rules.base import Invalid, Rule, Valid
from fastapi_practices.rules.registry import register

_HEADER = (
    '"""create product\n\nRevision ID: 3f1c2a9b7d10\nRevises:\n"""\n'
    "import sqlalchemy as sa\nfrom alembic import op\n\n"
    'revision = "3f1c2a9b7d10"\ndown_revision = None\n\n\n'
    "def upgrade() -> None:\n"
    '    op.create_table("product", sa.Column("id", sa.Integer, primary_key=True))\n\n\n'
)
_PATH = "migrations/versions/2024_05_01_3f1c2a9b7d10_create_product.py"


@register
class IrreversibleMigration(Rule):
    code = "FBP607"
    name = "irreversible-migration"
    severity = Severity.INFO
    summary = "An Alembic revision's `downgrade()` is empty."
    why = (
        "`alembic downgrade` reports success for a revision whose `downgrade()` is `pass`, "
        "but the schema stays as the upgrade left it. The next `upgrade` then fails on a table "
        "or column that already exists, and rolling back a bad deploy stops working exactly "
        "when it is needed. Write the reverse operations, or raise `NotImplementedError` to "
        "state that the revision cannot be undone."
    )
    recommended = _HEADER + 'def downgrade() -> None:\n    op.drop_table("product")\n'
    examples = (
        Invalid(_HEADER + "def downgrade() -> None:\n    pass\n", line=17, path=_PATH),
        Invalid(
            _HEADER + 'def downgrade() -> None:\n    """Nothing to undo."""\n    ...\n',
            line=17,
            path=_PATH,
        ),
        Invalid(
            '"""add index"""\nfrom alembic import op\n\n\ndef upgrade():\n'
            '    op.create_index("ix_user_email", "user", ["email"])\n\n\n'
            'def downgrade():\n    """Skipped."""\n',
            line=9,
            path=_PATH,
            note="no revision identifiers, but `alembic.op` is imported",
        ),
        Valid(_HEADER + 'def downgrade() -> None:\n    op.drop_table("product")\n', path=_PATH),
        Valid(
            _HEADER + "def downgrade() -> None:\n"
            '    raise NotImplementedError("data migration cannot be undone")\n',
            path=_PATH,
            note="an explicit refusal",
        ),
        Valid(
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n",
            note="not an Alembic revision",
        ),
        Valid(
            'revision = "v2"\n\n\nclass Plan:\n    def downgrade(self):\n        pass\n',
            note="a method, not the revision's function",
        ),
        Valid(
            "from alembic import op\n\n\ndef upgrade():\n    op.execute('select 1')\n",
            path=_PATH,
            note="no `downgrade()` at all",
        ),
        Valid(
            _HEADER + "def downgrade() -> None:\n    if False:\n        pass\n",
            path=_PATH,
            note="a body with logic is trusted",
        ),
    )

    def visit_Module(self, node: ast.Module, ctx: FileContext) -> None:
        downgrade: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        names: set[str] = set()
        imports_op = False
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(statement.name)
                if statement.name == "downgrade":
                    downgrade = statement
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                imports_op = imports_op or _imports_alembic_op(statement)
        if downgrade is None or not _does_nothing(downgrade):
            return
        is_revision = {"revision", "down_revision", "upgrade"} <= names
        if not (is_revision or imports_op):
            return
        ctx.report(
            self,
            ctx.def_range(downgrade),
            "`downgrade()` does nothing, so this migration cannot be rolled back; write the "
            "reverse operations or raise `NotImplementedError`",
        )


def _imports_alembic_op(statement: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(statement, ast.ImportFrom):
        return statement.level == 0 and (
            (statement.module == "alembic" and any(a.name == "op" for a in statement.names))
            or statement.module == "alembic.op"
        )
    return any(alias.name == "alembic.op" for alias in statement.names)


def _does_nothing(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The body is only `pass`, `...` and string literals (a docstring)."""
    for statement in func.body:
        if isinstance(statement, ast.Pass):
            continue
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and (statement.value.value is Ellipsis or isinstance(statement.value.value, str))
        ):
            continue
        return False
    return True
