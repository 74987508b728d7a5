"""`neurona.models`: `Model` (functional and subclassed), `Sequential`, the training loop, and saving:
`save_model`, `load_model`, `model_from_json`."""

from ..saving.registry import register_builtin
from .model import Model
from .saving_api import load_model, model_from_json, save_model
from .sequential import Sequential

register_builtin(Model, "Functional")
register_builtin(Model, "Model")
register_builtin(Sequential, "Sequential")

__all__ = ["Model", "Sequential", "load_model", "model_from_json", "save_model"]
