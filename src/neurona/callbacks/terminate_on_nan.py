"""`TerminateOnNaN`: stop training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from .callback import Callback


class TerminateOnNaN(Callback):
    """Check the running loss after every batch; on NaN/inf stop training gracefully (every callback's
    `on_train_end` still runs, and a `BackupAndRestore` backup is kept), or raise with `raise_error=True`.
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        self.model._stopped_on_nan = True
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Lower the learning rate, check the data for "
                "extreme values, or add gradient clipping (clipnorm=1.0)."
            )
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
