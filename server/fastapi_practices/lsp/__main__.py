"""`python -m fastapi_practices.lsp` starts the server on stdio (`--stdio` is accepted)."""

from __future__ import annotations

import argparse

from fastapi_practices.runtime import isolate_from_working_directory

isolate_from_working_directory()

from fastapi_practices.lsp.server import run_server  # noqa: E402 (the import path is safe now)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fastapi_practices.lsp")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    parser.add_argument("--tcp", action="store_true", help="listen on a TCP port instead")
    parser.add_argument("--ws", action="store_true", help="listen for WebSocket connections")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2087)
    args = parser.parse_args(argv)
    transport = "tcp" if args.tcp else "ws" if args.ws else "stdio"
    run_server(transport, args.host, args.port)


if __name__ == "__main__":
    main()
