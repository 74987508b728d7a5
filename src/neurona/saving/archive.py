"""Zip archives read defensively (`.keras` files and the `.npz` weights inside them).

Before any member is decompressed, the central directory is checked:

* member names: relative, `/`-separated, no `..`/`.`/empty parts, no backslash, drive letter, control
  character or trailing `/`, at most 255 bytes, no duplicates; with an `expected` set, exactly those
  names (zip path traversal: CVE-2026-12479, CVE-2025-12060 / CVE-2025-12638 — neurona never extracts
  to disk, but a name it did not write is refused anyway);
* entries: plain files only (no directories, symlinks or device files), no encryption, only the
  stored and deflate methods;
* sizes (zip bombs): a stored member's declared size equals its compressed size; a deflated one larger
  than `ratio_floor_bytes` is at most `max_ratio` times its compressed size; the declared sizes add up to
  at most `max_total_bytes`; and the members tile the file without overlaps or hidden gaps (the
  overlapping-entry bomb and polyglot files);
* reading: never more than the declared size, checked against the CRC, counted against one budget.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from typing import IO

from .limits import ByteBudget, LoadLimits, ModelFileError

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, struct.error)


def check_member_name(name: str, where: str) -> None:
    """Refuse names that could escape a folder or alias another member (see the module docstring)."""
    problem = None
    if not isinstance(name, str) or not name:
        problem = "it is empty"
    elif len(name.encode("utf-8", "surrogatepass")) > 255:
        problem = "it is longer than 255 bytes"
    elif any(ord(c) < 32 or ord(c) == 127 for c in name):
        problem = "it contains a control character"
    elif name.startswith("/") or "\\" in name or ":" in name:
        problem = "it is absolute or uses a backslash or a drive letter"
    elif any(part in ("", ".", "..") for part in name.split("/")):
        problem = "it has an empty, '.' or '..' path component"
    if problem:
        raise ModelFileError(
            f"{where} holds a member named {name!r}, which is refused because {problem} (path traversal). "
            "neurona writes only plain relative names: this file was not written by neurona or was altered."
        )


class SafeZip:
    """A zip archive whose directory passed the checks of the module docstring.

    Args:
        source: a path or the archive's bytes.
        where: how errors name the archive (e.g. "'model.keras'").
        limits: the caps to apply.
        budget: the byte budget shared with the rest of the load (one is made from `limits` if None).
        expected: if given, the archive must hold exactly these member names.
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | bytes,
        where: str,
        limits: LoadLimits,
        budget: ByteBudget | None = None,
        expected: set[str] | None = None,
    ) -> None:
        self.where = where
        self.limits = limits
        self.budget = budget or ByteBudget(limits.max_total_bytes, f"reading {where}")
        self._handle: IO[bytes]
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._handle = io.BytesIO(source)
            self.size = len(source)
        else:
            self.size = _file_size(source, where)
            if self.size > limits.max_file_bytes:
                raise ModelFileError(
                    f"{where} is {self.size} bytes, over the limit of {limits.max_file_bytes} "
                    "(LoadLimits.max_file_bytes)."
                )
            self._handle = open(source, "rb")  # noqa: SIM115 - closed by close()
        try:
            self._zip = zipfile.ZipFile(self._handle)
            self.members = self._check_directory(expected)
        except ModelFileError:
            self._handle.close()
            raise
        except (*_ZIP_ERRORS, ValueError, NotImplementedError, UnicodeDecodeError) as error:
            self._handle.close()
            raise ModelFileError(
                f"{where} is not a readable zip archive ({error}). The file may be truncated or corrupt; "
                "save the model again."
            ) from None

    # --- the directory -------------------------------------------------------------------------------
    def _check_directory(self, expected: set[str] | None) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_members:
            raise ModelFileError(
                f"{self.where} holds {len(infos)} members, over the limit of {limits.max_members}."
            )
        members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            name = info.filename
            check_member_name(name, self.where)
            if name in members:
                raise ModelFileError(f"{self.where} holds the member {name!r} twice (an ambiguous archive).")
            members[name] = info
            self._check_entry(info)
            declared += info.file_size
        if declared > limits.max_total_bytes:
            raise ModelFileError(
                f"{self.where} declares {declared} bytes of content, over the limit of "
                f"{limits.max_total_bytes} (LoadLimits.max_total_bytes)."
            )
        if expected is not None and set(members) != expected:
            missing = sorted(expected - set(members))
            extra = sorted(set(members) - expected)
            raise ModelFileError(
                f"{self.where} does not hold the expected members: missing {missing}, unexpected {extra}."
            )
        self._check_layout(infos)
        return members

    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        name, limits = info.filename, self.limits
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0  # Unix file type
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise ModelFileError(
                f"{self.where}: member {name!r} is not a plain file (a folder, link or device): refused."
            )
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{self.where}: member {name!r} is encrypted: refused.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(
                f"{self.where}: member {name!r} uses compression method {info.compress_type}; only stored "
                "and deflate are read."
            )
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise ModelFileError(
                f"{self.where}: stored member {name!r} declares {info.file_size} bytes but holds "
                f"{info.compress_size}."
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ModelFileError(
                f"{self.where}: member {name!r} declares {info.file_size} bytes from {info.compress_size} "
                f"compressed bytes, a ratio over {limits.max_ratio} (a zip bomb?): refused."
            )

    def _check_layout(self, infos: list[zipfile.ZipInfo]) -> None:
        """The members follow each other from offset 0 up to the central directory, without overlaps
        (two entries sharing data: the overlapping zip bomb) or gaps (hidden data: polyglots)."""
        position = 0
        end = getattr(self._zip, "start_dir", self.size)
        for info in sorted(infos, key=lambda i: i.header_offset):
            if info.header_offset != position:
                raise ModelFileError(
                    f"{self.where}: member {info.filename!r} starts at byte {info.header_offset}, expected "
                    f"{position} (overlapping or hidden data): refused."
                )
            self._handle.seek(info.header_offset)
            header = self._handle.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size:
                raise ModelFileError(f"{self.where} is truncated inside member {info.filename!r}.")
            fields = _LOCAL_HEADER.unpack(header)
            if fields[0] != _LOCAL_SIGNATURE:
                raise ModelFileError(f"{self.where}: member {info.filename!r} has no valid local header.")
            name_length, extra_length = fields[-2], fields[-1]
            position = (
                info.header_offset + _LOCAL_HEADER.size + name_length + extra_length + info.compress_size
            )
            if info.flag_bits & 0x8:  # sizes in a data descriptor after the data
                position += self._descriptor_size(position, info)
        if position != end:
            raise ModelFileError(
                f"{self.where}: the members end at byte {position} but the directory starts at {end} "
                "(hidden or overlapping data): refused."
            )
        self._handle.seek(max(self.size - _END_RECORD.size, 0))
        record = self._handle.read(_END_RECORD.size)
        fields = _END_RECORD.unpack(record) if len(record) == _END_RECORD.size else None
        if fields is None or fields[0] != b"PK\x05\x06" or fields[-1] != 0:
            raise ModelFileError(
                f"{self.where} has data after its end record (a comment or appended bytes): refused."
            )
        directory_size, directory_offset = fields[5], fields[6]
        tail = _END_RECORD.size
        self._handle.seek(max(self.size - tail - 20, 0))
        if self._handle.read(4) == b"PK\x06\x07":  # zip64: a 56-byte end record and a 20-byte locator
            tail += 56 + 20
        if directory_offset != 0xFFFFFFFF and end + directory_size != self.size - tail:
            raise ModelFileError(f"{self.where} has data between its directory and its end record: refused.")

    def _descriptor_size(self, position: int, info: zipfile.ZipInfo) -> int:
        self._handle.seek(position)
        signature = self._handle.read(4) == b"PK\x07\x08"
        zip64 = max(info.file_size, info.compress_size) >= 0xFFFFFFFF
        return (4 if signature else 0) + 4 + (16 if zip64 else 8)

    # --- reading -------------------------------------------------------------------------------------
    def read(self, name: str) -> bytes:
        """The member's bytes: at most its declared size, CRC-checked, counted against the budget."""
        info = self.members.get(name)
        if info is None:
            raise ModelFileError(f"{self.where} has no member {name!r}.")
        self.budget.reserve(info.file_size, f"Member {name!r} of {self.where}")
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size)
                if stream.read(1) or len(data) != info.file_size:
                    raise ModelFileError(
                        f"{self.where}: member {name!r} does not hold its declared {info.file_size} bytes."
                    )
        except ModelFileError:
            raise
        except (*_ZIP_ERRORS, ValueError, NotImplementedError) as error:
            raise ModelFileError(
                f"{self.where}: member {name!r} cannot be read ({error}). The file is corrupt or truncated."
            ) from None
        return data

    def close(self) -> None:
        self._zip.close()
        self._handle.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _file_size(path: str | os.PathLike[str], where: str) -> int:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"No file or directory found at {os.fspath(path)!r}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise ModelFileError(f"{where} is not a regular file.")
    return info.st_size


def write_zip(handle: IO[bytes], members: list[tuple[str, bytes, bool]]) -> None:
    """Write `(name, data, compress)` members in order, with fixed timestamps (same content, same bytes)."""
    with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
        for name, data, compress in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
