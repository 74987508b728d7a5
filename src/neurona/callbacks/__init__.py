"""`neurona.callbacks`: hooks into `fit`, `evaluate` and `predict` with Keras's names."""

from .callback import Callback, CallbackList
from .history import History
from .lambda_callback import LambdaCallback
from .progbar import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "LambdaCallback", "ProgbarLogger"]
