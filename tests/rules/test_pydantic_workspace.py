"""FBP305 (use-app-base-model) and FBP309 (monolithic-settings) over real projects on disk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from fastapi_practices.cli_support.indexes import ProjectIndexes
from fastapi_practices.config import Settings, load_project
from fastapi_practices.engine import analyze
from fastapi_practices.fixes import apply_edits, build_fix, fix_all
from fastapi_practices.model import Finding
from fastapi_practices.workspace import EMPTY_WORKSPACE, WorkspaceContext

PYPROJECT = '[project]\nname = "shop"\n'
CONFIGURED = PYPROJECT + '\n[tool.fastapi-practices]\nbase-model = "src.models.AppBaseModel"\n'
BASE = (
    "from pydantic import BaseModel, ConfigDict\n\n\nclass AppBaseModel(BaseModel):\n"
    "    model_config = ConfigDict(str_strip_whitespace=True)\n"
)
EXTENDERS = (
    "from src.models import AppBaseModel\n\n\nclass LoginRequest(AppBaseModel):\n"
    "    username: str\n\n\nclass TokenResponse(AppBaseModel):\n    access_token: str\n"
)
ORDER = "from pydantic import BaseModel\n\n\nclass OrderCreate(BaseModel):\n    quantity: int\n"
ORDER_FIXED = (
    "from pydantic import BaseModel\nfrom src.models import AppBaseModel\n\n\n"
    "class OrderCreate(AppBaseModel):\n    quantity: int\n"
)
DOMAINS = {"src/auth/router.py": "", "src/orders/router.py": "", "src/products/router.py": ""}
SETTINGS_HEAD = "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"


@dataclass
class Project:
    root: Path
    settings: Settings
    workspace: WorkspaceContext

    def findings(self, relative: str, code: str) -> list[Finding]:
        path = self.root / relative
        found = analyze(path.read_text(encoding="utf-8"), path, self.settings, self.workspace)
        return [f for f in found if f.code == code]

    def fixed(self, relative: str, code: str) -> str:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        [finding] = self.findings(relative, code)
        edits = build_fix(text, finding, None, path, self.workspace)
        assert edits
        return apply_edits(text, edits)


def make_project(
    tmp_path: Path, files: dict[str, str], codes: tuple[str, ...] = ("FBP305",)
) -> Project:
    for relative, text in {"pyproject.toml": PYPROJECT, **files}.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    loaded = load_project(tmp_path / "pyproject.toml")
    settings = replace(loaded.settings, select=codes)
    workspace = ProjectIndexes({loaded.root: settings}).get(loaded.root)
    return Project(loaded.root, settings, workspace)


def marked(text: str, finding: Finding) -> str:
    line = text.splitlines()[finding.range.start.line]
    return line[finding.range.start.column : finding.range.end.column]


# ----- FBP305 ---------------------------------------------------------------------------------
def test_configured_base_flags_direct_models_and_fixes_them(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": CONFIGURED,
            "src/models.py": BASE,
            "src/orders/schemas.py": ORDER,
            "src/auth/schemas.py": EXTENDERS,
        },
    )
    [finding] = project.findings("src/orders/schemas.py", "FBP305")
    assert marked(ORDER, finding) == "class OrderCreate"
    assert "AppBaseModel" in finding.message
    assert [fix.kind for fix in finding.fixes] == ["app-base-model"]
    assert project.fixed("src/orders/schemas.py", "FBP305") == ORDER_FIXED
    assert project.findings("src/models.py", "FBP305") == []
    assert project.findings("src/auth/schemas.py", "FBP305") == []


def test_fix_all_swaps_every_model_with_one_import(tmp_path: Path) -> None:
    text = ORDER + "\n\nclass OrderRead(BaseModel):\n    id: int\n"
    project = make_project(
        tmp_path,
        {"pyproject.toml": CONFIGURED, "src/models.py": BASE, "src/orders/schemas.py": text},
    )
    path = tmp_path / "src/orders/schemas.py"
    result = fix_all(text, path, project.settings, project.workspace)
    assert result.text == (
        "from pydantic import BaseModel\nfrom src.models import AppBaseModel\n\n\n"
        "class OrderCreate(AppBaseModel):\n    quantity: int\n\n\n"
        "class OrderRead(AppBaseModel):\n    id: int\n"
    )
    assert result.applied == 2
    assert [f for f in result.remaining if f.code == "FBP305"] == []


def test_detected_base_is_imported_the_way_the_project_imports_it(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "src/__init__.py": "",
            "src/models.py": BASE,
            "src/auth/schemas.py": EXTENDERS,
            "src/orders/schemas.py": ORDER,
        },
    )
    [finding] = project.findings("src/orders/schemas.py", "FBP305")
    assert "`AppBaseModel`" in finding.message
    assert project.fixed("src/orders/schemas.py", "FBP305") == ORDER_FIXED


def test_the_spelling_most_importers_use_wins(tmp_path: Path) -> None:
    # Without `src/__init__.py` both `models` and `src.models` name src/models.py.
    other = "from models import AppBaseModel\n\n\nclass Other(AppBaseModel):\n    x: int\n"
    project = make_project(
        tmp_path,
        {
            "src/models.py": BASE,
            "src/auth/schemas.py": EXTENDERS,
            "src/auth/service.py": EXTENDERS.replace("Request", "Form"),
            "src/auth/other.py": other,
            "src/orders/schemas.py": ORDER,
        },
    )
    assert project.fixed("src/orders/schemas.py", "FBP305") == ORDER_FIXED


def test_a_base_extended_by_one_model_is_not_the_project_base(tmp_path: Path) -> None:
    single = "from src.models import AppBaseModel\n\n\nclass Login(AppBaseModel):\n    name: str\n"
    project = make_project(
        tmp_path,
        {"src/models.py": BASE, "src/auth/schemas.py": single, "src/orders/schemas.py": ORDER},
    )
    assert project.findings("src/orders/schemas.py", "FBP305") == []


def test_a_base_with_fields_of_its_own_is_not_the_project_base(tmp_path: Path) -> None:
    with_field = BASE + "    id: int\n"
    project = make_project(
        tmp_path,
        {
            "src/models.py": with_field,
            "src/auth/schemas.py": EXTENDERS,
            "src/orders/schemas.py": ORDER,
        },
    )
    assert project.findings("src/orders/schemas.py", "FBP305") == []


def test_indirect_subclasses_do_not_count(tmp_path: Path) -> None:
    chain = (
        "from src.models import AppBaseModel\n\n\nclass Login(AppBaseModel):\n"
        "    name: str\n\n\nclass AdminLogin(Login):\n    level: int\n\n\n"
        "class GuestLogin(Login):\n    token: str\n"
    )
    project = make_project(
        tmp_path,
        {"src/models.py": BASE, "src/auth/schemas.py": chain, "src/orders/schemas.py": ORDER},
    )
    assert project.findings("src/orders/schemas.py", "FBP305") == []


def test_without_an_index_only_a_configured_base_counts(tmp_path: Path) -> None:
    path = tmp_path / "src/orders/schemas.py"
    configured = Settings(select=("FBP305",), base_model="src.models.AppBaseModel")
    [finding] = [f for f in analyze(ORDER, path, configured, EMPTY_WORKSPACE)]
    edits = build_fix(ORDER, finding, None, path, EMPTY_WORKSPACE)
    assert edits and apply_edits(ORDER, edits) == ORDER_FIXED
    assert analyze(ORDER, path, Settings(select=("FBP305",)), EMPTY_WORKSPACE) == []
    # The base's own module, named from its path alone, is still recognised.
    assert analyze(BASE, tmp_path / "src/models.py", configured, EMPTY_WORKSPACE) == []


def test_the_index_is_needed_to_detect_a_base(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"src/models.py": BASE, "src/auth/schemas.py": EXTENDERS, "src/orders/schemas.py": ORDER},
    )
    path = project.root / "src/orders/schemas.py"
    assert analyze(ORDER, path, project.settings, EMPTY_WORKSPACE) == []
    assert len(analyze(ORDER, path, project.settings, project.workspace)) == 1


def test_several_detected_bases_prove_nothing(tmp_path: Path) -> None:
    second = BASE.replace("AppBaseModel", "ResponseModel")
    readers = EXTENDERS.replace("AppBaseModel", "ResponseModel").replace("src.models", "src.out")
    files = {
        "src/models.py": BASE,
        "src/out.py": second,
        "src/auth/schemas.py": EXTENDERS,
        "src/auth/responses.py": readers,
        "src/orders/schemas.py": ORDER,
    }
    project = make_project(tmp_path, files)
    assert project.findings("src/orders/schemas.py", "FBP305") == []
    configured = make_project(tmp_path / "configured", {**files, "pyproject.toml": CONFIGURED})
    [finding] = configured.findings("src/orders/schemas.py", "FBP305")
    assert "`AppBaseModel`" in finding.message and "`ResponseModel`" not in finding.message


def test_a_private_base_is_not_the_project_base(tmp_path: Path) -> None:
    private = BASE.replace("AppBaseModel", "_WireModel")
    users = EXTENDERS.replace("AppBaseModel", "_WireModel")
    project = make_project(
        tmp_path,
        {"src/models.py": private, "src/auth/schemas.py": users, "src/orders/schemas.py": ORDER},
    )
    assert project.findings("src/orders/schemas.py", "FBP305") == []


def test_in_the_base_module_a_model_above_the_base_gets_no_fix(tmp_path: Path) -> None:
    text = (
        "from pydantic import BaseModel\n\n\nclass Early(BaseModel):\n    x: int\n\n\n"
        + (BASE.split("\n\n\n", 1)[1])
    )
    project = make_project(
        tmp_path,
        {"src/models.py": text, "src/auth/schemas.py": EXTENDERS},
    )
    [finding] = project.findings("src/models.py", "FBP305")
    assert marked(text, finding) == "class Early"
    assert finding.fixes == ()


def test_no_fix_when_the_import_would_close_a_cycle(tmp_path: Path) -> None:
    base = "from src.orders.schemas import OrderCreate\n" + BASE
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": CONFIGURED,
            "src/models.py": base,
            "src/orders/schemas.py": ORDER,
        },
    )
    [finding] = project.findings("src/orders/schemas.py", "FBP305")
    assert finding.fixes == ()


def test_no_fix_when_the_configured_class_does_not_exist(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": CONFIGURED.replace("AppBaseModel", "Missing"),
            "src/models.py": BASE,
            "src/orders/schemas.py": ORDER,
        },
    )
    [finding] = project.findings("src/orders/schemas.py", "FBP305")
    assert finding.fixes == ()


def test_no_fix_when_the_name_is_bound_under_type_checking(tmp_path: Path) -> None:
    text = (
        "from typing import TYPE_CHECKING\n\nfrom pydantic import BaseModel\n\n"
        "if TYPE_CHECKING:\n    from src.models import AppBaseModel\n\n\n"
        "class OrderCreate(BaseModel):\n    quantity: int\n"
    )
    project = make_project(
        tmp_path,
        {"pyproject.toml": CONFIGURED, "src/models.py": BASE, "src/orders/schemas.py": text},
    )
    [finding] = project.findings("src/orders/schemas.py", "FBP305")
    assert finding.fixes == ()


def test_models_in_functions_and_with_other_bases_are_left_alone(tmp_path: Path) -> None:
    text = (
        "import abc\n\nfrom pydantic import BaseModel, RootModel\n\n\n"
        "def build():\n    class Local(BaseModel):\n        x: int\n\n    return Local\n\n\n"
        "class Mixed(BaseModel, abc.ABC):\n    x: int\n\n\n"
        "class Numbers(RootModel[list[int]]):\n    pass\n"
    )
    project = make_project(
        tmp_path,
        {"pyproject.toml": CONFIGURED, "src/models.py": BASE, "src/orders/schemas.py": text},
    )
    assert project.findings("src/orders/schemas.py", "FBP305") == []


def test_the_file_being_edited_counts_with_its_current_text(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"src/models.py": BASE, "src/auth/schemas.py": EXTENDERS, "src/orders/schemas.py": ORDER},
    )
    path = project.root / "src/models.py"
    with_page = BASE + "\n\nclass Page(BaseModel):\n    total: int\n"
    assert len(analyze(with_page, path, project.settings, project.workspace)) == 1
    # In the editor the base gains a field: it stops being a base at once.
    edited = with_page.replace("    model_config", "    id: int\n    model_config")
    assert analyze(edited, path, project.settings, project.workspace) == []


# ----- FBP309 ---------------------------------------------------------------------------------
def test_settings_with_prefixes_of_two_domains(tmp_path: Path) -> None:
    text = SETTINGS_HEAD + "    database_url: str\n    AUTH_SECRET: str\n    order_limit: int = 5\n"
    project = make_project(tmp_path, {**DOMAINS, "src/config.py": text}, ("FBP309",))
    [finding] = project.findings("src/config.py", "FBP309")
    assert marked(text, finding) == "class Settings"
    assert "auth (`AUTH_SECRET`)" in finding.message
    assert "orders (`order_limit`)" in finding.message
    assert finding.fixes == ()


def test_one_domain_or_look_alike_prefixes_stay_silent(tmp_path: Path) -> None:
    one_domain = SETTINGS_HEAD + "    auth_secret: str\n    auth_minutes: int = 5\n"
    look_alikes = (
        SETTINGS_HEAD + "    authority: str = ''\n    orderly: bool = True\n"
        "    auth: dict[str, str] = {}\n    products_: int = 0\n    auth_secret: str = ''\n"
    )
    model = "from pydantic import BaseModel\n\n\nclass Stats(BaseModel):\n"
    model += "    auth_failures: int\n    orders_open: int\n"
    project = make_project(
        tmp_path,
        {
            **DOMAINS,
            "src/auth/config.py": one_domain,
            "src/config.py": look_alikes,
            "src/stats.py": model,
        },
        ("FBP309",),
    )
    for relative in ("src/auth/config.py", "src/config.py", "src/stats.py"):
        assert project.findings(relative, "FBP309") == [], relative


def test_plural_and_singular_domain_names(tmp_path: Path) -> None:
    text = SETTINGS_HEAD + "    category_depth: int = 3\n    user_limit: int = 10\n"
    files = {"src/categories/service.py": "", "src/user/router.py": "", "src/config.py": text}
    project = make_project(tmp_path, files, ("FBP309",))
    [finding] = project.findings("src/config.py", "FBP309")
    assert "categories" in finding.message and "user" in finding.message


def test_field_count_works_without_a_project() -> None:
    fields = "".join(f"    option_{n}: int = {n}\n" for n in range(21))
    settings = Settings(select=("FBP309",))
    [finding] = analyze(SETTINGS_HEAD + fields, None, settings)
    assert "21 fields" in finding.message
    twenty = "".join(f"    option_{n}: int = {n}\n" for n in range(20))
    assert analyze(SETTINGS_HEAD + twenty, None, settings) == []


def test_both_reasons_give_one_finding(tmp_path: Path) -> None:
    fields = "".join(f"    option_{n}: int = {n}\n" for n in range(20))
    text = SETTINGS_HEAD + fields + "    auth_secret: str = ''\n    products_page: int = 1\n"
    project = make_project(tmp_path, {**DOMAINS, "src/config.py": text}, ("FBP309",))
    [finding] = project.findings("src/config.py", "FBP309")
    assert "2 domains" in finding.message and "22 fields" in finding.message


def test_a_project_without_domains_only_counts_fields(tmp_path: Path) -> None:
    text = SETTINGS_HEAD + "    auth_secret: str = ''\n    orders_limit: int = 1\n"
    files = {"app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
    project = make_project(tmp_path, {**files, "app/config.py": text}, ("FBP309",))
    assert project.findings("app/config.py", "FBP309") == []
