"""Schemathesis against a running server (issue 14): generated requests for every operation, none
answered with a 5xx, and every answer as the OpenAPI schema says (status, media type, body).

Bounded so it finishes in a few minutes on two cores: a handful of examples per operation, one
worker, no shrinking, a fixed seed; whatever runs it starts are short (the server's epoch limit).
Run through schemathesis's own command line (its pytest plugin does not load under pytest 9).
"""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import Server

pytestmark = pytest.mark.slow
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Streams and pages are not JSON operations (the websocket has its own tests).
SKIPPED = r"^/(ws/|docs|redoc|teacher|$)"


@pytest.fixture(scope="module")
def fuzzed_server() -> Iterator[Server]:
    srv = Server(
        env={
            "PLAYGROUND_PREWARM": "false",
            "PLAYGROUND_MAX_EPOCHS": "50",  # whatever it starts ends soon
            "PLAYGROUND_MAX_SAMPLES": "500",
            "PLAYGROUND_MAX_RUNS_PER_CLIENT": "1000",
            "PLAYGROUND_MAX_FAILED_ATTEMPTS": "1000000",
        }
    )
    yield srv
    srv.close()


def test_no_server_errors_and_answers_match_the_schema(fuzzed_server: Server, tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    if st is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    command = [
        st, "run", f"{fuzzed_server.url}/openapi.json",
        "--checks", CHECKS,
        "--exclude-path-regex", SKIPPED,
        "--phases", "examples,fuzzing",
        "--max-examples", "6",
        "--workers", "1",
        "--seed", "14",
        "--no-shrink",
        "--request-timeout", "60",
        "--max-time", "300",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    report = done.stdout[-12000:]
    assert done.returncode == 0, report
    assert "server error" not in report.lower(), report
