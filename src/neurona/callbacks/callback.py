"""`Callback` (every Keras hook) and `CallbackList`, which calls a list of them in order.

A callback sees the model only through `self.model` (set by `set_model`), never by importing `models`;
setting `self.model.stop_training = True` asks `fit` to stop after the current batch/epoch (graceful:
`on_train_end` still runs).
"""

from __future__ import annotations

from typing import Any


class Callback:
    """Base class: override the hooks you need. `logs` is a dict of the current values."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...
    def on_train_end(self, logs: dict | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None: ...
    def on_test_begin(self, logs: dict | None = None) -> None: ...
    def on_test_end(self, logs: dict | None = None) -> None: ...
    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None: ...
    def on_predict_begin(self, logs: dict | None = None) -> None: ...
    def on_predict_end(self, logs: dict | None = None) -> None: ...
    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None: ...


_HOOKS = [name for name in vars(Callback) if name.startswith("on_")]


def _overrides(callback: Callback, hook: str) -> bool:
    """Whether `callback` does something in `hook` (so that empty hooks cost nothing per batch)."""
    if hook in vars(callback):
        return True
    method = getattr(type(callback), hook, None)
    if method is None:
        return False
    if method is not getattr(Callback, hook):
        return True
    if hook in ("on_train_batch_begin", "on_train_batch_end"):
        legacy = hook.replace("train_", "")
        return legacy in vars(callback) or getattr(type(callback), legacy) is not getattr(Callback, legacy)
    return False


class CallbackList:
    """Calls each hook on every callback, in order; hooks no callback overrides are skipped."""

    def __init__(self, callbacks: list[Callback] | None = None, model: Any = None, **params: Any) -> None:
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"`callbacks` must be a list of neurona.callbacks.Callback instances. Received: {callback!r}"
                )
        self._active = {hook: [c for c in self.callbacks if _overrides(c, hook)] for hook in _HOOKS}
        if model is not None:
            self.set_model(model)
        self.set_params(params)

    def set_model(self, model: Any) -> None:
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def wants(self, hook: str) -> bool:
        """Whether any callback implements `hook`."""
        return bool(self._active[hook])

    def call(self, hook: str, *args: Any) -> None:
        """Call `hook` on every callback that implements it, with Keras's arguments: `(logs)` for the
        begin/end hooks, `(epoch or batch, logs)` for the others; missing `logs` are passed as None."""
        wanted = 2 if ("epoch" in hook or "batch" in hook) else 1
        args = args + (None,) * (wanted - len(args))
        for callback in self._active[hook]:
            getattr(callback, hook)(*args)

    def __getattr__(self, hook: str) -> Any:
        if not hook.startswith("on_"):
            raise AttributeError(hook)
        return lambda *args: self.call(hook, *args)
