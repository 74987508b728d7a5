"""`neurona.utils`: seeding and small helpers with Keras's names."""

from .naming import clear_session
from .numerical import normalize, to_categorical
from .py_dataset import NpyDataset, PyDataset
from .rng import set_random_seed

__all__ = ["NpyDataset", "PyDataset", "clear_session", "normalize", "set_random_seed", "to_categorical"]
