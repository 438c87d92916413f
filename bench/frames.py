"""What a frame costs the server to encode, JSON text against binary, for a shard of runs.

In-process: the views a shard of 16 runs makes after a turn (random maps and weights of the
network's shapes), encoded as the stream sends them to a script (`?format=json`) and to the
page (`?format=binary`). Both formats carry the same maps and weights.
"""

import time
from typing import Any

import numpy as np

from app.engine.frames import View, group_views
from app.runs import protocol

RUNS = 16


def _views(features: int, widths: list[int], grid: int = 100, neurons: int = 20) -> list[View]:
    rng = np.random.default_rng(0)
    sizes = [features, *widths, 1]
    out = rng.random((RUNS, grid * grid, 1)).astype(np.float32)
    hidden = [rng.standard_normal((RUNS, neurons * neurons, w)).astype(np.float32) for w in widths]
    kernels = [rng.standard_normal((RUNS, a, b)).astype(np.float32) for a, b in zip(sizes, sizes[1:], strict=False)]
    biases = [rng.standard_normal((RUNS, b)).astype(np.float32) for b in sizes[1:]]
    names = [f"dense_{i}" for i in range(len(sizes) - 1)]
    return group_views(out, hidden, names, kernels, biases, grid, neurons, True, True)


def _per_frame_ms(encode: Any, views: list[View], rounds: int = 30) -> float:
    began = time.perf_counter()
    for _ in range(rounds):
        for view in views:
            encode(view)
    return (time.perf_counter() - began) / (rounds * len(views)) * 1000


def table() -> list[str]:
    lines = [
        f"| frame encoding, a shard of {RUNS} runs | JSON ms / frame | binary ms / frame | ratio "
        "| JSON bytes | binary bytes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, features, widths in (("default (2 → 4 → 2 → 1)", 2, [4, 2]), ("largest (7 → 6 × 8 → 1)", 7, [8] * 6)):
        views = _views(features, widths)
        as_json = _per_frame_ms(protocol.view_json, views)
        as_binary = _per_frame_ms(protocol.view_binary, views)
        json_bytes = len(protocol.view_json(views[0]).encode())
        members, data = protocol.view_binary(views[0])
        binary_bytes = protocol.HEADER.size + len(members.encode()) + len(data)
        lines.append(
            f"| {name} | {as_json:.3f} | {as_binary:.3f} | {as_json / as_binary:.1f}× | {json_bytes} | {binary_bytes} |"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(table()))
