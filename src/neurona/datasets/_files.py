"""Where data set files live and how they arrive: the cache folder, a checked download, local files.

The cache folder is `$NEURONA_HOME/datasets` when `NEURONA_HOME` is set, else `~/.neurona/datasets`.
`get_file` returns the path of a file, downloading it first when it is not in the cache:

* the download streams into a temporary file *in the cache folder*, its length is checked against the
  server's `Content-Length` and its hash against the published one, and only then does `os.replace` give
  it its final name; on any failure the temporary file is removed, so a partial or corrupt download is
  never left looking complete;
* a file already in the cache is hashed again before use, so a damaged or planted file is refused;
* an absolute `path` is the user's own copy and is used as is (no hash: it may be a subset or a mirror);
* with no network, the error names the exact URL to fetch and the exact path to put it at.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 1 << 20
TIMEOUT_SECONDS = 60.0


class DatasetFileError(OSError):
    """A data set file is missing, truncated, corrupt or could not be downloaded."""


def cache_dir() -> Path:
    """The folder that holds downloaded data sets (created on first use)."""
    home = os.environ.get("NEURONA_HOME")
    base = Path(home).expanduser() if home else Path.home() / ".neurona"
    return base / "datasets"


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """The hex digest of a file, read in chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _open_url(url: str) -> BinaryIO:
    """The one place that touches the network (tests replace it)."""
    return urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS)  # noqa: S310 - fixed https origins


def resolve(path: str | os.PathLike | None, default_name: str) -> tuple[Path, bool]:
    """`(full path, is_user_file)`: an absolute `path` is the user's own file; anything else is a name
    inside the cache folder."""
    if path is None:
        path = default_name
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate, True
    if ".." in candidate.parts:
        raise ValueError(
            f"`path` must be a file name inside the cache folder or an absolute path. Received: path={path!r}"
        )
    return cache_dir() / candidate, False


def get_file(
    path: str | os.PathLike | None,
    *,
    default_name: str,
    origin: str,
    file_hash: str,
    hash_algorithm: str = "sha256",
) -> Path:
    """The local path of a data set file, downloading and checking it when needed.

    `path`: a name relative to the cache folder (default `default_name`), or an absolute path to a copy
    you already have (used as is). `origin`: the canonical URL. `file_hash`: its published digest.
    """
    target, is_user_file = resolve(path, default_name)
    if is_user_file:
        if not target.is_file():
            raise FileNotFoundError(
                f"No file at {str(target)!r}. Expected a copy of {origin} there. To fix it, download that "
                "URL to this path, or pass a path relative to the cache folder to download it automatically."
            )
        return target
    if target.is_file():
        _check_hash(target, file_hash, hash_algorithm, origin, cached=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _download(origin, target, file_hash, hash_algorithm)
    return target


def _check_hash(path: Path, expected: str, algorithm: str, origin: str, *, cached: bool) -> None:
    actual = file_digest(path, algorithm)
    if actual != expected.lower():
        how = (
            f"Delete it and load again to re-download it from {origin}"
            if cached
            else f"The download of {origin} was corrupted or the file changed upstream; try again"
        )
        raise DatasetFileError(
            f"The {algorithm.upper()} of {str(path)!r} is {actual}, expected {expected}. {how}, or pass "
            "`path='/absolute/path/to/your/copy'` to use a file of your own as is."
        )


def _download(origin: str, target: Path, file_hash: str, algorithm: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            digest, received, expected_length = _stream(origin, target, out, algorithm)
            out.flush()
            os.fsync(out.fileno())
        if expected_length is not None and received != expected_length:
            raise DatasetFileError(
                f"The download of {origin} is truncated: received {received} of {expected_length} bytes. "
                f"Try again, or fetch the URL yourself and put the file at {str(target)!r}."
            )
        if digest != file_hash.lower():
            raise DatasetFileError(
                f"The {algorithm.upper()} of the file downloaded from {origin} is {digest}, expected "
                f"{file_hash}. Nothing was saved. Try again, or fetch the URL yourself and put the file at "
                f"{str(target)!r}."
            )
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def _stream(origin: str, target: Path, out: BinaryIO, algorithm: str) -> tuple[str, int, int | None]:
    digest = hashlib.new(algorithm)
    received = 0
    try:
        response = _open_url(origin)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DatasetFileError(
            f"Could not download {origin} ({error}). Without network access, fetch that URL on a machine "
            f"that has it and put the file at {str(target)!r}, or pass `path='/absolute/path/to/the/file'`."
        ) from None
    with response:
        length_header = getattr(response, "headers", {}).get("Content-Length")
        expected_length = int(length_header) if length_header else None
        try:
            for chunk in iter(lambda: response.read(CHUNK_BYTES), b""):
                digest.update(chunk)
                out.write(chunk)
                received += len(chunk)
        except (urllib.error.URLError, OSError) as error:
            raise DatasetFileError(
                f"The download of {origin} broke off after {received} bytes ({error}). Try again, or fetch "
                f"the URL yourself and put the file at {str(target)!r}."
            ) from None
    return digest.hexdigest(), received, expected_length
