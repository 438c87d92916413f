"""The numbers `model.summary()` prints, as data."""

from typing import Any

import numpy as np

from app.engine.tf_setup import keras


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def connections(model: keras.Model, layer: keras.layers.Layer) -> list[dict[str, Any]]:
    """The layers a layer takes, as `model.summary()`'s "Connected to" column lists them
    (`h1[0][0]`: layer, node index, tensor index); for a Sequential model the layer before."""
    relevant = {id(node) for nodes in getattr(model, "_nodes_by_depth", {}).values() for node in nodes}
    out = []
    for node in layer._inbound_nodes:
        if relevant and id(node) not in relevant:
            continue
        for tensor in node.input_tensors:
            history = tensor._keras_history
            out.append(
                {
                    "layer": history.operation.name,
                    "node_index": history.node_index,
                    "tensor_index": history.tensor_index,
                }
            )
    return out


def summarize(model: keras.Model) -> dict[str, Any]:
    sequential = isinstance(model, keras.Sequential)
    layers = []
    previous = model.inputs[0].name
    for layer in model.layers:
        entry: dict[str, Any] = {
            "name": layer.name,
            "type": type(layer).__name__,
            "output_shape": list(layer.output.shape),
            "params": layer.count_params(),
        }
        if sequential:  # each layer takes the one before
            entry["inputs"] = [previous]
            previous = layer.name
        else:  # and the column model.summary() prints for a functional model
            links = connections(model, layer)
            entry["inputs"] = [link["layer"] for link in links]
            entry["connected_to"] = [f"{x['layer']}[{x['node_index']}][{x['tensor_index']}]" for x in links]
        layers.append(entry)
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    return {
        "layers": layers,
        "total_params": trainable + non_trainable,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "input_shape": list(model.inputs[0].shape[1:]),
        "inputs": [{"name": t.name, "shape": list(t.shape[1:])} for t in model.inputs],
        "functional": not sequential,
    }


def summary_text(model: keras.Model) -> str:
    """Exactly what `model.summary()` prints."""
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)
