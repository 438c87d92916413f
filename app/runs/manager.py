"""Keeps the runs in memory, per client, within the configured limits."""

import logging
import threading

import numpy as np

from app.config import Settings
from app.engine.experiment import Experiment
from app.engine.programs import Programs
from app.errors import NotFound, TooMany
from app.runs.run import FINISHED, Run
from app.runs.scheduler import Scheduler
from app.runs.tensorboard import TensorBoardLog
from app.schemas.runs import RunCreate

log = logging.getLogger(__name__)


class RunManager:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        workers = settings.train_workers or None
        self.scheduler_workers = workers or 0
        self.programs = Programs(settings, pool_size=workers or 2)
        self.scheduler = Scheduler(self.programs, self.scheduler_workers)
        self.programs.pool_size = self.scheduler.workers
        self._runs: dict[str, Run] = {}
        self._lock = threading.Lock()

    def start_prewarm(self) -> None:
        """Build and compile TensorFlow Playground's default network before anyone asks for it,
        in the background; /api/health counts it under `compiling` until it is done."""
        from app.engine.experiment import load_data
        from app.engine.warm import PLAYGROUND_DEFAULT

        job = self.programs.job()
        job.__enter__()  # counted from now, not from when the thread gets going

        def prewarm() -> None:
            try:
                pool = self.programs.pool(PLAYGROUND_DEFAULT, load_data(PLAYGROUND_DEFAULT.dataset, 0))
                self.programs.grow(pool)
            except Exception:
                log.exception("prewarming failed; the first run will compile instead")
            finally:
                job.__exit__(None, None, None)

        threading.Thread(target=prewarm, name="prewarm", daemon=True).start()

    def _active(self, client: str | None = None) -> int:
        return sum(1 for r in self._runs.values() if r.active and (client is None or r.client == client))

    def _check_capacity(self, client: str) -> None:
        s = self.settings
        if self._active(client) >= s.max_runs_per_client:
            raise TooMany(
                "",
                f"you already have {s.max_runs_per_client} runs training or paused, the most allowed "
                "at once: stop or delete one first",
            )
        if self._active() >= s.max_runs_total:
            raise TooMany("", f"the server is training its limit of {s.max_runs_total} runs: try again shortly")

    def create(self, client: str, spec: RunCreate, weights: list[list[np.ndarray]] | None = None) -> Run:
        """Validate, prepare and start a run (blocking: call from a worker thread)."""
        with self._lock:
            self._check_capacity(client)
        experiment = Experiment.create(spec, self.settings, self.programs, weights)
        run = Run(client, experiment, self.programs)
        if spec.tensorboard:
            run.tensorboard = TensorBoardLog(self.settings.data_dir / "tensorboard" / run.id)
        with self._lock:
            self._check_capacity(client)
            self._runs[run.id] = run
            self._forget_old(client)
        self.scheduler.submit(run, first=True)
        return run

    def _forget_old(self, client: str) -> None:
        mine = sorted((r for r in self._runs.values() if r.client == client), key=lambda r: r.created)
        finished = [r for r in mine if r.status in FINISHED]
        for run in finished[: max(0, len(mine) - self.settings.max_kept_runs_per_client)]:
            del self._runs[run.id]

    def get(self, client: str, run_id: str) -> Run:
        """The client's run; another client's run is as absent as one that never existed."""
        run = self._runs.get(run_id)
        if run is None or run.client != client:
            raise NotFound("id", f"there is no run with id '{run_id}'")
        return run

    def list(self, client: str) -> list[Run]:
        return sorted((r for r in self._runs.values() if r.client == client), key=lambda r: -r.created)

    def delete(self, client: str, run_id: str) -> None:
        run = self.get(client, run_id)
        run.stop()
        with self._lock:
            self._runs.pop(run.id, None)

    def shutdown(self) -> None:
        for run in list(self._runs.values()):
            run.stop()
        self.scheduler.shutdown()
        self.programs.shutdown()
