"""Reading the CIFAR *binary* archives with NumPy, straight from the `.tar.gz` (nothing is extracted).

Each record is a label byte (two for CIFAR-100: coarse, then fine) followed by 3 072 pixel bytes: the
1 024 red values of the 32×32 image row by row, then green, then blue. Members are looked up by their
exact expected names; the archive is refused if any member name is absolute or contains `..`, or if an
expected member is not a regular file, so a crafted archive cannot point the reader anywhere else.
"""

from __future__ import annotations

import tarfile
import zlib
from pathlib import Path, PurePosixPath

import numpy as np

from ._files import DatasetFileError

PIXELS = 3 * 32 * 32


def read_members(file: Path, names: list[str]) -> dict[str, bytes]:
    """The bytes of the named regular-file members of a `.tar.gz`."""
    where = repr(str(file))
    try:
        with tarfile.open(file, mode="r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                parts = PurePosixPath(member.name).parts
                if member.name.startswith(("/", "\\")) or ".." in parts or "\\" in member.name:
                    raise DatasetFileError(f"{where} holds an unsafe member name {member.name!r}; refused.")
            by_name = {member.name: member for member in members}
            out = {}
            for name in names:
                member = by_name.get(name)
                if member is None or not member.isfile():
                    raise DatasetFileError(
                        f"{where} has no regular file {name!r}. Expected the canonical CIFAR binary archive."
                    )
                out[name] = archive.extractfile(member).read()
            return out
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if isinstance(error, DatasetFileError):
            raise
        raise DatasetFileError(f"{where} is not a readable .tar.gz ({error}); it may be truncated.") from None


def parse_records(raw: bytes, label_bytes: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """`(images (n, 32, 32, 3) uint8, labels (n, label_bytes) uint8)` from one binary batch."""
    record = label_bytes + PIXELS
    if len(raw) == 0 or len(raw) % record:
        raise DatasetFileError(
            f"{name!r} holds {len(raw)} bytes, not a whole number of {record}-byte records; it may be truncated."
        )
    table = np.frombuffer(raw, dtype=np.uint8).reshape(-1, record)
    images = table[:, label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), table[:, :label_bytes].copy()
