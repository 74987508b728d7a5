import gzip
import io
import struct
import tarfile

import numpy as np
import pytest

from neurona.datasets import (
    DatasetFileError,
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
)


def write_idx(path, array, images):
    header = struct.pack(">II", 2051 if images else 2049, len(array))
    if images:
        header += struct.pack(">II", *array.shape[1:])
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_fashion_mnist_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    images = {"train": rng.integers(0, 256, (5, 28, 28)), "t10k": rng.integers(0, 256, (3, 28, 28))}
    for prefix, array in images.items():
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", array, True)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", np.arange(len(array)) % 10, False)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(path=str(tmp_path))
    assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_test, images["t10k"])
    assert y_test.tolist() == [0, 1, 2]


def test_fashion_mnist_truncated_idx(tmp_path):
    for prefix in ("train", "t10k"):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", np.zeros((2, 28, 28)), True)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", np.zeros(2), False)
    raw = gzip.decompress((tmp_path / "train-images-idx3-ubyte.gz").read_bytes())
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:-10]))
    with pytest.raises(DatasetFileError, match="truncated"):
        fashion_mnist.load_data(path=str(tmp_path))


def cifar_records(n, label_bytes, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 20, (n, label_bytes), dtype=np.uint8)
    pixels = rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)  # channel planes, row-major
    raw = np.concatenate([labels, pixels.reshape(n, -1)], axis=1).tobytes()
    return raw, labels, pixels.transpose(0, 2, 3, 1)


def write_tar(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_cifar10_binary(tmp_path):
    members, expected = {}, []
    for i, name in enumerate(cifar10.TRAIN + [cifar10.TEST]):
        raw, labels, images = cifar_records(2, 1, i)
        members[name] = raw
        expected.append((labels, images))
    members["cifar-10-batches-bin/batches.meta.txt"] = b"airplane\n"
    write_tar(tmp_path / "c10.tar.gz", members)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data(path=str(tmp_path / "c10.tar.gz"))
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (10, 1) and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train[:2], expected[0][1])
    np.testing.assert_array_equal(x_test, expected[5][1])
    np.testing.assert_array_equal(y_test, expected[5][0])
    # pixel (row 0, col 1) of image 0 is byte 1 of the red plane, 1025 of green, 2049 of blue
    raw = members[cifar10.TEST]
    assert x_test[0, 0, 1].tolist() == [raw[1 + 1], raw[1 + 1025], raw[1 + 2049]]


@pytest.mark.parametrize("label_mode, column", [("fine", 1), ("coarse", 0)])
def test_cifar100_label_modes(tmp_path, label_mode, column):
    train, train_labels, train_images = cifar_records(3, 2, 0)
    test, test_labels, _ = cifar_records(2, 2, 1)
    write_tar(tmp_path / "c100.tar.gz", {cifar100.TRAIN: train, cifar100.TEST: test})
    (x_train, y_train), (_, y_test) = cifar100.load_data(label_mode, path=str(tmp_path / "c100.tar.gz"))
    np.testing.assert_array_equal(x_train, train_images)
    np.testing.assert_array_equal(y_train, train_labels[:, column : column + 1])
    assert y_test.shape == (2, 1) and y_test.dtype == np.uint8
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data("medium", path=str(tmp_path / "c100.tar.gz"))


@pytest.mark.parametrize("bad_name", ["../evil.bin", "/etc/evil.bin", "cifar-100-binary/../../x"])
def test_cifar_refuses_path_traversal_names(tmp_path, bad_name):
    train, _, _ = cifar_records(1, 2, 0)
    write_tar(tmp_path / "c.tar.gz", {cifar100.TRAIN: train, cifar100.TEST: train, bad_name: b"x"})
    with pytest.raises(DatasetFileError, match="unsafe member name"):
        cifar100.load_data(path=str(tmp_path / "c.tar.gz"))
    assert not (tmp_path.parent / "evil.bin").exists()


def test_cifar_truncated_batch_and_archive(tmp_path):
    train, _, _ = cifar_records(2, 2, 0)
    write_tar(tmp_path / "c.tar.gz", {cifar100.TRAIN: train[:-5], cifar100.TEST: train})
    with pytest.raises(DatasetFileError, match="whole number of 3074-byte records"):
        cifar100.load_data(path=str(tmp_path / "c.tar.gz"))
    write_tar(tmp_path / "d.tar.gz", {cifar100.TRAIN: train, cifar100.TEST: train})
    (tmp_path / "e.tar.gz").write_bytes((tmp_path / "d.tar.gz").read_bytes()[:300])
    with pytest.raises(DatasetFileError, match="truncated"):
        cifar100.load_data(path=str(tmp_path / "e.tar.gz"))


def test_cifar_member_that_is_a_link_is_refused(tmp_path):
    with tarfile.open(tmp_path / "c.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo(cifar100.TRAIN)
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        archive.addfile(info)
    with pytest.raises(DatasetFileError, match="no regular file"):
        cifar100.load_data(path=str(tmp_path / "c.tar.gz"))


def test_boston_housing_split_matches_keras_recipe(tmp_path):
    x = np.arange(50 * 13, dtype=np.float64).reshape(50, 13)
    y = np.arange(50, dtype=np.float64)
    np.savez(tmp_path / "b.npz", x=x, y=y)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(path=str(tmp_path / "b.npz"), seed=113)
    indices = np.arange(50)
    np.random.RandomState(113).shuffle(indices)
    np.testing.assert_array_equal(y_train, indices[:40])  # int(50 · 0.8) = 40
    np.testing.assert_array_equal(x_test, x[indices[40:]])
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(path=str(tmp_path / "b.npz"), test_split=1)


def test_california_housing_versions(tmp_path):
    np.savez(tmp_path / "c.npz", x=np.ones((700, 8), np.float32), y=np.arange(700, dtype=np.float32))
    (x_train, _), (x_test, _) = california_housing.load_data("small", path=str(tmp_path / "c.npz"))
    assert len(x_train) == 480 and len(x_test) == 120 and x_train.shape[1] == 8
    (x_train, _), _ = california_housing.load_data(path=str(tmp_path / "c.npz"), test_split=0.1)
    assert len(x_train) == 630
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data("tiny", path=str(tmp_path / "c.npz"))
