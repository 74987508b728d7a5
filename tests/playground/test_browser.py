"""End-to-end tests of `neurona playground` in headless Chromium (Debian's, driven by Playwright).

One real server (`python -m neurona.playground --no-browser --port 0`) serves the module; each test
opens its own browser context (a new session) and checks what a user sees. Screenshots go to a
`tmp_path`-based artifacts folder and, when `PLAYGROUND_ARTIFACTS` is set, there too.

Needs: Debian's Chromium (scripts/install-test-browser.sh; or NEURONA_CHROMIUM=path) and the `test` extra
(playwright, used with that Chromium: no browser download).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = os.environ.get("NEURONA_CHROMIUM") or os.environ.get("PLAYGROUND_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SRC = Path(__file__).resolve().parents[2] / "src"
URL_PATTERN = re.compile(r"http://\S+\?token=[0-9A-Za-z_-]+\S*")
START_TIMEOUT_S = 30
VIEWPORT = {"width": 1440, "height": 1000}

# The README's test command installs all of these (scripts/install-test-browser.sh puts Debian's Chromium
# in place): a missing one is a broken set-up, reported as a failure rather than skipped.
try:
    import starlette  # noqa: F401 - the server's framework (the `playground` extra)
    from playwright import sync_api
except ImportError as error:  # pragma: no cover - only on a broken install
    pytest.fail(f'{error}: install the test dependencies with pip install -e ".[test]"', pytrace=False)
if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.fail(
        f"No Chromium at {CHROMIUM}: run scripts/install-test-browser.sh (Debian's chromium), or set "
        "NEURONA_CHROMIUM to a Chromium binary.",
        pytrace=False,
    )


# --- the server -------------------------------------------------------------------------------------
class Server:
    """`python -m neurona.playground` in a subprocess; its output is collected line by line."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, "-m", "neurona.playground", "--no-browser", "--port", "0"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr), daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.url = self._wait_for_url()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for line in self.stdout + self.stderr:
                match = URL_PATTERN.search(line)
                if match:
                    return match.group(0)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        output = "".join(self.stdout + self.stderr)[-3000:]
        raise RuntimeError(f"the playground server printed no URL within {START_TIMEOUT_S} s:\n{output}")

    @property
    def base(self) -> str:
        return self.url.split("#")[0]

    def errors(self) -> list[str]:
        """Server-side tracebacks and error log lines so far."""
        lines = "".join(self.stderr).splitlines()
        return [line for line in lines if "Traceback" in line or re.search(r"\bERROR\b", line)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server():
    server = Server()
    try:
        yield server
    finally:
        server.stop()


def launch_browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def artifacts_folder(tmp_path_factory) -> list[Path]:
    folders = [tmp_path_factory.mktemp("playground-artifacts")]
    extra = os.environ.get("PLAYGROUND_ARTIFACTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        folders.append(Path(extra))
    return folders


def screenshot(page, folders: list[Path], name: str) -> None:
    first = folders[0] / f"{name}.png"
    page.screenshot(path=str(first), full_page=True)
    for folder in folders[1:]:
        shutil.copy(first, folder / first.name)


def open_page(browser, url: str):
    """A new context (so a new server session) with the page loaded and the first frame drawn."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("#connection[data-status=open]", timeout=15_000)
    page.wait_for_selector(".hidden-node", timeout=15_000)
    page.wait_for_function("() => document.getElementById('test-loss').textContent !== '\\u2013'")
    return page


def close_page(page) -> None:
    errors = list(page.errors)
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def epoch(page) -> int:
    return int(page.locator("#epoch-number").inner_text())


def number(page, selector: str) -> float:
    text = page.locator(selector).inner_text().strip().rstrip("%")
    return float(text)


def wait_hash(page, fragment: str, timeout: float = 10_000) -> None:
    page.wait_for_function("(text) => window.location.hash.includes(text)", arg=fragment, timeout=timeout)


def wait_epoch_above(page, value: int, timeout: float = 15_000) -> None:
    page.wait_for_function(
        "(n) => Number(document.getElementById('epoch-number').textContent) > n", arg=value, timeout=timeout
    )


def pause(page) -> None:
    page.click("#play-pause-button")
    page.wait_for_selector("#play-pause-button:not(.playing)")


# --- fixtures -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server():
    yield from start_server()


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    return artifacts_folder(tmp_path_factory)


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server.url)
    yield page
    close_page(page)


# --- tests --------------------------------------------------------------------------------------------
def test_opens_at_epoch_zero(page, artifacts):
    assert page.locator("#epoch-number").inner_text() == "000000"
    assert "dataset=circle" in page.url
    # The default network 4,2: four and two hidden neurons, one output, seven feature nodes (two on).
    assert page.locator(".hidden-node").count() == 6
    assert page.locator(".output-node").count() == 1
    assert page.locator(".feature-node").count() == 7
    assert page.locator(".feature-node.inactive").count() == 5
    assert page.locator("path.link").count() == 2 * 4 + 4 * 2 + 2 * 1
    screenshot(page, artifacts, "01-opened")
    # Hovering a neuron shows its own output (asked of the server) in the big heatmap.
    page.locator(".hidden-node[data-layer='1']").nth(1).hover()
    page.wait_for_selector("#output-heatmap[data-showing=neuron]")
    assert "neuron 2 of hidden layer 1" in page.locator(".heatmap-caption").inner_text()
    page.mouse.move(2, 2)
    page.wait_for_selector("#output-heatmap[data-showing=output]")


def test_play_trains_circle_and_test_loss_falls(page, artifacts):
    first = number(page, "#test-loss")
    page.click("#play-pause-button")
    page.wait_for_selector("#play-pause-button.playing")
    losses = []
    deadline = time.monotonic() + 20
    while (epoch(page) < 100 or len(losses) < 4) and time.monotonic() < deadline:
        time.sleep(0.4)
        losses.append(number(page, "#test-loss"))
    assert epoch(page) >= 100, f"only {epoch(page)} epochs in 20 s"
    pause(page)
    screenshot(page, artifacts, "02-trained-circle")
    assert losses[-1] < first, f"test loss did not fall: {first} -> {losses}"
    assert min(losses) < 0.8 * first


def test_pause_step_and_reset(page):
    initial_loss = page.locator("#test-loss").inner_text()
    page.click("#play-pause-button")
    wait_epoch_above(page, 5)
    pause(page)
    paused_at = epoch(page)
    time.sleep(0.4)
    assert epoch(page) == paused_at, "the counter moved while paused"
    page.click("#step-button")
    page.wait_for_function(
        "(n) => Number(document.getElementById('epoch-number').textContent) === n", arg=paused_at + 1
    )
    page.click("#reset-button")
    page.wait_for_function("() => document.getElementById('epoch-number').textContent === '000000'")
    # Reset keeps the initial weights: the same loss as on opening.
    page.wait_for_function(
        "(text) => document.getElementById('test-loss').textContent === text", arg=initial_loss
    )
    # Reset with new weights draws other weights (the links change) and notes `initSeed` in the URL.
    widths = (
        "() => [...document.querySelectorAll('path.link')].map((p) => p.getAttribute('stroke-width')).join()"
    )
    before = page.evaluate(widths)
    page.click("#new-weights-button")
    wait_hash(page, "initSeed=1")
    page.wait_for_function(f"(before) => ({widths})() !== before", arg=before)
    assert page.locator("#epoch-number").inner_text() == "000000"


def test_speed_sets_the_epochs_per_update(page):
    # One epoch per update at ~30 updates/s: well under 100 epochs in 1.5 s; "as fast as it goes" passes
    # that within a few seconds (hundreds of epochs per second for the default network).
    page.select_option("#speed", "1")
    wait_hash(page, "speed=1")
    page.click("#play-pause-button")
    wait_epoch_above(page, 3)
    time.sleep(1.5)
    slow = epoch(page)
    pause(page)
    assert slow < 100, f"{slow} epochs at one epoch per update"
    page.select_option("#speed", "0")
    wait_hash(page, "speed=0")
    page.click("#play-pause-button")
    wait_epoch_above(page, slow + 300, timeout=20_000)
    pause(page)


def test_dataset_and_feature_go_into_the_url(page, artifacts):
    page.click(".thumbnail[data-dataset=xor]")
    wait_hash(page, "dataset=xor")
    page.wait_for_selector(".thumbnail.selected[data-dataset=xor]")
    page.click(".feature-node[data-feature=xTimesY]")
    wait_hash(page, "xTimesY=true")
    page.wait_for_selector(".feature-node[data-feature=xTimesY]:not(.inactive)")
    # Three active features now feed the first hidden layer (3·4 + 4·2 + 2·1 links).
    page.wait_for_function("() => document.querySelectorAll('path.link').length === 22")
    page.click("#play-pause-button")
    wait_epoch_above(page, 10)
    pause(page)
    screenshot(page, artifacts, "03-xor-with-x1x2")


def test_add_a_layer_and_a_neuron(page):
    page.click("#add-layer")
    wait_hash(page, "networkShape=4,2,2")
    page.wait_for_function("() => document.querySelectorAll('.hidden-node').length === 8")
    assert page.locator("#num-layers").text_content() == "3 hidden layers"
    page.locator(".add-neuron").first.click()
    wait_hash(page, "networkShape=5,2,2")
    page.wait_for_function("() => document.querySelectorAll('.hidden-node').length === 9")
    assert page.locator(".hidden-node[data-layer='1']").count() == 5
    page.click("#remove-layer")
    wait_hash(page, "networkShape=5,2&")


def test_larger_limits_allow_more_neurons_with_a_warning(browser, server):
    page = open_page(browser, f"{server.base}#networkShape=8,2")
    try:
        # the page draws the default network first, then the one from the URL: wait for 8 + 2 neurons
        page.wait_for_function("() => document.querySelectorAll('.hidden-node').length === 10")
        add = page.locator(".add-neuron").first
        page.wait_for_function("() => document.querySelector('.add-neuron').disabled")
        assert add.is_disabled()
        assert "Larger limits" in add.get_attribute("title")
        page.check("#large-limits")
        warning = page.wait_for_selector(".alert[data-kind=warning]")
        assert "slower" in warning.inner_text()
        page.locator(".add-neuron").first.click()
        wait_hash(page, "networkShape=9,2")
        page.wait_for_function("() => document.querySelectorAll('.hidden-node').length === 11")
    finally:
        close_page(page)


def test_click_a_weight_or_a_bias_to_type_a_new_value(page):
    link = page.locator("path.link-hover[data-layer='0'][data-from='1'][data-to='3']")
    link.click()
    page.fill(".hovercard input", "2.5")
    page.press(".hovercard input", "Enter")
    page.mouse.move(2, 2)
    link.hover()
    page.wait_for_function("() => document.querySelector('.hovercard').textContent === 'Weight is 2.500'")
    bias = page.locator(".bias").first
    bias.click()
    page.fill(".hovercard input", "-1")
    page.press(".hovercard input", "Enter")
    page.mouse.move(2, 2)
    bias.hover()
    page.wait_for_function("() => document.querySelector('.hovercard').textContent === 'Bias is -1.000'")
    assert page.locator("#epoch-number").inner_text() == "000000"


def test_upload_a_csv_and_train_on_it(page, tmp_path, artifacts):
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, size=(300, 2))
    labels = np.where(points[:, 0] + 0.5 * points[:, 1] > 0, 1, -1)
    csv = tmp_path / "halfplane.csv"
    rows = ["width,height,extra,kind"] + [
        f"{x:.4f},{y:.4f},{rng.normal():.3f},{label}" for (x, y), label in zip(points, labels)
    ]
    csv.write_text("\n".join(rows) + "\n")
    page.set_input_files("#csv-file", str(csv))
    page.wait_for_selector("#csv-use")
    assert "300 rows" in page.locator("#upload-status").inner_text()
    assert page.locator("#csv-label").input_value() == "kind"
    page.click("#csv-use")
    wait_hash(page, "dataset=csv")
    page.wait_for_selector(".thumbnail.selected[data-dataset=csv]")
    first = number(page, "#test-loss")
    page.click("#play-pause-button")
    wait_epoch_above(page, 20)
    time.sleep(1.0)
    pause(page)
    assert number(page, "#test-loss") < first
    assert number(page, "#test-accuracy") > 80
    screenshot(page, artifacts, "04-csv")


def test_upload_errors_are_shown(page, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("just one column\n1\n2\n")
    page.set_input_files("#csv-file", str(bad))
    page.wait_for_selector("#upload-status.upload-error")
    assert page.locator("#upload-status").inner_text().strip() != ""


def test_multiclass_trains_and_accuracy_rises(page, artifacts):
    page.select_option("#problem", "multiclass")
    wait_hash(page, "problem=multiclass")
    page.wait_for_function("() => document.querySelectorAll('.output-node').length === 3")
    page.select_option("#learning-rate", "0.1")
    wait_hash(page, "learningRate=0.1")
    page.wait_for_selector("#test-accuracy:not(:empty)")
    first = number(page, "#test-accuracy")
    page.click("#play-pause-button")
    wait_epoch_above(page, 30)
    time.sleep(1.0)
    pause(page)
    last = number(page, "#test-accuracy")
    screenshot(page, artifacts, "05-multiclass")
    assert last > first and last > 80, f"accuracy {first}% -> {last}%"


def test_export_the_model_and_load_it(page, tmp_path):
    from neurona.models import load_model

    for _ in range(3):
        page.click("#step-button")
    page.wait_for_function("() => document.getElementById('epoch-number').textContent === '000003'")
    with page.expect_download() as download_info:
        page.click("#export-model")
    download = download_info.value
    path = tmp_path / (download.suggested_filename or "model.keras")
    download.save_as(str(path))
    model = load_model(str(path))
    dense = [layer for layer in model.layers if layer.get_weights()]
    assert [layer.get_weights()[0].shape for layer in dense] == [(2, 4), (4, 2), (2, 1)]
    # The hover card of the link X2 → fourth neuron shows the file's kernel entry [1, 3].
    page.locator("path.link-hover[data-layer='0'][data-from='1'][data-to='3']").hover()
    text = page.locator(".hovercard").inner_text()
    shown = float(re.search(r"Weight is (-?[0-9.]+)", text).group(1))
    assert abs(shown - float(dense[0].get_weights()[0][1, 3])) < 1e-3
    # The script download works too.
    with page.expect_download() as script_info:
        page.click("#export-script")
    script = tmp_path / "playground.py"
    script_info.value.save_as(str(script))
    assert "neurona" in script.read_text()


def test_a_shared_url_reproduces_the_state(page, browser):
    page.click(".thumbnail[data-dataset=spiral]")
    wait_hash(page, "dataset=spiral")
    page.select_option("#learning-rate", "0.1")
    wait_hash(page, "learningRate=0.1")
    page.select_option("#activation", "relu")
    wait_hash(page, "activation=relu")
    page.click("#add-layer")
    wait_hash(page, "networkShape=4,2,2")
    page.click(".feature-node[data-feature=sinX]")
    wait_hash(page, "sinX=true")
    shared = page.url
    other = open_page(browser, shared)
    try:
        wait_hash(other, "networkShape=4,2,2")
        assert other.locator("#learning-rate").input_value() == "0.1"
        assert other.locator("#activation").input_value() == "relu"
        assert other.locator(".thumbnail.selected").get_attribute("data-dataset") == "spiral"
        assert other.locator(".hidden-node").count() == 8
        assert other.locator(".feature-node[data-feature=sinX].inactive").count() == 0
        seed = re.search(r"seed=([^&]+)", shared).group(1)
        assert f"seed={seed}" in other.url
        # Same data and the same initial weights: the same initial test loss.
        assert other.locator("#test-loss").inner_text() == page.locator("#test-loss").inner_text()
    finally:
        close_page(other)


def test_divergence_shows_an_explanation(page, artifacts):
    page.select_option("#problem", "regression")
    wait_hash(page, "problem=regression")
    page.select_option("#learning-rate", "10")
    wait_hash(page, "learningRate=10")
    page.click("#play-pause-button")
    alert = page.wait_for_selector(".alert[data-kind=divergence]", timeout=20_000)
    text = alert.inner_text()
    screenshot(page, artifacts, "06-divergence")
    assert "learning rate" in text.lower()
    page.wait_for_selector("#play-pause-button:not(.playing)")


def test_a_classroom_link_hides_the_chosen_controls(page, browser, artifacts):
    page.click("#classroom-button")
    page.check("input[data-hide=learningRate]")
    page.check("input[data-hide=playButton]")
    page.check("input[data-hide=sinY]")
    link = page.locator("#classroom-link").input_value()
    assert "learningRate_hide=true" in link and "playButton_hide=true" in link
    page.click("dialog .primary")
    other = open_page(browser, link)
    try:
        wait_hash(other, "learningRate_hide=true")
        other.wait_for_selector("#learning-rate", state="hidden")
        other.wait_for_selector("#play-pause-button", state="hidden")
        assert other.locator(".feature-node[data-feature=sinY]").count() == 0
        assert other.locator(".feature-node").count() == 6
        assert other.locator("#activation").is_visible()
        assert other.locator("#step-button").is_visible()
        screenshot(other, artifacts, "07-classroom")
    finally:
        close_page(other)
