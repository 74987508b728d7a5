"""Build step for neurona's one optional C module, `neurona._kernels` (fused optimizer updates, the passes
around dense layers' GEMMs, small layers and small softmax cross-entropies in one call).

Everything else about the package is in pyproject.toml. The module is optional: without a C compiler the
build skips it (with a warning) and neurona runs its NumPy rules, which give the same results (bit for bit,
except the small-layer and cross-entropy kernels' last bits: see their sources).
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# No contraction into fused multiply-adds and no fast-math: the kernels must round exactly as NumPy does.
# -fno-trapping-math only lets comparisons (relu's y > 0, NaN tests) vectorize: no kernel enables
# floating-point traps, and every result stays the IEEE operation's.
GCC_LIKE_FLAGS = ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-std=c99"]


class BuildExt(build_ext):
    def build_extensions(self) -> None:
        if self.compiler.compiler_type in ("unix", "mingw32"):
            for extension in self.extensions:
                extension.extra_compile_args = GCC_LIKE_FLAGS
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "neurona._kernels",
            ["src/neurona/_kernels.c", "src/neurona/_kernels_dense.c", "src/neurona/_kernels_loss.c"],
            depends=["src/neurona/_kernels.h"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
