"""The Playground's server: routes, the WebSocket conversation and the safety rules of protocol §4."""

import asyncio
import contextlib
import json
import re
import subprocess
import sys
import time

import numpy as np
import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

import neurona as nn  # noqa: E402
from neurona.playground.server import MAX_CSV_BYTES, MAX_WS_MESSAGE, App, RunningServer  # noqa: E402

BASE = "http://127.0.0.1:8000"
ORIGIN = {"origin": BASE}
WS_HEADERS = {"host": "127.0.0.1:8000", **ORIGIN}  # (the test client's WebSocket says "testserver" otherwise)
TOKEN = "0123456789abcdef0123456789abcdef"
CSV = ("a,b,c\n" + "\n".join(f"{i},{(i * 7) % 11},{i % 2}" for i in range(40))).encode()


@pytest.fixture
def app(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Playground</title>")
    (tmp_path / "app.js").write_text("export const x = 1;")
    return App(token=TOKEN, static_dir=tmp_path)


@pytest.fixture
def client(app):
    with TestClient(app, base_url=BASE) as client:
        yield client


@contextlib.contextmanager
def tab(client, token=TOKEN, headers=WS_HEADERS):
    with client.websocket_connect(f"/ws?token={token}", headers=headers) as ws:
        yield ws


def hello(ws):
    ws.send_json({"type": "hello"})
    replies = [ws.receive_json() for _ in range(3)]
    assert [r["type"] for r in replies] == ["session", "state", "frame"]
    return replies[0]["id"]


def receive_until(ws, kind):
    while True:
        message = ws.receive_json()
        if message["type"] == kind:
            return message


def test_index_and_static_files_carry_the_security_headers(client):
    for path in ("/", "/static/app.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert "access-control-allow-origin" not in response.headers
    assert client.get("/static/../state.py").status_code == 404


@pytest.mark.parametrize(
    "host", ["evil.com", "localhost.evil.com", "127.0.0.1.evil.com:8000", "evil.com:8000", ""]
)
def test_foreign_hosts_are_refused(client, host):
    response = client.get("/", headers={"host": host})
    assert response.status_code == 403 and "not allowed" in response.json()["error"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:1234", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:9"]
)
def test_loopback_hosts_are_served(client, host):
    assert client.get("/", headers={"host": host}).status_code == 200


def test_state_default_needs_the_token(client):
    assert client.get("/api/state/default").status_code == 403
    assert client.get("/api/state/default?token=wrong").status_code == 403
    answer = client.get(f"/api/state/default?token={TOKEN}").json()
    assert answer["state"]["networkShape"] == [4, 2] and "networkShape=4,2" in answer["query"]
    assert client.get("/api/state/default", headers={"x-playground-token": TOKEN}).status_code == 200


def test_post_needs_the_own_origin_and_the_token(client):
    with tab(client) as ws:
        session = hello(ws)
        url = f"/api/upload?session={session}"
        good = {"x-playground-token": TOKEN, **ORIGIN}
        assert client.post(url, content=CSV, headers={"x-playground-token": TOKEN}).status_code == 403
        for origin in ("http://evil.com", "http://127.0.0.1:9999", "null", "http://localhost.evil.com"):
            response = client.post(url, content=CSV, headers={**good, "origin": origin})
            assert response.status_code == 403, origin
        assert client.post(url, content=CSV, headers=ORIGIN).status_code == 403  # no token
        cross = {**good, "sec-fetch-site": "cross-site"}
        assert client.post(url, content=CSV, headers=cross).status_code == 403
        assert client.post(url, content=CSV, headers=good).status_code == 200


def test_websocket_upgrade_checks_origin_and_token(client):
    for headers, token in (
        ({"origin": "http://evil.com"}, TOKEN),
        ({}, TOKEN),
        (ORIGIN, "wrong"),
        (ORIGIN, ""),
    ):
        with pytest.raises(WebSocketDisconnect) as refused:
            with tab(client, token=token, headers=headers) as ws:
                ws.receive_json()
        assert refused.value.code == 1008


def test_oversized_bodies_are_refused(client):
    with tab(client) as ws:
        session = hello(ws)
        headers = {"x-playground-token": TOKEN, **ORIGIN}
        big = b"1,2,3\n" * (MAX_CSV_BYTES // 6 + 10)
        response = client.post(f"/api/upload?session={session}", content=big, headers=headers)
        assert response.status_code == 413

        def chunks():  # no Content-Length: counted while streaming
            for _ in range(3):
                yield b"1" * (MAX_CSV_BYTES // 2)

        response = client.post(f"/api/upload?session={session}", content=chunks(), headers=headers)
        assert response.status_code == 413 and "larger than" in response.json()["error"]


def test_oversized_websocket_message_closes_with_an_error(client):
    with tab(client) as ws:
        ws.send_text(json.dumps({"type": "hello", "pad": "x" * MAX_WS_MESSAGE}))
        reply = ws.receive_json()
        assert reply["type"] == "error" and "larger than" in reply["message"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1009


def test_malformed_messages_get_errors_and_the_socket_stays_usable(client):
    with tab(client) as ws:
        for text in ("not json", "[1, 2]", '{"type": "launch"}', '{"type": "set_weight", "layer": 99}', "{"):
            ws.send_text(text)
            reply = ws.receive_json()
            assert reply["type"] == "error" and reply["message"], text
        ws.send_bytes(b'{"type": "hello"}')
        assert ws.receive_json()["type"] == "session"


def test_a_ninth_session_is_refused(client, app):
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(tab(client)) for _ in range(8)]
        assert len(app.tabs) == 8
        with tab(client) as ninth:
            reply = ninth.receive_json()
            assert reply["type"] == "error" and "at most 8" in reply["message"]
            with pytest.raises(WebSocketDisconnect):
                ninth.receive_json()
        hello(sockets[0])  # the others keep working
    deadline = time.monotonic() + 5
    while app.tabs and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not app.tabs  # closed tabs free their slots


def test_a_network_over_the_limits_is_refused_with_a_message(client):
    with tab(client) as ws:
        hello(ws)
        ws.send_json({"type": "set_state", "state": {"networkShape": [8, 8, 8, 8, 8, 8, 8]}})
        reply = ws.receive_json()
        assert reply["type"] == "error" and "at most 6 hidden layers" in reply["message"]


def test_a_whole_conversation(client):
    with tab(client) as ws:
        hello(ws)
        ws.send_json({"type": "set_state", "state": {"networkShape": [3], "learningRate": 0.1}})
        state = ws.receive_json()
        assert state["type"] == "state" and state["state"]["networkShape"] == [3]
        assert receive_until(ws, "frame")["epoch"] == 0
        ws.send_json({"type": "step"})
        frame = ws.receive_json()
        assert frame["type"] == "frame" and frame["epoch"] == 1 and not frame["running"]
        ws.send_json({"type": "play"})
        epochs = [receive_until(ws, "frame")["epoch"] for _ in range(4)]
        assert epochs == sorted(epochs) and epochs[0] > 1
        ws.send_json({"type": "pause"})
        while (frame := receive_until(ws, "frame"))["running"]:
            pass
        assert frame["epoch"] >= epochs[-1]


def test_csv_upload_good_and_bad(client):
    with tab(client) as ws:
        session = hello(ws)
        headers = {"x-playground-token": TOKEN, "content-type": "text/csv", **ORIGIN}
        answer = client.post(f"/api/upload?session={session}", content=CSV, headers=headers).json()
        assert (
            answer["columns"] == ["a", "b", "c"] and answer["rows"] == 40 and answer["numeric"] == [True] * 3
        )
        ws.send_json({"type": "csv_columns", "x1": "a", "x2": "b", "label": "c"})
        assert ws.receive_json()["state"]["dataset"] == "csv"
        for body, message in ((b"a,b\n1,2\n", "at least 3"), ("é".encode("latin-1") + CSV, "not UTF-8")):
            response = client.post(f"/api/upload?session={session}", content=body, headers=headers)
            assert response.status_code == 400 and message in response.json()["error"]
        response = client.post("/api/upload?session=nope", content=CSV, headers=headers)
        assert response.status_code == 404


def test_export_routes(client, tmp_path):
    with tab(client) as ws:
        session = hello(ws)
        ws.send_json({"type": "step"})
        ws.receive_json()
        assert client.get(f"/api/export/model?session={session}").status_code == 403  # the token is needed
        response = client.get(f"/api/export/model?session={session}&token={TOKEN}")
        assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
        path = tmp_path / "model.keras"
        path.write_bytes(response.content)
        model = nn.models.load_model(str(path))
        assert model.predict(np.zeros((1, 2), "float32"), verbose=0).shape == (1, 1)
        script = client.get(f"/api/export/script?session={session}&token={TOKEN}")
        assert script.headers["content-type"].startswith("text/x-python")
        assert (
            "model.fit(" in script.text
            and "EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 1" in script.text
        )


def test_a_real_uvicorn_server_and_websocket_round_trip(app):
    websockets = pytest.importorskip("websockets")

    async def talk(port):
        uri = f"ws://127.0.0.1:{port}/ws?token={TOKEN}"
        async with websockets.connect(uri, origin=f"http://127.0.0.1:{port}", open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "hello"}))
            kinds = [json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] for _ in range(3)]
            await ws.send(json.dumps({"type": "step"}))
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            return kinds, frame["epoch"]

    with RunningServer(app, port=0) as server:
        assert server.port > 0 and f":{server.port}/?token={TOKEN}" in server.url
        kinds, epoch = asyncio.run(asyncio.wait_for(talk(server.port), 30))
        assert kinds == ["session", "state", "frame"] and epoch == 1
    assert not server.thread.is_alive()


def test_the_command_prints_a_url_with_a_token_and_serves_it():
    command = [sys.executable, "-m", "neurona.playground", "--no-browser", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{32})", line)
        assert match, line + process.stderr.read()
        port, token = match.groups()
        answer = httpx.get(f"http://127.0.0.1:{port}/api/state/default?token={token}", timeout=10)
        assert answer.status_code == 200 and answer.json()["state"]["dataset"] == "circle"
    finally:
        process.terminate()
        process.wait(timeout=10)
