"""Errors that carry the field at fault and a code from one closed set, and how they become 4xx answers.

Every error and warning the API returns is `{"field", "code", "params", "message"}`: `code` is a
key of `CODES` (served by `GET /api/errors`), `params` fills the `{names}` of its English template
and `message` is that template filled in, so a client can say it in its own language by code.
"""

import math
from typing import Any

from pydantic_core import PydanticCustomError

# code → English template; every `{name}` is a key of the error's params. Closed: a new error
# gets a code here (tests check every raise site's code is listed and that its params fill it).
CODES: dict[str, str] = {
    # --- request validation (pydantic's error types, variants folded together) ---
    "invalid": "is not valid ({reason})",
    "missing": "is required",
    "extra_forbidden": "is not a field here (check the spelling)",
    "greater_than_equal": "must be at least {ge} (got {input})",
    "greater_than": "must be more than {gt} (got {input})",
    "less_than_equal": "must be at most {le} (got {input})",
    "less_than": "must be less than {lt} (got {input})",
    "int_type": "must be a whole number (got {input})",
    "float_type": "must be a number (got {input})",
    "finite_number": "must be a finite number (got {input})",
    "bool_type": "must be true or false (got {input})",
    "string_type": "must be text (got {input})",
    "string_too_short": "needs at least {min_length} character(s)",
    "string_too_long": "takes at most {max_length} character(s)",
    "string_pattern_mismatch": "must match the pattern {pattern} (got {input})",
    "string_unicode": "must be valid Unicode text",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "takes at most {max_length} item(s)",
    "json_invalid": "the request body is not valid JSON ({error})",
    "model_type": "must be a JSON object",
    "list_type": "must be a list",
    "literal_error": "'{input}' is not a known choice; choose one of: {expected}",
    "union_tag_invalid": "unknown {kind} '{tag}'; choose one of: {expected_tags}",
    "union_tag_not_found": "needs a 'type' field naming the {kind}",
    # --- limits ---
    "limit_exceeded": "{value} is more than the limit of {limit}",
    "too_many_layers": "{count} layers is more than the limit of {limit}",
    "too_many_params": "the model has {params} parameters, more than the limit of {limit}",
    "too_many_values": "the model would hold {count} values, more than the limit of {limit}",
    "file_too_large": "the file is larger than the limit of {limit} bytes",
    "too_many_rows": "{count} rows is more than the limit of {limit}",
    "too_many_columns": "{count} columns is more than the limit of {limit}",
    "too_many_runs": "you already have {limit} runs training, queued or paused, the most allowed at once: "
    "stop or delete one first",
    "queue_full": "the server's queue is full ({limit} runs wait already): try again shortly",
    "rate_limited": "too many failed attempts from your computer: wait {seconds} seconds and try again",
    # --- models and layers ---
    "needs_image_input": "{layer} needs image-shaped input (height, width, channels), but its input has shape "
    "{shape}; use an image data set, or Reshape first",
    "bad_input_shape": "{layer} cannot take input of shape {shape}: {reason}",
    "empty_output": "{layer} leaves nothing: its output shape is {shape}",
    "window_too_large": "{value} is larger than the input it slides over ({size}): at most {size}",
    "reshape_size": "{target} holds {target_size} values, but the input {shape} holds {size}",
    "input_shape_sizes": "every size must be at least 1 (got {shape})",
    "input_shape_required": "is required when no dataset is given, for example [2]",
    "model_not_built": "this model could not be built",
    "validation_split_empty": "with {n} training rows, a validation split of {value} leaves no rows to train on "
    "or none to validate with (Keras refuses it too): choose a split between 1/{n} and 1 − 1/{n}",
    "model_crashed": "building or training this model crashed TensorFlow (exit code {exit_code}); "
    "the server is unaffected: change the model",
    "model_build_slow": "this model took more than {limit} s to build and train one epoch: make it smaller",
    "model_build_memory": "this model needed more than {limit} MiB to build and train one epoch: make it smaller",
    "weights_mismatch": "the weights do not fit the model: {reason}",
    "schedule_values": "needs one value more than boundaries: {boundaries} boundaries, so {expected} values "
    "(got {count})",
    "boundaries_order": "must go up: {value} at position {index} is not more than the boundary before it",
    # --- graph models (functional API) ---
    "model_form": "give either layers (a stack) or graph (a graph model): one of the two",
    "graph_duplicate_name": "the name '{name}' is used twice: every input and node needs its own name",
    "node_layer_name": "a node's layer takes the node's name: leave out layer.name or make it '{name}'",
    "graph_unknown_input": "node '{node}' takes '{input}', which is neither an input nor a node (a dangling edge)",
    "graph_unknown_output": "'{output}' is not a node of the graph",
    "graph_cycle": "node '{node}' takes '{input}', which closes a cycle ({cycle}): a graph must not loop back",
    "graph_dangling_node": "node '{node}' is used by no other node and is not the output (a dangling node)",
    "graph_unused_input": "input '{input}' is used by no node",
    "merge_needs_inputs": "{layer} joins inputs, but node '{node}' gives it {count}: it needs at least {least}",
    "merge_too_many_inputs": "{layer} takes at most {most} inputs, but node '{node}' gives it {count}",
    "one_input_only": "{layer} takes one input, but node '{node}' gives it {count}: join them first with a merge "
    "layer such as Add or Concatenate",
    "merge_in_stack": "{layer} joins several inputs, so it has no place in a stack: build a graph model",
    "merge_shapes": "{layer} node '{node}' cannot join {shapes}: its inputs need {rule}",
    "graph_input_features": "with several inputs each input names the features it takes, for example [\"hours\"]",
    "feature_twice": "feature '{name}' goes to inputs '{first}' and '{second}': each feature goes to one input",
    "feature_unused": "feature '{name}' goes to no input: give each of the data's features to one input",
    "graph_columns": "inputs that take features need one row of features per sample, but the data's inputs "
    "have shape {shape}",
    "graph_feature_count": "the inputs take {count} features, but the input shape is {shape}",
    "graph_refused": "{what} cannot take a graph model: {reason}",
    # --- loss, output and labels ---
    "output_not_vector": "the model's output has shape ({shape}) but must be one vector per sample: end with "
    "Flatten (or GlobalAveragePooling2D) and a Dense layer for '{dataset}'",
    "loss_needs_classes": "{loss} is for class labels, but '{dataset}' is a regression data set with numeric "
    "targets: choose a regression loss such as mean_squared_error",
    "output_one_value": "the model ends with {units} outputs, but '{dataset}' has one target value: end with Dense(1)",
    "output_per_target": "the model ends with {units} outputs, but '{dataset}' has {outputs} targets per row "
    "({targets}): end with Dense({outputs})",
    "output_per_class": "{loss} needs one output unit per class: {classes} for '{dataset}', but the last layer "
    "gives {units}",
    "output_per_class_or_binary": "{loss} needs one output unit per class: {classes} for '{dataset}', but the last "
    "layer gives {units} (or use binary_crossentropy with one sigmoid unit)",
    "output_two_classes": "{loss} on '{dataset}' needs 1 output unit (two classes), but the last layer gives {units}",
    "output_one_per_class": "{loss} on '{dataset}' needs {classes} output units (one per class), but the last layer "
    "gives {units}; for several classes use sparse_categorical_crossentropy with softmax",
    "metric_needs_classes": "{metric} needs class labels; '{dataset}' is a regression set: use mae or mse",
    "metric_needs_binary": "{metric} works for two classes with one output unit",
    "metric_needs_regression": "{metric} is for regression; '{dataset}' is a classification set",
    "warn_probabilities": "{loss} expects probabilities between 0 and 1, but the last layer's activation is "
    "{activation}: use {suggested} on the output layer",
    "warn_negative_targets": "{loss} expects targets that are not negative, but '{dataset}' has negative targets",
    # --- data sets ---
    "unknown_dataset": "unknown data set '{name}'; available: {available}",
    "unknown_feature": "unknown feature '{name}'; choose from: {available}",
    "dataset_shape": "the model takes inputs of shape {shape}, '{name}' gives {dataset_shape}",
    "dataset_for_shape": "name a data set whose inputs have shape {shape}",
    "no_training_rows": "{ratio} of {rows} samples leaves no training sample: use a larger share",
    "fixed_features": "'{name}' has fixed features, not a choice of plane features",
    "fixed_samples": "'{name}' has a fixed number of samples",
    "fixed_points": "'{name}' has a fixed set of points",
    "fixed_noise": "'{name}' has fixed points: noise cannot be added",
    "rows_missing": "the rows of '{name}' are missing",
    "too_few_rows": "'{dataset}' has too few rows ({rows}) to keep some hidden",
    "upload_missing": "send either a CSV file or pasted CSV text",
    "not_text": "the file is not text in UTF-8 (or the Korean CP949 that Excel writes): save it as CSV UTF-8",
    "file_empty": "the file is empty",
    "no_data_rows": "the file has a header row but no data rows",
    "bad_header": "every column needs a name, and names must differ (check the header row)",
    "unknown_column": "there is no column named '{name}'; the columns are: {available}",
    "no_feature_columns": "besides the label the file needs at least one feature column",
    "ragged_row": "row {row} has {count} cells but the header has {expected}",
    "not_a_number": "row {row}, column '{column}': {value} is not a number",
    "cell_too_long": "a cell is longer than {limit} characters: is this really a CSV table?",
    "bad_csv": "the file cannot be read as CSV ({reason})",
    "empty_labels": "the label column '{name}' has empty cells",
    "labels_not_numeric": "regression needs numeric labels, but '{name}' has {value}",
    "one_class": "classification needs at least two classes; '{name}' has one",
    "too_many_classes": "'{name}' has {count} classes, more than {limit}: is it a regression target?",
    "not_yours": "'{name}' is another session's data set: use your own or a built-in one",
    # --- predictions and evaluation ---
    "inputs_or_points": "give either inputs (rows of model inputs) or points (rows of x1, x2)",
    "needs_rows": "needs at least one row",
    "row_width": "has {count} values but the model needs {expected}",
    "not_finite": "every value must be a finite number",
    "not_a_plane": "'{dataset}' is not a 2-D plane data set: send inputs instead",
    "points_never_scaled": "points are plane coordinates, never scaled: send scaled rows as inputs",
    "no_test_split": "this run has no test split to evaluate on",
    "no_feature_maps": "this run's model on '{dataset}' has no layer whose output is a picture: feature maps need "
    "image data (such as digits) and a Conv2D or pooling layer",
    # --- runs and controls ---
    "not_found": "there is no {kind} with id '{id}'",
    "run_ended": "cannot {action}: the run has already ended ({status})",
    "run_not_ended": "only a run that is done or stopped can train further (this one is {status})",
    "no_epochs_left": "cannot step: the run has trained all its epochs",
    "rate_follows_schedule": "this run's learning rate follows a schedule, so it cannot be set by hand",
    "model_unavailable": "this run's model is not available",
    "model_busy": "this run's model was busy training for {seconds} s; ask again in a moment",
    "cannot_reopen": "this run cannot be reopened: {reason}",
    "learning_rate_required": "is required with action 'set'",
    # --- imports (.keras files) ---
    "not_keras_file": "this is not a .keras file (a .keras file is a zip archive made by model.save)",
    "file_damaged": "the .keras file is incomplete or damaged ({reason})",
    "code_refused": "the model contains {name}: Lambda layers and custom objects run code, so they are refused",
    "foreign_module": "the model uses {name} from '{module}', which is not part of Keras: refused",
    "model_class": "a {name} model cannot be imported: save a Sequential or a functional model",
    "one_input": "the model must have exactly one input",
    "several_inputs": "layer {index} ({layer}) has several inputs: only a plain stack of layers can be imported",
    "layer_not_offered": "layer {index} is a {layer}, which the playground does not offer: {available}",
    "activation_not_offered": "layer {index} ({layer}) uses the activation {value}, which is not offered",
    "import_layer_invalid": "layer {index}: {reason}",
    "import_config": "config.json {reason}",
    "keras_load_failed": "Keras could not load this file: {reason}",
    # --- classroom ---
    "class_datasets": "your class uses only these data sets: {allowed}",
    "class_layers": "your class uses only these layers: {allowed}",
    "class_limit": "{value} is more than your class's limit of {limit}",
    "unknown_join_code": "no class has the join code '{code}': check it with your teacher",
    "name_taken": "someone in this class already uses the name '{name}': add an initial",
    "wrong_teacher_key": "this is not the teacher key (it is printed when the server starts)",
    "teacher_only": "only the teacher can do this: unlock the teacher view with the teacher key first",
    "challenge_data": "a challenge takes a built-in data set or one of your own uploads",
    "preset_exists": "a preset with id '{id}' exists already",
    # --- baseline (scikit-learn) ---
    "baseline_needs_flatten": "a Dense layer on images needs a Flatten before it to compare",
    "baseline_layer": "scikit-learn's MLP has only Dense layers, so a model with {layer} cannot be compared",
    "baseline_no_dense": "the model has no Dense layer to compare with scikit-learn's MLP",
    "baseline_diverged": "scikit-learn's training diverged: {reason}",
    # --- addresses ---
    "no_such_path": "there is nothing at {path}",
    "method_not_allowed": "this address does not take {method} requests",
    # --- numbers that JSON cannot carry ---
    "not_a_number_result": "{count} value(s) are not finite numbers (the training diverged), sent as null: {fields}",
}

# Pydantic error types folded into one code of CODES.
PYDANTIC_CODES: dict[str, str] = {
    "int_parsing": "int_type",
    "int_from_float": "int_type",
    "int_parsing_size": "int_type",
    "float_parsing": "float_type",
    "bool_parsing": "bool_type",
    "model_attributes_type": "model_type",
    "dict_type": "model_type",
    "is_instance_of": "model_type",
    "string_sub_type": "string_type",
    "value_error": "invalid",
    "assertion_error": "invalid",
}


def render(code: str, params: dict[str, Any]) -> str:
    """The code's English template filled with params (a name params lack stays as `{name}`)."""
    template = CODES.get(code, CODES["invalid"])

    class _Keep(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(params))


def safe_text(text: str, limit: int = 300) -> str:
    """Text that can always be written as UTF-8 JSON: lone surrogates escaped, long text cut."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_safe(value: Any, depth: int = 0) -> Any:
    """A parameter as JSON can carry it: finite numbers, short text, small lists and objects."""
    if value is None or isinstance(value, bool | int):
        return value if not isinstance(value, int) or abs(value) < 2**63 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list | tuple) and depth < 2 and len(value) <= 20:
        return [json_safe(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 2 and len(value) <= 20:
        return {safe_text(str(k), 60): json_safe(v, depth + 1) for k, v in value.items()}
    return safe_text(repr(value), 120)


def invalid(code: str, **params: Any) -> PydanticCustomError:
    """A validator's error with a code of CODES: raise it inside a pydantic validator."""
    return PydanticCustomError(code, CODES[code], params)


class SpecError(ValueError):
    """A request that cannot be met; `field` is a dotted path such as `model.layers[1].units`.

    `SpecError(field, code="limit_exceeded", params={"value": 9, "limit": 8})` renders its message
    from the code's template; an explicit message (the old positional form) is kept as given.
    """

    status_code = 422

    def __init__(
        self, field: str, message: str | None = None, *, code: str = "invalid", params: dict[str, Any] | None = None
    ) -> None:
        self.field = field
        self.code = code
        self.params = {k: json_safe(v) for k, v in (params or {}).items()}
        if message is None:
            message = render(code, self.params)
        elif code == "invalid" and "reason" not in self.params:
            self.params["reason"] = safe_text(message)
        self.message = message
        super().__init__(message)

    def detail(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def item(self) -> dict[str, Any]:
        """This error as the API writes it."""
        return issue(self.field, self.code, self.params, self.message)


def issue(field: str, code: str, params: dict[str, Any], message: str | None = None) -> dict[str, Any]:
    """One error or warning as the API writes it: `{field, code, params, message}`."""
    safe = {k: json_safe(v) for k, v in params.items()}
    return {
        "field": safe_text(field),
        "code": code,
        "params": safe,
        "message": safe_text(message if message is not None else render(code, safe), 2000),
    }


def as_issue(item: str | dict[str, Any]) -> dict[str, Any]:
    """A stored warning as `{field, code, params, message}` (rows written before codes held plain text)."""
    if isinstance(item, dict):
        return item
    return issue("", "invalid", {"reason": item}, item)


class NotFound(SpecError):
    status_code = 404


class Conflict(SpecError):
    status_code = 409


class TooMany(SpecError):
    status_code = 429


class TooLarge(SpecError):
    status_code = 413


class Forbidden(SpecError):
    status_code = 403


class Unavailable(SpecError):
    status_code = 503
