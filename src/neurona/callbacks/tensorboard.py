"""`TensorBoard`: Keras's TensorBoard callback, written with tensorboardX (no TensorFlow), plus the
views TensorFlow-only dashboards would give: activations, gradients, dead ReLUs, PR curves, hyper-
parameters, the projector, and NaN/inf alerts. Tag names and run layout are Keras's (docs/tensorboard.md).
"""

from __future__ import annotations

import math
import os
import time
import warnings
import weakref
from typing import Any

import numpy as np

from . import _tensorboard_model as model_info
from . import _tensorboard_summaries as summaries
from ._tensorboard_checks import check_arguments
from ._tensorboard_views import ModelViews, weight_tag
from .callback import Callback

HISTOGRAM_BINS = 30  # equal-width buckets, as tf.summary.histogram


def _import_tensorboardx() -> Any:
    try:
        import tensorboardX
    except ImportError as error:
        raise ImportError(
            "neurona.callbacks.TensorBoard writes its logs with tensorboardX, which is not installed. "
            'Install the optional extra: pip install "neurona[tensorboard]" (tensorboardX to write, '
            "tensorboard to view)."
        ) from error
    return tensorboardX


def _as_float(value: Any) -> float | None:
    try:
        return float(np.asarray(getattr(value, "data", value)).reshape(()))
    except (TypeError, ValueError):
        return None  # not a scalar: not logged


def _close_all(writers: dict[str, Any]) -> None:
    """Close every writer (each one even if another fails; closing flushes)."""
    error = None
    for writer in list(writers.values()):
        try:
            writer.close()
        except Exception as exc:  # noqa: BLE001 - close the others, then report the first failure
            error = error or exc
    writers.clear()
    if error is not None:
        raise error


class TensorBoard(ModelViews, Callback):
    """Log training to TensorBoard: Keras's callback, with Keras's arguments, runs and tag names.

    Runs: `log_dir/train` and `log_dir/validation` (and `log_dir` itself with `hparams`). Tags (step =
    0-based epoch unless said): `epoch_<metric>` (validation values in the validation run, without
    `val_`), `epoch_learning_rate`, `epoch_steps_per_second`, `batch_<metric>` (step = 1-based batch
    count since `fit` began), `evaluation_<metric>_vs_iterations` (step = optimizer iterations), weight
    histograms `<weight path>/histogram` and images `<weight path>/image`, `keras` (the model's graph).

    Args:
        log_dir: the folder of the runs.
        histogram_freq: every how many epochs (epoch % freq == 0) to write histograms of the weights and,
            on a fixed sample of the validation data, of each layer's activations (`activations/<layer>`),
            the dead-unit fraction of ReLU layers (`dead_relu_fraction/<layer>`), the gradients of the
            compiled loss (`gradients/<weight>`, norms ‖g‖₂ = √Σg² as `gradient_norm/<weight>`) and the PR
            curves. 0: none.
        write_graph: write the model's graph (plugin `graph_keras_model`, drawn by the Graph dashboard)
            and its `summary()` as text (`model_summary`).
        write_images: also write weights as greyscale images (min-max scaled).
        write_steps_per_second: log training steps per second (`epoch_`, and `batch_` with batch updates).
        update_freq: `"epoch"`, `"batch"` (= 1) or N: also log `batch_<metric>` every N batches.
        profile_batch: accepted for Keras compatibility; profiling needs TensorFlow, so a nonzero value is
            ignored with a warning.
        embeddings_freq: every how many epochs to write a layer's output on validation samples for the
            Embedding Projector (`train/projector_config.pbtxt` + TSV files). 0: never.
        embeddings_metadata: a TSV of labels, one row per validation sample (or a dict layer name → TSV);
            default: labels from the validation targets (the class index for classifiers).
        activation_samples: how many validation samples the activations and gradients are computed on.
        embeddings_layer: the projected layer: a name or an index into `model.layers`; default the last
            layer with weights before the output layer.
        embeddings_samples: how many validation samples to project.
        hparams: True, or a dict of your own hyper-parameter values (bool, number or string) merged over
            the ones the callback reads itself (optimizer, learning rate, batch size, epochs, loss, layers,
            dropout, regularizers): written for the HParams dashboard with the final metrics.
        pr_curves: write precision-recall curves of a single-output classifier on the validation data
            (`pr_curve`, or `pr_curve/class_<k>` one-vs-rest), at histogram epochs and at the end.
        seed: the seed of the validation samples (fixed at the start of `fit`; never the global one).

    Non-finite values (NaN/inf) in the logs, weights, activations or gradients are reported once each
    in the text tag `alerts` (with epoch, batch and name) and counted per epoch in `alerts/nonfinite`.
    Writers are flushed every epoch and closed at the end of training.

    Example:
        >>> import os, tempfile
        >>> model = Sequential([Input(shape=(2,)), layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> log_dir = tempfile.mkdtemp()
        >>> history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, validation_split=0.25,
        ...                     verbose=0, callbacks=[nn.callbacks.TensorBoard(log_dir)])
        >>> sorted(os.listdir(log_dir))
        ['train', 'validation']
    """

    def __init__(
        self,
        log_dir: str | os.PathLike[str] = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: Any = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
        *,
        activation_samples: int = 256,
        embeddings_layer: str | int | None = None,
        embeddings_samples: int = 1000,
        hparams: dict[str, Any] | bool | None = None,
        pr_curves: bool = True,
        seed: int | None = 0,
    ) -> None:
        super().__init__()
        checked = check_arguments(
            dict(
                log_dir=log_dir,
                histogram_freq=histogram_freq,
                write_graph=write_graph,
                write_images=write_images,
                write_steps_per_second=write_steps_per_second,
                update_freq=update_freq,
                profile_batch=profile_batch,
                embeddings_freq=embeddings_freq,
                embeddings_metadata=embeddings_metadata,
                activation_samples=activation_samples,
                embeddings_layer=embeddings_layer,
                embeddings_samples=embeddings_samples,
                hparams=hparams,
                pr_curves=pr_curves,
                seed=seed,
            )
        )
        _import_tensorboardx()  # fail now, with the install hint, rather than at the start of fit
        self.log_dir = checked["log_dir"]
        self.histogram_freq = checked["histogram_freq"]
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = checked["update_freq"]
        self.profile_batch = profile_batch
        self.embeddings_freq = checked["embeddings_freq"]
        self.embeddings_metadata = embeddings_metadata
        self.activation_samples = activation_samples
        self.embeddings_layer = embeddings_layer
        self.embeddings_samples = embeddings_samples
        self.hparams = hparams
        self.pr_curves = pr_curves
        self.seed = seed
        if checked["profile"]:
            warnings.warn(
                f"TensorBoard(profile_batch={profile_batch!r}) is ignored: profiling needs TensorFlow's "
                "profiler (the Profile dashboard reads its traces). Time neurona code with cProfile or "
                "`write_steps_per_second=True` instead.",
                stacklevel=2,
            )
        self._writers: dict[str, Any] = {}
        self._finalizer: Any = None
        self._in_training = False
        if write_steps_per_second and self.update_freq != "epoch":  # (a hook only when needed: fit
            self.on_train_batch_begin = self._start_batch_clock  # skips hooks no callback implements)

    # --- writers -------------------------------------------------------------------------------------
    def _writer(self, run: str) -> Any:
        """The writer of `run` ("train", "validation", or "" for `log_dir` itself), opened on first use."""
        writer = self._writers.get(run)
        if writer is None:
            path = os.path.join(self.log_dir, run) if run else self.log_dir
            writer = self._writers[run] = summaries.EventWriter(path)
        return writer

    def _scalar(self, run: str, tag: str, value: Any, step: int) -> None:
        number = _as_float(value)
        if number is not None:
            self._writer(run).scalar(tag, number, step)

    def _histogram(self, tag: str, values: np.ndarray, step: int) -> None:
        finite, _, _ = summaries.finite_part(values)
        if finite.size:
            self._writer("train").histogram(tag, finite, step, HISTOGRAM_BINS)

    def _flush(self) -> None:
        for writer in self._writers.values():
            writer.flush()

    # --- alerts ----------------------------------------------------------------------------------------
    def _nonfinite(self, source: str, message: str) -> None:
        """Note a non-finite value: counted in this epoch's `alerts/nonfinite`; reported once."""
        self._epoch_nonfinite.add(source)
        if source not in self._alerted:
            self._alerted.add(source)
            self._pending_alerts.append(message)

    def _check_array(self, kind: str, name: str, values: np.ndarray, where: str) -> None:
        values = np.asarray(values)
        if values.dtype.kind != "f" or np.isfinite(values).all():
            return
        n_nan = int(np.isnan(values).sum())
        n_inf = int(values.size - np.isfinite(values).sum() - n_nan)
        self._nonfinite(
            f"{kind}:{name}",
            f"{where}: {kind} `{name}` has {n_nan} NaN and {n_inf} inf of {values.size} values",
        )

    def _check_logs(self, logs: dict, epoch: int, batch: int | None = None) -> None:
        for key, value in logs.items():
            number = value if type(value) is float else _as_float(value)  # (cheap: runs every batch)
            if number is not None and not math.isfinite(number):
                where = f"epoch {epoch}, " + ("end" if batch is None else f"batch {batch}")
                where += f" (iteration {self._iterations()})"
                self._nonfinite(f"value:{key}", f"{where}: logged value `{key}` is {number}")

    def _write_alerts(self, step: int) -> None:
        if self._pending_alerts:
            text = "**Non-finite values (NaN/inf)**\n\n" + "\n".join(f"- {m}" for m in self._pending_alerts)
            self._writer("train").summary(summaries.text_summary("alerts", text), step)
            self._pending_alerts = []

    def _iterations(self) -> int | None:
        optimizer = getattr(self.model, "optimizer", None)
        return None if optimizer is None else int(np.asarray(getattr(optimizer.iterations, "data", 0)))

    # --- training begins -------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._close_writers()
        self._in_training = True
        self._finalizer = weakref.finalize(self, _close_all, self._writers)  # closes them at exit too
        self._global_train_batch = 0
        self._epoch = 0
        self._last_epoch: int | None = None
        self._last_logs: dict = {}
        self._pr_epoch: int | None = None
        self._alerted: set[str] = set()
        self._pending_alerts: list[str] = []
        self._epoch_nonfinite: set[str] = set()
        self._evaluated = False
        self._prepare_samples()  # (first: bad embedding arguments raise before any file is written)
        self._writer("train")
        if self.write_graph:
            self._write_graph()
        self._hparam_values = None
        if self.hparams is not None and self.hparams is not False:
            self._hparam_values = model_info.automatic_hparams(self.model, self.params)
            self._hparam_values.update(self.hparams if isinstance(self.hparams, dict) else {})
            self._writer("").summary(summaries.session_start_summary(self._hparam_values), 0)
        self._flush()

    def _write_graph(self) -> None:
        train = self._writer("train")
        try:
            model_json = self.model.to_json()
        except Exception as error:  # noqa: BLE001 - as Keras: a model without a config has no graph
            warnings.warn(f"TensorBoard: no graph for this model ({error}).", stacklevel=3)
        else:
            train.summary(summaries.keras_model_summary("keras", model_json), 0)
        lines: list[str] = []
        self.model.summary(print_fn=lines.append)
        text = "\n".join("    " + line for line in lines)  # indented: a Markdown code block
        train.summary(summaries.text_summary("model_summary", text), 0)

    # --- batches and epochs ------------------------------------------------------------------------------
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch
        self._epoch_nonfinite = set()
        self._evaluated = False
        self._epoch_start = time.perf_counter()
        self._epoch_start_iterations = self._iterations() or 0

    def _start_batch_clock(self, batch: int, logs: dict | None = None) -> None:
        self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._global_train_batch += 1
        logs = logs or {}
        self._check_logs(logs, self._epoch, batch)
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        step = self._global_train_batch
        if self.write_steps_per_second:
            self._scalar(
                "train", "batch_steps_per_second", 1.0 / (time.perf_counter() - self._batch_start), step
            )
        for name, value in logs.items():
            self._scalar("train", f"batch_{name}", value, step)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = dict(logs or {})
        self._last_epoch, self._last_logs = epoch, logs
        self._write_epoch_scalars(epoch, logs)
        self._check_logs(logs, epoch)
        for weight in self.model.weights:
            self._check_array("weight", weight_tag(weight), weight.data, f"epoch {epoch}, end")
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_histograms(epoch)
            if self.pr_curves:
                self._write_pr_curves(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0 and self._embedding is not None:
            self._write_embedding(epoch)
        self._scalar("train", "alerts/nonfinite", len(self._epoch_nonfinite), epoch)
        self._write_alerts(epoch)
        self._flush()

    def _write_epoch_scalars(self, epoch: int, logs: dict) -> None:
        train = {key: value for key, value in logs.items() if not key.startswith("val_")}
        validation = {key[4:]: value for key, value in logs.items() if key.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            train["learning_rate"] = optimizer.learning_rate
        iterations = self._iterations()
        if self.write_steps_per_second:
            steps = (iterations or 0) - self._epoch_start_iterations
            train["steps_per_second"] = steps / max(time.perf_counter() - self._epoch_start, 1e-9)
        for name, value in train.items():
            self._scalar("train", f"epoch_{name}", value, epoch)
        for name, value in validation.items():
            self._scalar("validation", f"epoch_{name}", value, epoch)
        if validation and not self._evaluated and iterations is not None:  # fit validated without test hooks
            for name, value in validation.items():
                self._scalar("validation", f"evaluation_{name}_vs_iterations", value, iterations)

    # --- evaluation and the end ----------------------------------------------------------------------------
    def on_test_end(self, logs: dict | None = None) -> None:
        """`evaluate(..., callbacks=[tensorboard])`: `evaluation_<metric>_vs_iterations` in the
        validation run, step = optimizer iterations (as Keras)."""
        iterations = self._iterations()
        if iterations is None:
            return
        for name, value in (logs or {}).items():
            self._scalar("validation", f"evaluation_{name}_vs_iterations", value, iterations)
        self._evaluated = True
        if not self._in_training:
            self._close_writers()

    def on_train_end(self, logs: dict | None = None) -> None:
        """Write what is pending (alerts, the final PR curves, the hparams metrics), then close every
        writer, even if writing fails; safe to call twice or without `on_train_begin`."""
        if not self._in_training:
            return
        try:
            self._finish(dict(logs or {}) or self._last_logs)
        finally:
            self._in_training = False
            self._close_writers()

    def _finish(self, logs: dict) -> None:
        last = self._last_epoch
        self._write_alerts(last or 0)
        if self.pr_curves and last is not None and self._pr_epoch != last:
            self._write_pr_curves(last)
        if self._hparam_values is None:
            return
        root = self._writer("")
        final = {key: _as_float(value) for key, value in logs.items() if _as_float(value) is not None}
        for key, value in final.items():
            root.scalar(f"hparams/{key}", value, last or 0)
        metrics = [(f"hparams/{key}", key) for key in final]
        root.summary(summaries.experiment_summary(self._hparam_values, metrics), last or 0)
        success = all(math.isfinite(value) for value in final.values())
        root.summary(summaries.session_end_summary(success), last or 0)

    def _close_writers(self) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        _close_all(self._writers)
