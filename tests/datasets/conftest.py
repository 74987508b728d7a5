"""Dataset tests never touch the network: the cache lives in a temporary folder and `_open_url` fails
unless a test replaces it."""

import urllib.error

import pytest

from neurona.datasets import _files


@pytest.fixture(autouse=True)
def _offline_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURONA_HOME", str(tmp_path / "home"))

    def no_network(url):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(_files, "_open_url", no_network)
    yield tmp_path / "home" / "datasets"
