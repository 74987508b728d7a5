"""Fixtures of the saving tests: a guard that no code runs, a valid model file to forge from."""

import builtins
import importlib
import io
import os
import pickle
import subprocess
import zipfile

import pytest
from saving_helpers import CALLS, canary, fuzz_model

import neurona as nn


@pytest.fixture
def watch(monkeypatch):
    """Every door to code execution records a call instead of opening."""
    CALLS.clear()
    imported = []
    real_import_module = importlib.import_module

    def spy_import(name, *args, **kwargs):
        imported.append(name)
        return real_import_module(name, *args, **kwargs)

    monkeypatch.setattr(os, "system", lambda *a: canary("os.system", *a))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: canary("Popen", *a))
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: canary("eval", *a))
    real_exec = builtins.exec

    def guarded_exec(code, *args, **kwargs):  # imports exec code compiled from files on disk: let them
        if isinstance(code, (str, bytes)) or not os.path.isfile(getattr(code, "co_filename", "")):
            return canary("exec", code)
        return real_exec(code, *args, **kwargs)

    monkeypatch.setattr(builtins, "exec", guarded_exec)
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: canary("pickle.loads", *a))
    monkeypatch.setattr(importlib, "import_module", spy_import)
    yield
    assert CALLS == []
    assert all(name.startswith("neurona") for name in imported), imported


@pytest.fixture
def h5py():
    return pytest.importorskip("h5py")  # imported before `watch` (namedtuple uses eval while importing)


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    nn.utils.set_random_seed(0)
    path = tmp_path_factory.mktemp("valid") / "model.keras"
    fuzz_model().save(path)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return data, parts
