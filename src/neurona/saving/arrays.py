"""Weights as `.npz`: a zip of `.npy` members, written with `allow_pickle=False` and read by neurona's
own `.npy` header parser, so that nothing is allocated before its size is checked.

Why `.npz` (and not pickle, HDF5 or a custom format): a `.npy` member is a short text header (dtype,
order, shape) and raw little-endian numbers, so it can hold no code as long as object dtypes are refused
(an object array is a pickle: CVE-2019-6446 and Keras's `57c94f305c`). Plain NumPy reads the files
(`np.load(path, allow_pickle=False)`), the zip container is checked once for both the `.keras` archive
and its weights (`archive.py`), and no C parser of a complex format runs on untrusted bytes (unlike
HDF5: CVE-2026-0897, CVE-2026-1669). safetensors would give the same guarantees; `.npz` needs no extra
dependency and is what Keras itself offers as `weights_format="npz"`.

The reader never calls `np.load`: it parses the header itself (a literal dict with exactly `descr`,
`fortran_order` and `shape`), accepts only boolean, integer and float dtypes, computes the byte size with
Python integers (no overflow), and requires the member to hold exactly that many bytes after the header
before it creates the array (huge declared shapes cost nothing).
"""

from __future__ import annotations

import io
import math
import re
from typing import Any, NamedTuple

import numpy as np

from .archive import SafeZip, check_member_name, write_zip
from .limits import LoadLimits, ModelFileError

_MAGIC = b"\x93NUMPY"
_DESCR = re.compile(r"^[<>|=]?(b1|i1|i2|i4|i8|u1|u2|u4|u8|f2|f4|f8)$")
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^'\\]*'|\"[^\"\\]*\")|(?P<int>\d+)|(?P<word>True|False)|(?P<punct>[{}(),:]))"
)


class NpyHeader(NamedTuple):
    dtype: np.dtype
    shape: tuple[int, ...]
    fortran_order: bool
    data_offset: int


# --- writing -------------------------------------------------------------------------------------------
def npy_bytes(array: np.ndarray) -> bytes:
    """One `.npy` file's bytes (numeric dtypes only; pickling disabled)."""
    array = np.asarray(array)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Only numeric arrays are saved. Received an array of dtype {array.dtype}.")
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array(array, order="C", copy=False), allow_pickle=False)
    return buffer.getvalue()


def npz_bytes(store: dict[str, np.ndarray]) -> bytes:
    """A `.npz` archive (stored, uncompressed) with one `<key>.npy` member per entry, in order."""
    buffer = io.BytesIO()
    members = []
    for key, array in store.items():
        check_member_name(key + ".npy", "The weights being saved")
        members.append((key + ".npy", npy_bytes(array), False))
    write_zip(buffer, members)
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------------------
def parse_npy_header(data: bytes | memoryview, where: str, limits: LoadLimits) -> NpyHeader:
    """The checked header of a `.npy` member (see the module docstring)."""
    view = memoryview(data)
    if len(view) < 10 or bytes(view[:6]) != _MAGIC:
        raise ModelFileError(f"{where} is not a .npy array (bad magic bytes).")
    major = view[6]
    if major == 1:
        length, start = int.from_bytes(view[8:10], "little"), 10
    elif major in (2, 3):
        if len(view) < 12:
            raise ModelFileError(f"{where} is truncated inside its .npy header.")
        length, start = int.from_bytes(view[8:12], "little"), 12
    else:
        raise ModelFileError(f"{where} has an unsupported .npy format version {major}.")
    if length > limits.max_npy_header_bytes:
        raise ModelFileError(
            f"{where} declares a {length}-byte .npy header, over the limit of {limits.max_npy_header_bytes}."
        )
    if start + length > len(view):
        raise ModelFileError(f"{where} is truncated inside its .npy header.")
    try:
        text = bytes(view[start : start + length]).decode("utf-8" if major == 3 else "latin-1")
    except UnicodeDecodeError:
        raise ModelFileError(f"{where} has a .npy header that is not text.") from None
    fields = _parse_header_dict(text, where)
    descr = fields.get("descr")
    if not isinstance(descr, str) or not _DESCR.match(descr):
        raise ModelFileError(
            f"{where} stores dtype {descr!r}; only bool, integer and float arrays are read. Object arrays "
            "are pickles and are never loaded (allow_pickle=False)."
        )
    order = fields.get("fortran_order")
    shape = fields.get("shape")
    if not isinstance(order, bool):
        raise ModelFileError(f"{where} has an invalid `fortran_order` in its .npy header.")
    if not isinstance(shape, tuple) or len(shape) > limits.max_ndim:
        raise ModelFileError(
            f"{where} has an invalid shape {shape!r} (a tuple of at most {limits.max_ndim} sizes expected)."
        )
    return NpyHeader(np.dtype(descr), shape, order, start + length)


def _parse_header_dict(text: str, where: str) -> dict[str, Any]:
    """`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` and nothing else."""
    tokens = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None:
            raise ModelFileError(f"{where} has a malformed .npy header: {text[:80]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    fields: dict[str, Any] = {}
    index = 0

    def take(kind: str, value: str | None = None) -> str:
        nonlocal index
        if (
            index >= len(tokens)
            or tokens[index][0] != kind
            or (value is not None and tokens[index][1] != value)
        ):
            raise ModelFileError(f"{where} has a malformed .npy header: {text[:80]!r}")
        index += 1
        return tokens[index - 1][1]

    def peek(value: str) -> bool:
        return index < len(tokens) and tokens[index] == ("punct", value)

    take("punct", "{")
    while not peek("}"):
        key = take("str")[1:-1]
        take("punct", ":")
        if key in fields or key not in ("descr", "fortran_order", "shape"):
            raise ModelFileError(f"{where} has an unexpected or repeated key {key!r} in its .npy header.")
        if key == "descr":
            fields[key] = take("str")[1:-1]
        elif key == "fortran_order":
            fields[key] = take("word") == "True"
        else:
            take("punct", "(")
            dims = []
            while not peek(")"):
                dims.append(int(take("int")))
                if not peek(")"):
                    take("punct", ",")
            take("punct", ")")
            fields[key] = tuple(dims)
        if not peek("}"):
            take("punct", ",")
    take("punct", "}")
    if index != len(tokens) or len(fields) != 3:
        raise ModelFileError(f"{where} has a malformed .npy header: {text[:80]!r}")
    return fields


def array_nbytes(header: NpyHeader) -> int:
    return math.prod(header.shape) * header.dtype.itemsize


def read_npy(data: bytes, where: str, limits: LoadLimits, header: NpyHeader | None = None) -> np.ndarray:
    """The array of a `.npy` member whose size was checked against the bytes it holds (a read-only view)."""
    header = header or parse_npy_header(data, where, limits)
    nbytes = array_nbytes(header)
    available = len(data) - header.data_offset
    if nbytes != available:
        raise ModelFileError(
            f"{where} declares shape {header.shape} of {header.dtype} ({nbytes} bytes) but holds {available} "
            "bytes of data: refused before allocating anything."
        )
    array = np.frombuffer(data, dtype=header.dtype, count=math.prod(header.shape), offset=header.data_offset)
    return array.reshape(header.shape, order="F" if header.fortran_order else "C")


class NpzReader:
    """The `.npy` members of a checked archive, by key (the member name without `.npy`), headers parsed
    up front so that shapes and sizes are known before any array is made."""

    def __init__(self, archive: SafeZip) -> None:
        self.limits = archive.limits
        self.headers: dict[str, NpyHeader] = {}
        self._data: dict[str, bytes] = {}
        for name in archive.members:
            if not name.endswith(".npy"):
                raise ModelFileError(f"{archive.where} holds {name!r}, which is not a .npy member.")
            key = name[: -len(".npy")]
            data = archive.read(name)
            where = f"Array {key!r} in {archive.where}"
            header = parse_npy_header(data, where, self.limits)
            if array_nbytes(header) != len(data) - header.data_offset:
                read_npy(data, where, self.limits, header)  # raises with the sizes in the message
            self.headers[key] = header
            self._data[key] = data
        self.where = archive.where
        archive.close()  # everything is in memory now; release the archive's own buffer

    def keys(self) -> list[str]:
        return list(self.headers)

    def shape_of(self, key: str) -> tuple[int, ...]:
        return tuple(self.headers[key].shape)

    def close(self) -> None:
        self._data.clear()

    def data_bytes(self, prefix_filter: Any = None) -> int:
        """The bytes of array data in the members whose key passes `prefix_filter(key)`."""
        return sum(
            array_nbytes(h) for k, h in self.headers.items() if prefix_filter is None or prefix_filter(k)
        )

    def read(self, key: str, shape: tuple[int, ...] | None = None, dtype: Any = None) -> np.ndarray:
        """The array stored under `key`, after checking that it has the `shape` and `dtype` expected."""
        header = self.headers.get(key)
        where = f"Array {key!r} in {self.where}"
        if header is None:
            raise ModelFileError(f"{self.where} has no array {key!r}.")
        if shape is not None and tuple(header.shape) != tuple(shape):
            raise ModelFileError(f"{where} has shape {header.shape}; the model expects {tuple(shape)}.")
        if dtype is not None and header.dtype != np.dtype(dtype):
            raise ModelFileError(f"{where} has dtype {header.dtype}; the model expects {np.dtype(dtype)}.")
        return read_npy(self._data[key], where, self.limits, header)
