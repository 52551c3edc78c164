"""Workspace index build time and peak memory on a generated domain-based project.

`python -m bench.workspace_index --files 2000` writes a project shaped like the seed's `src/`
layout (10 modules per domain, about 200 lines each) into a temporary directory, builds the
index once, and prints the time and the peak resident memory of this process and of the
worker processes. Target: 2,000 files / 400k lines in at most 15 s on 2 cores, 250 MB RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi_practices.workspace.index import WorkspaceIndex

ROLES = (
    "router",
    "schemas",
    "models",
    "dependencies",
    "service",
    "exceptions",
    "constants",
    "config",
    "utils",
    "__init__",
)
TARGET_LINES = 222


def _router(domain: str, n: int) -> str:
    return (
        f'@router.get("/{n}/{{item_id}}", response_model=schemas.Item{n}Response)\n'
        f"async def read_item_{n}(item_id: int, item: dict = Depends(valid_item_{n % 5})):\n"
        "    if item_id < 0:\n"
        '        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="bad")\n'
        f"    return await service.load_{n % 5}(item_id)\n"
        "\n\n"
        f'@router.post("/{n}", status_code=status.HTTP_201_CREATED)\n'
        f"async def create_item_{n}(payload: schemas.Item{n}Response) -> dict[str, int]:\n"
        f"    total = utils.total_{n % 5}([payload.id])\n"
        '    return {"id": payload.id, "total": total}\n'
        "\n\n"
    )


def _schemas(domain: str, n: int) -> str:
    return (
        f"class Item{n}Response(CustomModel):\n"
        "    id: int\n    name: str\n    price_cents: int\n    notes: str | None = None\n"
        "\n\n"
    )


def _dependencies(domain: str, n: int) -> str:
    return (
        f"async def valid_item_{n}(item_id: int, user: dict = Depends(valid_user)) -> dict:\n"
        f"    item = await service.load_{n % 5}(item_id)\n"
        "    if item is None:\n"
        '        raise HTTPException(status_code=404, detail="not found")\n'
        "    if not user:\n"
        f"        raise exceptions.{domain.title()}Forbidden()\n"
        "    return item\n"
        "\n\n"
    )


def _service(domain: str, n: int) -> str:
    return (
        f"async def load_{n}(item_id: int) -> dict | None:\n"
        "    rows = [row for row in range(item_id) if row % 3]\n"
        "    if not rows:\n        return None\n"
        '    return {"id": item_id, "rows": len(rows)}\n'
        "\n\n"
    )


def _utils(domain: str, n: int) -> str:
    return (
        f"def total_{n}(values: list[int]) -> int:\n"
        "    total = 0\n    for value in values:\n        total += value * 2\n    return total\n"
        "\n\n"
    )


def _constants(domain: str, n: int) -> str:
    return f"LIMIT_{n} = {n}\nNAME_{n} = 'item-{n}'\n\n"


def _plain(domain: str, n: int) -> str:
    return f"def helper_{n}(value: int) -> int:\n    return value + {n}\n\n\n"


HEADERS: dict[str, str] = {
    "router": (
        "from fastapi import APIRouter, Depends, HTTPException, status\n\n"
        "from src.{domain} import schemas, service, utils\n"
        "from src.{domain}.dependencies import {deps}\n\n"
        'router = APIRouter(prefix="/{domain}", tags=["{domain}"])\n\n\n'
    ),
    "schemas": "from src.models import CustomModel\n\n\n",
    "dependencies": (
        "from fastapi import Depends, HTTPException\n\n"
        "from src.{domain} import exceptions, service\n"
        "from src.{other}.dependencies import valid_user\n\n\n"
    ),
    "exceptions": (
        "class {title}Forbidden(Exception):\n    pass\n\n\n"
        "class {title}NotFound(Exception):\n    pass\n\n\n"
    ),
    "config": (
        "from pydantic_settings import BaseSettings\n\n\n"
        "class {title}Config(BaseSettings):\n"
        "    {upper}_URL: str\n    {upper}_DEBUG: bool = False\n\n\n"
    ),
}
BODIES: dict[str, Callable[[str, int], str]] = {
    "router": _router,
    "schemas": _schemas,
    "dependencies": _dependencies,
    "service": _service,
    "utils": _utils,
    "constants": _constants,
}


def generate(root: Path, files: int) -> int:
    """Write the project; the number of lines written."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "models.py").write_text(
        "from pydantic import BaseModel\n\n\nclass CustomModel(BaseModel):\n    pass\n"
    )
    (root / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "0"\n')
    domains = max(files // len(ROLES), 1)
    lines = 0
    main = ["from fastapi import FastAPI\n\napp = FastAPI()\n"]
    for d in range(domains):
        domain = f"domain{d}"
        other = f"domain{(d + 1) % domains}"
        folder = src / domain
        folder.mkdir()
        fields = {
            "domain": domain,
            "other": other,
            "title": domain.title(),
            "upper": domain.upper(),
            "deps": ", ".join(f"valid_item_{k}" for k in range(5)),
        }
        for role in ROLES:
            text = HEADERS.get(role, "").format(**fields)
            body = BODIES.get(role, _plain)
            n = 0
            while text.count("\n") < TARGET_LINES and role != "__init__":
                text += body(domain, n)
                n += 1
            if role == "dependencies":
                text += "async def valid_user() -> dict:\n    return {'id': 1}\n"
            (folder / f"{role}.py").write_text(text)
            lines += text.count("\n")
        main.append(f"from src.{domain}.router import router as {domain}_router\n")
        main.append(f'app.include_router({domain}_router, prefix="/{domain}")\n')
    (src / "main.py").write_text("".join(main))
    return lines + len(main)


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--tree",
        type=Path,
        default=None,
        help="index this existing tree instead of a generated one",
    )
    args = parser.parse_args(argv)
    if args.tree is not None:
        _measure(args.tree.resolve(), None, args.workers, f"{args.tree.name} tree")
        return
    with tempfile.TemporaryDirectory(prefix="fbp-index-bench-") as directory:
        root = Path(directory)
        lines = generate(root, args.files)
        _measure(root, lines, args.workers, "generated project")


def _measure(root: Path, lines: int | None, workers: int | None, label: str) -> None:
    before = _rss_mb(resource.RUSAGE_SELF)
    started = time.perf_counter()
    index = WorkspaceIndex.build([root], workers=workers)
    elapsed = time.perf_counter() - started
    modules = len(index.modules)
    if lines is None:
        lines = sum(Path(facts.path).read_bytes().count(b"\n") for facts in index.all_facts())
    path = next(Path(facts.path) for facts in index.all_facts() if facts.path.endswith(".py"))
    started = time.perf_counter()
    changed = index.update(path, path.read_text(encoding="utf-8") + "\nX = 1\n")
    update_ms = (time.perf_counter() - started) * 1000
    print(
        f"workspace index, {label}: {modules} files / {lines} lines in {elapsed:.2f} s "
        f"({workers or os.cpu_count()} workers; target <= 15 s on 2 cores for 2,000 files)"
    )
    print(
        f"  peak RSS: main {_rss_mb(resource.RUSAGE_SELF):.0f} MB (before build {before:.0f} MB), "
        f"largest worker {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB (target <= 250 MB)"
    )
    print(f"  one-file update: {update_ms:.1f} ms, {len(changed)} modules to republish")


if __name__ == "__main__":
    main(sys.argv[1:])
