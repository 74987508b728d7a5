"""CIFAR-100, with `keras.datasets.cifar100.load_data`'s shapes and dtypes, read from the canonical
*binary* archive `cifar-100-binary.tar.gz` (no pickle). The publisher lists an MD5 only."""

from __future__ import annotations

import os

import numpy as np

from ._cifar import parse_records, read_members
from ._files import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
FILE_HASH = "03b5dce01913d631647c71ecec9e9cb8"
HASH_ALGORITHM = "md5"
TRAIN = "cifar-100-binary/train.bin"
TEST = "cifar-100-binary/test.bin"
LABEL_MODES = ("fine", "coarse")


def load_data(
    label_mode: str = "fine", path: str | os.PathLike = "cifar-100-binary.tar.gz"
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: uint8 images (50000, 32, 32, 3) and (10000, 32, 32, 3),
    uint8 labels (n, 1): 100 fine classes (`label_mode="fine"`) or 20 superclasses (`"coarse"`)."""
    if label_mode not in LABEL_MODES:
        raise ValueError(f"`label_mode` must be one of {LABEL_MODES}. Received: label_mode={label_mode!r}")
    file = get_file(
        path,
        default_name="cifar-100-binary.tar.gz",
        origin=ORIGIN,
        file_hash=FILE_HASH,
        hash_algorithm=HASH_ALGORITHM,
    )
    members = read_members(file, [TRAIN, TEST])
    column = 1 if label_mode == "fine" else 0
    x_train, labels_train = parse_records(members[TRAIN], 2, TRAIN)
    x_test, labels_test = parse_records(members[TEST], 2, TEST)
    return (x_train, labels_train[:, column : column + 1].copy()), (
        x_test,
        labels_test[:, column : column + 1].copy(),
    )
