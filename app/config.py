"""All configuration in one settings object, read from environment variables (prefix PLAYGROUND_)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLAYGROUND_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # Where uploaded data, saved models and logs live.
    data_dir: Path = Path("data")

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

    # Concurrency: runs that are training or paused at once.
    max_runs_per_client: int = Field(4, description="active runs per client")
    max_runs_total: int = Field(64, description="active runs on the server")
    # Finished runs kept in memory per client; the oldest finished one is dropped first.
    max_kept_runs_per_client: int = Field(50, description="runs kept per client")

    # Training: worker threads (one per core by default) share the runs fairly.
    train_workers: int = Field(0, description="training threads; 0 means one per CPU core")
    max_programs: int = Field(64, description="compiled model signatures kept in memory")
    prewarm: bool = Field(True, description="compile TensorFlow Playground's default network at start-up")

    ws_compression: bool = Field(False, description="permessage-deflate on websockets")

    session_cookie: str = "playground_session"


@lru_cache
def get_settings() -> Settings:
    return Settings()
