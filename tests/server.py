"""A real uvicorn server in a subprocess, on a free port, for the tests."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app as `nn-playground` serves it, on a fresh data directory (a new SQLite database)
    unless one is given; `restart()` stops it and starts it again on the same data."""

    def __init__(self, env: dict[str, str] | None = None, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="playground-test-"))
        # No start-up compiles unless a test asks (PLAYGROUND_PREWARM=true): the suite starts
        # many servers on two cores, and each compiles what its own runs need.
        quiet = {"PLAYGROUND_PREWARM": "false"}
        self.env = {**os.environ, **quiet, "PLAYGROUND_DATA_DIR": str(self.data_dir), **(env or {})}
        self.start()

    def start(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log = open(ROOT / "artifacts" / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def restart(self, kill: bool = False, same_port: bool = False) -> None:
        """Stop the server (SIGKILL, as a crash or power cut would, when `kill`) and start it again
        (on the port it had, when `same_port`: where its pages reconnect)."""
        port = self.port if same_port else None
        if kill:
            self.proc.kill()
            self.proc.wait(10)
            self.log.close()
        else:
            self.close()
        self.start(port)

    @property
    def teacher_key(self) -> str:
        return (self.data_dir / "teacher-key.txt").read_text().strip()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start in time")

    def close(self) -> None:
        """SIGTERM, and the time Docker gives (30 s) to save; then SIGKILL (always reaped)."""
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()
