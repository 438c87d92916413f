"""code.py: a readable, standalone script that rebuilds and retrains a run with plain Keras.

It carries the data (the generator's own code with the run's seed, or the values of a small
table), the model layer by layer (Sequential or functional), compile, fit with the same
epochs and batch size, evaluate, predict and summary, in the style the course uses.
"""

import builtins
import inspect
import keyword
import textwrap
from typing import Any, Literal

import numpy as np

from app.datasets import synthetic
from app.datasets.real import real_sets
from app.datasets.registry import DATASETS, PLANE_POINTS, UPLOADS, DatasetInfo
from app.datasets.tables import TABLES
from app.engine.builder import graph_inputs, layer_names
from app.schemas.layers import LayerSpec
from app.schemas.optimizers import OptimizerSpec, ScheduleSpec
from app.schemas.runs import RunCreate

Style = Literal["sequential", "functional"]

# The argument Keras takes first, written without its name as the course does.
POSITIONAL = {"units", "filters", "rate", "stddev", "target_shape", "activation", "pool_size"}
FEATURE_CODE = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1 * x1",
    "x2^2": "x2 * x2",
    "x1*x2": "x1 * x2",
    "sin(x1)": "np.sin(x1)",
    "sin(x2)": "np.sin(x2)",
}


# The engine's initial weights (app/engine/program.py, Program.initial_state), written out for the script.
INITIAL_WEIGHTS = '''
def playground_initial_weights(model, seed):
    """Each weight from its layer's own initializer, seeded from the run's seed as the playground does."""
    for index, variable in enumerate(model.variables):
        derived = int(np.random.SeedSequence([seed, index]).generate_state(1)[0] % (2**31 - 1))
        if variable.path.endswith("seed_generator_state"):  # Dropout's and GaussianNoise's randomness
            variable.assign(np.array([derived, 0], dtype=variable.dtype))
            continue
        owner = next((layer for layer in model.layers if any(w is variable for w in layer.weights)), None)
        initializer = getattr(owner, f"{variable.name}_initializer", None)
        if initializer is None:
            continue
        config = keras.initializers.serialize(initializer)
        if "seed" in config.get("config", {}):
            config["config"]["seed"] = derived
        variable.assign(keras.initializers.deserialize(config)(tuple(variable.shape), dtype=variable.dtype))
'''


def _value(value: Any) -> str:
    if isinstance(value, dict) and "type" in value:  # a regularizer
        args = ", ".join(f"{k}={_value(v)}" for k, v in value.items() if k != "type")
        return f"keras.regularizers.{value['type']}({args})"
    if isinstance(value, list):
        return "(" + ", ".join(_value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _layer(spec: LayerSpec, name: str) -> str:
    config = spec.model_dump(exclude={"type"}, exclude_defaults=True)
    if spec.type == "Dense" or spec.type == "Conv2D":  # what Keras requires, even at the spec's default
        required = ("units", "filters", "kernel_size")
        config = {**{k: getattr(spec, k) for k in required if hasattr(spec, k)}, **config}
    if spec.type == "Dropout":
        config = {"rate": spec.rate, **config}
    if spec.type == "Reshape":
        config = {"target_shape": spec.target_shape}
    args = []
    first = next((k for k in config if k in POSITIONAL), None)
    if first is not None:
        args.append(_value(config.pop(first)))
    args += [f"{k}={_value(v)}" for k, v in config.items()]
    args.append(f"name={name!r}")
    return f"keras.layers.{spec.type}({', '.join(args)})"


def _optimizer(spec: OptimizerSpec) -> str:
    config = spec.model_dump(exclude={"type", "learning_rate"}, exclude_defaults=True)
    lr = spec.learning_rate
    if isinstance(lr, ScheduleSpec):
        schedule = ", ".join(f"{k}={_value(v)}" for k, v in lr.model_dump(exclude={"type"}).items())
        rate = f"keras.optimizers.schedules.{lr.type}({schedule})"
    else:
        rate = repr(lr)
    args = ", ".join([f"learning_rate={rate}", *(f"{k}={_value(v)}" for k, v in config.items())])
    return f"keras.optimizers.{spec.type}({args})"


def _loss(spec: RunCreate) -> str:
    loss = spec.compile.loss
    if isinstance(loss, str):
        return repr(loss)
    options = ", ".join(f"{k}={v!r}" for k, v in loss.options().items())
    return f"keras.losses.{loss.type}({options})"


def _generator_source(name: str) -> tuple[str, str]:
    """The generator's source (with what it uses) and the expression that calls it."""
    gen = DATASETS[name].generator
    assert gen is not None
    closure = inspect.getclosurevars(gen).nonlocals
    if closure:  # a factory such as blobs(k): show the factory, call it with its argument
        factory = getattr(synthetic, gen.__qualname__.split(".")[0])
        source, call = inspect.getsource(factory), f"{factory.__name__}({', '.join(map(repr, closure.values()))})"
    else:
        source, call = inspect.getsource(gen), gen.__name__
    helpers = []
    for helper in ("_spiral_arm", "_GAUSSIANS"):
        if helper in source:
            obj = getattr(synthetic, helper)
            helpers.append(inspect.getsource(obj) if callable(obj) else f"{helper} = np.array({obj.tolist()})\n")
    # Annotations name this module's types; the script does not need them.
    source = source.replace(" -> Generator", "")
    return "\n\n".join([*helpers, source]).strip() + "\n", call


def _array(values: np.ndarray, dtype: str) -> str:
    return f"np.array({values.tolist()}, dtype={dtype!r})"


def _rows_code(name: str, info: DatasetInfo) -> tuple[list[str], str | None]:
    """Lines that set `x` and `y` to a fixed set's rows (before any split), and the split the
    playground uses for them: "sklearn" (train_test_split), or None for "the rows as they are"."""
    y_dtype = "float32" if info.task == "regression" else "int64"
    if name in UPLOADS:
        x, y = UPLOADS[name]
        return [
            f"# The uploaded data set: {len(x)} rows of {', '.join(info.feature_names)} → the label.",
            f"x = {_array(x, 'float32')}",
            f"y = {_array(y, y_dtype)}",
        ], "sklearn"
    if info.kind == "table":
        table = TABLES[name]
        k = len(table.target_names)
        targets = (
            [f"# y has a column per target ({', '.join(table.target_names)}): the model ends with Dense({k}),",
             f"# H(X) = XW with W of shape [{table.x.shape[1]}, {k}]."]
            if k
            else []
        )  # fmt: skip
        return [
            f"# The '{name}' data set: {info.description}.",
            f"x = {_array(table.x, 'float32')}",
            f"y = {_array(table.y, y_dtype)}",
            *targets,
        ], "sklearn"
    real = real_sets()[name]
    loader = "digits" if name == "digits" else name.removesuffix("_binary")
    lines = [
        f"# The '{name}' data set ({info.description}), as scikit-learn ships it (no download).",
        f"from sklearn.datasets import load_{loader}",
        "",
        f"bunch = load_{loader}()",
        "x = bunch.data.astype('float32')",
    ]
    if name == "diabetes_binary":
        lines.append("y = (bunch.target >= 140).astype('int64')  # the course's threshold: 1 when progression ≥ 140")
    else:
        lines.append(f"y = bunch.target.astype({y_dtype!r})")
    if real.shape:
        lines.append(f"x = x.reshape(len(x), {', '.join(map(str, real.shape))})  # one picture per sample")
    return lines, "sklearn"


def _split_code(info: DatasetInfo, ref_ratio: float, seed: int, test_is_train: bool) -> list[str]:
    fixed = real_sets()[info.name].fixed_split if info.kind == "real" else None
    if fixed is not None:
        test_size, state = fixed
        return [
            "from sklearn.model_selection import train_test_split",
            "",
            f"x_train, x_test, y_train, y_test = train_test_split(x, y, test_size={test_size!r}, random_state={state})",
        ]
    if ref_ratio >= 1:
        if test_is_train:
            return ["x_train, y_train = x, y", "x_test, y_test = x, y  # the course tests on the training rows"]
        return ["x_train, y_train = x, y", "x_test, y_test = x[:0], y[:0]  # every row trains: no test split"]
    return [
        "from sklearn.model_selection import train_test_split",
        "",
        f"x_train, x_test, y_train, y_test = train_test_split(x, y, train_size={ref_ratio!r}, random_state={seed})",
    ]


def _scaling_code(how: str) -> list[str]:
    if how == "none":
        return []
    scaler = "MinMaxScaler" if how == "minmax" else "StandardScaler"
    return [
        "",
        f"# {'Min-max' if how == 'minmax' else 'Standard'} scaling, fitted on the training split only.",
        f"from sklearn.preprocessing import {scaler}",
        "",
        f"scaler = {scaler}().fit(x_train.reshape(len(x_train), -1))",
        "x_train = scaler.transform(x_train.reshape(len(x_train), -1)).astype('float32').reshape(x_train.shape)",
        "if len(x_test):",
        "    x_test = scaler.transform(x_test.reshape(len(x_test), -1)).astype('float32').reshape(x_test.shape)",
    ]


def _plane_code(spec: RunCreate, info: DatasetInfo, seed: int, ratio: float) -> list[str]:
    ref = spec.dataset
    features = list(ref.features or ("x1", "x2"))
    columns = ", ".join(FEATURE_CODE[f] for f in features)
    featuring = [
        "def features(points):",
        f'    """Input features: {", ".join(features)}."""',
        "    x1, x2 = points[:, 0], points[:, 1]",
        f"    return np.stack([{columns}], axis=1).astype('float32')",
        "",
        "",
        f"rng = np.random.default_rng({seed})",
    ]
    if info.generator is None:  # fixed points (a challenge's visible rows)
        points, labels = PLANE_POINTS[ref.name]
        n = len(points)
        y_dtype = "float32" if info.task == "regression" else "int64"
        head = [
            f"# The data set's {n} fixed points in [-6, 6]² and their labels, {ratio:.0%} for training.",
            f"points = {_array(points, 'float32')}",
            f"labels = {_array(labels, y_dtype)}",
            "",
            *featuring,
        ]
    else:
        source, call = _generator_source(ref.name)
        n = ref.n_samples or info.default_samples
        head = [
            f"# The '{ref.name}' data set ({info.description}), generated as the playground does:",
            f"# {n} points in [-6, 6]², noise {ref.noise} %, seed {seed}, {ratio:.0%} for training.",
            source,
            "",
            *featuring,
            f"points, labels = {call}({n}, {ref.noise / 100!r}, rng)",
        ]
    return [
        *head,
        f"order = rng.permutation({n})",
        "points, labels = points[order], labels[order]",
        f"cut = int({n} * {ratio!r})",
        "x_train, y_train = features(points[:cut]), labels[:cut]",
        "x_test, y_test = features(points[cut:]), labels[cut:]",
        *_scaling_code(ref.scaling),
    ]


def _data_code(spec: RunCreate) -> str:
    ref = spec.dataset
    info = DATASETS[ref.name]
    seed = spec.seed if ref.seed is None else ref.seed
    ratio = info.default_train_ratio if ref.train_ratio is None else ref.train_ratio
    if info.kind == "plane":
        return "\n".join(_plane_code(spec, info, seed, ratio))
    lines, _ = _rows_code(ref.name, info)
    if ref.features and list(ref.features) != list(info.feature_names):
        columns = [info.feature_names.index(f) for f in ref.features]
        lines.append(f"x = x[:, {columns}]  # the features {', '.join(ref.features)}")
    test_is_train = info.kind == "table" and ref.name not in UPLOADS and TABLES[ref.name].test_is_train
    lines += _split_code(info, ratio, seed, test_is_train)
    lines += _scaling_code(ref.scaling)
    return "\n".join(lines)


def has_test(spec: RunCreate) -> bool:
    """Whether the run has a test split (the script then validates and evaluates on it)."""
    info = DATASETS[spec.dataset.name]
    ratio = info.default_train_ratio if spec.dataset.train_ratio is None else spec.dataset.train_ratio
    if info.kind == "real" and real_sets()[info.name].fixed_split is not None:
        return True
    if info.kind == "table" and info.name not in UPLOADS and TABLES[info.name].test_is_train:
        return True
    return ratio < 1


def _labels_code(encoding: str, n_classes: int) -> str:
    if encoding == "onehot":
        return (
            "# The loss wants one-hot rows: one column per class.\n"
            f"y_train = keras.utils.to_categorical(y_train, {n_classes})\n"
            f"y_test = keras.utils.to_categorical(y_test, {n_classes})"
        )
    if encoding == "sparse":
        return (
            "# Integer class labels, as sparse categorical cross-entropy wants them.\n"
            "y_train, y_test = y_train.astype('int32'), y_test.astype('int32')"
        )
    return "y_train, y_test = y_train.astype('float32'), y_test.astype('float32')"


def sections(
    spec: RunCreate, encoding: str, epochs: int, style: Style = "sequential", title: str = ""
) -> list[tuple[str, str]]:
    """The script in parts, each (what it does, its code): code.py joins them, the notebook makes cells of them."""
    names = layer_names(spec.model.all_layers)
    layers = [_layer(layer, name) for layer, name in zip(spec.model.all_layers, names, strict=True)]
    info = DATASETS[spec.dataset.name]
    n_inputs = len(spec.dataset.features or info.feature_names)
    split = ""
    if spec.model.is_graph:
        body, split = _graph_code(spec, list(spec.dataset.features or info.feature_names))
    elif style == "sequential":
        body = "model = keras.Sequential(\n    [\n        keras.Input(shape=x_train.shape[1:]),\n"
        body += "".join(f"        {layer},\n" for layer in layers) + "    ]\n)"
    else:
        lines = ["inputs = keras.Input(shape=x_train.shape[1:])"]
        previous = "inputs"
        for i, layer in enumerate(layers):
            target = "outputs" if i == len(layers) - 1 else "x"
            lines.append(f"{target} = {layer}({previous})")
            previous = target
        lines.append("model = keras.Model(inputs, outputs)")
        body = "\n".join(lines)
    metrics = list(spec.compile.metrics)
    testing = has_test(spec)
    held_out = spec.fit.validation_split
    # The rows as the model takes them: one array, or each input's columns (model_inputs).
    x_train, x_test = ("model_inputs(x_train)", "model_inputs(x_test)") if split else ("x_train", "x_test")
    # Keras's own split when the run holds rows out of training; else the test split validates.
    validation = (
        f", validation_split={held_out!r}" if held_out else f", validation_data=({x_test}, y_test)" if testing else ""
    )
    header = f'''"""{title or "A run from the neural-network playground"}, rebuilt with plain Keras.

Run it with TensorFlow 2 and Keras 3 installed: python playground_run.py
The data, the layers, compile and fit are the run's own, and so are the initial weights (each
layer's own initializer, seeded from the run's seed {spec.seed} as the playground seeds it); the
batches are shuffled by Keras, so the curve is close to the playground's, not identical.
"""'''
    results = 'print("final training loss:", history.history["loss"][-1])'
    if testing:
        results += f'\nprint("test set:", model.evaluate({x_test}, y_test, return_dict=True, verbose=0))'
    first_five = "x_test[:5] if len(x_test) else x_train[:5]"
    results += (
        '\nprint("predictions for the first five samples:")\n'
        f"print(model.predict({f'model_inputs({first_five})' if split else first_five}, verbose=0))"
    )
    return [
        ("header", header),
        ("imports", f"import numpy as np\nimport keras\n\nkeras.utils.set_random_seed({spec.seed})"),
        ("initial weights", INITIAL_WEIGHTS.strip("\n")),
        ("data", _data_code(spec)),
        ("labels", _labels_code(encoding, info.n_classes)),
        (
            "model",
            f"# {n_inputs} input feature(s) per sample.\n{split}{body}\nplayground_initial_weights(model, {spec.seed})",
        ),
        ("summary", "model.summary()"),
        (
            "compile",
            "model.compile(\n"
            f"    optimizer={_optimizer(spec.compile.optimizer)},\n"
            f"    loss={_loss(spec)},\n"
            f"    metrics={metrics!r},\n)",
        ),
        (
            "fit",
            f"history = model.fit(\n    {x_train}, y_train, epochs={epochs}, batch_size={spec.fit.batch_size}"
            f"{validation}, shuffle={spec.fit.shuffle}, verbose=0\n)",
        ),
        ("results", results),
    ]


# Names the script uses after the model is built: a node's variable must not hide them.
_TAKEN = {"np", "keras", "model", "history", "x_train", "x_test", "y_train", "y_test", "model_inputs", "inputs"}
_TAKEN |= {"outputs", "playground_initial_weights"}


def _variable(name: str) -> str:
    """A Python variable for an input's or node's tensor: its name, unless that is taken."""
    if keyword.iskeyword(name) or name in _TAKEN or name in dir(builtins):
        return f"{name}_out"
    return name


def _graph_code(spec: RunCreate, features: list[str]) -> tuple[str, str]:
    """A graph in the functional style: a keras.Input per input, each layer called on its inputs'
    tensors (a list for a merge), keras.Model(inputs, outputs); and, when the inputs split the
    data's columns, the function that splits them (else "")."""
    graph = spec.model.graph
    assert graph is not None
    shapes = (
        graph_inputs(spec.model, (len(features),), features)
        if len(graph.inputs) > 1 or graph.inputs[0].features
        else []
    )
    lines = []
    for i, entry in enumerate(graph.inputs):
        shape = "x_train.shape[1:]" if not shapes else repr(shapes[i][0])
        lines.append(f"{_variable(entry.name)} = keras.Input(shape={shape}, name={entry.name!r})")
    for step in spec.model.steps:
        args = [_variable(name) for name in step.inputs]
        call = f"[{', '.join(args)}]" if step.layer.merge else args[0]
        lines.append(f"{_variable(step.name)} = {_layer(step.layer, step.name)}({call})")
    ins = [_variable(entry.name) for entry in graph.inputs]
    lines.append(
        f"model = keras.Model({ins[0] if len(ins) == 1 else '[' + ', '.join(ins) + ']'}, {_variable(graph.outputs[0])})"
    )
    split = ""
    if shapes:
        parts = ", ".join(f"x[:, {cols!r}]" for _, cols in shapes)
        taken = "; ".join(f"{e.name} ← {', '.join(e.features or [])}" for e in graph.inputs)
        split = (
            f'def model_inputs(x):\n    """Each input\'s columns of the data ({taken})."""\n    return [{parts}]\n\n\n'
        )
    return "\n".join(lines), split


def script(spec: RunCreate, encoding: str, epochs: int, style: Style = "sequential", title: str = "") -> str:
    parts = [code for _, code in sections(spec, encoding, epochs, style, title)]
    return "\n\n".join(textwrap.dedent(p).strip("\n") for p in parts) + "\n"
