"""`python -m bench.probe`: what trying each new model in a child process first costs a student.

Two servers, one after the other on this machine: the probe on (the default) and off
(`PLAYGROUND_PROBE_PROCESSES=0`). Each is sent the same new CNN signatures (nobody trained them
before on that server), one at a time; the table gives the seconds from POST to the first frame
and to the first trained epoch, and their ratio measured in this one run. Dense stacks, which the
stack groups train, are never tried in a child: the class's networks do not pay this.
"""

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.stream import first_frame_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.server import Server  # noqa: E402


def cnn(filters: int) -> dict[str, Any]:
    return {
        "dataset": {"name": "digits"},
        "model": {
            "layers": [
                {"type": "Reshape", "target_shape": [8, 8, 1]},
                {"type": "Conv2D", "filters": filters, "kernel_size": 3, "activation": "relu"},
                {"type": "MaxPooling2D", "pool_size": 2},
                {"type": "Flatten"},
                {"type": "Dense", "units": 10, "activation": "softmax"},
            ]
        },
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}, "metrics": ["accuracy"]},
        "fit": {"epochs": 1000, "batch_size": 32},
        "stream": {"grid_size": 20, "max_fps": 10},
    }


def measure(env: dict[str, str], specs: list[dict[str, Any]]) -> list[tuple[float, float]]:
    server = Server(env={"PLAYGROUND_PREWARM": "true", **env})
    try:
        # A classroom server is up long before the first CNN: its prewarm done, its children started.
        wanted = 2 if "PLAYGROUND_PROBE_PROCESSES" not in env else 0
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            programs = httpx.get(f"{server.url}/api/health").json()["programs"]
            if not programs["compiling"] and programs["probe_idle"] >= wanted:
                break
            time.sleep(0.5)
        out = []
        for spec in specs:
            first, trained = first_frame_of(server.url, server.ws_url, spec)
            out.append((first, trained if trained is not None else float("inf")))
        return out
    finally:
        server.close()


def main() -> None:
    specs = [cnn(n) for n in (2, 3, 5)]
    with_probe = measure({}, specs)
    without = measure({"PLAYGROUND_PROBE_PROCESSES": "0"}, specs)
    print(f"Probe cost, {time.strftime('%Y-%m-%d %H:%M')} (each row a new CNN signature on digits)\n")
    print("| new model | first frame, probe on (s) | off (s) | first trained epoch, on (s) | off (s) | ratio on/off |")
    print("| --- | --- | --- | --- | --- | --- |")
    for spec, (f_on, t_on), (f_off, t_off) in zip(specs, with_probe, without, strict=True):
        filters = spec["model"]["layers"][1]["filters"]
        print(f"| Conv2D({filters}) | {f_on:.2f} | {f_off:.2f} | {t_on:.2f} | {t_off:.2f} | {t_on / t_off:.2f} |")
    ratio = statistics.median(t_on / t_off for (_, t_on), (_, t_off) in zip(with_probe, without, strict=True))
    print(f"\nMedian ratio of the first trained epoch, probe on / off: {ratio:.2f}")


if __name__ == "__main__":
    main()
