"""Graph models (functional API): validation names the node and the edge; the builder makes what
a hand-written `keras.Model(inputs, outputs)` makes. Real Keras is the oracle."""

import copy
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from app.api.errors import validation_items
from app.config import Settings
from app.engine.builder import build_model
from app.engine.summary import summarize
from app.engine.tf_setup import keras
from app.errors import SpecError
from app.schemas.runs import ModelSpec, RunCreate


def node(name: str, layer: dict[str, Any], *inputs: str) -> dict[str, Any]:
    return {"name": name, "layer": layer, "inputs": list(inputs)}


def dense(units: int, activation: str = "relu") -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation}


def residual() -> dict[str, Any]:
    return {
        "graph": {
            "inputs": [{"name": "x"}],
            "nodes": [
                node("h1", dense(8), "x"),
                node("h2", dense(8), "h1"),
                node("skip", {"type": "Add"}, "h1", "h2"),
                node("out", dense(1, "sigmoid"), "skip"),
            ],
            "outputs": ["out"],
        }
    }


def _error(model: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        RunCreate.model_validate({"dataset": {"name": "circle"}, "model": model})
    items = validation_items([dict(e) for e in caught.value.errors()])
    assert len(items) == 1, items
    return items[0]


def test_the_residual_graph_is_valid_and_ordered() -> None:
    spec = ModelSpec.model_validate(residual())
    assert [s.name for s in spec.steps] == ["h1", "h2", "skip", "out"]
    assert spec.steps[2].inputs == ("h1", "h2")
    assert spec.chain is None
    assert spec.model_dump(mode="json").keys() == {"graph", "input_shape"}


def test_nodes_listed_out_of_order_are_built_in_topological_order() -> None:
    model = residual()
    model["graph"]["nodes"].reverse()
    spec = ModelSpec.model_validate(model)
    assert [s.name for s in spec.steps] == ["h1", "h2", "skip", "out"]
    assert spec.steps[0].where == "model.graph.nodes[3]"


def _with(change: Any) -> dict[str, Any]:
    model = copy.deepcopy(residual())
    change(model["graph"])
    return model


CASES = {
    "cycle": (
        lambda g: g["nodes"][0].update(inputs=["skip"]),
        "model.graph.nodes[2].inputs[0]",
        "graph_cycle",
    ),
    "dangling-edge": (
        lambda g: g["nodes"][1].update(inputs=["h9"]),
        "model.graph.nodes[1].inputs[0]",
        "graph_unknown_input",
    ),
    "dangling-node": (
        lambda g: g["nodes"].append(node("extra", dense(3), "h2")),
        "model.graph.nodes[4]",
        "graph_dangling_node",
    ),
    "unused-input": (
        lambda g: g["inputs"].append({"name": "z"}),
        "model.graph.inputs[1]",
        "graph_unused_input",
    ),
    "merge-of-one": (
        lambda g: g["nodes"][2].update(inputs=["h2"]),
        "model.graph.nodes[2].inputs",
        "merge_needs_inputs",
    ),
    "dense-of-two": (
        lambda g: g["nodes"][3].update(inputs=["skip", "h1"]),
        "model.graph.nodes[3].inputs",
        "one_input_only",
    ),
    "duplicate-name": (lambda g: g["nodes"][1].update(name="h1"), "model.graph.nodes[1].name", "graph_duplicate_name"),
    "input-named-like-a-node": (
        lambda g: g["inputs"][0].update(name="h1"),
        "model.graph.nodes[0].name",
        "graph_duplicate_name",
    ),
    "unknown-output": (lambda g: g.update(outputs=["nope"]), "model.graph.outputs[0]", "graph_unknown_output"),
    "unknown-layer": (
        lambda g: g["nodes"][1].update(layer={"type": "Dance"}),
        "model.graph.nodes[1].layer",
        "union_tag_invalid",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_graph_is_refused_naming_the_node_and_the_edge(case: str) -> None:
    change, field, code = CASES[case]
    item = _error(_with(change))
    assert (item["field"], item["code"]) == (field, code), item
    assert item["message"]


def test_the_cycle_message_names_the_nodes() -> None:
    item = _error(_with(CASES["cycle"][0]))
    assert "skip" in item["message"] and "h1" in item["message"]


def test_a_merge_layer_has_no_place_in_a_stack() -> None:
    item = _error({"layers": [dense(4), {"type": "Add"}, dense(1)]})
    assert (item["field"], item["code"]) == ("model.layers[1]", "merge_in_stack")


def test_neither_or_both_forms_are_refused() -> None:
    assert _error({})["code"] == "model_form"
    assert _error({"layers": [dense(1)], **residual()})["code"] == "model_form"


def test_a_shape_mismatch_at_a_merge_names_the_node() -> None:
    model = _with(lambda g: g["nodes"][1].update(layer=dense(4)))
    spec = ModelSpec.model_validate(model)
    with pytest.raises(SpecError) as caught:
        build_model(spec, (2,), 0, Settings())
    assert (caught.value.field, caught.value.code) == ("model.graph.nodes[2].inputs", "merge_shapes")
    assert "h1 (8,)" in caught.value.message and "h2 (4,)" in caught.value.message


def test_concatenate_adds_up_the_last_axis() -> None:
    model = _with(lambda g: g["nodes"][2]["layer"].update(type="Concatenate"))
    built = build_model(ModelSpec.model_validate(model), (2,), 0, Settings())
    assert built.get_layer("skip").output.shape == (None, 16)


def _hand_written_residual() -> keras.Model:
    inputs = keras.Input(shape=(2,), name="x")
    h1 = keras.layers.Dense(8, activation="relu", name="h1")(inputs)
    h2 = keras.layers.Dense(8, activation="relu", name="h2")(h1)
    skip = keras.layers.Add(name="skip")([h1, h2])
    outputs = keras.layers.Dense(1, activation="sigmoid", name="out")(skip)
    return keras.Model(inputs, outputs)


def test_the_builder_makes_what_keras_functional_code_makes() -> None:
    built = build_model(ModelSpec.model_validate(residual()), (2,), 7, Settings())
    keras.utils.set_random_seed(7)
    oracle = _hand_written_residual()
    assert not isinstance(built, keras.Sequential)
    assert [type(layer).__name__ for layer in built.layers] == [type(layer).__name__ for layer in oracle.layers]
    assert [layer.name for layer in built.layers] == [layer.name for layer in oracle.layers]
    assert built.count_params() == oracle.count_params()
    for a, b in zip(built.get_weights(), oracle.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # seeded the same way: the same initial weights
    x = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(built(x), oracle(x), rtol=1e-6)


def test_a_chain_graph_is_the_stack_it_spells() -> None:
    chain = {
        "graph": {
            "inputs": [{"name": "x"}],
            "nodes": [node("a", dense(4, "tanh"), "x"), node("b", dense(1, "sigmoid"), "a")],
            "outputs": ["b"],
        }
    }
    stack = {"layers": [{**dense(4, "tanh"), "name": "a"}, {**dense(1, "sigmoid"), "name": "b"}]}
    g, s = ModelSpec.model_validate(chain), ModelSpec.model_validate(stack)
    assert g.chain == s.chain
    built_g, built_s = build_model(g, (2,), 3, Settings()), build_model(s, (2,), 3, Settings())
    for a, b in zip(built_g.get_weights(), built_s.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_summary_lists_each_layers_inputs_as_model_summary_does() -> None:
    built = build_model(ModelSpec.model_validate(residual()), (2,), 0, Settings())
    layers = {entry["name"]: entry for entry in summarize(built)["layers"]}
    assert layers["skip"]["connected_to"] == ["h1[0][0]", "h2[0][0]"]
    assert layers["x"]["type"] == "InputLayer" and layers["x"]["inputs"] == []
    lines: list[str] = []
    built.summary(print_fn=lambda line, **_: lines.append(line))
    text = "\n".join(lines)
    for entry in layers.values():
        for link in entry["connected_to"]:
            assert link in text


def two_inputs(features: tuple[list[str], list[str]] = (["hours"], ["attendance"])) -> dict[str, Any]:
    return {
        "graph": {
            "inputs": [{"name": "hours", "features": features[0]}, {"name": "attendance", "features": features[1]}],
            "nodes": [
                node("h", dense(4), "hours"),
                node("a", dense(4), "attendance"),
                node("joined", {"type": "Concatenate"}, "h", "a"),
                node("out", dense(1, "sigmoid"), "joined"),
            ],
            "outputs": ["out"],
        }
    }


FEATURES = ["hours", "attendance"]


def test_two_inputs_take_their_features() -> None:
    built = build_model(ModelSpec.model_validate(two_inputs()), (2,), 0, Settings(), FEATURES)
    assert [tuple(t.shape) for t in built.inputs] == [(None, 1), (None, 1)]
    assert built.get_layer("joined").output.shape == (None, 8)


@pytest.mark.parametrize(
    ("features", "field", "code"),
    [
        ((["hours"], ["sleep"]), "model.graph.inputs[1].features[0]", "unknown_feature"),
        ((["hours"], ["hours"]), "model.graph.inputs[1].features[0]", "feature_twice"),
        ((["hours"], ["hours", "attendance"]), "model.graph.inputs[1].features[0]", "feature_twice"),
    ],
)
def test_input_features_must_split_the_data_features(features: Any, field: str, code: str) -> None:
    spec = ModelSpec.model_validate(two_inputs(features))
    with pytest.raises(SpecError) as caught:
        build_model(spec, (2,), 0, Settings(), FEATURES)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_a_feature_no_input_takes_is_refused() -> None:
    spec = ModelSpec.model_validate(two_inputs())
    with pytest.raises(SpecError) as caught:
        build_model(spec, (3,), 0, Settings(), [*FEATURES, "sleep"])
    assert (caught.value.code, caught.value.params["name"]) == ("feature_unused", "sleep")


def test_several_inputs_each_name_their_features() -> None:
    model = two_inputs()
    del model["graph"]["inputs"][1]["features"]
    with pytest.raises(SpecError) as caught:
        build_model(ModelSpec.model_validate(model), (2,), 0, Settings(), FEATURES)
    assert (caught.value.field, caught.value.code) == ("model.graph.inputs[1].features", "graph_input_features")
