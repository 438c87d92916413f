"""Graph models (Keras's functional API): named inputs, named nodes each a layer with the names of
its inputs, and the output. A stack of layers is the simple form of the same thing (a chain).

Structure is checked here, without data: names differ, every edge names an input or a node, no
cycle, every node is used or is the output, every input is used, merges join two or more inputs
and the other layers take one. Shapes (a merge of 8 and 4 units) are checked by the builder.
Each error is a SpecError whose field is relative to the graph (`nodes[2].inputs[1]`).
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from app.errors import SpecError
from app.schemas.layers import AnyLayer, LayerSpec

Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class GraphInput(_Strict):
    """One `keras.Input`: with several inputs each names the data's features it takes."""

    name: Name = Field(..., description="the Input's Keras name, used by nodes' inputs")
    features: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="the data's features this input takes (by name, e.g. hours); with one input, all of them",
    )


class GraphNode(_Strict):
    """One layer of the graph, called on the outputs of the inputs or nodes it names."""

    name: Name = Field(..., description="the layer's Keras name")
    layer: AnyLayer
    inputs: list[Name] = Field(..., min_length=1, max_length=16, description="names of inputs or nodes")


class GraphSpec(_Strict):
    inputs: list[GraphInput] = Field(..., min_length=1, max_length=16)
    nodes: list[GraphNode] = Field(..., min_length=1, max_length=1000)
    outputs: list[Name] = Field(..., min_length=1, max_length=1, description="the output node (one)")
    _order: list[int] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> "GraphSpec":
        self._order = check_graph(self)
        return self

    @property
    def order(self) -> list[int]:
        """Node indices in topological order (each after the nodes it takes)."""
        return self._order


def check_graph(graph: GraphSpec) -> list[int]:
    """The nodes in topological order, or a SpecError naming the node and the edge at fault."""
    where: dict[str, str] = {}
    for i, entry in enumerate(graph.inputs):
        if entry.name in where:
            raise SpecError(f"inputs[{i}].name", code="graph_duplicate_name", params={"name": entry.name})
        where[entry.name] = f"inputs[{i}]"
    for i, node in enumerate(graph.nodes):
        if node.name in where:
            raise SpecError(f"nodes[{i}].name", code="graph_duplicate_name", params={"name": node.name})
        where[node.name] = f"nodes[{i}]"
        if node.layer.name is not None and node.layer.name != node.name:
            raise SpecError(f"nodes[{i}].layer.name", code="node_layer_name", params={"name": node.name})
    index = {node.name: i for i, node in enumerate(graph.nodes)}
    inputs = {entry.name for entry in graph.inputs}
    for i, node in enumerate(graph.nodes):
        for j, source in enumerate(node.inputs):
            if source not in where:
                params = {"node": node.name, "input": source}
                raise SpecError(f"nodes[{i}].inputs[{j}]", code="graph_unknown_input", params=params)
        _check_arity(node.layer, node.name, len(node.inputs), f"nodes[{i}].inputs")
    for k, output in enumerate(graph.outputs):
        if output not in index:
            raise SpecError(f"outputs[{k}]", code="graph_unknown_output", params={"output": output})
    # Kahn's algorithm, taking ready nodes in the order they are listed.
    waiting = {i: {s for s in node.inputs if s not in inputs} for i, node in enumerate(graph.nodes)}
    done: set[str] = set()
    order: list[int] = []
    while True:
        ready = [i for i, needs in waiting.items() if needs <= done]
        if not ready:
            break
        for i in ready:
            order.append(i)
            done.add(graph.nodes[i].name)
            del waiting[i]
    if waiting:
        raise _cycle(graph, waiting, index)
    used = {s for node in graph.nodes for s in node.inputs}
    for i, node in enumerate(graph.nodes):
        if node.name not in used and node.name not in graph.outputs:
            raise SpecError(f"nodes[{i}]", code="graph_dangling_node", params={"node": node.name})
    for i, entry in enumerate(graph.inputs):
        if entry.name not in used:
            raise SpecError(f"inputs[{i}]", code="graph_unused_input", params={"input": entry.name})
    return order


def _check_arity(layer: LayerSpec, node: str, count: int, field: str) -> None:
    params = {"layer": layer.type, "node": node, "count": count, "least": layer.min_inputs, "most": layer.max_inputs}
    if layer.merge and count < layer.min_inputs:
        raise SpecError(field, code="merge_needs_inputs", params=params)
    if layer.max_inputs is not None and count > layer.max_inputs:
        if layer.max_inputs == 1:
            raise SpecError(field, code="one_input_only", params=params)
        raise SpecError(field, code="merge_too_many_inputs", params=params)


def _cycle(graph: GraphSpec, waiting: dict[int, set[str]], index: dict[str, int]) -> SpecError:
    """The error for the first cycle among the nodes that never became ready: its closing edge."""
    start = min(waiting)
    path = [start]
    while True:
        node = graph.nodes[path[-1]]
        nxt = next(index[s] for s in node.inputs if s in index and index[s] in waiting)
        if nxt in path:
            cycle = path[path.index(nxt) :] + [nxt]
            break
        path.append(nxt)
    # The edge that closes the cycle: the last node of the loop takes the first.
    last, first = graph.nodes[cycle[-2]], graph.nodes[cycle[-1]]
    j = last.inputs.index(first.name)
    names = " ← ".join(graph.nodes[i].name for i in cycle)
    params = {"node": last.name, "input": first.name, "cycle": names}
    return SpecError(f"nodes[{cycle[-2]}].inputs[{j}]", code="graph_cycle", params=params)


@dataclass(frozen=True)
class Step:
    """One layer of a model in build order, stack or graph: what code needing per-layer facts reads."""

    name: str  # the Keras layer name
    layer: LayerSpec
    inputs: tuple[str, ...]  # names of the inputs or layers it takes
    where: str  # its field: model.layers[1] or model.graph.nodes[2]


def snake_case(name: str) -> str:
    """Keras's default layer name for a class: Conv2D → conv2d, BatchNormalization → batch_normalization."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_names(layers: Sequence[LayerSpec]) -> list[str]:
    """A layer's own name from the spec, else the one a fresh Keras session would give: dense, dense_1, …
    (skipping the names the spec gives)."""
    given = {spec.name for spec in layers if spec.name}
    seen: Counter[str] = Counter()
    names = []
    for spec in layers:
        if spec.name:
            names.append(spec.name)
            continue
        base = snake_case(spec.type)
        while (name := base if seen[base] == 0 else f"{base}_{seen[base]}") in given:
            seen[base] += 1
        names.append(name)
        seen[base] += 1
    return names
