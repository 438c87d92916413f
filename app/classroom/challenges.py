"""Challenges: a data set whose rows are split once into a visible part, which the class trains
on under the name `challenge_<id>`, and a hidden part that scores every run on it."""

import secrets
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from app.classroom.mirror import Mirror
from app.datasets import registry
from app.datasets.features import transform
from app.datasets.real import scale
from app.db.tables import ChallengeRow
from app.engine import report
from app.engine.experiment import load_data
from app.errors import NotFound, SpecError
from app.schemas.classroom import ChallengeCreate
from app.schemas.runs import DatasetRef

if TYPE_CHECKING:
    from app.engine.program import Program
    from app.runs.run import Run


@dataclass
class Challenge:
    row: ChallengeRow
    info: registry.DatasetInfo  # the visible rows' data set
    hidden_x: np.ndarray  # plane points for a plane set, else raw feature rows
    hidden_y: np.ndarray

    @property
    def id(self) -> str:
        return self.row.id

    # the hidden rows as each way of preparing the data (features, scaling, seed) turns them
    # into model inputs; a run is scored at every checkpoint, its inputs are made once
    prepared: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def metric(self) -> str:
        return report.headline_metric(self.info.task)

    def inputs_for(self, ref: DatasetRef, seed: int) -> np.ndarray:
        """The hidden rows as a run's model sees them: its features, scaled as its training split was."""
        key = f"{ref.model_dump_json()}|{seed}"
        if key not in self.prepared:
            raw = load_data(ref.model_copy(update={"scaling": "none"}), seed)
            x = transform(self.hidden_x, raw.feature_names) if self.info.kind == "plane" else self.hidden_x
            self.prepared[key] = scale(raw.x_train, x.astype(np.float32), ref.scaling)[1]
        return self.prepared[key]

    def public(self) -> dict[str, Any]:
        return {
            "id": self.row.id,
            "class_id": self.row.class_id,
            "title": self.row.title,
            "dataset": self.info.name,
            "base": self.row.dataset,
            "task": self.info.task,
            "metric": self.metric,
            "hidden_ratio": self.row.hidden_ratio,
            "visible_rows": self.info.default_samples,
            "hidden_rows": len(self.hidden_y),
            "created": self.row.created,
        }


def _materialize(row: ChallengeRow) -> Challenge:
    """Draw the data set's rows and split them into visible and hidden, the same way every time."""
    ref = DatasetRef.model_validate(row.dataset)
    whole = load_data(ref.model_copy(update={"train_ratio": 1.0, "scaling": "none", "features": None}), ref.seed or 0)
    base = whole.info
    plane = base.kind == "plane"
    if plane:
        assert whole.points_train is not None and whole.points_test is not None
        x = np.concatenate([whole.points_train, whole.points_test])
    else:
        x = np.concatenate([whole.x_train, whole.x_test])
    y = np.concatenate([whole.y_train, whole.y_test])
    order = np.random.default_rng(row.seed).permutation(len(y))
    cut = max(1, int(round(len(y) * row.hidden_ratio)))
    if len(y) - cut < 2:
        raise SpecError("dataset", code="too_few_rows", params={"dataset": base.name, "rows": len(y)})
    hidden, shown = order[:cut], order[cut:]
    info = replace(
        base,
        name=f"challenge_{row.id}",
        description=f"challenge: {row.title}",
        generator=None,
        default_samples=len(shown),
        default_train_ratio=0.8 if base.default_train_ratio >= 1 else base.default_train_ratio,
        owner=row.class_id,
    )
    registry.register_rows(info, x[shown], y[shown])
    return Challenge(row, info, x[hidden], y[hidden])


class Challenges(Mirror):
    def _load(self) -> None:
        """The challenges in the database; one met before keeps its drawn rows."""
        with self.db.session() as session:
            rows = list(session.scalars(select(ChallengeRow).order_by(ChallengeRow.created)))
        known: dict[str, Challenge] = getattr(self, "_by_id", {})
        self._by_id = {row.id: known.get(row.id) or _materialize(row) for row in rows}

    def create(self, class_id: str, body: ChallengeCreate) -> Challenge:
        row = ChallengeRow(
            id=secrets.token_urlsafe(9).replace("-", "x").replace("_", "y"),
            class_id=class_id,
            title=body.title,
            dataset=body.dataset.model_dump(mode="json", exclude_none=True),
            hidden_ratio=body.hidden_ratio,
            seed=body.seed,
            created=time.time(),
        )
        challenge = _materialize(row)  # checks the data set before anything is stored
        with self._lock, self.db.session() as session:
            session.add(row)
            self._by_id[row.id] = challenge
        return challenge

    def get(self, challenge_id: str, class_id: str | None = None) -> Challenge:
        self._fresh()
        challenge = self._by_id.get(challenge_id)
        if challenge is None and self._missed():
            challenge = self._by_id.get(challenge_id)
        if challenge is None or (class_id is not None and challenge.row.class_id != class_id):
            raise NotFound("id", code="not_found", params={"kind": "challenge", "id": challenge_id})
        return challenge

    def in_class(self, class_id: str) -> list[Challenge]:
        self._fresh()
        return [c for c in self._by_id.values() if c.row.class_id == class_id]

    def for_dataset(self, name: str) -> Challenge | None:
        self._fresh()
        return next((c for c in self._by_id.values() if c.info.name == name), None)

    def score(self, challenge: Challenge, run: "Run", program: "Program") -> float | None:
        """The run's accuracy (or R²) on the hidden rows, prepared as its own inputs are."""
        x = challenge.inputs_for(run.spec.dataset, run.spec.seed)
        outputs = np.asarray(program.predict(run.experiment.state, x), dtype=np.float64)
        score = report.headline(challenge.info.task, challenge.info.n_classes, challenge.hidden_y, outputs)
        return None if score is None else round(score, 6)
