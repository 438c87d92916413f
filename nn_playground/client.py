"""The client: a session on a playground server (`Playground`) and its training runs (`Run`)."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlencode

import httpx
from tqdm.auto import tqdm
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

if TYPE_CHECKING:
    import keras
    import pandas

FINISHED = frozenset({"done", "stopped", "failed"})
"""Statuses after which a run trains no more (`interrupted` can still be resumed)."""

Json = dict[str, Any]


class PlaygroundError(Exception):
    """A request the server refused: its status code, and its message naming the field at fault."""

    def __init__(self, status: int, detail: str, errors: list[Json] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.errors = errors or []


class Playground:
    """One session on a playground server: its runs and uploaded data sets are this session's own.

    `token` resumes an earlier session (`pg.token` of that one); `teacher_key` makes every request
    a teacher's. Use it as a context manager, or call `close()`.
    """

    def __init__(
        self,
        url: str = "http://127.0.0.1:8000",
        *,
        token: str | None = None,
        teacher_key: str | None = None,
        timeout: float = 60,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        headers = {"X-Teacher-Key": teacher_key} if teacher_key else {}
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, transport=transport)
        self.token = token
        if token is None:  # the first answer opens a session and says its token
            self.token = self._http.get("/api/health").headers.get("x-session-token")
        if self.token:
            self._http.headers["Authorization"] = f"Bearer {self.token}"

    def __enter__(self) -> Playground:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"Playground({self.url!r})"

    # Requests -------------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any API request; a 4xx or 5xx answer raises `PlaygroundError` with the server's message."""
        response = self._http.request(method, path, **kwargs)
        if response.is_error:
            try:
                body = response.json()
                detail, errors = str(body.get("detail", body)), body.get("errors")
            except (ValueError, AttributeError):
                detail, errors = response.text or response.reason_phrase, None
            raise PlaygroundError(response.status_code, detail, errors)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Any:
        response = self.request("POST", path, json=json_body, **kwargs)
        return response.json() if response.content else None

    # The server -----------------------------------------------------------------------------

    def health(self) -> Json:
        return self.get("/api/health")

    def catalog(self) -> Json:
        """Layers, activations, losses, optimizers, … with their parameters and bounds."""
        return self.get("/api/catalog")

    def datasets(self) -> list[Json]:
        return self.get("/api/datasets")

    def dataset(self, name: str, **query: Any) -> Json:
        """A data set's points: `x_train`, `y_train`, `x_test`, `y_test`, `feature_names`, …"""
        return self.get(f"/api/datasets/{quote(name)}", params=query)

    def presets(self) -> list[Json]:
        """The course's lessons, each with the `spec` of its run."""
        return self.get("/api/presets")

    def preset(self, preset_id: str) -> Json:
        for preset in self.presets():
            if preset["id"] == preset_id:
                return preset
        raise PlaygroundError(404, f"preset: no lesson with the id {preset_id!r}")

    def summary(self, model: Json, *, input_shape: list[int] | None = None, dataset: Json | None = None) -> Json:
        """What `model.summary()` prints for a model spec (`text` holds the printout)."""
        body: Json = {"model": model}
        if input_shape is not None:
            body["input_shape"] = input_shape
        if dataset is not None:
            body["dataset"] = dataset
        return self.post("/api/models/summary", body)

    # Runs -----------------------------------------------------------------------------------

    def run(
        self,
        spec: Mapping[str, Any] | None = None,
        *,
        preset: str | None = None,
        epochs: int | None = None,
        paused: bool = False,
        **overrides: Any,
    ) -> Run:
        """Start training a run from a spec (a POST /api/runs body) or a lesson's id.

        `epochs` and `paused` are shortcuts for `fit.epochs` and `paused`; other keyword
        arguments replace the spec's top-level fields (`seed=3`, `dataset={...}`).
        """
        if (spec is None) == (preset is None):
            raise ValueError("give a spec or a preset id, not both")
        body: Json = json.loads(json.dumps(spec if spec is not None else self.preset(str(preset))["spec"]))
        body.update(overrides)
        if epochs is not None:
            body["fit"] = {**body.get("fit", {}), "epochs": epochs}
        if paused:
            body["paused"] = True
        return Run(self, self.post("/api/runs", body))

    def runs(self) -> list[Run]:
        """This session's runs, newest first."""
        return [Run(self, info) for info in self.get("/api/runs")]

    def get_run(self, run_id: str) -> Run:
        return Run(self, self.get(f"/api/runs/{run_id}"))

    def import_model(self, path: str | Path, *, dataset: str | None = None, epochs: int | None = None) -> Run:
        """A `.keras` file as a paused run (evaluate it, or resume to train it further)."""
        data = {k: str(v) for k, v in {"dataset": dataset, "epochs": epochs}.items() if v is not None}
        with open(path, "rb") as f:
            info = self.post("/api/models/import", files={"file": (Path(path).name, f)}, data=data)
        return Run(self, info)

    # Data sets ------------------------------------------------------------------------------

    def upload_csv(self, text: str, label: str, *, task: Literal["classification", "regression"] | None = None) -> Json:
        """A CSV (with a header row) as a data set of this session; its `name` works in any run."""
        form = {"label": label, **({"task": task} if task else {})}
        return self.post("/api/datasets", files={"file": ("data.csv", text.encode(), "text/csv")}, data=form)

    def upload_dataframe(
        self, frame: pandas.DataFrame, label: str, *, task: Literal["classification", "regression"] | None = None
    ) -> Json:
        """A pandas DataFrame as a data set: its columns are the features, `label` the one to predict."""
        if label not in frame.columns:
            raise ValueError(f"label: the DataFrame has no column {label!r} (it has {list(frame.columns)})")
        return self.upload_csv(frame.to_csv(index=False), label, task=task)


class Run:
    """A training run on the server. Its attributes are those of its last answer (`refresh()`)."""

    def __init__(self, playground: Playground, info: Json) -> None:
        self.playground = playground
        self.id: str = info["id"]
        self.info = info

    def __repr__(self) -> str:
        return f"<Run {self.id[:8]} {self.status} epoch {self.epoch}/{self.epochs}>"

    @property
    def status(self) -> str:
        return str(self.info.get("status"))

    @property
    def epoch(self) -> int:
        return int(self.info.get("epoch") or 0)

    @property
    def epochs(self) -> int:
        return int(self.info.get("epochs") or self.info.get("spec", {}).get("fit", {}).get("epochs") or 0)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def refresh(self) -> Run:
        self.info = self.playground.get(f"/api/runs/{self.id}")
        return self

    # Controls -------------------------------------------------------------------------------

    def _control(self, action: str) -> Run:
        self.info = self.playground.post(f"/api/runs/{self.id}/{action}")
        return self

    def pause(self) -> Run:
        return self._control("pause")

    def resume(self) -> Run:
        return self._control("resume")

    def step(self) -> Run:
        """Train exactly one more epoch, then stay paused."""
        return self._control("step")

    def stop(self) -> Run:
        """End the run; its model and history are kept."""
        return self._control("stop")

    def train_more(self, epochs: int) -> Run:
        """Train a done or stopped run `epochs` more (its history and optimizer state go on)."""
        self.info = self.playground.post(f"/api/runs/{self.id}/continue", {"epochs": epochs})
        return self

    def set_learning_rate(self, learning_rate: float) -> Run:
        self.playground.request("PATCH", f"/api/runs/{self.id}", json={"learning_rate": learning_rate})
        return self.refresh()

    def delete(self) -> None:
        self.playground.request("DELETE", f"/api/runs/{self.id}")

    # Following it ---------------------------------------------------------------------------

    def messages(
        self, timeout: float | None = None, *, since: int = 0, done: Literal["full", "rest"] = "full"
    ) -> Iterator[Json]:
        """The run's websocket messages (frames, `queued`, then `done` or `error`), as dicts.

        The first frame brings the epochs after `since` (those the caller holds); `done` brings
        the whole history (`done="full"`) or only the epochs no frame brought (`"rest"`). Each
        message's `history` starts at its `since`."""
        query = urlencode({"since": since, "done": done})
        ws_url = "ws" + self.playground.url.removeprefix("http") + f"/ws/runs/{self.id}?{query}"
        headers = {"Authorization": f"Bearer {self.playground.token}"} if self.playground.token else {}
        deadline = None if timeout is None else time.monotonic() + timeout
        with connect(ws_url, additional_headers=headers, max_size=None, open_timeout=30) as ws:
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError(f"run {self.id} was still {self.status} after {timeout} s")
                try:
                    text = ws.recv(timeout=left)
                except ConnectionClosed:
                    return
                message = json.loads(text)
                yield message
                if message.get("type") in ("done", "error"):
                    return

    def watch(self, *, progress: bool = True, timeout: float | None = None) -> dict[str, list[float]]:
        """Follow the run until it ends (or pauses), with a tqdm bar in a terminal or a notebook.

        Returns its history (as `history()`); a run that fails meanwhile raises `PlaygroundError`.
        A run that has ended, or was interrupted by a restart (`resume()` it), returns at once.
        """
        if self.refresh().finished or self.status == "interrupted":
            return self.history()  # nothing is training: no stream to follow
        deadline = None if timeout is None else time.monotonic() + timeout
        bar = tqdm(total=self.epochs, initial=self.epoch, unit="epoch", desc=self.id[:8], disable=not progress)
        try:
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError(f"run {self.id} was still {self.status} after {timeout} s")
                paused = self._follow(bar, left)
                self.refresh()
                if paused or self.finished or self.status in ("paused", "interrupted"):
                    break
                # The stream ended but the run goes on (it was continued just as it ended): again.
                bar.total = self.epochs
        finally:
            bar.close()
        return self.history()

    def _follow(self, bar: tqdm[Any], timeout: float | None) -> bool:
        """Show one websocket's messages on the bar, until it closes; True if the run paused."""
        last: Json = {}
        for message in self.messages(timeout=timeout, since=int(bar.n), done="rest"):
            kind = message.get("type")
            if kind == "queued":
                bar.set_postfix_str(f"queued, place {message.get('position')}")
            elif kind in ("frame", "done"):
                bar.update(max(0, int(message.get("epoch", 0)) - bar.n))
                for key, values in (message.get("history") or {}).items():
                    if values:
                        last[key] = values[-1]
                if last:
                    bar.set_postfix({k: f"{v:.4g}" for k, v in last.items() if isinstance(v, int | float)})
                if kind == "frame" and message.get("status") == "paused" and self.refresh().status == "paused":
                    return True
            elif kind == "error":
                self.refresh()
                raise PlaygroundError(409, str(message.get("message")))
        return False

    def wait(self, *, timeout: float = 600, interval: float = 0.5) -> Run:
        """Poll until the run has ended (no websocket)."""
        deadline = time.monotonic() + timeout
        while not self.refresh().finished:
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {self.id} was still {self.status} after {timeout} s")
            time.sleep(interval)
        return self

    # Results --------------------------------------------------------------------------------

    def history(self) -> dict[str, list[float]]:
        """Keras's `History.history`: one value per epoch for `loss`, `val_loss`, each metric, …"""
        return self.playground.get(f"/api/runs/{self.id}/history.json")

    def evaluate(self) -> dict[str, float]:
        """The loss and metrics on the test split."""
        return self.playground.post(f"/api/runs/{self.id}/evaluate")

    def predict(self, inputs: list[list[float]] | None = None, *, points: list[list[float]] | None = None) -> Json:
        """The model's outputs for model inputs, or for plane points (turned into the run's features)."""
        body = {"inputs": inputs} if points is None else {"points": points}
        return self.playground.post(f"/api/runs/{self.id}/predict", body)

    def download(self, name: str, path: str | Path) -> Path:
        """One of the run's files (`model.keras`, `weights.weights.h5`, `code.py`, `history.csv`, …)."""
        target = Path(path)
        target.write_bytes(self.playground.request("GET", f"/api/runs/{self.id}/{name}").content)
        return target

    def model(self) -> keras.Model:
        """The trained model as a `keras.Model` (model.keras, loaded by Keras in safe mode)."""
        import keras

        with tempfile.TemporaryDirectory() as tmp:
            path = self.download("model.keras", Path(tmp) / "model.keras")
            return keras.models.load_model(path)
