"""Theory lessons: figures the server computes (with TensorFlow), one endpoint per figure."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.engine.compat import encode_labels
from app.errors import SpecError
from app.schemas.choices import ACTIVATIONS
from app.theory import activations, backprop, cost, gradients, logistic, perceptron, softmax, tensors
from app.theory.lessons import LESSONS

router = APIRouter(prefix="/api/theory", tags=["theory"], route_class=JSONRoute)
TENSOR_SETS = Literal[
    "exam_scores", "exam_scores_two", "hours_attendance", "grades", "study_hours", "x_plus_2", "xor_table", "iris",
    "diabetes_binary", "digits",
]  # fmt: skip


@router.get("")
async def list_lessons() -> list[dict[str, Any]]:
    """The theory lessons, each with its figure's endpoint."""
    return LESSONS


@router.get("/cost")
async def cost_figure(
    dataset: Literal[cost.ONE_FEATURE] = "study_hours",  # type: ignore[valid-type]
    w: Annotated[float, Query(ge=-1000, le=1000)] = 0.0,
    alpha: Annotated[float, Query(gt=0, le=1)] = 0.01,
) -> dict[str, Any]:
    """cost(W) for H(x) = Wx, its derivative at W and one step W ← W − α·∂cost/∂W."""
    return await run_in_threadpool(cost.cost_step, dataset, w, alpha)


@router.get("/tensors")
async def tensors_figure(
    dataset: TENSOR_SETS = "exam_scores",
    outputs: Annotated[int, Query(ge=1, le=4)] = 1,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> dict[str, Any]:
    """Rank, shape and dtype of a data set's x and y; H(X) = XW for rows of features."""
    return await run_in_threadpool(tensors.tensors, dataset, outputs, seed)


@router.get("/logistic")
async def logistic_figure(
    w1: Annotated[float, Query(ge=-50, le=50)] = 1.0,
    w2: Annotated[float, Query(ge=-50, le=50)] = 1.0,
    b: Annotated[float, Query(ge=-50, le=50)] = 0.0,
) -> dict[str, Any]:
    """σ(z), the cost's two −log curves, and σ(w1·x1 + w2·x2 + b) on the plane with its boundary."""
    return await run_in_threadpool(logistic.logistic, w1, w2, b)


@router.get("/softmax")
async def softmax_figure(
    scores: Annotated[str, Query(max_length=200, description="comma-separated, e.g. 2.0,1.0,0.1")] = "2.0,1.0,0.1",
    label: Annotated[int, Query(ge=0, le=9)] = 0,
) -> dict[str, Any]:
    """Scores → softmax probabilities, the label one-hot, cross-entropy term by term."""
    try:
        values = [float(v) for v in scores.split(",") if v.strip()]
    except ValueError as exc:
        raise SpecError("scores", "must be numbers separated by commas, e.g. 2.0,1.0,0.1") from exc
    if not 2 <= len(values) <= 10 or any(abs(v) > 100 for v in values):
        raise SpecError("scores", "needs 2 to 10 scores, each between -100 and 100")
    if label >= len(values):
        raise SpecError("label", f"must name one of the {len(values)} classes (0 to {len(values) - 1})")
    return await run_in_threadpool(softmax.softmax, values, label)


@router.get("/activations")
async def activations_figure(
    names: Annotated[str | None, Query(max_length=300, description="comma-separated activation names")] = None,
    depth: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    """Each activation and its derivative over [−6, 6]; what a gradient keeps through `depth` layers."""
    chosen = [n.strip() for n in names.split(",") if n.strip()] if names else None
    for name in chosen or []:
        if name not in ACTIVATIONS or name in ("softmax", "log_softmax"):
            raise SpecError("names", f"'{name}' is not an activation of one value; choose from the catalog's")
    return await run_in_threadpool(activations.activations, chosen, depth)


@router.get("/gradients/{run_id}")
async def gradients_figure(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Each layer's mean |∂loss/∂w| at the run's current weights on its training rows (tf.GradientTape)."""
    run = runs.get(client, run_id)

    def compute() -> dict[str, Any]:
        exp = run.experiment
        data = exp.fit_data  # the rows it trains on
        y = encode_labels(data.y_train, exp.plan.encoding, data.info.n_classes)
        epoch = run.epoch
        state = run.live_state()  # while it trains, its weights now (the page asks about once a second)
        program = runs.programs.acquire_blocking(exp.pool)
        try:
            program.load(state)
            figure = gradients.layer_gradients(program.model, data.x_train, y, program.split)
            return {"run": run.id, "epoch": epoch, **figure}
        finally:
            runs.programs.release(exp.pool, program)

    return await run_in_threadpool(compute)


@router.get("/backprop")
async def backprop_figure(
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    step: Annotated[int, Query(ge=0, le=5000)] = 0,
    learning_rate: Annotated[float, Query(gt=0, le=100)] = 1.0,
) -> dict[str, Any]:
    """XOR through 2 → 2 → 1 sigmoid units after `step` updates: forward, chain rule, gradients, update."""
    return await run_in_threadpool(backprop.backprop, seed, step, learning_rate)


@router.get("/perceptron")
async def perceptron_figure(
    gate: Literal["AND", "OR", "XOR"] = "AND",
    epochs: Annotated[int, Query(ge=1, le=100)] = 10,
    learning_rate: Annotated[float, Query(gt=0, le=10)] = 0.1,
) -> dict[str, Any]:
    """A step-activation perceptron trained by the perceptron rule on a truth table."""
    return await run_in_threadpool(perceptron.perceptron, gate, epochs, learning_rate)
