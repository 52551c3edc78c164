"""`python -m fastapi_practices`: the command line (see `cli.py`)."""

from fastapi_practices.runtime import isolate_from_working_directory

isolate_from_working_directory()

from fastapi_practices.cli import main  # noqa: E402 (the import path is safe only now)

raise SystemExit(main())
