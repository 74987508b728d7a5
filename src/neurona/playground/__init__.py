"""`neurona.playground`: the TensorFlow Playground, in the browser, trained by neurona.

Start it with `neurona playground` (or `python -m neurona.playground`, or `serve()` from Python). The
state (`State`), the data (`datasets`), the features, the training session (`Session`) and the export
need only NumPy and neurona; the server (`App`, `serve`, `RunningServer`) needs the `playground` extra:
`pip install "neurona[playground]"` (starlette, uvicorn, websockets). The wire protocol is
`docs/playground-protocol.md`; the user guide is `docs/playground.md`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from . import datasets, export, features
from .session import Session
from .state import LARGE_LIMITS, NORMAL_LIMITS, Limits, State

_SERVER_NAMES = ("App", "RunningServer", "serve", "url_for")


def __getattr__(name: str) -> Any:
    """The server's names load on first use, so that importing the package needs no web framework."""
    if name in _SERVER_NAMES:
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(host: str = "127.0.0.1", port: int = 8000, *, open_browser: bool = True) -> int:
    """`serve()` until Ctrl+C, as the command line runs it: 1 with a message when it cannot start (the
    `playground` extra is missing, or the port is taken)."""
    try:
        from .server import serve

        serve(host, port, open_browser=open_browser)
    except ImportError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"The Playground cannot listen on {host}:{port}: {error.strerror or error}. "
            "Pass another --port (0 picks a free one).",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m neurona.playground [--port N] [--host H] [--no-browser]`."""
    parser = argparse.ArgumentParser(
        prog="python -m neurona.playground", description="The neurona Playground."
    )
    parser.add_argument("--port", type=int, default=8000, help="the port (0 picks a free one); default 8000")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on; default 127.0.0.1")
    parser.add_argument("--no-browser", action="store_true", help="print the URL but do not open a browser")
    args = parser.parse_args(argv)
    return run(args.host, args.port, open_browser=not args.no_browser)


__all__ = [
    "LARGE_LIMITS",
    "NORMAL_LIMITS",
    "App",
    "Limits",
    "RunningServer",
    "Session",
    "State",
    "datasets",
    "export",
    "features",
    "main",
    "run",
    "serve",
    "url_for",
]
