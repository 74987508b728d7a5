"""`neurona.data`: turning user data into validated, split, shuffled batches (see `adapter.py`)."""

from . import adapter, frames, splits
from .splits import class_labels, train_validation_split

__all__ = ["adapter", "class_labels", "frames", "splits", "train_validation_split"]
