"""Frames per second of the Playground server while playing (a benchmark, not a test).

    python bench/playground.py                       # both networks, 1 client, 5 s each
    python bench/playground.py --clients 1,4 --seconds 8

Starts the server in this process on a free port (uvicorn in a thread), connects WebSocket clients
with the `websockets` package, says hello, presses play and counts the `frame` messages (visual
updates) each client receives after a 1 s warm-up. Two networks:

* (a) the default: circle, hidden layers 4-2, features X1 X2 (goal: ≥ 30 updates/s);
* (b) 6 hidden layers of 8 units with all 7 features (goal: ≥ 10 updates/s).

The server sends at most 30 frames per second by design (protocol §3.3), so 30 is the ceiling of (a):
"met" allows 1 % for timer jitter around that cap. Prints a Markdown table: updates/s per client (mean
over clients), epochs/s per client, mean frame size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass

# speed=0: as many epochs per update as fit in its time (the heaviest load on the frame rate; the default
# speed, 2 epochs per update, trains less per frame).
WORKLOADS = {
    "(a) default: circle, 4-2, X1 X2": ({"speed": 0}, 30.0),
    "(b) 6 x 8 units, all 7 features": (
        {
            "speed": 0,
            "networkShape": [8] * 6,
            "xSquared": True,
            "ySquared": True,
            "xTimesY": True,
            "sinX": True,
            "sinY": True,
        },
        10.0,
    ),
}


@dataclass
class Result:
    frames_per_s: float
    epochs_per_s: float
    frame_bytes: float


async def one_client(port: int, token: str, state: dict, warmup_s: float, seconds: float) -> Result:
    import websockets

    uri = f"ws://127.0.0.1:{port}/ws?token={token}"
    async with websockets.connect(uri, origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello"}))
        await ws.send(json.dumps({"type": "set_state", "state": {"seed": "0.12345", **state}}))
        await ws.send(json.dumps({"type": "play"}))
        start = time.perf_counter()
        frames, sizes, first_epoch, last_epoch, counting_since = 0, 0, None, 0, None
        while True:
            text = await asyncio.wait_for(ws.recv(), 30)
            message = json.loads(text)
            if message["type"] in ("error", "alert"):
                raise RuntimeError(f"the server said: {message}")
            if message["type"] != "frame" or not message["running"]:
                continue
            now = time.perf_counter()
            if now - start < warmup_s:
                continue
            if counting_since is None:  # the first counted frame starts the clock
                counting_since, first_epoch = now, message["epoch"]
                continue
            frames += 1
            sizes += len(text)
            last_epoch = message["epoch"]
            if now - counting_since >= seconds:
                break
        await ws.send(json.dumps({"type": "pause"}))
        elapsed = now - counting_since
        return Result(frames / elapsed, (last_epoch - first_epoch) / elapsed, sizes / max(frames, 1))


async def run_clients(port: int, token: str, state: dict, clients: int, seconds: float) -> list[Result]:
    return await asyncio.gather(*(one_client(port, token, state, 1.0, seconds) for _ in range(clients)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1", help="comma-separated client counts, e.g. 1,4 (default 1)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds counted per run (default 5)")
    args = parser.parse_args(argv)
    from neurona.playground.server import RunningServer

    counts = [int(part) for part in args.clients.split(",")]
    rows = []
    with RunningServer(port=0) as server:
        for name, (state, goal) in WORKLOADS.items():
            for clients in counts:
                print(f"running {name} with {clients} client(s)...", file=sys.stderr)
                results = asyncio.run(
                    run_clients(server.port, server.app.token, state, clients, args.seconds)
                )
                fps = sum(r.frames_per_s for r in results) / len(results)
                epochs = sum(r.epochs_per_s for r in results) / len(results)
                size = sum(r.frame_bytes for r in results) / len(results)
                met = "yes" if fps >= goal * 0.99 else "no"
                rows.append(
                    f"| {name} | {clients} | {fps:.1f} | {goal:.0f} | {met} | {epochs:.0f} | {size / 1e3:.1f} |"
                )
    print("| network | clients | updates/s per client | goal | met | epochs/s per client | frame kB |")
    print("|---|---:|---:|---:|---|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
