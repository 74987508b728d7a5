"""`neurona.models`: `Model` (functional and subclassed), `Sequential`, and the training loop."""

from .model import Model
from .sequential import Sequential

__all__ = ["Model", "Sequential"]
