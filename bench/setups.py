"""The setups the benchmark measures (issue: fast engine), as run specs."""

from typing import Any

from app.engine.warm import playground_default

ALL_FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]


def dense(units: int, activation: str = "tanh") -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation}


def default(epochs: int = 1_000_000, **extra: Any) -> dict[str, Any]:
    """TensorFlow Playground's default: circle, 500 points, half for training, 2 → 4 → 2 → 1."""
    spec = playground_default(epochs)
    spec["dataset"]["seed"] = 1
    spec["stream"] = {"grid_size": 100, "neuron_grid_size": 20, "max_fps": 30}  # as the page asks
    return {**spec, **extra}


def largest(epochs: int = 1_000_000, batch_size: int = 10, **extra: Any) -> dict[str, Any]:
    """Its largest: spiral, all 7 features, 6 hidden layers of 8 tanh units."""
    spec = default(epochs, **extra)
    spec["dataset"] = {"name": "spiral", "n_samples": 500, "train_ratio": 0.5, "seed": 1, "features": ALL_FEATURES}
    spec["model"] = {"layers": [dense(8) for _ in range(6)] + [dense(1, "sigmoid")]}
    spec["fit"]["batch_size"] = batch_size
    return spec


ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear"]


def new_network(epochs: int = 1_000_000, **extra: Any) -> dict[str, Any]:
    """A network nobody has trained yet, as a lesson adds one: 2 → 6 → 3 → 1, relu."""
    spec = default(epochs, **extra)
    spec["model"] = {"layers": [dense(6, "relu"), dense(3, "relu"), dense(1, "sigmoid")]}
    return spec


def envelope(seed: int, epochs: int = 1_000_000) -> dict[str, Any]:
    """A random network inside TensorFlow Playground's envelope: 1–6 hidden layers of 1–8 units,
    an activation per layer, any non-empty subset of the 7 features."""
    import random

    rng = random.Random(seed)
    spec = default(epochs)
    depth = rng.randint(1, 6)
    layers = [dense(rng.randint(1, 8), rng.choice(ACTIVATIONS)) for _ in range(depth)]
    spec["model"] = {"layers": [*layers, dense(1, "sigmoid")]}
    spec["dataset"]["features"] = sorted(rng.sample(ALL_FEATURES, rng.randint(1, 7)), key=ALL_FEATURES.index)
    return spec


def as_graph(spec: dict[str, Any]) -> dict[str, Any]:
    """The same network as a graph (functional API): a chain of named nodes from one input."""
    layers = spec["model"]["layers"]
    names = [f"n{i}" for i in range(len(layers))]
    nodes = [
        {"name": name, "layer": layer, "inputs": [before]}
        for name, layer, before in zip(names, layers, ["x", *names[:-1]], strict=True)
    ]
    return {**spec, "model": {"graph": {"inputs": [{"name": "x"}], "nodes": nodes, "outputs": [names[-1]]}}}


def residual(epochs: int = 1_000_000, **extra: Any) -> dict[str, Any]:
    """A residual block inside TensorFlow Playground's size: 2 → 8 → 8, the two added, → 1."""
    spec = default(epochs, **extra)
    nodes = [
        {"name": "h1", "layer": dense(8), "inputs": ["x"]},
        {"name": "h2", "layer": dense(8), "inputs": ["h1"]},
        {"name": "skip", "layer": {"type": "Add"}, "inputs": ["h1", "h2"]},
        {"name": "out", "layer": dense(1, "sigmoid"), "inputs": ["skip"]},
    ]
    spec["model"] = {"graph": {"inputs": [{"name": "x"}], "nodes": nodes, "outputs": ["out"]}}
    return spec


def residual_envelope(seed: int, epochs: int = 1_000_000) -> dict[str, Any]:
    """A random graph inside TensorFlow Playground's envelope, as a residual lesson's students make
    them: a Dense layer, then one or two blocks whose output is merged with their input (Add,
    Average or Subtract), 1–8 units, an activation per layer, any non-empty subset of the features."""
    import random

    rng = random.Random(seed)
    spec = default(epochs)
    units = rng.randint(1, 8)
    nodes = [{"name": "h0", "layer": dense(units, rng.choice(ACTIVATIONS)), "inputs": ["x"]}]
    last = "h0"
    for block in range(rng.randint(1, 2)):
        inner = [f"b{block}a", f"b{block}b"][: rng.randint(1, 2)]
        before = last
        for name in inner:
            nodes.append({"name": name, "layer": dense(units, rng.choice(ACTIVATIONS)), "inputs": [before]})
            before = name
        merge = rng.choice(["Add", "Average", "Subtract"])
        nodes.append({"name": f"m{block}", "layer": {"type": merge}, "inputs": [before, last]})
        last = f"m{block}"
    nodes.append({"name": "out", "layer": dense(1, "sigmoid"), "inputs": [last]})
    spec["model"] = {"graph": {"inputs": [{"name": "x"}], "nodes": nodes, "outputs": ["out"]}}
    spec["dataset"]["features"] = sorted(rng.sample(ALL_FEATURES, rng.randint(1, 7)), key=ALL_FEATURES.index)
    return spec
