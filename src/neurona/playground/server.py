"""The Playground's local web server: Starlette routes, one WebSocket per tab, run by uvicorn.

Routes and messages follow `docs/playground-protocol.md` §3; the safety rules (§4) sit in `App.__call__`,
in front of every route: an exact `Host` allowlist (DNS rebinding), the server's own `Origin` on every
non-GET request and on the WebSocket upgrade (CSRF, cross-site WebSocket hijacking), a random 128-bit
token per launch on `/ws` and `/api/`, body and message caps, at most 8 sessions, `nosniff` and a CSP on
every response, no CORS headers. Needs the `playground` extra: `pip install "neurona[playground]"`.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

try:
    import anyio
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles
    from starlette.websockets import WebSocket, WebSocketDisconnect
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        f"The Playground's server needs the `playground` extra (starlette, uvicorn, websockets); "
        f'{error.name!r} is missing. Install it with: pip install "neurona[playground]"'
    ) from error

from . import export
from .datasets import CsvError
from .session import Session
from .state import State

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_JSON_BYTES = 1 << 20
MAX_CSV_BYTES = 2 << 20
MAX_WS_MESSAGE = 1 << 20
MAX_SESSIONS = 8
FRAME_INTERVAL_S = 1 / 30
PLAY_BUDGET_S = 0.02
TOKEN_HEADER = "x-playground-token"
_LOOPBACK = re.compile(r"(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?")
_PORT = re.compile(r"(:\d{1,5})?")


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    """The request headers (the first of each name), decoded leniently: bad bytes never raise."""
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        out.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return out


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


class _Tab:
    """One connected tab: its session, the lock that serializes work on it, and the player's wake-up."""

    def __init__(self, session_id: str) -> None:
        self.id = session_id
        self.session: Session | None = None
        self.lock = anyio.Lock()
        self.wake = anyio.Event()


class App:
    """The Playground's ASGI application (one per launch): token, sessions and routes.

    Args:
        token: the launch token (default: 128 random bits as 32 hex digits).
        static_dir: the front end's folder (default: the package's `static/`).
        allowed_hosts: host names accepted in `Host` besides localhost, 127.0.0.1 and [::1].
        max_sessions: how many tabs may be connected at once.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        static_dir: str | Path | None = None,
        allowed_hosts: tuple[str, ...] = (),
        max_sessions: int = MAX_SESSIONS,
        frame_interval_s: float = FRAME_INTERVAL_S,
        play_budget_s: float = PLAY_BUDGET_S,
    ) -> None:
        self.token = token or secrets.token_hex(16)
        self.static_dir = Path(static_dir if static_dir is not None else STATIC_DIR).resolve()
        self.allowed_hosts = tuple(host.lower() for host in allowed_hosts)
        self.max_sessions = max_sessions
        self.frame_interval_s, self.play_budget_s = frame_interval_s, play_budget_s
        self.tabs: dict[str, _Tab] = {}
        self._app = Starlette(
            routes=[
                Route("/", self._index, methods=["GET", "HEAD"]),
                Route("/api/state/default", self._default_state, methods=["GET"]),
                Route("/api/upload", self._upload, methods=["POST"]),
                Route("/api/export/model", self._export_model, methods=["GET"]),
                Route("/api/export/script", self._export_script, methods=["GET"]),
                WebSocketRoute("/ws", self._websocket),
                Mount("/static", StaticFiles(directory=self.static_dir, check_dir=False), name="static"),
            ]
        )

    # --- the safety checks in front of every route ----------------------------------------------
    def host_allowed(self, host: str) -> bool:
        """Exact match: localhost, 127.0.0.1 or [::1] (or a configured name), with any port."""
        host = host.lower()
        if _LOOPBACK.fullmatch(host):
            return True
        for name in self.allowed_hosts:
            if host.startswith(name) and _PORT.fullmatch(host[len(name) :]):
                return True
        return False

    def token_ok(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(candidate.encode(), self.token.encode())

    def _refusal(self, scope: dict[str, Any], headers: dict[str, str]) -> tuple[int, str] | None:
        """(status, reason) when the request must be refused, else None."""
        host = headers.get("host", "")
        if not self.host_allowed(host):
            return 403, f"Host {host!r} is not allowed: open the Playground at http://127.0.0.1:<port>/."
        origin = headers.get("origin")
        websocket = scope["type"] == "websocket"
        if websocket or scope.get("method", "GET") not in ("GET", "HEAD"):
            if origin is None or origin.lower() != f"http://{host.lower()}":
                return 403, f"Origin {origin!r} is not this server's own origin http://{host}."
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "Cross-site requests are refused."
        path = scope.get("path", "")
        if websocket or path.startswith("/api/"):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            token = headers.get(TOKEN_HEADER) or (query.get("token") or [None])[0]
            if not self.token_ok(token):
                return (
                    403,
                    "Missing or wrong token: use the URL (with ?token=…) printed when the Playground started.",
                )
        length = headers.get("content-length")
        limit = MAX_CSV_BYTES if path == "/api/upload" else MAX_JSON_BYTES
        if length is not None and (not length.isdigit() or int(length) > limit):
            return 413, f"The request body is larger than {limit} bytes."
        return None

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self._app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None and scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": refusal[1][:120]})
            return
        host = headers.get("host", "127.0.0.1")

        async def secured_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(name.encode(), value.encode()) for name, value in _security_headers(host).items()]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if refusal is not None:
            response = JSONResponse({"error": refusal[1]}, status_code=refusal[0])
            await response(scope, receive, secured_send)
            return
        await self._app(scope, receive, secured_send)

    # --- HTTP routes -----------------------------------------------------------------------------
    async def _index(self, request: Request) -> Response:
        index = self.static_dir / "index.html"
        if not index.is_file():
            return JSONResponse({"error": f"The front end is missing: no {index}."}, status_code=404)
        return FileResponse(index, media_type="text/html; charset=utf-8")

    async def _default_state(self, request: Request) -> Response:
        state = State()
        return JSONResponse({"state": state.to_dict(), "query": state.to_query()})

    def _tab(self, request: Request) -> _Tab | Response:
        tab = self.tabs.get(request.query_params.get("session", ""))
        if tab is None or tab.session is None:
            return JSONResponse(
                {"error": "Unknown session: pass ?session=<id> with the id of a connected tab."},
                status_code=404,
            )
        return tab

    async def _upload(self, request: Request) -> Response:
        tab = self._tab(request)
        if isinstance(tab, Response):
            return tab
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_CSV_BYTES:
                return JSONResponse(
                    {"error": f"The CSV file is larger than {MAX_CSV_BYTES} bytes."}, status_code=413
                )
        session = tab.session
        assert session is not None
        try:
            async with tab.lock:
                answer = await anyio.to_thread.run_sync(session.upload_csv, bytes(body))
        except CsvError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse(answer)

    async def _export_model(self, request: Request) -> Response:
        return await self._export(request, export.model_bytes, ".keras", "application/octet-stream")

    async def _export_script(self, request: Request) -> Response:
        return await self._export(request, export.script, ".py", "text/x-python; charset=utf-8")

    async def _export(self, request: Request, make: Callable, suffix: str, media_type: str) -> Response:
        tab = self._tab(request)
        if isinstance(tab, Response):
            return tab
        async with tab.lock:
            data = await anyio.to_thread.run_sync(make, tab.session)
        name = export.filename(tab.session, suffix)  # type: ignore[arg-type]
        return Response(data, media_type=media_type, headers=_attachment(name))

    # --- the WebSocket ---------------------------------------------------------------------------
    async def _websocket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        if len(self.tabs) >= self.max_sessions:
            message = f"Too many Playground tabs: at most {self.max_sessions} at once. Close one and reload."
            await websocket.send_text(_dumps({"type": "error", "message": message}))
            await websocket.close(code=1013)
            return
        tab = _Tab(secrets.token_hex(8))
        self.tabs[tab.id] = tab  # the slot is taken before the first await
        try:
            tab.session = await anyio.to_thread.run_sync(lambda: Session(session_id=tab.id))
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(self._player, websocket, tab)
                await self._reader(websocket, tab)
                tasks.cancel_scope.cancel()
        except WebSocketDisconnect:
            pass
        finally:
            del self.tabs[tab.id]

    async def _send(self, websocket: WebSocket, messages: list[dict[str, Any]]) -> bool:
        """Send `messages` in order; False when the socket is gone."""
        for message in messages:
            try:
                text = _dumps(message)
            except ValueError as error:  # a NaN that slipped through: say so instead of sending bad JSON
                text = _dumps(
                    {"type": "error", "message": f"Internal error while encoding a message: {error}"}
                )
            try:
                await websocket.send_text(text)
            except (WebSocketDisconnect, RuntimeError, OSError):
                return False
        return True

    async def _reader(self, websocket: WebSocket, tab: _Tab) -> None:
        session = tab.session
        assert session is not None
        while True:
            event = await websocket.receive()
            if event["type"] == "websocket.disconnect":
                return
            raw = event.get("text")
            if raw is None:
                raw = (event.get("bytes") or b"").decode("utf-8", errors="replace")
            if len(raw) > MAX_WS_MESSAGE:
                error = f"A message is larger than {MAX_WS_MESSAGE} bytes: the connection is closed."
                if await self._send(websocket, [{"type": "error", "message": error}]):
                    await websocket.close(code=1009)
                return
            try:
                message = json.loads(raw)
            except ValueError as error:
                await self._send(
                    websocket, [{"type": "error", "message": f"The message is not valid JSON: {error}."}]
                )
                continue
            async with tab.lock:
                try:
                    replies = await anyio.to_thread.run_sync(session.handle, message)
                except Exception as error:  # never let one message take the socket down
                    replies = [
                        {"type": "error", "message": f"Internal error: {type(error).__name__}: {error}"}
                    ]
                if not await self._send(websocket, replies):
                    return
            if session.running:
                tab.wake.set()

    async def _player(self, websocket: WebSocket, tab: _Tab) -> None:
        """While playing: one chunk of epochs and one frame per `frame_interval_s` (at most)."""
        session = tab.session
        assert session is not None
        deadline = time.perf_counter()
        while True:
            if not session.running:
                tab.wake = anyio.Event()
                await tab.wake.wait()
                deadline = time.perf_counter()
                continue
            playing = sum(
                1 for other in self.tabs.values() if other.session is not None and other.session.running
            )
            budget = self.play_budget_s / max(1, playing)  # the tabs that play share one frame's time
            async with tab.lock:
                try:
                    replies = await anyio.to_thread.run_sync(session.train_chunk, budget)
                except Exception as error:
                    session.running = False
                    replies = [
                        {"type": "error", "message": f"Internal error: {type(error).__name__}: {error}"}
                    ]
                if not await self._send(websocket, replies):
                    session.running = False
                    return
            deadline = max(deadline + self.frame_interval_s, time.perf_counter() - self.frame_interval_s)
            await anyio.sleep(max(0.0, deadline - time.perf_counter()))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def _security_headers(host: str) -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": (
            f"default-src 'self'; connect-src 'self' ws://{host}; img-src 'self' data: blob:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


# --- running it ------------------------------------------------------------------------------------
def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    return sock


def url_for(host: str, port: int, token: str, query: str = "") -> str:
    """The launch URL: http://127.0.0.1:<port>/?token=<token>#<state query>."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/?token={token}" + (f"#{query}" if query else "")


def _config(app: App, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app, ws_max_size=MAX_WS_MESSAGE, log_level=log_level, lifespan="off", timeout_keep_alive=5
    )


class RunningServer:
    """A Playground server running in a background thread (for tests, benchmarks and notebooks).

    Use it as a context manager, or call `stop()`: `with RunningServer() as server: print(server.url)`.
    """

    def __init__(self, app: App | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app if app is not None else App()
        self.host = host
        sock = _listen(host, port)
        self.port = sock.getsockname()[1]
        self.server = uvicorn.Server(_config(self.app, "warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.server.started:
            self.stop()
            raise RuntimeError(f"The Playground server did not start on {host}:{self.port} within 10 s.")

    @property
    def url(self) -> str:
        return url_for(self.host, self.port, self.app.token)

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    open_browser: bool = True,
    query: str = "",
    log_level: str = "warning",
) -> None:
    """Run the Playground until Ctrl+C: print the URL (with the token) and open it in the browser.

    `port=0` picks a free port. A `host` other than loopback prints a warning: anyone who can reach it
    may load the page (the token still guards the API); its name is added to the `Host` allowlist.
    """
    loopback = host in ("127.0.0.1", "localhost", "::1", "[::1]")
    app = App(allowed_hosts=() if loopback or host in ("0.0.0.0", "::") else (host,))
    if not loopback:
        print(
            f"Warning: serving the Playground on {host!r}, not only on this machine. Other machines may reach "
            "it; the token in the URL is what keeps them out. Use the default 127.0.0.1 unless you need this.",
            file=sys.stderr,
        )
    sock = _listen(host, port)
    url = url_for(host, sock.getsockname()[1], app.token, query)
    print(f"neurona Playground: {url}\n(Ctrl+C stops it.)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.Server(_config(app, log_level)).run(sockets=[sock])
