import hashlib
import io
import urllib.error

import numpy as np
import pytest

from neurona.datasets import DatasetFileError, _files, mnist


class FakeResponse(io.BytesIO):
    def __init__(self, payload: bytes, length: int | None = None, fail_after: int | None = None):
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload) if length is None else length)}
        self.fail_after = fail_after

    def read(self, size=-1):
        if self.fail_after is not None and self.tell() >= self.fail_after:
            raise ConnectionResetError("connection reset")
        limit = size if self.fail_after is None else min(size, self.fail_after - self.tell())
        return super().read(limit)


def mnist_bytes() -> bytes:
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        y_train=np.arange(6, dtype=np.uint8),
        x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        y_test=np.arange(2, dtype=np.uint8),
    )
    return buffer.getvalue()


def serve(monkeypatch, response_factory):
    calls = []

    def open_url(url):
        calls.append(url)
        return response_factory()

    monkeypatch.setattr(_files, "_open_url", open_url)
    return calls


def test_cache_dir_follows_neurona_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURONA_HOME", str(tmp_path / "h"))
    assert _files.cache_dir() == tmp_path / "h" / "datasets"
    monkeypatch.delenv("NEURONA_HOME")
    assert _files.cache_dir().parts[-2:] == (".neurona", "datasets")


def test_download_verifies_then_caches(_offline_cache, monkeypatch):
    payload = mnist_bytes()
    monkeypatch.setattr(mnist, "FILE_HASH", hashlib.sha256(payload).hexdigest())
    calls = serve(monkeypatch, lambda: FakeResponse(payload))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert calls == [mnist.ORIGIN]
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8 and y_test.tolist() == [0, 1]
    assert sorted(p.name for p in _offline_cache.iterdir()) == ["mnist.npz"]
    mnist.load_data()  # second load: from the cache, no download
    assert len(calls) == 1


def test_no_network_names_url_and_path(_offline_cache):
    with pytest.raises(DatasetFileError) as info:
        mnist.load_data()
    message = str(info.value)
    assert mnist.ORIGIN in message and str(_offline_cache / "mnist.npz") in message
    assert list(_offline_cache.iterdir()) == []


def test_checksum_mismatch_leaves_nothing(_offline_cache, monkeypatch):
    serve(monkeypatch, lambda: FakeResponse(mnist_bytes()))
    with pytest.raises(DatasetFileError, match="SHA256 .* expected 731c5ac6"):
        mnist.load_data()
    assert list(_offline_cache.iterdir()) == []


def test_truncated_download_leaves_nothing(_offline_cache, monkeypatch):
    payload = mnist_bytes()
    monkeypatch.setattr(mnist, "FILE_HASH", hashlib.sha256(payload).hexdigest())
    serve(monkeypatch, lambda: FakeResponse(payload[:100], length=len(payload)))
    with pytest.raises(DatasetFileError, match=f"truncated: received 100 of {len(payload)} bytes"):
        mnist.load_data()
    assert list(_offline_cache.iterdir()) == []


def test_connection_dropped_mid_download_leaves_nothing(_offline_cache, monkeypatch):
    payload = mnist_bytes()
    serve(monkeypatch, lambda: FakeResponse(payload, fail_after=50))
    with pytest.raises(DatasetFileError, match="broke off after 50 bytes"):
        mnist.load_data()
    assert list(_offline_cache.iterdir()) == []


def test_corrupt_cached_file_is_refused(_offline_cache):
    _offline_cache.mkdir(parents=True)
    (_offline_cache / "mnist.npz").write_bytes(b"not the real file")
    with pytest.raises(DatasetFileError, match="Delete it and load again"):
        mnist.load_data()


def test_absolute_path_is_used_as_is(tmp_path):
    file = tmp_path / "my-mnist.npz"
    file.write_bytes(mnist_bytes())
    (x_train, _), _ = mnist.load_data(path=str(file))
    assert x_train.shape == (6, 28, 28)
    with pytest.raises(FileNotFoundError, match="Expected a copy of https://"):
        mnist.load_data(path=str(tmp_path / "missing.npz"))


def test_truncated_local_file_is_a_clear_error(tmp_path):
    file = tmp_path / "mnist.npz"
    file.write_bytes(mnist_bytes()[:200])
    with pytest.raises(DatasetFileError, match="not a valid .npz"):
        mnist.load_data(path=str(file))


def test_missing_array_is_named(tmp_path):
    file = tmp_path / "mnist.npz"
    np.savez(file, x_train=np.zeros((1, 28, 28), np.uint8))
    with pytest.raises(DatasetFileError, match="y_train"):
        mnist.load_data(path=str(file))


def test_relative_path_may_not_escape_cache():
    with pytest.raises(ValueError, match="inside the cache folder"):
        mnist.load_data(path="../elsewhere.npz")


def test_url_error_wording(monkeypatch, _offline_cache):
    def refuse(url):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(_files, "_open_url", refuse)
    with pytest.raises(DatasetFileError, match="Without network access, fetch that URL"):
        mnist.load_data()


def test_real_urllib_path_with_a_file_url(_offline_cache, monkeypatch, tmp_path):
    """The genuine downloader (urllib, Content-Length, hash, os.replace) on a local file:// URL."""
    monkeypatch.undo()  # restore the real `_open_url`
    monkeypatch.setenv("NEURONA_HOME", str(_offline_cache.parent))
    source = tmp_path / "served" / "mnist.npz"
    source.parent.mkdir()
    source.write_bytes(mnist_bytes())
    monkeypatch.setattr(mnist, "ORIGIN", source.as_uri())
    monkeypatch.setattr(mnist, "FILE_HASH", _files.file_digest(source))
    (x_train, _), _ = mnist.load_data()
    assert x_train.shape == (6, 28, 28)
    assert sorted(p.name for p in _offline_cache.iterdir()) == ["mnist.npz"]


def test_fashion_mnist_downloads_into_its_folder(_offline_cache, monkeypatch):
    import gzip
    import struct

    from neurona.datasets import fashion_mnist

    payloads = {}
    for name in fashion_mnist.FILE_HASHES:
        images = "images" in name
        header = struct.pack(">II", 2051 if images else 2049, 2) + (
            struct.pack(">II", 28, 28) if images else b""
        )
        payloads[name] = gzip.compress(header + bytes(2 * 28 * 28 if images else 2))
    monkeypatch.setattr(
        fashion_mnist,
        "FILE_HASHES",
        {name: hashlib.sha256(data).hexdigest() for name, data in payloads.items()},
    )
    serve_by_url = {fashion_mnist.KERAS_ORIGIN + name: data for name, data in payloads.items()}
    monkeypatch.setattr(_files, "_open_url", lambda url: FakeResponse(serve_by_url[url]))
    (x_train, y_train), _ = fashion_mnist.load_data()
    assert x_train.shape == (2, 28, 28) and y_train.shape == (2,)
    assert sorted(p.name for p in (_offline_cache / "fashion-mnist").iterdir()) == sorted(payloads)
