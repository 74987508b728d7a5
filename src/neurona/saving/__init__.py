"""`neurona.saving`: model files that are data, never code (DESIGN.md decision 5).

The format (`model_file.py`): a `.keras` zip archive with `metadata.json`, `config.json` and
`model.weights.npz`; weights alone as `.weights.npz` (or `.weights.h5` with h5py). `model.save`,
`neurona.models.load_model`, `model.save_weights`, `model.load_weights`, `model.to_json` and
`neurona.models.model_from_json` use it.

What the loader defends against, with the published vulnerabilities of each class:

* code named by a config: a `module` to import (CVE-2025-1550), gadget functions inside the library
  (CVE-2025-8747), a global "unsafe" switch reachable from the config (CVE-2025-9906): classes resolve by
  name through a closed registry only (`registry.py`), no module is ever imported, no function is looked
  up from a dotted path, and there is no unsafe mode for a file to turn on;
* serialized Python code: `Lambda` layers and `__lambda__` bytecode (CVE-2024-3660), safe-mode bypasses
  when the flag is unset or ignored (CVE-2026-12481, CVE-2025-9905): never loaded, whatever
  `safe_mode` says; code-wrapping layers (`TFSMLayer`, CVE-2026-1462; `TorchModuleWrapper` and its
  `torch.load`, CVE-2025-49655) are not part of the registry;
* pickle in any form (CVE-2019-6446 for NumPy's object arrays; PyTorch's CVE-2025-32434): object dtypes
  are refused and `.npy` headers are parsed by neurona itself (`arrays.py`);
* external files named by a config (vocabulary paths, CVE-2025-12058): a model needs nothing outside its
  archive, and no config value is ever opened as a path;
* zip path traversal (CVE-2026-12479, CVE-2025-12060, CVE-2025-12638) and zip bombs: member names,
  entry types, sizes, ratios and the archive layout are checked before reading (`archive.py`);
* memory exhaustion from declared sizes (CVE-2026-0897): every size is checked against the bytes the
  file holds before allocating, including the weights a config asks layers to create (`weights.py`);
* HDF5: external links and storage (CVE-2026-1669), shape bombs (CVE-2026-0897), legacy `.h5` models
  with embedded configs (CVE-2025-9905): only weights are read from HDF5, with Keras's checks (`h5.py`);
* torn files: every write is atomic (`neurona.utils.io.atomic_writer`).

Loading an untrusted file still runs neurona's (and your registered classes') code on its numbers: keep
what you load from strangers in a sandbox, as Keras's own SECURITY.md advises.
"""

from .limits import DEFAULT_LIMITS, LoadLimits, ModelFileError
from .registry import (
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from .serialization import deserialize_keras_object, serialize_keras_object

__all__ = [
    "DEFAULT_LIMITS",
    "LoadLimits",
    "ModelFileError",
    "deserialize_keras_object",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
