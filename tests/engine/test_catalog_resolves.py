"""Every name the catalog offers resolves in the installed Keras (the registry is the oracle)."""

import pytest

from app.catalog import catalog
from app.engine.tf_setup import keras
from app.schemas.choices import ACTIVATIONS, INITIALIZERS
from app.schemas.losses import LOSSES


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_resolves(name: str) -> None:
    assert callable(keras.activations.get(name))


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_initializer_resolves(name: str) -> None:
    assert keras.initializers.get(name) is not None


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_resolves(name: str) -> None:
    assert keras.losses.get(name) is not None


def test_every_catalog_layer_is_a_keras_layer() -> None:
    for entry in catalog()["layers"]:
        assert issubclass(getattr(keras.layers, entry["name"]), keras.layers.Layer)
