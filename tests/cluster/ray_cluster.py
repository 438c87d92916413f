"""A real Ray cluster for the tests: a head and a second node on this machine (`ray start`, one
CPU each, a temporary directory of their own), stopped at the end by their own process groups."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from tests.server import ROOT, free_port

RAY = Path(sys.executable).parent / "ray"


class RayCluster:
    """`ray start --head` and `ray start --address` with `--block`, each in its own session, so
    that closing ends exactly these processes (and what they started), nothing else of Ray's."""

    def __init__(self, nodes: int = 2) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="playground-ray-"))
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        # A node that stops answering is counted dead within about 2 s (Ray's defaults take longer).
        quick = {"RAY_health_check_period_ms": "500", "RAY_health_check_timeout_ms": "500"}
        quick["RAY_health_check_failure_threshold"] = "3"
        self.env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "PYTHONPATH": str(ROOT), **quick}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[IO[str]] = []
        store = str(100 * 1024 * 1024)  # bytes of object store per node (Ray's least is about 75 MB)
        common = ["--num-cpus", "1", "--object-store-memory", store, "--block", "--disable-usage-stats"]
        try:
            self._start(
                "head",
                ["--head", "--node-ip-address", "127.0.0.1", "--port", str(self.port), "--temp-dir", str(self.folder),
                 "--include-dashboard", "false", *common],
            )
            self._wait_nodes(1)
            for i in range(1, nodes):
                self._start(f"node{i}", ["--address", self.address, "--node-ip-address", "127.0.0.1", *common])
            self._wait_nodes(nodes)
        except BaseException:
            self.close()
            raise

    def _start(self, name: str, args: list[str]) -> None:
        log = open(ROOT / "artifacts" / f"ray-{self.port}-{name}.log", "w")  # noqa: SIM115
        self.logs.append(log)
        self.procs.append(
            subprocess.Popen([str(RAY), "start", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=ROOT)
        )

    def ask(self, code: str) -> Any:
        """What a Python snippet run as a separate Ray driver prints as its last line, as JSON
        (`ray` is imported and connected; the snippet sets `answer`)."""
        script = (
            "import json, sys, ray\n"
            "ray.init(address=sys.argv[1], namespace='nn-playground', logging_level='ERROR', log_to_driver=False)\n"
            f"{code}\n"
            "print(json.dumps(answer))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, self.address], env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"asking the cluster failed: {done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def alive_nodes(self) -> int:
        try:
            return int(self.ask("answer = sum(1 for n in ray.nodes() if n['Alive'])"))
        except RuntimeError:
            return 0

    def trainers(self) -> dict[str, Any]:
        """Each trainer actor's `ping()` (its pid and how many runs it holds), by actor name."""
        code = (
            "names = [a['name'] for a in ray.util.list_named_actors(all_namespaces=True)"
            " if a['name'].startswith('trainer-')]\n"
            "answer = {n: ray.get(ray.get_actor(n).ping.remote(), timeout=60) for n in names}"
        )
        found: dict[str, Any] = self.ask(code)
        return found

    def _wait_nodes(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    logs = f"artifacts/ray-{self.port}-*.log"
                    raise RuntimeError(f"`ray start` exited with {proc.returncode}; see {logs}")
            if self.alive_nodes() >= count:
                return
            time.sleep(1)
        raise RuntimeError(f"the Ray cluster did not reach {count} nodes in {timeout} s")

    def descendants(self, root: int | None = None) -> set[int]:
        """Every process these `ray start` commands started, however deep (Ray's workers start
        sessions of their own, so a process group does not hold them all)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        found: set[int] = set()
        todo = [p.pid for p in self.procs] if root is None else [root]
        while todo:
            pid = todo.pop()
            for child in children.get(pid, []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def node_of(self, pid: int) -> int:
        """Which node (0: the head) a process of the cluster runs on."""
        for i, proc in enumerate(self.procs):
            if pid in self.descendants(proc.pid):
                return i
        raise LookupError(f"process {pid} is on no node of this cluster")

    def kill_node(self, i: int) -> None:
        """`kill -9` of node i: its `ray start` and every process it started (raylet, workers)."""
        proc = self.procs[i]
        for pid in self.descendants(proc.pid) | {proc.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(10)

    def close(self) -> None:
        """SIGTERM to each node's `ray start`, a few seconds, then SIGKILL to all they started."""
        started = self.descendants()
        for proc in reversed(self.procs):  # the worker node first, then the head
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 5
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for pid in started | self.descendants() | {p.pid for p in self.procs}:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for proc in self.procs:
            proc.wait(10)
        for log in self.logs:
            log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
