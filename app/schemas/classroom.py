"""Request schemas for classes, joining, the teacher key, challenges and teachers' presets."""

from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt

from app.schemas.layers import LAYER_SPECS, layer_type_name
from app.schemas.runs import DatasetRef, RunCreate, Strict

LAYER_TYPES = tuple(layer_type_name(c) for c in LAYER_SPECS)

# Controls of the page a class can hide (the page's `?hide=` keys).
HIDEABLE = (
    "dataset", "noise", "train-share", "batch-size", "regenerate", "data", "features", "palette", "layers", "summary",
    "diagram", "learning-rate", "optimizer", "schedule", "epochs", "loss", "validation-split", "metrics", "test-data",
    "discretize", "chart", "lang", "step", "reset", "export", "code", "lessons", "scaling", "own-data", "paint",
)  # fmt: skip


Language = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
LayerType = Literal[LAYER_TYPES]  # type: ignore[valid-type]
Control = Literal[HIDEABLE]  # type: ignore[valid-type]


class ClassSettings(Strict):
    """What a class's students may choose; left out means no rule."""

    datasets: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, min_length=1, max_length=200, description="the data sets students may use"
    )
    layers: list[LayerType] | None = Field(
        None, min_length=1, max_length=100, description="the layer types students may use"
    )
    # Strict: `true` is not a number of units.
    max_units: StrictInt | None = Field(None, ge=1, le=10**6, description="units or filters per layer, at most")
    max_epochs: StrictInt | None = Field(None, ge=1, le=10**9, description="epochs per run, at most")
    hide: list[Control] = Field(default_factory=list, max_length=100, description="page controls to hide")


class ClassCreate(Strict):
    name: str = Field(..., min_length=1, max_length=100, description="shown to students when they join")
    settings: ClassSettings = Field(default_factory=ClassSettings)


class ClassPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=100)
    settings: ClassSettings | None = None


class JoinRequest(Strict):
    code: str = Field(..., min_length=4, max_length=16, description="the join code the teacher gives")
    name: str = Field(..., min_length=1, max_length=40, description="your display name in the class")


class TeacherLogin(Strict):
    key: str = Field(..., min_length=1, max_length=200)


class ChallengeCreate(Strict):
    title: str = Field(..., min_length=1, max_length=200)
    dataset: DatasetRef
    hidden_ratio: StrictFloat = Field(0.25, ge=0.05, le=0.6, description="share of the rows kept hidden for scoring")
    seed: StrictInt = Field(0, ge=0, le=2**31 - 1, description="which rows are hidden")


class PresetCreate(Strict):
    """A teacher's own one-click lesson."""

    id: str = Field(..., pattern=r"^[a-z0-9_-]{2,60}$")
    topic: StrictInt = Field(0, ge=0, le=99)
    title: dict[Language, Annotated[str, Field(max_length=200)]] = Field(..., description='{"en": ..., "ko": ...}')
    description: dict[Language, Annotated[str, Field(max_length=5000)]] = Field(default_factory=dict)
    spec: RunCreate
