"""Load test of `neurona playground`: four browser pages (one browser, four contexts, so four server
sessions) play at once for about ten seconds; no server traceback and no page shows an error alert."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_browser import (  # noqa: E402  (the helpers live beside the browser tests)
    artifacts_folder,
    close_page,
    epoch,
    launch_browser,
    open_page,
    screenshot,
    start_server,
)

PAGES = 4
PLAY_SECONDS = 10


@pytest.fixture(scope="module")
def server():
    yield from start_server()


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


def test_four_pages_play_at_once(server, browser, tmp_path_factory):
    artifacts = artifacts_folder(tmp_path_factory)
    datasets = ["circle", "xor", "gauss", "spiral"]
    pages = []
    try:
        for name in datasets[:PAGES]:
            page = open_page(browser, f"{server.base}#dataset={name}")
            pages.append(page)
        for page in pages:
            page.click("#play-pause-button")
        started = time.monotonic()
        while time.monotonic() - started < PLAY_SECONDS:
            time.sleep(1.0)
            assert server.process.poll() is None, "the server exited"
            for page in pages:
                assert page.locator(".alert[data-kind=error]").count() == 0, page.locator(
                    ".alert"
                ).all_inner_texts()
        epochs = [epoch(page) for page in pages]
        for index, page in enumerate(pages):
            screenshot(page, artifacts, f"load-{index}")
        assert all(count > 10 for count in epochs), f"epochs reached: {epochs}"
        assert not server.errors(), "\n".join(server.errors())
    finally:
        for page in pages:
            close_page(page)
