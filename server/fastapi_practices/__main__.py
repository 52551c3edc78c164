from fastapi_practices.cli import main

raise SystemExit(main())
