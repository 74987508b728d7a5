"""`Trainer`: `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` methods — THE training loop.

Separation of concerns: the data adapter (`neurona.data`) converts and validates arrays, splits and
batches them; `compile_utils` turns `loss`/`metrics` into objects once shapes are known; this module owns
the model-dependent checks (a dry run on one sample before anything changes), the loop, the logs and the
callbacks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config, optimizers
from .. import losses as losses_module
from .. import metrics as metrics_module
from ..callbacks import Callback, CallbackList, History, ProgbarLogger
from ..data import adapter
from ..engine import GradientTape, Tensor, no_grad
from ..utils.rng import make_generator
from ..utils.tree import flatten
from .batches import ArraySource, DatasetSource, is_dataset, unpack
from .compile_utils import CompiledLoss, CompiledMetrics
from .fit_data import align_frame, split_for_fit
from .step_plan import StepPlans, can_plan, outputs_list


class _LossTracker:
    """The running mean of batch losses, weighted by batch size (as Keras's loss tracker)."""

    __slots__ = ("total", "count")

    def __init__(self) -> None:
        self.total = 0.0
        self.count = 0

    def update(self, value: float, n: int) -> None:
        self.total += value * n
        self.count += n

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class TrainingState:
    """Where `fit` is, for callbacks that save and resume training (BackupAndRestore): the epoch, the
    number of batches done in it, the shuffling generator and its state at the start of the epoch (which
    fixes the epoch's batch order), and the callbacks. `fit` starts at (`epoch`, `step`) after
    `on_train_begin`, so a callback may move them there. `validation` holds the validation arrays
    `(xs, ys, sample_weight)` (lists of inputs and targets, as the model takes them) when `fit` has
    them as arrays, else None; callbacks that look at the validation data (TensorBoard) read it here."""

    __slots__ = ("epoch", "step", "rng", "epoch_rng_state", "callbacks", "validation")

    def __init__(
        self, epoch: int, rng: np.random.Generator, callbacks: list[Any], validation: Any = None
    ) -> None:
        self.epoch = epoch
        self.step = 0
        self.rng = rng
        self.epoch_rng_state: dict[str, Any] | None = None
        self.callbacks = callbacks
        self.validation = validation


def _check_verbose(verbose: Any) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f'`verbose` must be "auto", 0, 1 or 2. Received: verbose={verbose!r}')
    return int(verbose)


def _check_non_negative_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative integer. Received: {name}={value!r}")
    return int(value)


def class_weight_to_sample_weight(y: np.ndarray, class_weight: dict[int, float]) -> np.ndarray:
    """One weight per sample: `class_weight[label]` (labels from integer targets or one-hot rows)."""
    if not isinstance(class_weight, dict):
        raise TypeError(
            f"`class_weight` must be a dict mapping class index to weight. Received: {class_weight!r}"
        )
    if y.ndim == 2 and y.shape[1] > 1:
        labels = np.argmax(y, axis=1)
    elif y.ndim == 2 and y.shape[1] == 1:
        labels = y[:, 0]
    elif y.ndim == 1:
        labels = y
    else:
        raise ValueError(
            f"`class_weight` needs targets of shape (n,), (n, 1) or one-hot (n, classes). Received y.shape={y.shape}"
        )
    labels = np.round(labels).astype(np.int64)
    top = max(int(labels.max()), max(int(k) for k in class_weight)) + 1
    table = np.ones(top, dtype=np.float64)
    for key, weight in class_weight.items():
        table[int(key)] = float(weight)
    return table[labels].astype("float32")


class Trainer:
    """The training surface of `Model`: mixed into the model class."""

    def __init__(self) -> None:
        self.optimizer: Any = None
        self.compiled = False
        self.stop_training = False
        self.history: History | None = None
        self._training_state: TrainingState | None = None
        self._stopped_on_nan = False
        self._compile_args: dict[str, Any] = {}
        self._compiled_loss: CompiledLoss | None = None
        self._compiled_metrics: CompiledMetrics | None = None
        self._loss_tracker = _LossTracker()
        self._output_loss_trackers: list[_LossTracker] = []
        self.feature_names: list[str] | None = None  # a DataFrame's columns, in the order `fit` saw

    # --- compile -------------------------------------------------------------------------------------
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: Any = "auto",
        auto_scale_loss: bool = True,
    ) -> None:
        """Configure training: the optimizer, the loss(es) and the metrics (strings or objects).

        `run_eagerly`, `steps_per_execution`, `jit_compile` and `auto_scale_loss` are accepted so that Keras
        code runs unchanged; neurona always runs eagerly on NumPy, so they change nothing.
        """
        self.optimizer = optimizers.get(optimizer)
        for identifier in flatten(loss if isinstance(loss, (list, tuple, dict)) else [loss]):
            if isinstance(identifier, str) and identifier not in ("crossentropy", "ce"):
                losses_module.get(identifier)
        for group in (metrics, weighted_metrics):
            for identifier in flatten(group or []):
                if isinstance(identifier, str) and identifier not in (
                    "accuracy",
                    "acc",
                    "crossentropy",
                    "ce",
                ):
                    metrics_module.get(identifier)
        self.loss = loss
        self._compile_args = dict(
            loss=loss, loss_weights=loss_weights, metrics=metrics, weighted_metrics=weighted_metrics
        )
        self._compiled_loss = None
        self._compiled_metrics = None
        self.compiled = True

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using the model's `{method}`: e.g. "
                "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])."
            )

    @property
    def metrics_names(self) -> list[str]:
        names = ["loss"]
        if self._compiled_metrics is not None and self._compiled_metrics.built:
            names += list(self._compiled_metrics.result())
        return names

    # --- data ----------------------------------------------------------------------------------------
    def _x_list(self, x: Any, remember_columns: bool = False) -> list[np.ndarray]:
        if x is None:
            raise ValueError("No input data: pass `x` (an array of samples).")
        if type(x) is np.ndarray and x.ndim and x.dtype == config.floatx():  # the common case, kept cheap
            adapter.check_finite(x, "x")
            return [x]
        x = align_frame(self, x, remember_columns)
        n_inputs = self._num_inputs()
        if isinstance(x, dict) and not adapter._is_dataframe(x) and self._graph is not None:
            names = [t.node.layer.name for t in self._graph.inputs]
            missing = [name for name in names if name not in x]
            if missing:
                raise ValueError(
                    f"`x` is a dict without the inputs {missing}. Its keys must be the input names {names}."
                )
            x = [x[name] for name in names]
        data = adapter.standardize_inputs(x, n_inputs, "x")
        return data if isinstance(data, list) else [data]

    def _y_list(self, y: Any) -> list[np.ndarray] | None:
        if y is None:
            return None
        names = self._output_names()
        if isinstance(y, dict) and not adapter._is_dataframe(y):
            unknown = set(y) - set(names)
            if unknown:
                raise ValueError(
                    f"`y` has keys {sorted(unknown)} that match no output. Output names: {names}"
                )
            y = [y[name] for name in names]
        data = adapter.standardize_inputs(y, len(names), "y", features=False)
        return data if isinstance(data, list) else [data]

    @staticmethod
    def _sample_weight(sample_weight: Any) -> np.ndarray | None:
        if sample_weight is None:
            return None
        weights = adapter.standardize_inputs(sample_weight, 1, "sample_weight")
        if weights.ndim > 2:
            raise ValueError(
                f"`sample_weight` must be 1-D (per sample) or 2-D (per time step). Received shape {weights.shape}."
            )
        return weights

    def _model_input(self, xs: list[Any]) -> Any:
        return xs[0] if len(xs) == 1 else list(xs)

    def _prepare(
        self, x: Any, y: Any, sample_weight: Any = None, remember_columns: bool = False
    ) -> tuple[list[np.ndarray], list[np.ndarray] | None, np.ndarray | None]:
        xs = self._x_list(x, remember_columns)
        ys = self._y_list(y)
        sw = self._sample_weight(sample_weight)
        adapter.check_cardinality(x=xs, y=ys, sample_weight=sw)
        return xs, ys, sw

    def _dry_run(self, xs: list[np.ndarray], ys: list[np.ndarray] | None) -> None:
        """Run one sample through the model (building it if needed) and, with targets, through the loss:
        shape and label errors surface here, before any weight or optimizer state changes."""
        with no_grad():
            predictions = outputs_list(self(self._model_input([a[:1] for a in xs]), training=False))
        if ys is None:
            return
        if len(ys) != len(predictions):
            raise ValueError(
                f"The model has {len(predictions)} output(s) but received {len(ys)} target array(s) in `y`."
            )
        shapes = [p.shape for p in predictions]
        names = self._output_names()
        if self._compiled_loss is None:
            args = self._compile_args
            self._compiled_loss = CompiledLoss(args["loss"], args["loss_weights"], names)
            self._compiled_loss.build(ys, shapes)
            self._compiled_metrics = CompiledMetrics(args["metrics"], args["weighted_metrics"], names)
            self._compiled_metrics.build(ys, shapes)
            self._output_loss_trackers = [_LossTracker() for _ in names] if len(names) > 1 else []
        self._compiled_loss.check_targets(ys, shapes)
        with no_grad():
            self._compiled_loss([t[:1] for t in ys], predictions)

    # --- logs and callbacks --------------------------------------------------------------------------
    def _reset_metrics(self) -> None:
        self._loss_tracker = _LossTracker()
        self._output_loss_trackers = [_LossTracker() for _ in self._output_loss_trackers]
        if self._compiled_metrics is not None:
            self._compiled_metrics.reset_state()

    def _tracker_state(self) -> dict[str, Any]:
        """The running loss and metric accumulators (for a backup taken in the middle of an epoch)."""
        metrics = self._compiled_metrics.metrics if self._compiled_metrics is not None else []
        return {
            "loss": [self._loss_tracker.total, self._loss_tracker.count],
            "outputs": [[t.total, t.count] for t in self._output_loss_trackers],
            "metrics": [metric.get_state() for _, metric, _ in metrics or []],
        }

    def _set_tracker_state(self, state: dict[str, Any]) -> None:
        self._loss_tracker.total, self._loss_tracker.count = state["loss"]
        for tracker, (total, count) in zip(self._output_loss_trackers, state["outputs"]):
            tracker.total, tracker.count = total, count
        metrics = self._compiled_metrics.metrics if self._compiled_metrics is not None else []
        for (_, metric, _), metric_state in zip(metrics or [], state["metrics"]):
            metric.set_state(metric_state)

    def reset_metrics(self) -> None:
        """Reset the loss and metric accumulators."""
        self._reset_metrics()

    def _logs(self) -> dict[str, float]:
        logs = {"loss": self._loss_tracker.result()}
        for name, tracker in zip(self._output_names(), self._output_loss_trackers):
            logs[f"{name}_loss"] = tracker.result()
        if self._compiled_metrics is not None:
            logs.update(self._compiled_metrics.result())
        return logs

    def _callback_list(self, callbacks: Any, verbose: int, add_history: bool, **params: Any) -> CallbackList:
        user = list(callbacks or [])
        for callback in user:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"`callbacks` must hold neurona.callbacks.Callback instances. Received: {callback!r}"
                )
        items: list[Callback] = []
        if verbose and not any(isinstance(c, ProgbarLogger) for c in user):
            items.append(ProgbarLogger())
        items += user
        if add_history:
            items.append(History())
        return CallbackList(items, model=self, verbose=verbose, **params)

    # --- one step ------------------------------------------------------------------------------------
    def _train_step(
        self,
        xs: list[np.ndarray],
        ys: list[np.ndarray],
        sw: np.ndarray | None,
        trainable: list[Any],
        has_penalties: bool = True,
    ) -> None:
        with GradientTape() as tape:
            predictions = outputs_list(self(self._model_input(xs), training=True))
            loss, per_output = self._compiled_loss(ys, predictions, sw)
            penalties = self.losses if has_penalties else []
            if penalties:
                loss = loss + sum(penalties[1:], penalties[0])
        if trainable:
            self.optimizer.apply(tape.gradient(loss, trainable), trainable)
        self._track(loss.data, [v.data for v in per_output], xs, ys, [p.data for p in predictions], sw)

    def _test_step(self, xs: list[np.ndarray], ys: list[np.ndarray], sw: np.ndarray | None) -> None:
        with no_grad():
            predictions = outputs_list(self(self._model_input(xs), training=False))
            loss, per_output = self._compiled_loss(ys, predictions, sw)
            penalties = self.losses if self._has_penalties else []
            if penalties:
                loss = loss + sum(penalties[1:], penalties[0])
        self._track(loss.data, [v.data for v in per_output], xs, ys, [p.data for p in predictions], sw)

    def _track(
        self,
        loss: np.ndarray,
        per_output: list[np.ndarray],
        xs: list[np.ndarray],
        ys: list[np.ndarray],
        predictions: list[np.ndarray],
        sw: np.ndarray | None,
    ) -> None:
        """Add one batch's loss values and predictions to the running loss trackers and metrics."""
        n = len(xs[0])
        self._loss_tracker.update(float(loss), n)
        for tracker, value in zip(self._output_loss_trackers, per_output):
            tracker.update(float(value), n)
        self._compiled_metrics.update_state(ys, predictions, sw)

    @property
    def _has_penalties(self) -> bool:
        return any(
            layer._weight_regularizers or layer.activity_regularizer is not None
            for layer in _all_layers(self)
        )

    # --- fit -----------------------------------------------------------------------------------------
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: list[Callback] | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: dict[int, float] | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: Any = 1,
        *,
        validation_shuffle: bool = False,
        validation_stratify: bool = False,
    ) -> History:
        """Train for `epochs − initial_epoch` epochs; returns a new `History` (also `model.history`).

        Keras semantics: `validation_split` takes the LAST fraction of the data before shuffling (with a
        warning when that leaves one class in validation); `shuffle=True` reshuffles every epoch; `epochs`
        is the index of the final epoch. neurona's options: `validation_shuffle=True` holds out a random
        fraction, `validation_stratify=True` a random fraction with the class proportions of `y` (both
        drawn from neurona's generator: `neurona.utils.set_random_seed` makes them reproducible).
        A DataFrame's column order is remembered (`model.feature_names`) and restored at evaluate/predict.
        """
        self._assert_compiled("fit")
        batch_size = adapter.check_batch_size(batch_size)
        epochs = _check_non_negative_int("epochs", epochs)
        initial_epoch = _check_non_negative_int("initial_epoch", initial_epoch)
        verbose = _check_verbose(verbose)
        val = None  # validation arrays (xs, ys, sample_weight), from validation_data or a split
        if is_dataset(x):
            source = self._dataset_source(
                x, y, sample_weight, class_weight, steps_per_epoch, "steps_per_epoch"
            )
            if validation_split:
                raise ValueError(
                    "`validation_split` needs arrays (it slices them); with a dataset pass `validation_data` "
                    "(arrays or another dataset)."
                )
            self._dry_run(*source.first_batch()[:2])
        else:
            if y is None:
                raise ValueError("`fit` needs targets: pass `y` with one target per sample of `x`.")
            xs, ys, sw = self._prepare(x, y, sample_weight, remember_columns=True)
            if validation_data is None and validation_split:
                (xs, ys, sw), val = split_for_fit(
                    self, (xs, ys, sw), validation_split, validation_shuffle, validation_stratify
                )
            if class_weight is not None:
                sw = self._with_class_weight(ys, sw, class_weight)
            self._dry_run(xs, ys)
            source = ArraySource(xs, ys, sw, batch_size, shuffle, steps_per_epoch, "steps_per_epoch")
        val_batch_size = adapter.check_batch_size(validation_batch_size or batch_size)
        val_source = None
        if validation_data is not None and is_dataset(validation_data):
            val_source = self._dataset_source(
                validation_data, None, None, None, validation_steps, "validation_steps"
            )
            self._dry_run(*val_source.first_batch()[:2])
        elif validation_data is not None:
            val = self._unpack_validation(validation_data)
        if val is not None:
            self._dry_run(val[0], val[1])
            val_source = ArraySource(
                val[0], val[1], val[2], val_batch_size, False, validation_steps, "validation_steps"
            )
        steps = source.steps
        callback_list = self._callback_list(
            callbacks, verbose, add_history=True, epochs=epochs, steps=steps, batch_size=batch_size
        )
        trainable = self.trainable_weights
        has_penalties = self._has_penalties
        plans = StepPlans(self, trainable) if can_plan(self, _all_layers(self)) else None  # (no penalties)
        rng = make_generator()
        reuse = plans is not None  # replayed steps keep nothing of a batch past its step: reuse buffers
        batch_begin = callback_list.wants("on_train_batch_begin")
        batch_end = callback_list.wants("on_train_batch_end")
        history = next(c for c in callback_list.callbacks if isinstance(c, History))
        if initial_epoch > 0 and self.history is not None and self.history.epoch[-1:] == [initial_epoch - 1]:
            history.continue_from(self.history)  # one history across fits that continue each other
        state = self._training_state = TrainingState(initial_epoch, rng, callback_list.callbacks, val)
        self.stop_training = False
        self._stopped_on_nan = False
        callback_list.on_train_begin()
        for callback in callback_list.callbacks:  # after every reset: a backup's state is put back last
            if hasattr(callback, "restore_training_state"):
                callback.restore_training_state()
        start_epoch, start_step = state.epoch, state.step  # a backup may have moved them (a resume)
        epoch_logs: dict[str, float] = {}
        for epoch in range(start_epoch, epochs):
            state.epoch = epoch
            resuming = epoch == start_epoch and start_step > 0
            if not resuming:
                self._reset_metrics()
                state.step = 0
                state.epoch_rng_state = rng.bit_generator.state
            callback_list.on_epoch_begin(epoch)
            for step, batch_x, batch_y, batch_sw in source.epoch(rng, start_step if resuming else 0, reuse):
                if batch_begin:
                    callback_list.on_train_batch_begin(step)
                if plans is not None and batch_y is not None:
                    plans.train_step(batch_x, batch_y, batch_sw)
                else:
                    self._train_step(batch_x, batch_y, batch_sw, trainable, has_penalties)
                state.step = step + 1
                if batch_end:
                    callback_list.on_train_batch_end(step, self._logs())
                if self.stop_training:
                    break
            epoch_logs = self._logs()
            if val_source is not None and _should_validate(epoch, validation_freq):
                val_logs = self._run_evaluation(val_source, callback_list)  # test hooks run, as in Keras 3
                epoch_logs.update({f"val_{key}": value for key, value in val_logs.items()})
            state.epoch, state.step = epoch + 1, 0
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > initial_epoch:
            self.optimizer.finalize_variable_values(trainable)
        callback_list.on_train_end(epoch_logs)
        self._training_state = None
        self.history = history
        return history

    def _with_class_weight(
        self, ys: list[np.ndarray], sw: np.ndarray | None, class_weight: Any
    ) -> np.ndarray:
        if len(ys) > 1:
            raise ValueError(
                "`class_weight` is only supported for models with a single output; use `sample_weight`."
            )
        weights = class_weight_to_sample_weight(ys[0], class_weight)
        return weights if sw is None else sw * (weights if sw.ndim == 1 else weights[:, None])

    def _dataset_source(
        self,
        dataset: Any,
        y: Any,
        sample_weight: Any,
        class_weight: Any,
        steps: Any,
        steps_name: str,
        with_targets: bool = True,
    ) -> DatasetSource:
        """A `PyDataset` or generator as a batch source; every batch is validated like arrays are."""
        if y is not None or sample_weight is not None:
            raise ValueError(
                "With a dataset as `x`, its batches carry the targets and weights: do not pass `y` or "
                "`sample_weight` (serve (x, y) or (x, y, sample_weight) batches)."
            )

        def prepare(batch: Any) -> tuple:
            bx, by, bsw = unpack(batch, with_targets)
            xs, ys, sw = self._prepare(bx, by, bsw)
            if class_weight is not None:
                sw = self._with_class_weight(ys, sw, class_weight)
            return xs, ys, sw

        return DatasetSource(dataset, prepare, steps, steps_name)

    def _unpack_validation(self, validation_data: Any) -> tuple[Any, Any, Any]:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, val_sample_weight). "
                f"Received: {type(validation_data).__name__} of length {len(validation_data) if hasattr(validation_data, '__len__') else '?'}"
            )
        x_val, y_val = validation_data[0], validation_data[1]
        sw_val = validation_data[2] if len(validation_data) == 3 else None
        return self._prepare(x_val, y_val, sw_val)

    # --- evaluate ------------------------------------------------------------------------------------
    def _run_evaluation(self, source: Any, callback_list: CallbackList | None) -> dict[str, float]:
        self._reset_metrics()
        if callback_list is not None:
            callback_list.on_test_begin()
        for step, batch_x, batch_y, batch_sw in source.epoch(None):
            if callback_list is not None:
                callback_list.on_test_batch_begin(step)
            self._test_step(batch_x, batch_y, batch_sw)
            if callback_list is not None:
                callback_list.on_test_batch_end(step, self._logs())
        logs = self._logs()
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: list[Callback] | None = None,
        return_dict: bool = False,
    ) -> Any:
        """The loss and metrics on `(x, y)`: a scalar (no metrics), a list `[loss, *metrics]`, or a dict."""
        self._assert_compiled("evaluate")
        batch_size = adapter.check_batch_size(batch_size)
        verbose = _check_verbose(verbose)
        if is_dataset(x):
            source: Any = self._dataset_source(x, y, sample_weight, None, steps, "steps")
            self._dry_run(*source.first_batch()[:2])
        else:
            if y is None:
                raise ValueError("`evaluate` needs targets: pass `y` with one target per sample of `x`.")
            xs, ys, sw = self._prepare(x, y, sample_weight)
            self._dry_run(xs, ys)
            source = ArraySource(xs, ys, sw, batch_size, False, steps, "steps")
        callback_list = self._callback_list(
            callbacks, verbose, add_history=False, mode="evaluate", steps=source.steps
        )
        logs = self._run_evaluation(source, callback_list)
        return self._format_logs(logs, return_dict)

    @staticmethod
    def _format_logs(logs: dict[str, float], return_dict: bool) -> Any:
        if return_dict:
            return dict(logs)
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # --- predict -------------------------------------------------------------------------------------
    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: list[Callback] | None = None,
    ) -> Any:
        """Outputs for `x` as NumPy arrays, computed in batches with recording off and `training=False`."""
        batch_size = adapter.check_batch_size(batch_size)
        verbose = _check_verbose(verbose)
        if is_dataset(x):
            source: Any = DatasetSource(
                x, lambda batch: (self._x_list(unpack(batch, False)[0]), None, None), steps, "steps"
            )
        else:
            xs = self._x_list(x)
            adapter.check_cardinality(x=xs)
            source = ArraySource(xs, None, None, batch_size, False, steps, "steps")
        callback_list = self._callback_list(
            callbacks, verbose, add_history=False, mode="predict", steps=source.steps
        )
        callback_list.on_predict_begin()
        chunks: list[list[np.ndarray]] = []
        structure: Any = None
        with no_grad():
            for step, batch_x, _, _ in source.epoch(None):
                callback_list.on_predict_batch_begin(step)
                out = self(self._model_input(batch_x), training=False)
                structure = out
                chunks.append([t.data for t in outputs_list(out)])
                callback_list.on_predict_batch_end(step, {})
        callback_list.on_predict_end()
        outputs = [np.concatenate([chunk[i] for chunk in chunks]) for i in range(len(chunks[0]))]
        return _restructure(structure, outputs)

    def predict_on_batch(self, x: Any) -> Any:
        """Outputs for one batch `x` (NumPy arrays), without batching or callbacks."""
        xs = self._x_list(x)
        with no_grad():
            out = self(self._model_input(xs), training=False)
        if type(out) is Tensor:  # one output (the common case)
            return out.data
        return _restructure(out, [t.data for t in outputs_list(out)])

    # --- one batch -----------------------------------------------------------------------------------
    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        """One optimizer step on one batch; returns that batch's loss (and metrics)."""
        self._assert_compiled("train_on_batch")
        if y is None:
            raise ValueError("`train_on_batch` needs targets `y`.")
        xs, ys, sw = self._prepare(x, y, sample_weight)
        if class_weight is not None:
            weights = class_weight_to_sample_weight(ys[0], class_weight)
            sw = weights if sw is None else sw * weights
        self._dry_run(xs, ys)
        self._reset_metrics()
        self._train_step(xs, ys, sw, self.trainable_weights)
        return self._format_logs(self._logs(), return_dict)

    def test_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ) -> Any:
        """The loss (and metrics) on one batch, without updating anything."""
        self._assert_compiled("test_on_batch")
        if y is None:
            raise ValueError("`test_on_batch` needs targets `y`.")
        xs, ys, sw = self._prepare(x, y, sample_weight)
        self._dry_run(xs, ys)
        self._reset_metrics()
        self._test_step(xs, ys, sw)
        return self._format_logs(self._logs(), return_dict)


def _should_validate(epoch: int, validation_freq: Any) -> bool:
    if isinstance(validation_freq, int) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(
                f"`validation_freq` must be a positive integer. Received: validation_freq={validation_freq}"
            )
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple, set)):
        return epoch + 1 in validation_freq
    raise ValueError(
        f"`validation_freq` must be an integer or a list of epochs. Received: {validation_freq!r}"
    )


def _restructure(structure: Any, outputs: list[np.ndarray]) -> Any:
    if isinstance(structure, dict):
        return dict(zip(structure.keys(), outputs))
    if isinstance(structure, (list, tuple)):
        return list(outputs)
    return outputs[0]


def _all_layers(model: Any) -> list[Any]:
    out = []
    stack = list(model._sublayers)
    while stack:
        layer = stack.pop()
        out.append(layer)
        stack.extend(layer._sublayers)
    return out
