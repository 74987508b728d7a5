"""The code in README.md and docs/guide.md runs, block after block, as a reader would run it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("name", ["README.md", "docs/guide.md"])
def test_code_blocks_run(name, capsys):
    blocks = python_blocks(ROOT / name)
    assert blocks, f"{name} has no python blocks"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, name, "exec"), namespace)  # noqa: S102 - our own documentation
