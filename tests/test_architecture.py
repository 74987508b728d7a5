"""Dependencies point one way (DESIGN.md §1): each part imports only parts before it.

engine ← ops ← {activations, initializers, regularizers, constraints} ← layers ← losses ← metrics ← optimizers
← {data, datasets, saving} ← callbacks ← models ← {plot, playground, wrappers} ← cli. `config` and `utils` are
leaves anyone may use.
Imports inside functions count too.
"""

import ast
from pathlib import Path

import neurona

SRC = Path(neurona.__file__).parent
RANK = {
    "_kernels": -1,  # the optional compiled module (imports nothing)
    "config": 0,
    "utils": 0,
    "version": 0,
    "engine": 1,
    "ops": 2,
    "nn": 3,
    "tf_names": 3,
    "activations": 3,
    "initializers": 3,
    "regularizers": 3,
    "constraints": 3,
    "layers": 4,
    "losses": 5,
    "metrics": 6,
    "optimizers": 7,
    "data": 8,
    "datasets": 8,
    "saving": 8,
    "callbacks": 9,
    "models": 10,
    "cli": 12,  # the command calls plot and playground
    "plot": 11,
    "playground": 11,
    "wrappers": 11,
}


def part_of(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    package = path.relative_to(SRC).parent.parts
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    parts.add(target[0])
                else:
                    parts.update(alias.name for alias in node.names)
            elif node.module and node.module.split(".")[0] == "neurona":
                rest = node.module.split(".")[1:]
                parts.add(rest[0] if rest else "__top__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "neurona":
                    parts.add(names[1] if len(names) > 1 else "__top__")
    return parts


def test_every_part_has_a_rank():
    parts = {part_of(p) for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC}
    assert parts <= set(RANK), parts - set(RANK)


def test_dependencies_point_one_way():
    violations = []
    for path in SRC.rglob("*.py"):
        if path.parent == SRC and path.name == "__init__.py":
            continue
        me = part_of(path)
        for other in imported_parts(path) - {me}:
            if other == "__top__":
                if RANK[me] < RANK["plot"]:  # (plot, playground, wrappers and cli may)
                    violations.append(f"{path.relative_to(SRC)} imports the top-level package")
                continue
            if RANK.get(other, 99) >= RANK[me]:
                violations.append(f"{path.relative_to(SRC)} ({me}) imports {other}")
    assert not violations, "\n".join(violations)


def test_the_checker_sees_a_violation(tmp_path):
    # the test above can fail: a callbacks module importing models is caught
    fake = SRC / "callbacks" / "_probe_violation.py"
    fake.write_text("from ..models import Model\n")
    try:
        assert "models" in imported_parts(fake)
        assert RANK["models"] >= RANK["callbacks"]
    finally:
        fake.unlink()
