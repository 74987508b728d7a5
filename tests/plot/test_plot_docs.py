"""The code in docs/plots.md runs, block after block, and writes the files it says it writes."""

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

DOC = Path(__file__).resolve().parents[2] / "docs" / "plots.md"


def test_the_code_blocks_of_docs_plots_md_run(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    written = sorted(p.name for p in namespace["out"].iterdir())
    assert written == sorted(
        [
            "accuracy.svg",
            "activations.png",
            "blobs.png",
            "confusion.png",
            "history.png",
            "log_loss.png",
            "mlp.png",
            "network.png",
            "recall.png",
            "weights.png",
            "xor.png",
        ]
    )
    assert "['loss', 'accuracy']" in capsys.readouterr().out
    shutil.rmtree(namespace["out"])
