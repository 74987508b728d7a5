"""`neurona.data`: turning user data into validated, split, shuffled batches (see `adapter.py`)."""

from . import adapter
from .adapter import train_validation_split

__all__ = ["adapter", "train_validation_split"]
