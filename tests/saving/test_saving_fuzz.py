"""The loader under attack, file level: truncated and bit-flipped files, huge declared shapes, zip bombs
and path traversal, object dtypes and pickles, HDF5 links and shape bombs. Every case ends in
`ModelFileError` (or, for a harmless flip, a correct load), nothing executes (the `watch` fixture),
memory stays bounded (tracemalloc)."""

import io
import pickle
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest
from saving_helpers import (
    Evil,
    archive_bytes,
    fuzz_model,
    keras_bytes,
    npy_header,
    refused,
    weights_with,
    write,
)

from neurona.models import load_model
from neurona.saving import LoadLimits, ModelFileError


# --- the cases ---------------------------------------------------------------------------------------
def test_truncated_files_are_refused_at_every_offset(tmp_path, valid, watch):
    data, _ = valid
    offsets = sorted(set(np.linspace(0, len(data) - 1, 160).astype(int)) | {0, 1, 4, 22, len(data) - 22})
    for offset in offsets:
        refused(tmp_path, data[:offset])


def test_flipped_bytes_either_load_correctly_or_are_refused(tmp_path, valid, watch):
    data, _ = valid
    reference = load_model(write(tmp_path / "ok.keras", data))
    rng = np.random.default_rng(0)
    loaded = 0
    for position in rng.choice(len(data), size=min(1000, len(data)), replace=False):
        corrupted = bytearray(data)
        corrupted[position] ^= int(rng.integers(1, 256))
        try:
            model = load_model(write(tmp_path / "flip.keras", bytes(corrupted)))
        except ModelFileError:
            continue
        loaded += 1  # a flip in a date or an unused field: the model must be intact
        for a, b in zip(model.get_weights(), reference.get_weights()):
            np.testing.assert_array_equal(a, b)
    assert loaded < 500


def test_flipped_bytes_in_a_weights_file(tmp_path, watch):
    model = fuzz_model()
    model.save_weights(tmp_path / "w.weights.npz")
    data = (tmp_path / "w.weights.npz").read_bytes()
    rng = np.random.default_rng(1)
    for position in rng.choice(len(data), size=150, replace=False):
        corrupted = bytearray(data)
        corrupted[position] ^= 0xFF
        path = write(tmp_path / "flip.weights.npz", bytes(corrupted))
        try:
            model.load_weights(path)
        except ModelFileError:
            pass


@pytest.mark.parametrize(
    "shape",
    [(2**40, 2**20), (2**31, 2**31, 2**31, 2**31), (10**18,), (4, 2)],
    ids=["2^60", "2^124", "10^18", "wrong"],
)
def test_huge_declared_shapes_cost_nothing(tmp_path, valid, watch, shape):
    _, parts = valid
    blob = npy_header("<f4", shape) + b"\x00" * 64
    tracemalloc.start()
    try:
        refused(tmp_path, keras_bytes(parts, weights=weights_with(parts, "layers/dense/vars/0", blob)))
        model = fuzz_model()
        model.save_weights(tmp_path / "w.weights.npz")
        write(tmp_path / "huge.weights.npz", archive_bytes([("layers/dense/vars/0.npy", blob)]))
        with pytest.raises(ModelFileError):
            model.load_weights(tmp_path / "huge.weights.npz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20


def test_pickles_and_object_dtypes_are_refused(tmp_path, valid, watch):
    _, parts = valid
    pickled = io.BytesIO()
    np.lib.format.write_array(pickled, np.array([Evil()], dtype=object), allow_pickle=True)
    blobs = {
        "object array": pickled.getvalue(),
        "object header, raw pickle": npy_header("|O", (1,)) + pickle.dumps(Evil()),
        "float header, pickle bytes": npy_header("<f4", (4, 4)) + pickle.dumps(Evil()),
        "unicode": npy_header("<U4", (4, 4)) + b"\x00" * 256,
        "void": npy_header("|V4", (4, 4)) + b"\x00" * 64,
        "complex": npy_header("<c8", (4, 4)) + b"\x00" * 128,
        "datetime": npy_header("<M8[s]", (4, 4)) + b"\x00" * 128,
        "float64 for float32": npy_header("<f8", (3, 4)) + b"\x00" * 96,
        "structured": b"\x93NUMPY\x01\x00"
        + struct.pack("<H", 70)
        + b"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3, 4), }".ljust(69)
        + b"\n",
        "code in header": b"\x93NUMPY\x01\x00"
        + struct.pack("<H", 64)
        + b"{'descr': __import__('os').system('id'), 'shape': ()}".ljust(63)
        + b"\n",
        "extra key": npy_header("<f4", (3, 4))[:-1].replace(b"}", b"'x': 1}", 1) + b"\n",
        "bad magic": b"PK\x03\x04" + b"\x00" * 100,
        "huge header": b"\x93NUMPY\x02\x00" + struct.pack("<I", 2**31) + b"{",
    }
    for name, blob in blobs.items():
        path = write(
            tmp_path / "bad.keras",
            keras_bytes(parts, weights=weights_with(parts, "layers/dense/vars/0", blob)),
        )
        try:
            load_model(path)
        except ModelFileError:
            continue
        pytest.fail(f"{name}: loaded without error")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.npy",
        "/abs.npy",
        "a/../../b.npy",
        "a\\b.npy",
        "C:evil.npy",
        "dir/",
        "a//b.npy",
        "./x.npy",
        "nul\x00.npy",
    ],
)
def test_path_traversal_names_are_refused(tmp_path, valid, watch, name):
    _, parts = valid
    with zipfile.ZipFile(io.BytesIO(parts["model.weights.npz"])) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members:
            archive.writestr(member, content)
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # bypass zipfile's own normalisation of the name
        archive.writestr(info, b"x")
    refused(
        tmp_path,
        keras_bytes(parts, weights=buffer.getvalue()),
        match="refused|not a plain file|not a .npy member",
    )
    outer = archive_bytes(
        [(n, parts[n]) for n in ("metadata.json", "config.json", "model.weights.npz")] + [(name, b"x")]
    )
    refused(tmp_path, outer)


def test_duplicates_links_and_unexpected_members_are_refused(tmp_path, valid, watch):
    _, parts = valid
    names = ("metadata.json", "config.json", "model.weights.npz")
    twice = io.BytesIO()
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(twice, "w") as archive:
            for name in names + ("config.json",):
                archive.writestr(name, parts[name])
    refused(tmp_path, twice.getvalue(), match="twice")
    link = io.BytesIO()
    with zipfile.ZipFile(link, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name)
            if name == "config.json":
                info.external_attr = (0o120777) << 16  # a symlink
            archive.writestr(info, parts[name])
    refused(tmp_path, link.getvalue(), match="not a plain file")
    refused(tmp_path, archive_bytes([(n, parts[n]) for n in names] + [("assets/x", b"")]), match="unexpected")
    refused(tmp_path, archive_bytes([(n, parts[n]) for n in names[:2]]), match="missing")
    refused(tmp_path, b"PK" + b"\x00" * 100, match="not a readable zip")
    refused(tmp_path, b"polyglot" + keras_bytes(parts), match="hidden|expected")
    refused(tmp_path, keras_bytes(parts) + b"appended", match="after its end record")


def test_zip_bombs_are_refused_before_decompressing(tmp_path, valid, watch):
    _, parts = valid
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\x00" * 2**20
    body = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()  # 64 MiB → ~64 KiB
    crc = 0
    for _ in range(64):
        crc = zlib.crc32(chunk, crc)
    bomb = _raw_zip([("config.json", body, 64 * 2**20, crc, zipfile.ZIP_DEFLATED)])
    tracemalloc.start()
    try:
        refused(tmp_path, bomb, match="zip bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20
    # the same data twice: two entries pointing at one compressed body (the overlapping bomb)
    small = b"{}"
    overlap = _raw_zip([("metadata.json", small, 2, zlib.crc32(small), 0)], duplicate_as="config.json")
    refused(tmp_path, overlap, match="starts at byte|expected")
    # declared sizes over the total cap
    refused(
        tmp_path, keras_bytes(parts), match="declares|limit|needs", limits=LoadLimits(max_total_bytes=1024)
    )
    refused(tmp_path, keras_bytes(parts), match="limit", limits=LoadLimits(max_file_bytes=100))


def _raw_zip(entries, duplicate_as=None):
    """A zip written by hand: (name, data, declared size, crc, method) entries; optionally a second
    central-directory entry that points at the first entry's data."""
    out, central = io.BytesIO(), []
    for name, data, size, crc, method in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        central.append((encoded, offset, data, size, crc, method))
    if duplicate_as:
        encoded, offset, data, size, crc, method = central[0]
        central.append((duplicate_as.encode(), offset, data, size, crc, method))
    start = out.tell()
    for encoded, offset, data, size, crc, method in central:
        out.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        out.write(encoded)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def test_random_garbage_and_random_archives(tmp_path, valid, watch):
    _, parts = valid
    rng = np.random.default_rng(2)
    for size in (0, 1, 21, 22, 100, 4096):
        refused(tmp_path, rng.bytes(size))
    for _ in range(40):  # valid zips with random member contents
        members = [
            (n, rng.bytes(int(rng.integers(0, 300))))
            for n in ("metadata.json", "config.json", "model.weights.npz")
        ]
        refused(tmp_path, archive_bytes(members, compress=bool(rng.integers(2))))


@pytest.mark.parametrize(
    "attack", ["soft link", "external link", "external storage", "shape bomb", "bytes", "truncated"]
)
def test_hdf5_weights_refuse_links_external_data_and_shape_bombs(tmp_path, h5py, watch, attack):
    model = fuzz_model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    if attack == "truncated":
        path.write_bytes(path.read_bytes()[:700])
    else:
        with h5py.File(path, "a") as file:
            if attack == "soft link":
                file["extra"] = h5py.SoftLink("/layers/dense/vars/0")
            elif attack == "external link":
                file["extra"] = h5py.ExternalLink("/etc/passwd", "/")
            elif attack == "external storage":
                (tmp_path / "raw.bin").write_bytes(b"\x00" * 16)
                file.create_dataset(
                    "extra", shape=(4,), dtype="f4", external=[(str(tmp_path / "raw.bin"), 0, 16)]
                )
            elif attack == "shape bomb":
                file.create_dataset(
                    "extra", shape=(2**20, 2**20), dtype="f4", chunks=(64, 64), compression="gzip"
                )
            else:
                file.create_dataset("extra", data=np.array([b"abc"]))
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError):
            model.load_weights(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20
