"""`.weights.h5` files, for Keras users' habits, when the optional `h5py` is installed
(`pip install neurona[h5]`). `.weights.npz` needs nothing extra and is the recommended format.

HDF5 is parsed by libhdf5, a large C library (CVE-2016-4333, CVE-2026-26200), so these files carry more
risk than `.npz` even with the checks below, which are Keras's own (`safe_get_h5_group/dataset`) and
then some: only hard links (soft and external links read other files: CVE-2026-1669), no external
storage or virtual datasets, numeric dtypes only, and a dataset's declared size at most `max_ratio` times
the bytes it stores (a chunked, compressed "shape bomb": CVE-2026-0897). Only weights are ever read from
HDF5; whole models in the legacy `.h5` format are refused (CVE-2025-9905).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from ..utils.io import atomic_writer
from .archive import check_member_name
from .limits import ByteBudget, LoadLimits, ModelFileError


def h5py_module() -> Any:
    try:
        import h5py
    except ImportError:
        raise ImportError(
            "Weights files ending in `.weights.h5` need the optional h5py package (pip install neurona[h5]). "
            "Use a name ending in `.weights.npz` instead, which needs nothing extra."
        ) from None
    return h5py


def write_h5_weights(path: str | os.PathLike[str], store: dict[str, np.ndarray]) -> None:
    """Write `store` as one dataset per key (`layers/dense/vars/0`), atomically."""
    h5py = h5py_module()
    with atomic_writer(path, "w+b") as handle:
        with h5py.File(handle, "w") as file:
            for key, array in store.items():
                folder, name = key.rsplit("/", 1)
                file.require_group(folder).create_dataset(name, data=np.asarray(array))


class H5Reader:
    """The datasets of a checked `.weights.h5` file, by key (same interface as `arrays.NpzReader`)."""

    def __init__(self, path: str | os.PathLike[str], limits: LoadLimits) -> None:
        h5py = h5py_module()
        self.where = f"The weights file {os.fspath(path)!r}"
        self.limits = limits
        self.budget = ByteBudget(limits.max_total_bytes, f"reading {self.where}")
        size = os.path.getsize(path)
        if size > limits.max_file_bytes:
            raise ModelFileError(f"{self.where} is {size} bytes, over the limit of {limits.max_file_bytes}.")
        try:
            self._file = h5py.File(path, "r")
        except OSError as error:
            raise ModelFileError(f"{self.where} is not a readable HDF5 file ({error}).") from None
        try:
            self.datasets = self._walk(h5py)
        except ModelFileError:
            self._file.close()
            raise
        except (OSError, KeyError, ValueError, TypeError, RuntimeError) as error:
            self._file.close()
            raise ModelFileError(f"{self.where} cannot be read ({error}).") from None

    def _walk(self, h5py: Any) -> dict[str, Any]:
        datasets: dict[str, Any] = {}
        declared = 0
        stack = [("", self._file, 0)]
        while stack:
            prefix, group, depth = stack.pop()
            if depth > 64:
                raise ModelFileError(f"{self.where} nests groups deeper than 64 levels.")
            for name in group:
                key = f"{prefix}{name}"
                check_member_name(key, self.where)
                link = group.get(name, getlink=True)
                if not isinstance(link, h5py.HardLink):
                    raise ModelFileError(
                        f"{self.where}: {key!r} is a {type(link).__name__}; links can read other files "
                        "(CVE-2026-1669) and are refused."
                    )
                item = group[name]
                if isinstance(item, h5py.Group):
                    stack.append((key + "/", item, depth + 1))
                elif isinstance(item, h5py.Dataset):
                    declared += self._check_dataset(key, item)
                    datasets[key] = item
                else:
                    raise ModelFileError(f"{self.where}: {key!r} is neither a group nor a dataset.")
                if len(datasets) > self.limits.max_members:
                    raise ModelFileError(f"{self.where} holds more than {self.limits.max_members} datasets.")
        if declared > self.limits.max_total_bytes:
            raise ModelFileError(
                f"{self.where} declares {declared} bytes, over {self.limits.max_total_bytes}."
            )
        return datasets

    def _check_dataset(self, key: str, dataset: Any) -> int:
        if dataset.external or dataset.is_virtual:
            raise ModelFileError(
                f"{self.where}: dataset {key!r} stores its data outside the file (external or virtual): refused."
            )
        dtype = dataset.dtype
        if dtype.fields is not None or dtype.kind not in "biuf":
            raise ModelFileError(f"{self.where}: dataset {key!r} has dtype {dtype}; only numbers are read.")
        if len(dataset.shape) > self.limits.max_ndim:
            raise ModelFileError(f"{self.where}: dataset {key!r} has rank {len(dataset.shape)}.")
        nbytes = math.prod(dataset.shape) * dtype.itemsize
        stored = dataset.id.get_storage_size()
        if nbytes > self.limits.ratio_floor_bytes and nbytes > self.limits.max_ratio * max(stored, 1):
            raise ModelFileError(
                f"{self.where}: dataset {key!r} declares {nbytes} bytes but stores {stored} (a shape bomb?)."
            )
        return nbytes

    def keys(self) -> list[str]:
        return list(self.datasets)

    def shape_of(self, key: str) -> tuple[int, ...]:
        return tuple(self.datasets[key].shape)

    def read(self, key: str, shape: tuple[int, ...] | None = None, dtype: Any = None) -> np.ndarray:
        dataset = self.datasets.get(key)
        if dataset is None:
            raise ModelFileError(f"{self.where} has no dataset {key!r}.")
        if shape is not None and tuple(dataset.shape) != tuple(shape):
            raise ModelFileError(f"{self.where}: {key!r} has shape {dataset.shape}; expected {tuple(shape)}.")
        if dtype is not None and dataset.dtype != np.dtype(dtype):
            raise ModelFileError(
                f"{self.where}: {key!r} has dtype {dataset.dtype}; expected {np.dtype(dtype)}."
            )
        self.budget.reserve(math.prod(dataset.shape) * dataset.dtype.itemsize, f"Dataset {key!r}")
        try:
            return np.asarray(dataset[()])
        except (OSError, ValueError, RuntimeError) as error:
            raise ModelFileError(f"{self.where}: dataset {key!r} cannot be read ({error}).") from None

    def close(self) -> None:
        self._file.close()
