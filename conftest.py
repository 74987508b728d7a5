"""Names that the docstring examples in src/neurona use: they run as tests (`--doctest-modules`)."""

import numpy as np
import pytest

import neurona


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    neurona.utils.set_random_seed(0)
    neurona.utils.clear_session()
    doctest_namespace.update(
        np=np,
        nn=neurona,
        neurona=neurona,
        layers=neurona.layers,
        Input=neurona.Input,
        Model=neurona.Model,
        Sequential=neurona.Sequential,
        Variable=neurona.Variable,
        SGD=neurona.optimizers.SGD,
    )
