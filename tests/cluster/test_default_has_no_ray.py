"""Without PLAYGROUND_RAY_ADDRESS the app neither imports Ray nor needs it installed (the runtime
lock and the Docker image leave the `cluster` extra out)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.server import ROOT


def test_the_default_app_does_not_import_ray(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PLAYGROUND_RAY_ADDRESS", "PLAYGROUND_DATABASE_URL")}
    env["PLAYGROUND_DATA_DIR"] = str(tmp_path)
    code = "import sys, app.main; print('ray' in sys.modules, type(app.main.app.state.runs).__name__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "RunManager"]
