"""The Docker image (`docker build -t nn-playground .` first): an unprivileged user that owns /data,
nothing the server does not need, and a server that trains and serves its docs with no network.

Skipped where there is no Docker engine or no image: building takes minutes, so these tests
check the image the machine has, and say so.
"""

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

IMAGE = "nn-playground"
pytestmark = pytest.mark.slow


def docker(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"docker {args[0]} exited with {done.returncode}: {done.stderr[-3000:]}")
    return done


def _image_present() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return docker("image", "inspect", IMAGE, check=False, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


if not _image_present():
    pytest.skip(f"no Docker engine or no {IMAGE} image here (docker build -t {IMAGE} .)", allow_module_level=True)


def run_in(image_args: list[str], code: str) -> str:
    """Python code run in a fresh container of the image (as its own user unless told otherwise)."""
    return docker("run", "--rm", *image_args, "--entrypoint", "python", IMAGE, "-c", code).stdout


def test_it_runs_as_an_unprivileged_user_that_owns_data() -> None:
    config = json.loads(docker("image", "inspect", IMAGE).stdout)[0]["Config"]
    assert config["User"] == "1000:1000"
    out = run_in([], "import os; s = os.stat('/data'); print(os.getuid(), os.getgid(), s.st_uid, s.st_gid)")
    assert out.split() == ["1000", "1000", "1000", "1000"]


def test_it_holds_nothing_the_server_does_not_run() -> None:
    code = """
import importlib.util as u, pathlib, sysconfig
site = pathlib.Path(sysconfig.get_paths()["purelib"])
print(u.find_spec("pip") is None, (site / "tensorflow" / "include").exists(),
      any((site / p / "tests").exists() for p in ("numpy", "scipy", "sklearn")),
      u.find_spec("pytest") is None, pathlib.Path("/app/tests").exists(),
      sorted(p.name for p in pathlib.Path("/app/static/node_modules").iterdir()))
"""
    no_pip, headers, tests, no_pytest, app_tests, modules = run_in([], code).split(" ", 5)
    assert (no_pip, headers, tests, no_pytest, app_tests) == ("True", "False", "False", "True", "False")
    assert "swagger-ui-dist" in modules and "redoc" in modules and "react" not in modules


@pytest.fixture
def offline_server() -> Iterator[str]:
    """A container on no network at all (`--network none`); requests are made from inside it."""
    name = f"nn-playground-test-{time.monotonic_ns()}"
    docker("run", "-d", "--name", name, "--network", "none", "-e", "PLAYGROUND_PREWARM=false", IMAGE)
    try:
        yield name
    finally:
        docker("rm", "-f", name, check=False)


FETCH = """
import json, sys, time, urllib.error, urllib.request
base = "http://127.0.0.1:8000"
session = {}
def get(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json", **session})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            if "X-Session-Token" in r.headers and not session:
                session["Authorization"] = "Bearer " + r.headers["X-Session-Token"]
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        sys.exit(f"{path}: {e.code} {e.read().decode()}")
for _ in range(600):
    try:
        get("/api/health"); break
    except (OSError, SystemExit):
        time.sleep(0.2)
out = {}
for path in ["/", "/docs", "/redoc", "/openapi.json", "/static/node_modules/swagger-ui-dist/swagger-ui-bundle.js",
             "/static/node_modules/redoc/bundles/redoc.standalone.js", "/static/node_modules/uplot/package.json"]:
    out[path] = get(path)[0]
spec = {"dataset": {"name": "circle", "seed": 1},
        "model": {"layers": [{"type": "Dense", "units": 4, "activation": "tanh"},
                             {"type": "Dense", "units": 1, "activation": "sigmoid"}]},
        "compile": {"loss": "binary_crossentropy", "optimizer": {"type": "SGD", "learning_rate": 0.03}},
        "fit": {"epochs": 30, "batch_size": 10}}
status, body = get("/api/runs", spec)
run = json.loads(body)
for _ in range(600):
    run = json.loads(get("/api/runs/" + run["id"])[1])
    if run["status"] in ("done", "failed", "stopped"):
        break
    time.sleep(0.2)
out["run"] = [run["status"], run["epoch"], len(run["history"].get("loss", [])), run.get("error")]
print(json.dumps(out))
"""


def test_it_serves_the_page_and_the_docs_and_trains_with_no_network(offline_server: str) -> None:
    out = json.loads(docker("exec", offline_server, "python", "-c", FETCH, timeout=300).stdout)
    assert out.pop("run") == ["done", 30, 30, None]
    assert set(out.values()) == {200}, out


def test_a_bind_mounted_folder_gets_files_of_the_user_and_a_root_owned_one_a_clear_message() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        owned = subprocess.run(["chown", "1000:1000", str(data)], capture_output=True)
        if owned.returncode != 0:
            pytest.skip("this user cannot chown a folder to 1000:1000")
        quick = ["-e", "PLAYGROUND_PREWARM=false", "-v", f"{data}:/data", "--user", "1000:1000"]
        code = "from app.main import app; print('ok')"
        assert run_in(quick, code).strip().endswith("ok")
        assert {(p.stat().st_uid, p.stat().st_gid) for p in data.iterdir()} == {(1000, 1000)}
        assert "playground.db" in {p.name for p in data.iterdir()}

        root_owned = Path(tmp) / "root-owned"
        root_owned.mkdir(mode=0o755)
        refused = docker("run", "--rm", "-v", f"{root_owned}:/data", IMAGE, check=False, timeout=60)
        assert refused.returncode == 1
        assert "cannot write it" in refused.stderr and "chown 1000:1000" in refused.stderr
