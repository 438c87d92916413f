"""All configuration in one settings object, read from environment variables (prefix PLAYGROUND_)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLAYGROUND_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # Where the database (runs, models, uploads), TensorBoard logs and the teacher key live.
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("PLAYGROUND_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; an SQLite file in the data directory when unset",
    )
    checkpoint_seconds: float = Field(5.0, gt=0, description="a training run's state is saved at least this often")
    # 0: no cap. Else the SQLite file stops growing there, and saves fail (and say so) as on a full disk.
    max_database_mb: float = Field(0, ge=0, description="size of the SQLite database at most, in MB; 0 for no cap")
    teacher_key: str | None = Field(None, description="unlocks the teacher view; generated and printed when unset")

    # Limits on what one spec may ask for; every one is checked with a clear 4xx.
    max_layers: int = Field(32, description="layers in one model")
    max_units: int = Field(1024, description="units or filters in one layer")
    max_params: int = Field(2_000_000, description="trainable and non-trainable parameters in one model")
    max_epochs: int = Field(1_000_000, description="epochs in one run")
    max_samples: int = Field(10_000, description="samples in one generated data set")
    max_grid_size: int = Field(200, description="side of the streamed output grid")
    max_neuron_grid_size: int = Field(50, description="side of each streamed neuron map")
    max_fps: float = Field(60.0, description="frames per second a client may ask for")
    max_upload_bytes: int = Field(20 * 1024 * 1024, description="size of an uploaded file")
    max_upload_rows: int = Field(10_000, description="rows in an uploaded CSV")
    max_upload_columns: int = Field(200, description="columns in an uploaded CSV")
    max_predict_rows: int = Field(10_000, description="rows in one predict request")
    # Frames carry every weight only while the model is small enough to draw them.
    max_streamed_weights: int = Field(5_000, description="weights sent in a frame")

    # Sharing the server: a student's runs that are training, queued or paused at once; runs
    # training at once on the server (more wait in a queue that is fair across students);
    # runs waiting in that queue; paused runs nobody watches end after idle_run_seconds.
    max_runs_per_client: int = Field(4, description="active (training, queued or paused) runs per student")
    max_training_runs: int = Field(32, description="runs training at once on the server; more wait in a queue")
    max_queued_runs: int = Field(200, description="runs waiting in the server's queue")
    idle_run_seconds: float = Field(1800, gt=0, description="a paused run with no viewer ends after this long")
    # Finished runs whose model stays loaded in memory per student (others reload from the database).
    max_loaded_runs_per_client: int = Field(10, description="finished runs kept loaded per student")

    # Training: worker threads (one per core by default) share the runs fairly.
    train_workers: int = Field(0, description="training threads; 0 means one per CPU core")
    max_programs: int = Field(64, description="compiled model signatures kept in memory")
    prewarm: bool = Field(True, description="compile TensorFlow Playground's default network at start-up")
    # A network in TensorFlow Playground's envelope trains at once in the family program; it gets
    # its own (faster) program compiled when two students train it, or when few runs train: a
    # compile takes a core for seconds, which a class of different networks cannot spare.
    lone_compile_max_runs: int = Field(
        4, ge=0, description="runs training in groups at most, for a network one student trains to compile"
    )
    # A model signature nobody has trained yet (other than the Dense stacks a class trains) is
    # first built, traced and trained an epoch in a child process: a native TensorFlow crash
    # then costs that model a 422, not the server; past the time or memory limit it ends too.
    probe_processes: int = Field(2, ge=0, description="child processes trying new models; 0: none")
    probe_seconds: float = Field(120.0, gt=0, description="seconds a new model may take to try")
    probe_memory_mb: int = Field(4096, ge=0, description="MiB a child may use; 0: no limit")
    probe_fault: Literal["", "abort", "hang"] = Field("", description="tests only: the child aborts or hangs")

    # Training on a Ray cluster (app/cluster): a running cluster's address (`host:port` of its head,
    # or `ray://host:10001`); unset, runs train in this process. Needs the `cluster` extra (ray).
    ray_address: str | None = Field(None, description="a Ray cluster to train on; unset: in this process")
    # Where several processes share the database (web processes, Ray's trainers), how old the
    # classroom's rows kept in memory (sessions, classes, challenges) may be before they are read
    # again; unset: 1 s on a Ray cluster, never in one process (the only writer).
    shared_refresh_seconds: float | None = Field(
        None, ge=0, description="seconds before the classroom's rows are read again; 0: never"
    )

    @property
    def classroom_refresh(self) -> float:
        if self.shared_refresh_seconds is not None:
            return self.shared_refresh_seconds
        return 1.0 if self.ray_address else 0.0

    ws_compression: bool = Field(False, description="permessage-deflate on websockets")

    # Guessing keys and codes: a client (IP address) that fails this many times within the window
    # waits until its oldest failure leaves the window (429 with Retry-After).
    max_failed_attempts: int = Field(10, ge=1, description="wrong teacher keys or join codes per client per window")
    failed_attempts_window: float = Field(60.0, gt=0, description="seconds over which failed attempts count")

    session_cookie: str = "playground_session"


@lru_cache
def get_settings() -> Settings:
    return Settings()
