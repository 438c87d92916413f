"""A run's loss as Keras takes it in `compile`: the name, or the loss class built with its options."""

from app.engine.tf_setup import keras
from app.schemas.runs import CompileSpec


def build_loss(spec: CompileSpec) -> str | keras.losses.Loss:
    loss = spec.loss
    if isinstance(loss, str):
        return loss
    return keras.losses.deserialize({"class_name": loss.type, "config": loss.options()})
